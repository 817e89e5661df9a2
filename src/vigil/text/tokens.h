// Splitting a normalised name into tokens and marking name particles
// ("de", "van", "bin", ...) that matching may treat as optional. Pure
// functions; thread-safe.
#ifndef VIGIL_TEXT_TOKENS_H_
#define VIGIL_TEXT_TOKENS_H_

#include <string>
#include <string_view>
#include <vector>

namespace vigil::text {

struct NameToken {
  std::string text;
  // True for a name particle that precedes another token: matching may drop
  // it ("Ludwig van Beethoven" ~ "Ludwig Beethoven").
  bool particle = false;

  bool operator==(const NameToken&) const = default;
};

// Whether `word` (lower-case ASCII) is one of the particles: de, del, la,
// las, los, y, da, das, do, dos, di, du, le, van, von, der, al, el, bin, ibn,
// abu. "de la" is two particles.
bool IsNameParticle(std::string_view word);

// Splits `normalized` (one variant from NameNormalizer::Normalize; any run
// of spaces separates tokens) into tokens in order. A token is marked as a
// particle when IsNameParticle() holds and it is not the last token: a
// particle qualifies the name after it, and a name's last word is never
// optional (so the Vietnamese surnames "Le" and "Do", or a name that is only
// "de", keep every token required). Returns an empty vector for a blank
// string.
std::vector<NameToken> Tokenize(std::string_view normalized);

}  // namespace vigil::text

#endif  // VIGIL_TEXT_TOKENS_H_
