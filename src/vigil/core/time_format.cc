#include "vigil/core/time_format.h"

#include <cstdio>

namespace vigil {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `n` digits at `pos`; returns -1 if they are not all digits.
int ReadDigits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return -1;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!IsDigit(s[i])) return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

}  // namespace

Result<Timestamp> ParseRfc3339(std::string_view s) {
  auto bad = [&](std::string_view why) {
    return InvalidArgument(std::string("not an RFC 3339 date-time (") + std::string(why) + ")");
  };
  // YYYY-MM-DDTHH:MM:SS
  if (s.size() < 20) return bad("too short");
  int y = ReadDigits(s, 0, 4), mo = ReadDigits(s, 5, 2), d = ReadDigits(s, 8, 2);
  int h = ReadDigits(s, 11, 2), mi = ReadDigits(s, 14, 2), se = ReadDigits(s, 17, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || se < 0 || s[4] != '-' || s[7] != '-' ||
      (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':') {
    return bad("expected YYYY-MM-DDTHH:MM:SS");
  }
  std::chrono::year_month_day ymd{year(y), month(static_cast<unsigned>(mo)),
                                  day(static_cast<unsigned>(d))};
  if (y < 1800 || !ymd.ok()) return bad("no such calendar date");
  // RFC 3339 allows a leap second (60); we fold it into the preceding second.
  if (h > 23 || mi > 59 || se > 60) return bad("time of day out of range");
  if (se == 60) se = 59;
  size_t pos = 19;
  int64_t micros = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    size_t start = pos;
    int64_t scale = 100000;
    while (pos < s.size() && IsDigit(s[pos])) {
      micros += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return bad("empty fraction of a second");
    if (pos - start > 9) return bad("fraction of a second longer than nanoseconds");
  }
  if (pos >= s.size()) return bad("missing UTC offset (Z or +hh:mm)");
  int offset_minutes = 0;
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    int oh = ReadDigits(s, pos + 1, 2), om = ReadDigits(s, pos + 4, 2);
    if (oh < 0 || om < 0 || s.size() < pos + 6 || s[pos + 3] != ':' || oh > 23 || om > 59) {
      return bad("malformed UTC offset");
    }
    offset_minutes = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return bad("missing UTC offset (Z or +hh:mm)");
  }
  if (pos != s.size()) return bad("trailing characters");
  auto t = std::chrono::sys_days(ymd) + std::chrono::hours(h) + std::chrono::minutes(mi) +
           std::chrono::seconds(se) - std::chrono::minutes(offset_minutes);
  return Timestamp(std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()) +
                   std::chrono::microseconds(micros));
}

std::string FormatRfc3339(Timestamp t) {
  auto days = std::chrono::floor<std::chrono::days>(t);
  std::chrono::year_month_day ymd(days);
  auto in_day = t - days;
  auto h = std::chrono::duration_cast<std::chrono::hours>(in_day);
  auto m = std::chrono::duration_cast<std::chrono::minutes>(in_day - h);
  auto s = std::chrono::duration_cast<std::chrono::seconds>(in_day - h - m);
  auto us = (in_day - h - m - s).count();
  char buf[48];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02lld",
                        static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                        static_cast<unsigned>(ymd.day()), static_cast<int>(h.count()),
                        static_cast<int>(m.count()), static_cast<long long>(s.count()));
  std::string out(buf, n);
  if (us != 0) {
    std::snprintf(buf, sizeof buf, ".%06lld", static_cast<long long>(us));
    std::string frac(buf);
    while (frac.back() == '0') frac.pop_back();
    out += frac;
  }
  out += 'Z';
  return out;
}

std::string PartialDate::ToString() const {
  // Hot in bulk import: no printf.
  auto digits = [](std::string& out, int value, int width) {
    char buf[4];
    for (int i = width - 1; i >= 0; --i) {
      buf[i] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
    out.append(buf, static_cast<size_t>(width));
  };
  std::string out;
  out.reserve(10);
  digits(out, year, 4);
  if (month != 0) {
    out += '-';
    digits(out, month, 2);
    if (day != 0) {
      out += '-';
      digits(out, day, 2);
    }
  }
  return out;
}

Result<PartialDate> ParsePartialDate(std::string_view s) {
  auto bad = [&](std::string_view why) {
    return InvalidArgument(std::string("not a date YYYY, YYYY-MM or YYYY-MM-DD (") +
                           std::string(why) + ")");
  };
  if (s.size() != 4 && s.size() != 7 && s.size() != 10) return bad("wrong length");
  PartialDate d;
  d.year = ReadDigits(s, 0, 4);
  if (d.year < 0) return bad("year is not four digits");
  if (d.year < 1800) return bad("year before 1800");
  if (s.size() >= 7) {
    if (s[4] != '-') return bad("expected '-' after the year");
    d.month = ReadDigits(s, 5, 2);
    if (d.month < 1 || d.month > 12) return bad("month out of range");
  }
  if (s.size() == 10) {
    if (s[7] != '-') return bad("expected '-' after the month");
    d.day = ReadDigits(s, 8, 2);
    std::chrono::year_month_day ymd{year(d.year), month(static_cast<unsigned>(d.month)),
                                    day(static_cast<unsigned>(d.day < 0 ? 0 : d.day))};
    if (d.day < 1 || !ymd.ok()) return bad("no such calendar date");
  }
  return d;
}

std::chrono::year_month_day UtcDay(Timestamp t) {
  return std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(t));
}

}  // namespace vigil
