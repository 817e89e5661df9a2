#include "vigil/i18n/local_time.h"

#include <unicode/datefmt.h>
#include <unicode/measfmt.h>
#include <unicode/measunit.h>
#include <unicode/measure.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>

#include <algorithm>
#include <array>
#include <memory>

#include "vigil/i18n/catalogue.h"

namespace vigil::i18n {
namespace {

// UTF-8, with the narrow no-break spaces ICU puts in "8:30 PM" made plain
// spaces: a text message with one could not be sent in the GSM alphabet.
std::string ToUtf8(const icu::UnicodeString& s) {
  icu::UnicodeString plain(s);
  plain.findAndReplace(icu::UnicodeString(static_cast<UChar>(0x202F)), icu::UnicodeString(" "));
  std::string out;
  plain.toUTF8String(out);
  return out;
}

// The zone `name` names, or UTC for "" and names ICU does not know.
std::unique_ptr<icu::TimeZone> ZoneOrUtc(std::string_view name) {
  if (!name.empty() && IsTimeZone(name)) {
    return std::unique_ptr<icu::TimeZone>(icu::TimeZone::createTimeZone(
        icu::UnicodeString::fromUTF8(icu::StringPiece(name.data(), name.size()))));
  }
  return std::unique_ptr<icu::TimeZone>(icu::TimeZone::createTimeZone("Etc/UTC"));
}

// `t` formatted with the ICU skeleton (or, with `pattern`, the pattern) in `zone`.
std::string Format(std::string_view language, UDate when, const icu::TimeZone& zone,
                   const char* skeleton, bool pattern = false) {
  UErrorCode status = U_ZERO_ERROR;
  icu::Locale locale = IcuLocale(language);
  std::unique_ptr<icu::DateFormat> format;
  if (pattern) {
    format = std::make_unique<icu::SimpleDateFormat>(icu::UnicodeString(skeleton), locale, status);
  } else {
    format.reset(
        icu::DateFormat::createInstanceForSkeleton(icu::UnicodeString(skeleton), locale, status));
  }
  if (U_FAILURE(status) || !format) return "";
  format->setTimeZone(zone);
  icu::UnicodeString out;
  format->format(when, out);
  return ToUtf8(out);
}

UDate ToUDate(Timestamp t) {
  return static_cast<UDate>(
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count());
}

struct StateZone {
  std::string_view state, zone;
};

// Where a state spans zones, the zone of most of its people (and of most
// detention facilities there); a feed names the zone when it differs.
constexpr std::array<StateZone, 56> kStateZones = {{
    {"AK", "America/Anchorage"},   {"AL", "America/Chicago"},
    {"AR", "America/Chicago"},     {"AS", "Pacific/Pago_Pago"},
    {"AZ", "America/Phoenix"},     {"CA", "America/Los_Angeles"},
    {"CO", "America/Denver"},      {"CT", "America/New_York"},
    {"DC", "America/New_York"},    {"DE", "America/New_York"},
    {"FL", "America/New_York"},    {"GA", "America/New_York"},
    {"GU", "Pacific/Guam"},        {"HI", "Pacific/Honolulu"},
    {"IA", "America/Chicago"},     {"ID", "America/Boise"},
    {"IL", "America/Chicago"},     {"IN", "America/Indiana/Indianapolis"},
    {"KS", "America/Chicago"},     {"KY", "America/New_York"},
    {"LA", "America/Chicago"},     {"MA", "America/New_York"},
    {"MD", "America/New_York"},    {"ME", "America/New_York"},
    {"MI", "America/Detroit"},     {"MN", "America/Chicago"},
    {"MO", "America/Chicago"},     {"MP", "Pacific/Saipan"},
    {"MS", "America/Chicago"},     {"MT", "America/Denver"},
    {"NC", "America/New_York"},    {"ND", "America/Chicago"},
    {"NE", "America/Chicago"},     {"NH", "America/New_York"},
    {"NJ", "America/New_York"},    {"NM", "America/Denver"},
    {"NV", "America/Los_Angeles"}, {"NY", "America/New_York"},
    {"OH", "America/New_York"},    {"OK", "America/Chicago"},
    {"OR", "America/Los_Angeles"}, {"PA", "America/New_York"},
    {"PR", "America/Puerto_Rico"}, {"RI", "America/New_York"},
    {"SC", "America/New_York"},    {"SD", "America/Chicago"},
    {"TN", "America/Chicago"},     {"TX", "America/Chicago"},
    {"UT", "America/Denver"},      {"VA", "America/New_York"},
    {"VI", "America/St_Thomas"},   {"VT", "America/New_York"},
    {"WA", "America/Los_Angeles"}, {"WI", "America/Chicago"},
    {"WV", "America/New_York"},    {"WY", "America/Denver"},
}};

}  // namespace

icu::Locale IcuLocale(std::string_view language) {
  // Latin American Spanish: the Spanish of the people vigil serves.
  if (language == "es") return icu::Locale("es", "419");
  if (language == "en") return icu::Locale("en", "US");
  // Western digits, as on the rest of the page (A-numbers, phone numbers).
  if (language == "ar") return icu::Locale("ar", "", "", "numbers=latn");
  UErrorCode status = U_ZERO_ERROR;
  icu::Locale locale =
      icu::Locale::forLanguageTag(icu::StringPiece(language.data(), language.size()), status);
  return U_SUCCESS(status) ? locale : icu::Locale("en", "US");
}

std::string FormatLocalDate(std::string_view language, std::chrono::year_month_day day) {
  // Noon UTC of the day, formatted in UTC: the day itself, whatever the zone.
  auto noon = std::chrono::sys_days(day) + std::chrono::hours(12);
  return Format(language, ToUDate(std::chrono::time_point_cast<std::chrono::microseconds>(noon)),
                *icu::TimeZone::getGMT(), "yMMMMd");
}

std::string FormatLocalDateTime(std::string_view language, Timestamp t,
                                std::string_view time_zone) {
  std::unique_ptr<icu::TimeZone> zone = ZoneOrUtc(time_zone);
  UDate when = ToUDate(t);
  return FillTemplate(BuiltInCatalogue(language).Get("page.date_time"),
                      {{"date", Format(language, when, *zone, "yMMMMd")},
                       {"time", Format(language, when, *zone, "jmm")},
                       // The zone as the facility and its papers name it, in
                       // every language: "EST", "PDT", "HST" (ICU gives most
                       // other locales only "GMT-5").
                       {"zone", Format("en", when, *zone, "z", /*pattern=*/true)}});
}

std::chrono::year_month_day LocalDay(Timestamp t, std::string_view time_zone) {
  std::unique_ptr<icu::TimeZone> zone = ZoneOrUtc(time_zone);
  int32_t raw = 0, dst = 0;
  UErrorCode status = U_ZERO_ERROR;
  zone->getOffset(ToUDate(t), /*local=*/false, raw, dst, status);
  if (U_FAILURE(status)) raw = dst = 0;
  auto local = t + std::chrono::milliseconds(raw + dst);
  return std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(local));
}

