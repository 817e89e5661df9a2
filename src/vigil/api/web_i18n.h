// The words of vigil's web pages, in every built-in language (DESIGN.md §7):
// which language a request gets, typed keys into the one message catalogue
// (i18n/catalogue/<language>.txt, shared with the notices), custody status
// and basis in plain words (§2.7), dates, and country names from ICU.
//
// Thread safety: everything here is immutable after construction; all
// functions and CountryNames' const methods may be called from any thread.
#ifndef VIGIL_API_WEB_I18N_H_
#define VIGIL_API_WEB_I18N_H_

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/clock.h"
#include "vigil/core/vocabulary.h"

namespace vigil::api {

// A language of the pages: one of the built-in catalogues
// (i18n::BuiltInLanguages(): en, es, ht, pt, zh-Hans, vi, ar, ru, fr). Cheap
// to copy; the default is English.
class Lang {
 public:
  static const Lang kEn;
  static const Lang kEs;

  constexpr Lang() : code_("en") {}
  // The built-in language tagged `code` (exactly, or by its primary subtag
  // case-insensitively: "zh", "ZH-cn" and "zh-Hant" all mean zh-Hans), or
  // nullopt.
  static std::optional<Lang> Find(std::string_view code);
  // Every built-in language, English first.
  static const std::vector<Lang>& All();

  // The BCP 47 tag used in <html lang>, Content-Language and ?lang=.
  constexpr std::string_view code() const { return code_; }
  // True for a language written right to left (Arabic).
  bool rtl() const { return code_ == "ar"; }

  friend constexpr bool operator==(Lang a, Lang b) { return a.code_ == b.code_; }

