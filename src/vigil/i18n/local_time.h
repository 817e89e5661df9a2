// Dates, times and waits as a person reads them, in their language and in
// the time zone of the place they concern (DESIGN.md §7): a facility's
// custody times in that facility's IANA zone with its abbreviation
// ("9:03 AM EST"), a date-only value as a date, and waits in words ("about
// 12 minutes"). ICU's locale data does the grammar (month names, plural
// forms, 12- or 24-hour clocks) for every built-in language.
//
// Thread safety: every function may be called from any thread.
#ifndef VIGIL_I18N_LOCAL_TIME_H_
#define VIGIL_I18N_LOCAL_TIME_H_

#include <unicode/locid.h>

#include <chrono>
#include <string>
#include <string_view>

#include "vigil/core/clock.h"

namespace vigil::i18n {

// The ICU locale of a built-in language: "es" is Latin American Spanish
// (es-419), "en" is en-US, "zh-Hans" Simplified Chinese, and so on.
icu::Locale IcuLocale(std::string_view language);

// "November 1, 2026"; "1 de noviembre de 2026"; "2026年11月1日".
std::string FormatLocalDate(std::string_view language, std::chrono::year_month_day day);

// `t` in `time_zone` (an IANA name such as "America/Chicago"; "" or an
// unknown name means UTC), through the catalogue's page.date_time:
// "November 1, 2026, 9:03 AM CST".
std::string FormatLocalDateTime(std::string_view language, Timestamp t, std::string_view time_zone);

// The calendar day of `t` in `time_zone`.
std::chrono::year_month_day LocalDay(Timestamp t, std::string_view time_zone);

// A wait rounded up to whole minutes (below an hour) or hours, in words,
// through the catalogue's page.about_wait: "about 12 minutes", "about 2 hours".
std::string WaitInWords(std::string_view language, std::chrono::seconds wait);

// True if `name` is a canonical IANA zone ICU knows ("America/New_York").
bool IsTimeZone(std::string_view name);

// The zone most of a US state or territory keeps (USPS code): "TX" ->
// "America/Chicago", "AZ" -> "America/Phoenix". "" for an unknown code.
std::string_view TimeZoneOfState(std::string_view state);

}  // namespace vigil::i18n

#endif  // VIGIL_I18N_LOCAL_TIME_H_
