// Double Metaphone (Lawrence Philips, C/C++ Users Journal, June 2000): a
// phonetic code for a name, with a primary code and an alternate code for
// names whose pronunciation is ambiguous (Slavic, Germanic, Romance, ...).
//
// The rules follow Philips' published algorithm as PostgreSQL's
// fuzzystrmatch dmetaphone()/dmetaphone_alt() and Apache commons-codec
// implement it; the golden test checks all 1,221 commons-codec vectors, which
// PostgreSQL 15 reproduces exactly. Pure function; thread-safe.
#ifndef VIGIL_TEXT_DOUBLE_METAPHONE_H_
#define VIGIL_TEXT_DOUBLE_METAPHONE_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace vigil::text {

struct DoubleMetaphoneCode {
  std::string primary;    // e.g. "XMT" for "Schmidt"
  std::string alternate;  // e.g. "SMT"; equals `primary` for unambiguous names

  bool operator==(const DoubleMetaphoneCode&) const = default;
};

// Returns the Double Metaphone codes of `word`, each at most `max_length`
// characters (0 means no limit; 4 is what PostgreSQL and commons-codec use).
// Codes use the letters A F H J K L M N P R S T X and '0' (for "th").
//
// `word` is UTF-8 and may contain several words ("van der Beek"): spaces are
// significant to some rules, as in the reference implementations. Letters are
// upper-cased ASCII-only. Ç/ç codes as "S" and Ñ/ñ as "N", as in the
// reference. Every other non-ASCII code point (and each byte of ill-formed
// UTF-8) occupies one position but codes as nothing, like punctuation; note
// PostgreSQL sees the bytes of a UTF-8 sequence rather than one code point,
// so for non-ASCII input the two can differ. Callers wanting phonetic keys for
// arbitrary names should first fold them with NameNormalizer (normalize.h).
// Returns empty codes for an empty word.
DoubleMetaphoneCode DoubleMetaphone(std::string_view word, size_t max_length = 4);

}  // namespace vigil::text

#endif  // VIGIL_TEXT_DOUBLE_METAPHONE_H_
