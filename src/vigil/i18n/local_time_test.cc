#include "vigil/i18n/local_time.h"

#include <gtest/gtest.h>

#include "vigil/core/time_format.h"

namespace vigil::i18n {
namespace {

Timestamp At(const char* rfc3339) { return *ParseRfc3339(rfc3339); }

TEST(LocalTime, TimesAreInTheFacilitysZoneWithItsAbbreviation) {
  // 02:30 UTC on 2 November is still the evening of 1 November in Texas.
  Timestamp t = At("2026-11-02T02:30:00Z");
  EXPECT_EQ(FormatLocalDateTime("en", t, "America/Chicago"), "November 1, 2026, 8:30 PM CST");
  EXPECT_EQ(FormatLocalDateTime("en", t, "America/Los_Angeles"), "November 1, 2026, 6:30 PM PST");
  EXPECT_EQ(FormatLocalDateTime("en", At("2026-07-01T16:00:00Z"), "America/New_York"),
            "July 1, 2026, 12:00 PM EDT");
  EXPECT_EQ(FormatLocalDateTime("en", t, ""), "November 2, 2026, 2:30 AM UTC");
  std::string es = FormatLocalDateTime("es", t, "America/Chicago");
  EXPECT_NE(es.find("1 de noviembre de 2026"), std::string::npos) << es;
  EXPECT_EQ(es, "1 de noviembre de 2026, 20:30 CST");
  EXPECT_EQ(FormatLocalDateTime("ar", t, "America/Chicago").find("٢"), std::string::npos)
      << "Arabic pages write Western digits, as their A-numbers and phone numbers";
  EXPECT_EQ(LocalDay(t, "America/Chicago"), std::chrono::year{2026} / 11 / 1);
  EXPECT_EQ(LocalDay(t, "UTC"), std::chrono::year{2026} / 11 / 2);
}

TEST(LocalTime, DatesAreWrittenAsEachLanguageWritesThem) {
  auto day = std::chrono::year{2026} / 11 / 1;
  EXPECT_EQ(FormatLocalDate("en", day), "November 1, 2026");
  EXPECT_EQ(FormatLocalDate("es", day), "1 de noviembre de 2026");
  EXPECT_EQ(FormatLocalDate("fr", day), "1 novembre 2026");
  EXPECT_EQ(FormatLocalDate("zh-Hans", day), "2026年11月1日");
  EXPECT_EQ(FormatLocalDate("pt", day), "1 de novembro de 2026");
}

TEST(LocalTime, WaitsAreSaidInWords) {
  using std::chrono::seconds;
  EXPECT_EQ(WaitInWords("en", seconds(715)), "about 12 minutes");
  EXPECT_EQ(WaitInWords("en", seconds(5)), "about 1 minute");
  EXPECT_EQ(WaitInWords("en", seconds(3540)), "about 59 minutes");
  EXPECT_EQ(WaitInWords("en", seconds(3600)), "about 1 hour");
  EXPECT_EQ(WaitInWords("en", seconds(3601)), "about 2 hours");
  EXPECT_EQ(WaitInWords("en", seconds(0)), "about 1 minute");
  // Plural forms come from ICU: Russian has three.
  EXPECT_NE(WaitInWords("ru", seconds(120)).find("2 минуты"), std::string::npos);
  EXPECT_NE(WaitInWords("ru", seconds(300)).find("5 минут"), std::string::npos);
}

TEST(LocalTime, ZonesAreIanaNamesAndStatesHaveDefaults) {
  EXPECT_TRUE(IsTimeZone("America/Chicago"));
  EXPECT_TRUE(IsTimeZone("America/Indiana/Indianapolis"));
  EXPECT_FALSE(IsTimeZone("America/Chicgo"));
  EXPECT_FALSE(IsTimeZone("GMT+5"));
  EXPECT_FALSE(IsTimeZone("EST5"));
  EXPECT_FALSE(IsTimeZone(""));
  EXPECT_EQ(TimeZoneOfState("TX"), "America/Chicago");
  EXPECT_EQ(TimeZoneOfState("AZ"), "America/Phoenix");
  EXPECT_EQ(TimeZoneOfState("PR"), "America/Puerto_Rico");
  EXPECT_EQ(TimeZoneOfState("ZZ"), "");
  for (const char* state : {"AK", "AL", "CA", "DC", "FL", "GU", "HI", "NY", "VI", "WY"}) {
    EXPECT_TRUE(IsTimeZone(TimeZoneOfState(state))) << state;
  }
}

}  // namespace
}  // namespace vigil::i18n
