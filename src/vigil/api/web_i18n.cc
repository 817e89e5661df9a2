#include "vigil/api/web_i18n.h"

#include <unicode/coll.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <memory>

#include "vigil/core/identifiers.h"
#include "vigil/i18n/catalogue.h"
#include "vigil/i18n/local_time.h"

namespace vigil::api {
namespace {

// The catalogue key of each message (i18n/catalogue/<language>.txt), in
// the order of the enum (checked below).
struct Key {
  Msg msg;
  std::string_view key;
};

constexpr std::array<Key, static_cast<size_t>(Msg::kCount)> kKeys = {{
    {Msg::kSiteTagline, "page.site_tagline"},
    {Msg::kSkipLink, "page.skip_link"},
    {Msg::kLanguageNav, "page.language_nav"},
    {Msg::kHomeTitle, "page.home_title"},
    {Msg::kHomeIntro, "page.home_intro"},
    {Msg::kRequiredNote, "page.required_note"},
    {Msg::kSafetyDanger, "page.safety_danger"},
    {Msg::kSafetyHotline, "page.safety_hotline"},
    {Msg::kByNameHeading, "page.by_name_heading"},
    {Msg::kGivenName, "page.given_name"},
    {Msg::kFamilyName, "page.family_name"},
    {Msg::kNameHint, "page.name_hint"},
    {Msg::kNameVariation, "page.name_variation"},
    {Msg::kCountry, "page.country"},
    {Msg::kChooseCountry, "page.choose_country"},
    {Msg::kCommonCountries, "page.common_countries"},
    {Msg::kOtherCountries, "page.other_countries"},
    {Msg::kBirthYearOptional, "page.birth_year_optional"},
    {Msg::kBirthYearHint, "page.birth_year_hint"},
    {Msg::kByNameButton, "page.by_name_button"},
    {Msg::kByANumberHeading, "page.by_a_number_heading"},
    {Msg::kANumber, "page.a_number"},
    {Msg::kANumberHint, "page.a_number_hint"},
    {Msg::kByANumberButton, "page.by_a_number_button"},
    {Msg::kResultsTitle, "page.results_title"},
    {Msg::kFoundOne, "page.found_one"},
    {Msg::kFoundMany, "page.found_many"},
    {Msg::kNoneFound, "page.none_found"},
    {Msg::kNoneFoundText, "page.none_found_text"},
    {Msg::kMostShown, "page.most_shown"},
    {Msg::kSearchAgain, "page.search_again"},
    {Msg::kBirthYear, "page.birth_year"},
    {Msg::kCountryOfBirth, "page.country_of_birth"},
    {Msg::kCustodyStatus, "page.custody_status"},
    {Msg::kCustodyBasis, "page.custody_basis"},
    {Msg::kWhere, "page.where"},
    {Msg::kPhone, "page.phone"},
    {Msg::kLastUpdate, "page.last_update"},
    {Msg::kUnknown, "page.unknown"},
    {Msg::kEscapedWarning, "page.escaped_warning"},
    {Msg::kErrorTitle, "page.error_title"},
    {Msg::kErrorSummary, "page.error_summary"},
    {Msg::kErrANumber, "page.err_a_number"},
    {Msg::kErrGivenName, "page.err_given_name"},
    {Msg::kErrFamilyName, "page.err_family_name"},
    {Msg::kErrCountry, "page.err_country"},
    {Msg::kErrBirthYear, "page.err_birth_year"},
    {Msg::kErrGeneric, "page.err_generic"},
    {Msg::kTooManyTitle, "page.too_many_title"},
    {Msg::kTooManyText, "page.too_many_text"},
    {Msg::kUnavailableTitle, "page.unavailable_title"},
    {Msg::kUnavailableText, "page.unavailable_text"},
    {Msg::kBackToSearch, "page.back_to_search"},
    {Msg::kProtectedNote, "page.protected_note"},
    {Msg::kSourceNote, "page.source_note"},
    {Msg::kGetNotices, "page.get_notices"},
    {Msg::kRegisterTitle, "page.register_title"},
    {Msg::kRegisterIntro, "page.register_intro"},
    {Msg::kHowLegend, "page.how_legend"},
    {Msg::kByEmail, "page.by_email"},
    {Msg::kByText, "page.by_text"},
    {Msg::kContact, "page.contact"},
    {Msg::kContactHint, "page.contact_hint"},
    {Msg::kMessageLanguage, "page.message_language"},
    {Msg::kRegisterButton, "page.register_button"},
    {Msg::kErrEmail, "page.err_email"},
    {Msg::kErrPhone, "page.err_phone"},
    {Msg::kErrLink, "page.err_link"},
    {Msg::kSentTitle, "page.sent_title"},
    {Msg::kSentTextEmail, "page.sent_text_email"},
    {Msg::kSentTextSms, "page.sent_text_sms"},
    {Msg::kSentTextCall, "page.sent_text_call"},
    {Msg::kEnterCode, "page.enter_code"},
    {Msg::kEnterCodeCall, "page.enter_code_call"},
    {Msg::kVerifyTitle, "page.verify_title"},
    {Msg::kVerifyText, "page.verify_text"},
    {Msg::kVerifyButton, "page.verify_button"},
    {Msg::kMobileNumber, "page.mobile_number"},
    {Msg::kCode, "page.code"},
    {Msg::kVerifiedTitle, "page.verified_title"},
    {Msg::kVerifiedText, "page.verified_text"},
    {Msg::kNotValidTitle, "page.not_valid_title"},
    {Msg::kNotValidText, "page.not_valid_text"},
    {Msg::kStopTitle, "page.stop_title"},
    {Msg::kStopText, "page.stop_text"},
    {Msg::kStoppedTitle, "page.stopped_title"},
    {Msg::kStoppedText, "page.stopped_text"},
    {Msg::kTooManyRegistrations, "page.too_many_registrations"},
    {Msg::kByCall, "page.by_call"},
    {Msg::kContactOrPhone, "page.contact_or_phone"},
    {Msg::kPin, "page.pin"},
    {Msg::kPinHint, "page.pin_hint"},
    {Msg::kErrPin, "page.err_pin"},
    {Msg::kPhoneNumber, "page.phone_number"},
    {Msg::kQuickExit, "page.quick_exit"},
    {Msg::kQuickExitHint, "page.quick_exit_hint"},
    {Msg::kSaferLink, "page.safer_link"},
    {Msg::kSaferTitle, "page.safer_title"},
    {Msg::kSaferIntro, "page.safer_intro"},
    {Msg::kSaferExitHeading, "page.safer_exit_heading"},
    {Msg::kSaferExit, "page.safer_exit"},
    {Msg::kSaferPrivateHeading, "page.safer_private_heading"},
    {Msg::kSaferPrivate, "page.safer_private"},
    {Msg::kSaferHistoryHeading, "page.safer_history_heading"},
    {Msg::kSaferHistory, "page.safer_history"},
    {Msg::kSaferSharedHeading, "page.safer_shared_heading"},
    {Msg::kSaferShared, "page.safer_shared"},
    {Msg::kSaferHelpHeading, "page.safer_help_heading"},
    {Msg::kSaferHelp911, "page.safer_help_911"},
    {Msg::kSaferHelpDv, "page.safer_help_dv"},
    {Msg::kSaferHelpTrafficking, "page.safer_help_trafficking"},
    {Msg::kSaferHelpImmigration, "page.safer_help_immigration"},
    {Msg::kNotFoundTitle, "page.not_found_title"},
    {Msg::kNotFoundText, "page.not_found_text"},
    {Msg::kServerErrorTitle, "page.server_error_title"},
    {Msg::kServerErrorText, "page.server_error_text"},
    {Msg::kTooManyForContact, "page.too_many_for_contact"},
    {Msg::kTooManyForPerson, "page.too_many_for_person"},
    {Msg::kAboutWait, "page.about_wait"},
    {Msg::kDateTime, "page.date_time"},
    {Msg::kStatusLink, "page.status_link"},
    {Msg::kStatusTitle, "page.status_title"},
    {Msg::kStatusIntro, "page.status_intro"},
    {Msg::kReference, "page.reference"},
    {Msg::kReferenceHint, "page.reference_hint"},
    {Msg::kStatusPin, "page.status_pin"},
    {Msg::kStatusPinHint, "page.status_pin_hint"},
    {Msg::kStatusButton, "page.status_button"},
    {Msg::kStatusWrong, "page.status_wrong"},
    {Msg::kStatusTooMany, "page.status_too_many"},
    {Msg::kVerifiedKeep, "page.verified_keep"},
    {Msg::kStatusAbout, "page.status_about"},
    {Msg::kStatusPersonGone, "page.status_person_gone"},
    {Msg::kStatusSentTo, "page.status_sent_to"},
    {Msg::kStatusState, "page.status_state"},
    {Msg::kNoticesHeading, "page.notices_heading"},
    {Msg::kNoNotices, "page.no_notices"},
    {Msg::kNoticeWhen, "page.notice_when"},
    {Msg::kNoticeWhat, "page.notice_what"},
    {Msg::kNoticeDelivery, "page.notice_delivery"},
    {Msg::kChangeLanguage, "page.change_language"},
    {Msg::kChangeLanguageButton, "page.change_language_button"},
    {Msg::kLanguageChanged, "page.language_changed"},
    {Msg::kStopThis, "page.stop_this"},
    {Msg::kProtectLink, "page.protect_link"},
    {Msg::kProtectTitle, "page.protect_title"},
    {Msg::kProtectIntro, "page.protect_intro"},
    {Msg::kProtectPerson, "page.protect_person"},
    {Msg::kProtectFromResult, "page.protect_from_result"},
    {Msg::kProtectIdentifier, "page.protect_identifier"},
    {Msg::kProtectIdentifierHint, "page.protect_identifier_hint"},
    {Msg::kProtectReason, "page.protect_reason"},
    {Msg::kProtectReasonVawa, "page.protect_reason_vawa"},
    {Msg::kProtectReasonAsylum, "page.protect_reason_asylum"},
    {Msg::kProtectReasonMinor, "page.protect_reason_minor"},
    {Msg::kProtectReasonSafety, "page.protect_reason_safety"},
    {Msg::kProtectReasonOther, "page.protect_reason_other"},
    {Msg::kProtectDetails, "page.protect_details"},
    {Msg::kProtectContact, "page.protect_contact"},
    {Msg::kProtectContactHint, "page.protect_contact_hint"},
    {Msg::kProtectButton, "page.protect_button"},
    {Msg::kProtectSentTitle, "page.protect_sent_title"},
    {Msg::kProtectSentText, "page.protect_sent_text"},
    {Msg::kErrProtectIdentifier, "page.err_protect_identifier"},
    {Msg::kErrProtectReason, "page.err_protect_reason"},
}};

constexpr bool KeysInEnumOrder() {
  for (size_t i = 0; i < kKeys.size(); ++i) {
    if (static_cast<size_t>(kKeys[i].msg) != i || kKeys[i].key.empty()) return false;
  }
  return true;
}
static_assert(KeysInEnumOrder(), "kKeys must list every Msg once, in enum order");

// Countries most people in US immigration custody were born in.
constexpr std::array<std::string_view, 4> kCommonCodes = {"MX", "GT", "HN", "SV"};

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The q-value of one Accept-Language entry's parameters ("q=0.8"), in
// thousandths; malformed values count as 1 (RFC 9110 §12.4.2 default).
int Quality(std::string_view params) {
  while (!params.empty()) {
    size_t semi = params.find(';');
    std::string_view p = Trim(params.substr(0, semi));
    params.remove_prefix(semi == std::string_view::npos ? params.size() : semi + 1);
    if (p.size() < 2 || Lower(p[0]) != 'q' || p[1] != '=') continue;
    std::string_view v = p.substr(2);
    size_t dot = v.find('.');
    std::string_view whole = v.substr(0, dot);
    std::string_view frac = dot == std::string_view::npos ? "" : v.substr(dot + 1);
    if (whole != "0" && whole != "1") return 1000;
    int q = whole == "1" ? 1000 : 0;
    int scale = 100;
    for (char c : frac.substr(0, 3)) {
      if (c < '0' || c > '9') return 1000;
      q += (c - '0') * scale;
      scale /= 10;
    }
    return std::min(q, 1000);
  }
  return 1000;
}

// True if the language range `tag` is `primary` or starts with `primary-`.
bool HasPrimary(std::string_view tag, std::string_view primary) {
  if (tag.size() < primary.size()) return false;
  for (size_t i = 0; i < primary.size(); ++i) {
    if (Lower(tag[i]) != primary[i]) return false;
  }
  return tag.size() == primary.size() || tag[primary.size()] == '-';
}

std::string ToUtf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

const i18n::Catalogue& Words(Lang lang) { return i18n::BuiltInCatalogue(lang.code()); }

}  // namespace

std::optional<Lang> Lang::Find(std::string_view code) {
  const std::vector<Lang>& all = All();
  for (Lang lang : all) {
    if (lang.code() == code) return lang;
  }
  for (Lang lang : all) {
    std::string_view tag = lang.code();
    if (HasPrimary(code, tag.substr(0, tag.find('-')))) return lang;
  }
  return std::nullopt;
}

const std::vector<Lang>& Lang::All() {
  static const std::vector<Lang> all = [] {
    std::vector<Lang> out;
    for (const std::string& code : i18n::BuiltInLanguages()) out.push_back(Lang(code));
    return out;
  }();
  return all;
}

std::string_view Endonym(Lang lang) { return Words(lang).Get("language.name"); }

Lang ChooseLang(std::string_view lang_param, std::string_view accept_language) {
  for (Lang lang : Lang::All()) {
    if (lang.code() == lang_param) return lang;
  }
  int best_q = 0;
  Lang best = Lang::kEn;
  while (!accept_language.empty()) {
    size_t comma = accept_language.find(',');
    std::string_view entry = accept_language.substr(0, comma);
    accept_language.remove_prefix(comma == std::string_view::npos ? accept_language.size()
                                                                  : comma + 1);
    size_t semi = entry.find(';');
    std::string_view tag = Trim(entry.substr(0, semi));
    int q = semi == std::string_view::npos ? 1000 : Quality(entry.substr(semi + 1));
    std::optional<Lang> lang = Lang::Find(tag);
    if (!lang) continue;
    if (q > best_q) {
      best_q = q;
      best = *lang;
    }
  }
  return best;
}

std::string_view Text(Lang lang, Msg msg) {
  return Words(lang).Get(kKeys[static_cast<size_t>(msg) % kKeys.size()].key);
}

std::string_view CustodyStatusText(Lang lang, CustodyStatus status) {
  const std::string* text = Words(lang).Find("page_status." + std::string(Name(status)));
  return text ? std::string_view(*text) : Text(lang, Msg::kUnknown);
}

std::string_view CustodyBasisText(Lang lang, CustodyBasis basis) {
  const std::string* text = Words(lang).Find("page_basis." + std::string(Name(basis)));
  return text ? std::string_view(*text) : Text(lang, Msg::kUnknown);
}

std::string FormatDate(Lang lang, std::chrono::year_month_day day) {
  if (!day.ok()) return std::string(Text(lang, Msg::kUnknown));
  return i18n::FormatLocalDate(lang.code(), day);
}

std::string FormatDateTime(Lang lang, Timestamp t, std::string_view time_zone) {
  return i18n::FormatLocalDateTime(lang.code(), t, time_zone);
}

std::string WaitInWords(Lang lang, std::chrono::seconds wait) {
  return i18n::WaitInWords(lang.code(), wait);
}

CountryNames::CountryNames() {
  std::vector<std::string> codes;
  for (char a = 'A'; a <= 'Z'; ++a) {
    for (char b = 'A'; b <= 'Z'; ++b) {
      std::string code{a, b};
      if (ParseCountryCode(code)) codes.push_back(code);
    }
  }
  for (Lang lang : Lang::All()) {
    icu::Locale locale = i18n::IcuLocale(lang.code());
    ByLang& out = by_lang_[std::string(lang.code())];
    for (std::string_view common : kCommonCodes) out.common.push_back({std::string(common), ""});
    for (const std::string& code : codes) {
      icu::UnicodeString name;
      icu::Locale("", code.c_str()).getDisplayCountry(locale, name);
      std::string text = name.isEmpty() ? code : ToUtf8(name);
      auto common = std::find_if(out.common.begin(), out.common.end(),
                                 [&](const Country& c) { return c.code == code; });
      if (common != out.common.end()) {
        common->name = text;
      } else {
        out.others.push_back({code, text});
      }
    }
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Collator> collator(icu::Collator::createInstance(locale, status));
    if (U_SUCCESS(status) && collator) {
      std::vector<std::pair<icu::UnicodeString, Country>> keyed;
      for (Country& c : out.others) {
        keyed.emplace_back(icu::UnicodeString::fromUTF8(c.name), std::move(c));
      }
      std::stable_sort(keyed.begin(), keyed.end(), [&](const auto& x, const auto& y) {
        UErrorCode s = U_ZERO_ERROR;
        return collator->compare(x.first, y.first, s) == UCOL_LESS;
      });
      out.others.clear();
      for (auto& [key, c] : keyed) out.others.push_back(std::move(c));
    } else {
      std::stable_sort(out.others.begin(), out.others.end(),
                       [](const Country& x, const Country& y) { return x.name < y.name; });
    }
  }
}

const CountryNames::ByLang& CountryNames::For(Lang lang) const {
  auto it = by_lang_.find(lang.code());
  return it != by_lang_.end() ? it->second : by_lang_.begin()->second;
}

const std::vector<CountryNames::Country>& CountryNames::Common(Lang lang) const {
  return For(lang).common;
}

const std::vector<CountryNames::Country>& CountryNames::Others(Lang lang) const {
  return For(lang).others;
}

std::string CountryNames::NameOf(Lang lang, std::string_view code) const {
  const ByLang& names = For(lang);
  for (const auto* list : {&names.common, &names.others}) {
    for (const Country& c : *list) {
      if (c.code == code) return c.name;
    }
  }
  return std::string(code);
}

}  // namespace vigil::api
