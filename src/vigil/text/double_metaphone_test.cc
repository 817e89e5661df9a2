#include "vigil/text/double_metaphone.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "vigil/text/detail/name_vectors_test_util.h"

namespace vigil::text {
namespace {

using testing::ReadCsv;
using testing::ReportRowsChecked;

// Every row of commons-codec's DoubleMetaphone2Test data (1,221 names), which
// PostgreSQL 15's dmetaphone()/dmetaphone_alt() also reproduce exactly.
TEST(DoubleMetaphoneTest, CommonsCodecVectors) {
  const auto rows = ReadCsv("double_metaphone_commons_codec.csv", /*has_header=*/true, 3);
  int checked = 0;
  for (const auto& row : rows) {
    const std::string& name = row.fields[0];
    const DoubleMetaphoneCode code = DoubleMetaphone(name);
    EXPECT_EQ(code.primary, row.fields[1]) << "line " << row.line << ": " << name;
    EXPECT_EQ(code.alternate, row.fields[2]) << "line " << row.line << ": " << name;
    ++checked;
  }
  ReportRowsChecked("double_metaphone_commons_codec.csv", checked);
  EXPECT_EQ(checked, 1221);
}

// PostgreSQL fuzzystrmatch's expected output: the dmetaphone rows here, the
// levenshtein row in similarity_test.cc. Functions vigil does not implement
// are listed so that a new function in the file fails this test instead of
// being skipped.
TEST(DoubleMetaphoneTest, PostgresFuzzystrmatchVectors) {
  const std::set<std::string> not_implemented = {
      "soundex",
      "difference",
      "metaphone(max=4)",
      "daitch_mokotoff",
      "levenshtein(ins=2,del=1,sub=1)",
      "levenshtein_less_equal(max=2)",
      "levenshtein_less_equal(max=4)",
  };
  const std::set<std::string> elsewhere = {"levenshtein"};
  const auto rows = ReadCsv("pg_fuzzystrmatch_expected.csv", /*has_header=*/true, 4);
  int checked = 0;
  for (const auto& row : rows) {
    const std::string& function = row.fields[0];
    if (function == "dmetaphone") {
      EXPECT_EQ(DoubleMetaphone(row.fields[1]).primary, row.fields[3]) << "line " << row.line;
      ++checked;
    } else if (function == "dmetaphone_alt") {
      EXPECT_EQ(DoubleMetaphone(row.fields[1]).alternate, row.fields[3]) << "line " << row.line;
      ++checked;
    } else {
      EXPECT_TRUE(not_implemented.contains(function) || elsewhere.contains(function))
          << "line " << row.line << ": unexpected function " << function;
    }
  }
  ReportRowsChecked("pg_fuzzystrmatch_expected.csv (dmetaphone, dmetaphone_alt)", checked);
  EXPECT_EQ(checked, 2);
}

TEST(DoubleMetaphoneTest, PrimaryAndAlternateDiffer) {
  EXPECT_EQ(DoubleMetaphone("Schmidt"), (DoubleMetaphoneCode{"XMT", "SMT"}));
  EXPECT_EQ(DoubleMetaphone("Smith"), (DoubleMetaphoneCode{"SM0", "XMT"}));
  EXPECT_EQ(DoubleMetaphone("Thompson"), (DoubleMetaphoneCode{"TMPS", "TMPS"}));
  EXPECT_EQ(DoubleMetaphone("Jose"), (DoubleMetaphoneCode{"HS", "HS"}));
}

TEST(DoubleMetaphoneTest, CaseDoesNotMatter) {
  EXPECT_EQ(DoubleMetaphone("mcclellan"), DoubleMetaphone("McClellan"));
  EXPECT_EQ(DoubleMetaphone("GALLEGOS"), DoubleMetaphone("gallegos"));
}

TEST(DoubleMetaphoneTest, MaxLength) {
  EXPECT_EQ(DoubleMetaphone("Alexander").primary, "ALKS");
  EXPECT_EQ(DoubleMetaphone("Alexander", 0).primary, "ALKSNTR");
  EXPECT_EQ(DoubleMetaphone("Alexander", 6).primary, "ALKSNT");
  EXPECT_EQ(DoubleMetaphone("Alexander", 1).primary, "A");
}

TEST(DoubleMetaphoneTest, EmptyAndNonLetters) {
  EXPECT_EQ(DoubleMetaphone(""), (DoubleMetaphoneCode{"", ""}));
  EXPECT_EQ(DoubleMetaphone("   "), (DoubleMetaphoneCode{"", ""}));
  EXPECT_EQ(DoubleMetaphone("123-?"), (DoubleMetaphoneCode{"", ""}));
}

TEST(DoubleMetaphoneTest, NonAscii) {
  // Ç and Ñ have their own rules, as in the reference implementations.
  EXPECT_EQ(DoubleMetaphone("Françoise").primary, "FRNS");
  EXPECT_EQ(DoubleMetaphone("Peña").primary, "PN");
  EXPECT_EQ(DoubleMetaphone("PEÑA").primary, "PN");
  // Other non-ASCII letters take a position but code as nothing: fold first.
  EXPECT_EQ(DoubleMetaphone("Müller").primary, "MLR");
  EXPECT_EQ(DoubleMetaphone("Éric").primary, "RK");
  EXPECT_EQ(DoubleMetaphone("Eric").primary, "ARK");
  EXPECT_EQ(DoubleMetaphone("Щербакова"), (DoubleMetaphoneCode{"", ""}));
}

TEST(DoubleMetaphoneTest, IllFormedUtf8DoesNotCrash) {
  EXPECT_EQ(DoubleMetaphone("Sm\xff\xfeith").primary, "SM0");
  EXPECT_EQ(DoubleMetaphone(std::string("\xc3", 1)).primary, "");
  EXPECT_EQ(DoubleMetaphone(std::string("A\0B", 3)).primary, "AP");
}

}  // namespace
}  // namespace vigil::text
