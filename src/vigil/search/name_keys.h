// Keys under which two spellings of a name token count as the same name.
// Pure functions on normalised ASCII tokens ([a-z0-9]); thread-safe.
#ifndef VIGIL_SEARCH_NAME_KEYS_H_
#define VIGIL_SEARCH_NAME_KEYS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::search {

// Spanish orthographic equivalence: letters that sound alike in Latin
// American Spanish are folded together (v/b, z/s, soft c/s, hard c/qu/k,
// soft g/j, initial x/j, ll/y, silent h, and y as a vowel after the first
// letter, which also joins BGN's Mariya to Maria), doubles collapse. So Vásquez,
// Vázquez and Basquez share a key, as do Jiménez, Giménez and Ximénez;
// Hernández and Fernández do not.
std::string SpanishKey(std::string_view token);

// The consonant skeleton: the first letter, then the consonants, doubles
// collapsed. Mohammed, Muhammad, Mohamed and the abjad transliteration
// "mhmd" share "mhmd". Only trusted for long tokens or vowel-less ones (see
// SkeletonComparable) because short names collide (Martín, Martina).
std::string Skeleton(std::string_view token);

// True if two tokens may be compared by skeleton: one has no vowel (a
// transliteration from a script that writes none), or both have at least
// seven letters and the same last letter (Gabriel is not Gabriela). The
// skeleton itself must have at least four letters.
bool SkeletonComparable(std::string_view a, std::string_view b);

// The naming traditions whose romanisations the records of people born in
// `country` (ISO 3166-1 alpha-2) are likely written in: a search compares
// the romanisation keys of these alone, so that a key loose enough to join
// Khrushchev and Chruschtschow never joins two Spanish names.
enum NameFamily : uint8_t {
  kCyrillicNames = 1,  // the former Soviet Union, Bulgaria, Serbia, Macedonia, Mongolia
  kArabicNames = 2,    // the Arab League, Iran, Afghanistan, Pakistan, the Sahel
  kChineseNames = 4,   // China, Taiwan, Hong Kong, Macao, Singapore, Malaysia
  kKoreanNames = 8,    // the two Koreas
};
inline constexpr uint8_t kAllNameFamilies = 15;
uint8_t NameFamiliesOf(std::string_view country);

// Appends to `out` the keys under which `token` meets its spellings in the
// other romanisations of each family in `families`, each prefixed by its
// family ("c:", "a:", "h:", "k:"):
//   Cyrillic: consonants in classes (sibilants one class, kh/h/g/German ch/
//     Spanish j one, v/w) and vowels in classes (a; e, o and ё; i, y; u, ou),
//     glides folded into their vowel, letters that schemes read differently
//     (j, ch) giving one key per reading: Khrushchev, Chruschtschow,
//     Khrouchtchev, Jruschov and ISO 9's Hruŝëv share "hrUsEv"; Belov is not
//     Belyayev.
//   Arabic: consonants and vowels in classes (a; i, ee, ei; u, o, ou), e
//     read as any short vowel, long and doubled letters single, French
//     spellings (ou, dj, ch, a mute e) as English ones: Youssef, Yusuf,
//     Yousef and Youcef meet; Hassan is not Hussein, Said is not Saad. A
//     name romanised from Arabic script (no short vowels: "ahmd") also
//     meets a `query` by its consonants alone.
//   Chinese: the token read as syllables of pinyin, Wade-Giles or Yale
//     (tables in text/names/), each as pinyin with aspiration folded (a lost
//     apostrophe makes ch'ang and chang one spelling), and the pinyin of the
//     surnames a Cantonese, Hokkien or other spelling stands for: Hsiu-ying
//     and Xiuying, Chang and Zhang, Wong and Wang (and Huang).
//   Korean: the Revised Romanisation of a surname spelling (Lee, Yi, Rhee).
void RomanisationKeys(std::string_view token, uint8_t families, std::vector<std::string>& out,
                      bool query = false);

// The word `token` is left as once name particles (and prefixes such as
// Ben) written joined to it are taken off ("vandenberg" -> "berg",
// "deltoro" -> "toro", "benmoussa" -> "moussa"), each possible split whose
// rest has at least four letters, taking off only particles of at least
// `min_particle_letters` letters; empty if none.
std::vector<std::string> ParticleStems(std::string_view token, size_t min_particle_letters);

// The names a diminutive may be formed from, by its suffix: Spanish -ito,
// -ita, -cito, -cita, -illo, -illa, Portuguese -inho, -inha, -zinho, -zinha
// ("carlitos" -> carlos, "rosita" -> rosa, "lupita" -> lupe, "pedrinho" ->
// pedro). Candidates only: callers look them up. Empty if none.
std::vector<std::string> DiminutiveBases(std::string_view token);

// The one-token form of an Arabic theophoric name: "abd" and the divine
// name folded ("abdul rahman", "abd al rahman", "abdel rahman" and
// "abdulrahman" -> "abdrahman"; "abdullah", "abdallah" -> "abdallah").
// `words` are a name's tokens from `at` on; sets `used` to how many it took.
// Empty (and `used` 0) if they do not start a theophoric name.
std::string TheophoricName(const std::vector<std::string>& words, size_t at, size_t* used);
// Whether `token` is an Abd-name, as written in one word or in the one-token
// form TheophoricName gives: such names differ in the divine name alone and
// are never typos of one another.
bool IsTheophoricToken(std::string_view token);

}  // namespace vigil::search

#endif  // VIGIL_SEARCH_NAME_KEYS_H_
