#include "vigil/core/identifiers.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

struct ANumberCase {
  const char* input;
  const char* digits;  // nullptr: must be rejected
};

class ANumberTest : public testing::TestWithParam<ANumberCase> {};

TEST_P(ANumberTest, ParsesOrRejects) {
  const ANumberCase& c = GetParam();
  auto parsed = ANumber::Parse(c.input);
  if (c.digits == nullptr) {
    ASSERT_FALSE(parsed.has_value()) << c.input << " -> " << parsed->digits();
    EXPECT_EQ(parsed.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(parsed.error().message().find("A-number"), std::string::npos);
  } else {
    ASSERT_TRUE(parsed.has_value()) << c.input << ": " << parsed.error().message();
    EXPECT_EQ(parsed->digits(), c.digits);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Forms, ANumberTest,
    testing::Values(ANumberCase{"A012345678", "012345678"}, ANumberCase{"a012345678", "012345678"},
                    ANumberCase{"A-012-345-678", "012345678"},
                    ANumberCase{"012-345-678", "012345678"}, ANumberCase{"012345678", "012345678"},
                    ANumberCase{"12345678", "012345678"}, ANumberCase{"A12345678", "012345678"},
                    ANumberCase{"A-12-345-678", "012345678"}, ANumberCase{"987654321", "987654321"},
                    ANumberCase{"", nullptr}, ANumberCase{"A", nullptr},
                    ANumberCase{"1234567", nullptr}, ANumberCase{"1234567890", nullptr},
                    ANumberCase{"A0123-45678", nullptr}, ANumberCase{"A 012345678", nullptr},
                    ANumberCase{"B012345678", nullptr}, ANumberCase{"01234567x", nullptr},
                    ANumberCase{"000000000", nullptr}, ANumberCase{"A--012345678", nullptr},
                    ANumberCase{"012-345678", nullptr}, ANumberCase{"０12345678", nullptr}));

TEST(ANumberTyped, EveryWayOfTypingTheSameDigitsIsOneNumber) {
  for (const char* typed : {"A 012 345 678", "A#012345678", "a-012345678", "A.012.345.678",
                            "  A012345678 ", "a 012-345-678", "A: 12345678", "12 345 678",
                            "\xEF\xBC\x90"
                            "12345678",
                            "A-012-345-678"}) {
    auto a = ANumber::ParseTyped(typed);
    ASSERT_TRUE(a) << typed << ": " << a.error().message();
    EXPECT_EQ(a->digits(), "012345678") << typed;
  }
  for (const char* bad : {"", "A", "B012345678", "AA012345678", "012345678A", "1234567",
                          "A 012 345 6789", "01234567x", "000 000 000", "A O12345678"}) {
    auto a = ANumber::ParseTyped(bad);
    ASSERT_FALSE(a) << bad;
    EXPECT_NE(a.error().message().find("A-number"), std::string::npos) << bad;
  }
  EXPECT_FALSE(ANumber::Parse("A 012345678")) << "feeds stay strict";
}

TEST(CountryCode, AcceptsAssignedCodesInEitherCase) {
  EXPECT_EQ(ParseCountryCode("MX").value(), "MX");
  EXPECT_EQ(ParseCountryCode("gt").value(), "GT");
  EXPECT_EQ(ParseCountryCode("Sv").value(), "SV");
}

TEST(CountryCode, RejectsUnassignedAndMalformed) {
  for (const char* bad : {"", "M", "MEX", "XX", "UK", "ZZ", "1A", "M "}) {
    auto r = ParseCountryCode(bad);
    EXPECT_FALSE(r.has_value()) << bad;
  }
}

TEST(UsStateCode, AcceptsStatesAndTerritories) {
  for (const char* ok : {"CA", "tx", "DC", "PR", "GU"}) EXPECT_TRUE(ParseUsStateCode(ok)) << ok;
  for (const char* bad : {"", "XX", "California", "C"}) EXPECT_FALSE(ParseUsStateCode(bad)) << bad;
}

TEST(E164, AcceptsOnlyPlusAndDigits) {
  EXPECT_TRUE(ParseE164("+17605550100"));
  EXPECT_TRUE(ParseE164("+5215512345678"));
  for (const char* bad :
       {"", "17605550100", "+0123456789", "+1 760 555 0100", "+1760", "+12345678901234567"}) {
    EXPECT_FALSE(ParseE164(bad)) << bad;
  }
}

}  // namespace
}  // namespace vigil