std::string WaitInWords(std::string_view language, std::chrono::seconds wait) {
  using std::chrono::ceil;
  long long minutes = std::max<long long>(1, ceil<std::chrono::minutes>(wait).count());
  UErrorCode status = U_ZERO_ERROR;
  icu::MeasureUnit* unit = nullptr;
  long long amount = minutes;
  if (minutes < 60) {
    unit = icu::MeasureUnit::createMinute(status);
  } else {
    amount = ceil<std::chrono::hours>(wait).count();
    unit = icu::MeasureUnit::createHour(status);
  }
  icu::MeasureFormat format(IcuLocale(language), UMEASFMT_WIDTH_WIDE, status);
  icu::Measure measure(icu::Formattable(static_cast<int64_t>(amount)), unit, status);
  icu::UnicodeString out;
  icu::FieldPosition pos;
  format.formatMeasures(&measure, 1, out, pos, status);
  std::string duration = U_SUCCESS(status) ? ToUtf8(out) : std::to_string(amount);
  return FillTemplate(BuiltInCatalogue(language).Get("page.about_wait"), {{"duration", duration}});
}

bool IsTimeZone(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString canonical;
  UBool system = false;
  icu::TimeZone::getCanonicalID(
      icu::UnicodeString::fromUTF8(icu::StringPiece(name.data(), name.size())), canonical, system,
      status);
  // ICU also reads custom "GMT+5" forms; a facility names a real zone.
  return U_SUCCESS(status) && system && name.find('/') != std::string_view::npos;
}

std::string_view TimeZoneOfState(std::string_view state) {
  for (const StateZone& s : kStateZones) {
    if (s.state == state) return s.zone;
  }
  return "";
}

}  // namespace vigil::i18n
