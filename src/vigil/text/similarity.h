// String similarity and edit distances for name matching: Jaro,
// Jaro-Winkler (with the strcmp95 long-string adjustment as an option),
// Levenshtein and unrestricted Damerau-Levenshtein.
//
// All functions take UTF-8 and compare Unicode code points, so "é" is one
// character; each byte of ill-formed UTF-8 counts as one U+FFFD. They compare
// exactly what they are given: fold names first (NameNormalizer) when case
// and accents should not matter. Results agree with the jellyfish test
// vectors in ../shared/testdata/name-vectors/. Pure functions; thread-safe.
// Cost is O(|a|·|b|) time; the edit distances also use O(|a|·|b|) memory
// (Damerau-Levenshtein) or O(|b|) (Levenshtein), so callers bound the input
// length.
#ifndef VIGIL_TEXT_SIMILARITY_H_
#define VIGIL_TEXT_SIMILARITY_H_

#include <string>
#include <string_view>
#include <vector>

namespace vigil::text {

// Jaro similarity in [0, 1]: matches are equal characters at most
// max(|a|, |b|) / 2 - 1 positions apart; transpositions are half the matched
// characters out of order, rounded down (as strcmp95 and jellyfish do).
// Returns 0 when either string is empty (including both), 1 for equal
// non-empty strings.
double JaroSimilarity(std::string_view a, std::string_view b);

struct JaroWinklerOptions {
  // Boost per shared leading character, for at most `max_prefix` characters.
  double prefix_scale = 0.1;
  int max_prefix = 4;
  // The prefix boost applies only when the Jaro similarity exceeds this
  // (Winkler's threshold, as in strcmp95 and jellyfish).
  double boost_threshold = 0.7;
  // strcmp95's adjustment for long strings: when both strings are longer
  // than 4 characters and the matched characters beyond the prefix are more
  // than half of the rest, move part of the remaining distance toward 1.
  bool long_tolerance = false;
};

// Jaro-Winkler similarity in [0, 1]; see JaroSimilarity for empty strings.
double JaroWinklerSimilarity(std::string_view a, std::string_view b,
                             const JaroWinklerOptions& options = {});

// Minimum number of single-character insertions, deletions and
// substitutions turning `a` into `b`.
int LevenshteinDistance(std::string_view a, std::string_view b);

// True (unrestricted) Damerau-Levenshtein distance: Levenshtein plus
// transposition of two adjacent characters, where a transposed pair may
// later be edited further ("CA" -> "ABC" is 2, not 3 as in the restricted
// "optimal string alignment" variant).
int DamerauLevenshteinDistance(std::string_view a, std::string_view b);

// The one of `known` that `typed` is most likely a typo of: at most two
// edits away and fewer edits than half its letters; empty when none is
// (for "did you mean" in messages).
std::string ClosestSpelling(std::string_view typed, const std::vector<std::string>& known);

}  // namespace vigil::text

#endif  // VIGIL_TEXT_SIMILARITY_H_
