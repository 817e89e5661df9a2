#include "vigil/text/similarity.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "vigil/text/detail/name_vectors_test_util.h"

namespace vigil::text {
namespace {

using testing::ReadCsv;
using testing::ReportRowsChecked;

// jellyfish's own tests accept |actual - expected| < 0.001 (their
// assertAlmostEqual with places=3). Its files mostly round to 3 decimals, but
// jaro_winkler_longtol.csv gives William/Williams as 0.980 where the exact
// value is 0.98056 (0.975 + 0.025 * 2/9): truncated, not rounded. Every other
// row is also within 0.0005.
constexpr double kTolerance = 0.001;

double ParseExpected(const std::string& text) { return std::stod(text); }

TEST(SimilarityTest, JellyfishJaroVectors) {
  int checked = 0;
  for (const auto& row : ReadCsv("jaro_distance.csv", /*has_header=*/false, 3)) {
    EXPECT_LT(std::abs(JaroSimilarity(row.fields[0], row.fields[1]) - ParseExpected(row.fields[2])),
              kTolerance)
        << "line " << row.line << ": " << row.fields[0] << " / " << row.fields[1];
    ++checked;
  }
  ReportRowsChecked("jaro_distance.csv", checked);
  EXPECT_GT(checked, 0);
}

TEST(SimilarityTest, JellyfishJaroWinklerVectors) {
  int checked = 0;
  for (const auto& row : ReadCsv("jaro_winkler.csv", /*has_header=*/false, 3)) {
    EXPECT_LT(std::abs(JaroWinklerSimilarity(row.fields[0], row.fields[1]) -
                       ParseExpected(row.fields[2])),
              kTolerance)
        << "line " << row.line << ": " << row.fields[0] << " / " << row.fields[1];
    ++checked;
  }
  ReportRowsChecked("jaro_winkler.csv", checked);
  EXPECT_GT(checked, 0);
}

TEST(SimilarityTest, JellyfishJaroWinklerLongToleranceVectors) {
  JaroWinklerOptions options;
  options.long_tolerance = true;
  int checked = 0;
  for (const auto& row : ReadCsv("jaro_winkler_longtol.csv", /*has_header=*/false, 3)) {
    EXPECT_LT(std::abs(JaroWinklerSimilarity(row.fields[0], row.fields[1], options) -
                       ParseExpected(row.fields[2])),
              kTolerance)
        << "line " << row.line << ": " << row.fields[0] << " / " << row.fields[1];
    ++checked;
  }
  ReportRowsChecked("jaro_winkler_longtol.csv", checked);
  EXPECT_GT(checked, 0);
}

TEST(SimilarityTest, JellyfishDamerauLevenshteinVectors) {
  int checked = 0;
  for (const auto& row : ReadCsv("damerau_levenshtein.csv", /*has_header=*/false, 3)) {
    EXPECT_EQ(DamerauLevenshteinDistance(row.fields[0], row.fields[1]), std::stoi(row.fields[2]))
        << "line " << row.line << ": " << row.fields[0] << " / " << row.fields[1];
    ++checked;
  }
  ReportRowsChecked("damerau_levenshtein.csv", checked);
  EXPECT_GT(checked, 0);
}

TEST(SimilarityTest, JellyfishLevenshteinVectors) {
  int checked = 0;
  for (const auto& row : ReadCsv("levenshtein.csv", /*has_header=*/false, 3)) {
    EXPECT_EQ(LevenshteinDistance(row.fields[0], row.fields[1]), std::stoi(row.fields[2]))
        << "line " << row.line << ": " << row.fields[0] << " / " << row.fields[1];
    ++checked;
  }
  ReportRowsChecked("levenshtein.csv", checked);
  EXPECT_GT(checked, 0);
}

// The plain levenshtein rows of PostgreSQL fuzzystrmatch's expected output
// (double_metaphone_test.cc checks that no other function goes unchecked).
TEST(SimilarityTest, PostgresLevenshteinVectors) {
  int checked = 0;
  for (const auto& row : ReadCsv("pg_fuzzystrmatch_expected.csv", /*has_header=*/true, 4)) {
    if (row.fields[0] != "levenshtein") continue;
    EXPECT_EQ(LevenshteinDistance(row.fields[1], row.fields[2]), std::stoi(row.fields[3]))
        << "line " << row.line;
    ++checked;
  }
  ReportRowsChecked("pg_fuzzystrmatch_expected.csv (levenshtein)", checked);
  EXPECT_EQ(checked, 1);
}

TEST(SimilarityTest, LongToleranceChangesLongStrings) {
  JaroWinklerOptions long_tolerance;
  long_tolerance.long_tolerance = true;
  // jellyfish's own test of these two strings expects 0.975 and 0.984
  // (truncated) within 0.001.
  EXPECT_NEAR(JaroWinklerSimilarity("two long strings", "two long stringz"), 0.975, 1e-12);
  EXPECT_NEAR(JaroWinklerSimilarity("two long strings", "two long stringz", long_tolerance),
              0.975 + 0.025 * 10 / 26, 1e-12);
  EXPECT_NEAR(JaroWinklerSimilarity("William", "Williams", long_tolerance), 0.975 + 0.025 * 2 / 9,
              1e-12);
  // Strings of 4 characters or fewer are left alone.
  EXPECT_EQ(JaroWinklerSimilarity("abcd", "abce", long_tolerance),
            JaroWinklerSimilarity("abcd", "abce"));
}

TEST(SimilarityTest, DamerauLevenshteinIsUnrestricted) {
  // Optimal string alignment would give 3: it cannot edit a transposed pair.
  EXPECT_EQ(DamerauLevenshteinDistance("ca", "abc"), 2);
  EXPECT_EQ(LevenshteinDistance("ca", "abc"), 3);
  EXPECT_EQ(DamerauLevenshteinDistance("abcdef", "abcfed"), 2);
  EXPECT_EQ(DamerauLevenshteinDistance("ab", "ba"), 1);
  EXPECT_EQ(LevenshteinDistance("ab", "ba"), 2);
}

TEST(SimilarityTest, CodePointsNotBytes) {
  EXPECT_EQ(LevenshteinDistance("García", "Garcia"), 1);
  EXPECT_EQ(DamerauLevenshteinDistance("Núñez", "Nuñez"), 1);
  EXPECT_EQ(DamerauLevenshteinDistance("王秀英", "王英秀"), 1);
  EXPECT_DOUBLE_EQ(JaroSimilarity("Щербакова", "Щербакова"), 1.0);
  EXPECT_NEAR(JaroSimilarity("é", "e"), 0.0, 1e-12);
}

TEST(SimilarityTest, EmptyStrings) {
  EXPECT_EQ(JaroSimilarity("", ""), 0.0);
  EXPECT_EQ(JaroWinklerSimilarity("", "abc"), 0.0);
  EXPECT_EQ(LevenshteinDistance("", ""), 0);
  EXPECT_EQ(DamerauLevenshteinDistance("", "ab"), 2);
}

TEST(SimilarityTest, WinklerBoostNeedsThreshold) {
  // Jaro("abcxyz", "abcuvw") = 0.667 is below 0.7: no prefix boost.
  EXPECT_NEAR(JaroSimilarity("abcxyz", "abcuvw"), 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(JaroWinklerSimilarity("abcxyz", "abcuvw"), 2.0 / 3.0, 1e-12);
  JaroWinklerOptions always;
  always.boost_threshold = 0;
  EXPECT_NEAR(JaroWinklerSimilarity("abcxyz", "abcuvw", always), 2.0 / 3.0 + 0.3 * (1.0 / 3.0),
              1e-12);
}

TEST(SimilarityTest, IllFormedUtf8IsReplacementCharacters) {
  EXPECT_EQ(LevenshteinDistance("a\xff", "a\xfe"), 0);  // both U+FFFD
  EXPECT_EQ(LevenshteinDistance("a\xff\xfe", "a"), 2);
  EXPECT_GE(JaroWinklerSimilarity("\xc3", "\xc3\xa9"), 0.0);
}

}  // namespace
}  // namespace vigil::text
