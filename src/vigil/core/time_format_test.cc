#include "vigil/core/time_format.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

TEST(Rfc3339, ParsesUtcAndOffsets) {
  auto z = ParseRfc3339("2026-11-01T14:03:00Z");
  ASSERT_TRUE(z) << z.error().message();
  EXPECT_EQ(FormatRfc3339(*z), "2026-11-01T14:03:00Z");
  auto offset = ParseRfc3339("2026-11-01T09:03:00-05:00");
  ASSERT_TRUE(offset);
  EXPECT_EQ(*offset, *z);
  auto frac = ParseRfc3339("2026-11-01t14:03:00.25z");
  ASSERT_TRUE(frac);
  EXPECT_EQ(FormatRfc3339(*frac), "2026-11-01T14:03:00.25Z");
  EXPECT_EQ(ToUnixMicros(*ParseRfc3339("1970-01-01T00:00:00Z")), 0);
  EXPECT_EQ(FormatRfc3339(*ParseRfc3339("2024-02-29T23:59:60Z")), "2024-02-29T23:59:59Z");
}

TEST(Rfc3339, RejectsWithReason) {
  for (const char* bad :
       {"", "2026-11-01", "2026-11-01T14:03:00", "2026-11-01 14:03:00Z", "2026-13-01T00:00:00Z",
        "2026-02-29T00:00:00Z", "2026-11-01T24:00:00Z", "2026-11-01T14:60:00Z",
        "2026-11-01T14:03:00+5:00", "2026-11-01T14:03:00.Z", "2026-11-01T14:03:00Zjunk",
        "1700-01-01T00:00:00Z", "2026/11/01T14:03:00Z", "20261101T140300Z"}) {
    auto r = ParseRfc3339(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(r.error().message().find("RFC 3339"), std::string::npos);
  }
}

TEST(PartialDate, ParsesAllPrecisions) {
  EXPECT_EQ(ParsePartialDate("1990")->ToString(), "1990");
  EXPECT_EQ(ParsePartialDate("1990-04")->ToString(), "1990-04");
  auto full = ParsePartialDate("1990-04-12");
  ASSERT_TRUE(full);
  EXPECT_TRUE(full->is_complete());
  EXPECT_EQ(full->ToString(), "1990-04-12");
  EXPECT_TRUE(ParsePartialDate("2000-02-29"));
}

TEST(PartialDate, RejectsImpossibleDates) {
  for (const char* bad : {"", "90", "1990-4", "1990-04-1", "1990-00", "1990-13", "1990-02-30",
                          "1900-02-29", "1799", "19900412", "1990-04-12T00:00:00Z", "abcd"}) {
    EXPECT_FALSE(ParsePartialDate(bad)) << bad;
  }
}

}  // namespace
}  // namespace vigil