 private:
  constexpr explicit Lang(std::string_view code) : code_(code) {}
  std::string_view code_;  // points at a static string
};

inline constexpr Lang Lang::kEn = Lang("en");
inline constexpr Lang Lang::kEs = Lang("es");

// "en", "es", "zh-Hans": lang.code().
inline std::string_view Code(Lang lang) { return lang.code(); }
// The language's own name, for the language switch: "English", "Español", "العربية".
std::string_view Endonym(Lang lang);

// The page language: `lang_param` (the ?lang= value) when it names a
// built-in language; otherwise the Accept-Language header's most preferred
// built-in language (q-values respected; "es-MX" means Spanish, "zh-CN"
// Chinese; q=0 means not wanted; on a tie the first listed wins); otherwise
// English. Never fails: anything malformed is ignored.
Lang ChooseLang(std::string_view lang_param, std::string_view accept_language);

// Every message of the pages, each a "page.*" key of the catalogue.
// kCount is not a message.
enum class Msg {
  kSiteTagline,
  kSkipLink,
  kLanguageNav,
  kHomeTitle,
  kHomeIntro,
  kRequiredNote,
  kSafetyDanger,   // {911}: the link to dial 911
  kSafetyHotline,  // {hotline}: the link to the hotline
  kByNameHeading,
  kGivenName,
  kFamilyName,
  kNameHint,
  kNameVariation,  // what kinds of spelling the name search tolerates
  kCountry,
  kChooseCountry,
  kCommonCountries,
  kOtherCountries,
  kBirthYearOptional,
  kBirthYearHint,
  kByNameButton,
  kByANumberHeading,
  kANumber,
  kANumberHint,
  kByANumberButton,
  kResultsTitle,
  kFoundOne,
  kFoundMany,  // {n}
  kNoneFound,
  kNoneFoundText,
  kMostShown,  // {n}
  kSearchAgain,
  kBirthYear,
  kCountryOfBirth,
  kCustodyStatus,
  kCustodyBasis,
  kWhere,
  kPhone,
  kLastUpdate,
  kUnknown,
  kEscapedWarning,
  kErrorTitle,  // {title}
  kErrorSummary,
  kErrANumber,
  kErrGivenName,
  kErrFamilyName,
  kErrCountry,
  kErrBirthYear,  // {n}: this year
  kErrGeneric,
  kTooManyTitle,
  kTooManyText,  // {wait}: the wait in words
  kUnavailableTitle,
  kUnavailableText,
  kBackToSearch,
  kProtectedNote,
  kSourceNote,
  kGetNotices,  // {name}: the person's name
  kRegisterTitle,
  kRegisterIntro,
  kHowLegend,
  kByEmail,
  kByText,
  kContact,
  kContactHint,
  kMessageLanguage,
  kRegisterButton,
  kErrEmail,
  kErrPhone,
  kErrLink,
  kSentTitle,
  kSentTextEmail,
  kSentTextSms,
  kSentTextCall,
  kEnterCode,
  kEnterCodeCall,
  kVerifyTitle,
  kVerifyText,
  kVerifyButton,
  kMobileNumber,
  kCode,
  kVerifiedTitle,
  kVerifiedText,
  kNotValidTitle,
  kNotValidText,
  kStopTitle,
  kStopText,
  kStoppedTitle,
  kStoppedText,
  kTooManyRegistrations,  // {wait}
  kByCall,
  kContactOrPhone,
  kPin,
  kPinHint,
  kErrPin,
  kPhoneNumber,
  kQuickExit,
  kQuickExitHint,
  kSaferLink,
  kSaferTitle,
  kSaferIntro,
  kSaferExitHeading,
  kSaferExit,
  kSaferPrivateHeading,
  kSaferPrivate,
  kSaferHistoryHeading,
  kSaferHistory,
  kSaferSharedHeading,
  kSaferShared,
  kSaferHelpHeading,
  kSaferHelp911,
  kSaferHelpDv,
  kSaferHelpTrafficking,
  kSaferHelpImmigration,
  kNotFoundTitle,
  kNotFoundText,
  kServerErrorTitle,
  kServerErrorText,
  kTooManyForContact,
  kTooManyForPerson,
  kAboutWait,
  kDateTime,
  kStatusLink,
  kStatusTitle,
  kStatusIntro,
  kReference,
  kReferenceHint,
  kStatusPin,
  kStatusPinHint,
  kStatusButton,
  kStatusWrong,
  kStatusTooMany,
  kVerifiedKeep,
  kStatusAbout,
  kStatusPersonGone,
  kStatusSentTo,
  kStatusState,
  kNoticesHeading,
  kNoNotices,
  kNoticeWhen,
  kNoticeWhat,
  kNoticeDelivery,
  kChangeLanguage,
  kChangeLanguageButton,
  kLanguageChanged,
  kStopThis,
  kProtectLink,
  kProtectTitle,
  kProtectIntro,
  kProtectPerson,
  kProtectFromResult,
  kProtectIdentifier,
  kProtectIdentifierHint,
  kProtectReason,
  kProtectReasonVawa,
  kProtectReasonAsylum,
  kProtectReasonMinor,
  kProtectReasonSafety,
  kProtectReasonOther,
  kProtectDetails,
  kProtectContact,
  kProtectContactHint,
  kProtectButton,
  kProtectSentTitle,
  kProtectSentText,
  kErrProtectIdentifier,
  kErrProtectReason,
  kCount,
};

// The message in `lang`. Placeholders such as {n} are left for the caller.
std::string_view Text(Lang lang, Msg msg);

// Plain words for a custody status and a custody basis (DESIGN.md §2.7).
std::string_view CustodyStatusText(Lang lang, CustodyStatus status);
std::string_view CustodyBasisText(Lang lang, CustodyBasis basis);

// A calendar date as people write it: "November 1, 2026", "1 de noviembre de 2026".
std::string FormatDate(Lang lang, std::chrono::year_month_day day);
// A moment in a facility's IANA time zone, with the zone's abbreviation:
// "November 1, 2026, 9:03 AM EST" (i18n/local_time.h).
std::string FormatDateTime(Lang lang, Timestamp t, std::string_view time_zone);
// A wait in words: "about 12 minutes", "about 2 hours".
std::string WaitInWords(Lang lang, std::chrono::seconds wait);

// Country names (ISO 3166-1 alpha-2, every code ParseCountryCode accepts)
// in every language, from ICU's locale data. Building one costs a few
// milliseconds: make one per process and share it.
class CountryNames {
 public:
  struct Country {
    std::string code;  // "MX"
    std::string name;  // "Mexico", "México"
  };

  // Never fails: a name ICU does not know is shown as its code, and without
  // a collator names are sorted by their bytes.
  CountryNames();

  // Where most people vigil lists were born (MX, GT, HN, SV), in that order.
  const std::vector<Country>& Common(Lang lang) const;
  // Every other country, sorted by name in `lang`.
  const std::vector<Country>& Others(Lang lang) const;
  // The name of `code` in `lang`, or `code` itself when it is not a country.
  std::string NameOf(Lang lang, std::string_view code) const;

 private:
  struct ByLang {
    std::vector<Country> common, others;
  };
  const ByLang& For(Lang lang) const;
  std::map<std::string, ByLang, std::less<>> by_lang_;  // by language code
};

}  // namespace vigil::api

#endif  // VIGIL_API_WEB_I18N_H_
