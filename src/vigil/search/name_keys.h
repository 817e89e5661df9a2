// Keys under which two spellings of a name token count as the same name.
// Pure functions on normalised ASCII tokens ([a-z0-9]); thread-safe.
#ifndef VIGIL_SEARCH_NAME_KEYS_H_
#define VIGIL_SEARCH_NAME_KEYS_H_

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

// The formal given names a Spanish hypocorism stands for (Pepe -> jose,
// Paco -> francisco, Lupe -> guadalupe, Chuy -> jesus, ...); empty if none.
const std::vector<std::string>& HypocorismTargets(std::string_view token);

}  // namespace vigil::search

#endif  // VIGIL_SEARCH_NAME_KEYS_H_
