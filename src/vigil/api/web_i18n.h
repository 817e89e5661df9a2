// The words of vigil's web pages, in English and Spanish (DESIGN.md §7):
// which language a request gets, typed keys into the one message catalogue
// (i18n/catalogue/<language>.txt, shared with the notices), custody status
// and basis in plain words (§2.7), dates, and country names from ICU.
//
// The Spanish is plain and respectful, as spoken in Mexico and Central
// America, and addresses the reader as "usted".
//
// Thread safety: everything here is immutable after construction; all
// functions and CountryNames' const methods may be called from any thread.
#ifndef VIGIL_API_WEB_I18N_H_
#define VIGIL_API_WEB_I18N_H_

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/vocabulary.h"

namespace vigil::api {

enum class Lang { kEn, kEs };

// "en" or "es": the BCP 47 tag used in <html lang>, Content-Language and ?lang=.
std::string_view Code(Lang lang);
// The language's own name, for the switch link: "English", "Español".
std::string_view Endonym(Lang lang);
// The other language.
Lang Other(Lang lang);

// The page language: `lang_param` (the ?lang= value) when it is "en" or
// "es"; otherwise the Accept-Language header's most preferred of English and
// Spanish (q-values respected; "es", "es-MX", ... mean Spanish; q=0 means
// not wanted; on a tie the first listed wins); otherwise English.
// Never fails: anything malformed is ignored.
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
  kTooManyText,  // {n}: seconds
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
  kSentText,
  kEnterCode,
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
  kTooManyRegistrations,  // {n}: seconds
  kByCall,
  kContactOrPhone,
  kPin,
  kPinHint,
  kErrPin,
  kPhoneNumber,
  kCount,
};

// The message in `lang`. Placeholders such as {n} are left for the caller.
std::string_view Text(Lang lang, Msg msg);

// Plain words for a custody status and a custody basis (DESIGN.md §2.7).
std::string_view CustodyStatusText(Lang lang, CustodyStatus status);
std::string_view CustodyBasisText(Lang lang, CustodyBasis basis);

// A calendar date as people write it: "November 1, 2026", "1 de noviembre de 2026".
std::string FormatDate(Lang lang, std::chrono::year_month_day day);

// Country names (ISO 3166-1 alpha-2, every code ParseCountryCode accepts)
// in both languages, from ICU's locale data. Building one costs a few
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
  const ByLang& For(Lang lang) const { return lang == Lang::kEs ? es_ : en_; }
  ByLang en_, es_;
};

}  // namespace vigil::api

#endif  // VIGIL_API_WEB_I18N_H_
