// Parsing and formatting of the time and date forms that feeds carry:
// RFC 3339 timestamps and ISO 8601 calendar dates, possibly partial
// ("1990", "1990-04", "1990-04-12"). Errors say why, never repeat the value
// (it may be a date of birth). Pure functions; thread-safe.
#ifndef VIGIL_CORE_TIME_FORMAT_H_
#define VIGIL_CORE_TIME_FORMAT_H_

#include <chrono>
#include <compare>
#include <string>
#include <string_view>

#include "vigil/core/clock.h"
#include "vigil/core/error.h"

namespace vigil {

// Parses an RFC 3339 date-time ("2026-11-01T14:03:00Z", "2026-11-01T09:03:00.5-05:00").
// A UTC offset is required. Returns kInvalidArgument with the reason otherwise.
Result<Timestamp> ParseRfc3339(std::string_view text);

// Formats as "2026-11-01T14:03:00Z" (fractional seconds only when non-zero).
std::string FormatRfc3339(Timestamp t);

// A calendar date of which only the year, or year and month, may be known.
struct PartialDate {
  int year = 0;
  int month = 0;  // 1-12, or 0 when unknown
  int day = 0;    // 1-31, or 0 when unknown (then month may still be known)

  bool is_complete() const { return month != 0 && day != 0; }
  // "1990", "1990-04" or "1990-04-12".
  std::string ToString() const;
  auto operator<=>(const PartialDate&) const = default;
};

// Parses "YYYY", "YYYY-MM" or "YYYY-MM-DD" (a real calendar date, year 1800-9999).
Result<PartialDate> ParsePartialDate(std::string_view text);

// The UTC calendar day of `t`.
std::chrono::year_month_day UtcDay(Timestamp t);

}  // namespace vigil

#endif  // VIGIL_CORE_TIME_FORMAT_H_
