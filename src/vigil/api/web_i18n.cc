#include "vigil/api/web_i18n.h"

#include <unicode/coll.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <memory>

#include "vigil/core/identifiers.h"

namespace vigil::api {
namespace {

struct Entry {
  Msg msg;
  std::string_view en, es;
};

// One row per message, in the order of the enum (checked below).
constexpr std::array<Entry, static_cast<size_t>(Msg::kCount)> kCatalogue = {{
    {Msg::kSiteTagline, "Custody information for victims", "Información de custodia para víctimas"},
    {Msg::kSkipLink, "Skip to main content", "Saltar al contenido principal"},
    {Msg::kLanguageNav, "Language", "Idioma"},
    {Msg::kHomeTitle, "Find a person in immigration custody",
     "Buscar a una persona bajo custodia migratoria"},
    {Msg::kHomeIntro,
     "Find out where a person held by immigration authorities is now and why they are held. "
     "You need their name and country of birth, or their A-number.",
     "Averigüe dónde está ahora una persona detenida por las autoridades de inmigración y por "
     "qué está detenida. Necesita su nombre y país de nacimiento, o su número A (A-Number)."},
    {Msg::kRequiredNote, "All fields are required unless marked optional.",
     "Todos los campos son obligatorios, salvo los que dicen opcional."},
    {Msg::kSafetyDanger, "If you are in danger, call {911}.",
     "Si está en peligro, llame al {911}."},
    {Msg::kSafetyHotline,
     "For free, confidential help at any hour, in English or Spanish, call the National Domestic "
     "Violence Hotline at {hotline}.",
     "Para recibir ayuda gratuita y confidencial a cualquier hora, en español o en inglés, llame "
     "a la Línea Nacional sobre la Violencia Doméstica al {hotline}."},
    {Msg::kByNameHeading, "Search by name", "Buscar por nombre"},
    {Msg::kGivenName, "Given name or names", "Nombre o nombres"},
    {Msg::kFamilyName, "Family name or names", "Apellido o apellidos"},
    {Msg::kNameHint, "Type the names as they appear on official papers. Accents are optional.",
     "Escriba los nombres como aparecen en los documentos oficiales. Los acentos son opcionales."},
    {Msg::kCountry, "Country of birth", "País de nacimiento"},
    {Msg::kChooseCountry, "Choose a country", "Elija un país"},
    {Msg::kCommonCountries, "Most searched", "Los más buscados"},
    {Msg::kOtherCountries, "All other countries", "Todos los demás países"},
    {Msg::kBirthYearOptional, "Year of birth (optional)", "Año de nacimiento (opcional)"},
    {Msg::kBirthYearHint, "Four digits, for example 1990.", "Cuatro dígitos, por ejemplo 1990."},
    {Msg::kByNameButton, "Search by name", "Buscar por nombre"},
    {Msg::kByANumberHeading, "Search by A-number", "Buscar por número A"},
    {Msg::kANumber, "A-number", "Número A (A-Number)"},
    {Msg::kANumberHint, "8 or 9 digits, for example A012345678. It appears on immigration papers.",
     "Tiene 8 o 9 dígitos, por ejemplo A012345678. Aparece en los documentos de inmigración."},
    {Msg::kByANumberButton, "Search by A-number", "Buscar por número A"},
    {Msg::kResultsTitle, "Search results", "Resultados de la búsqueda"},
    {Msg::kFoundOne, "1 person found", "Se encontró 1 persona"},
    {Msg::kFoundMany, "{n} people found", "Se encontraron {n} personas"},
    {Msg::kNoneFound, "No one found", "No se encontró a nadie"},
    {Msg::kNoneFoundText,
     "No one matches this search. Check the spelling and the country of birth, try without the "
     "year of birth, or search by A-number.",
     "Nadie coincide con esta búsqueda. Revise cómo se escriben los nombres y el país de "
     "nacimiento, intente sin el año de nacimiento o busque por número A."},
    {Msg::kMostShown,
     "Only the {n} closest matches are shown. Add the year of birth to narrow the search.",
     "Solo se muestran las {n} coincidencias más cercanas. Agregue el año de nacimiento para "
     "afinar la búsqueda."},
    {Msg::kSearchAgain, "Search again", "Buscar de nuevo"},
    {Msg::kBirthYear, "Year of birth", "Año de nacimiento"},
    {Msg::kCountryOfBirth, "Country of birth", "País de nacimiento"},
    {Msg::kCustodyStatus, "Custody status", "Situación"},
    {Msg::kCustodyBasis, "Reason for custody", "Motivo de la custodia"},
    {Msg::kWhere, "Where", "Dónde está"},
    {Msg::kPhone, "Phone", "Teléfono"},
    {Msg::kLastUpdate, "Last update", "Última actualización"},
    {Msg::kUnknown, "Unknown", "Desconocido"},
    {Msg::kEscapedWarning, "If you are in danger, call 911 now.",
     "Si está en peligro, llame al 911 ahora."},
    {Msg::kErrorTitle, "Error: {title}", "Error: {title}"},
    {Msg::kErrorSummary, "There is a problem", "Hay un problema"},
    {Msg::kErrANumber, "Check the A-number: it has 8 or 9 digits, for example A012345678.",
     "Revise el número A: tiene 8 o 9 dígitos, por ejemplo A012345678."},
    {Msg::kErrGivenName,
     "Type at least two letters of the given name. Symbols such as * or % cannot be used.",
     "Escriba al menos dos letras del nombre. No se pueden usar símbolos como * o %."},
    {Msg::kErrFamilyName,
     "Type at least two letters of the family name. Symbols such as * or % cannot be used.",
     "Escriba al menos dos letras del apellido. No se pueden usar símbolos como * o %."},
    {Msg::kErrCountry, "Choose the country of birth.", "Elija el país de nacimiento."},
    {Msg::kErrBirthYear, "The year of birth must be between 1900 and {n}, or left empty.",
     "El año de nacimiento debe estar entre 1900 y {n}, o dejarse en blanco."},
    {Msg::kErrGeneric, "We could not search with what was typed. Check the fields and try again.",
     "No se pudo buscar con lo que se escribió. Revise los campos e intente de nuevo."},
    {Msg::kTooManyTitle, "Too many searches", "Demasiadas búsquedas"},
    {Msg::kTooManyText,
     "There have been too many searches from this connection. Wait {n} seconds and try again.",
     "Se han hecho demasiadas búsquedas desde esta conexión. Espere {n} segundos e intente de "
     "nuevo."},
    {Msg::kUnavailableTitle, "Search is not available right now",
     "La búsqueda no está disponible en este momento"},
    {Msg::kUnavailableText, "Please try again in a few minutes.",
     "Por favor, intente de nuevo en unos minutos."},
    {Msg::kBackToSearch, "Back to the search page", "Volver a la página de búsqueda"},
    {Msg::kProtectedNote,
     "vigil never shows people whose identity the law protects, nor anyone under 18.",
     "vigil nunca muestra a personas cuya identidad está protegida por la ley, ni a menores de "
     "18 años."},
    {Msg::kSourceNote,
     "The information comes from the agencies that hold people in custody and can change at any "
     "time.",
     "La información viene de las agencias que tienen a las personas bajo custodia y puede cambiar "
     "en cualquier momento."},
    {Msg::kGetNotices, "Get notices about {name}",
     "Recibir avisos sobre {name}"},
    {Msg::kRegisterTitle, "Get custody notices",
     "Recibir avisos de custodia"},
    {Msg::kRegisterIntro, "We will tell you when this person is moved, released, removed from the country, escapes or dies. First we send a message to check that the address or number is yours; nothing else is sent until you confirm it.",
     "Le avisaremos cuando esta persona sea trasladada, puesta en libertad, deportada, se fugue o fallezca. Primero le enviamos un mensaje para comprobar que la dirección o el número es suyo; no enviamos nada más hasta que lo confirme."},
    {Msg::kHowLegend, "How should we tell you?",
     "¿Cómo quiere que le avisemos?"},
    {Msg::kByEmail, "By email",
     "Por correo electrónico"},
    {Msg::kByText, "By text message (SMS)",
     "Por mensaje de texto (SMS)"},
    {Msg::kContact, "Email address or mobile number",
     "Correo electrónico o número de celular"},
    {Msg::kContactHint, "For text messages, a mobile number such as (202) 555-0143, or with its country code, such as +52 55 1234 5678.",
     "Para mensajes de texto, un número de celular como (202) 555-0143, o con el código de país, como +52 55 1234 5678."},
    {Msg::kMessageLanguage, "Language of the messages",
     "Idioma de los mensajes"},
    {Msg::kRegisterButton, "Send me the confirmation",
     "Enviarme la confirmación"},
    {Msg::kErrEmail, "Check the email address: it looks like name@example.org.",
     "Revise el correo electrónico: tiene la forma nombre@ejemplo.org."},
    {Msg::kErrPhone, "Check the mobile number. Include the country code if it is not a U.S. number (such as +52 for Mexico). Landlines cannot receive text messages.",
     "Revise el número de celular. Incluya el código de país si no es de Estados Unidos (como +52 para México). Los teléfonos fijos no reciben mensajes de texto."},
    {Msg::kErrLink, "This link is not complete. Go back to the search results and open it again.",
     "Este enlace no está completo. Vuelva a los resultados de la búsqueda y ábralo de nuevo."},
    {Msg::kSentTitle, "Check your messages",
     "Revise sus mensajes"},
    {Msg::kSentText, "If this person can be followed, we have sent you a message to confirm: a link by email, or a 6-digit code by text message. It is valid for 24 hours. If nothing arrives, check the address or number and try again.",
     "Si es posible seguir a esta persona, le enviamos un mensaje para confirmar: un enlace por correo electrónico o un código de 6 dígitos por mensaje de texto. Es válido por 24 horas. Si no le llega nada, revise la dirección o el número e intente de nuevo."},
    {Msg::kEnterCode, "I received a code by text message",
     "Recibí un código por mensaje de texto"},
    {Msg::kVerifyTitle, "Confirm your registration",
     "Confirme su registro"},
    {Msg::kVerifyText, "Press the button to start receiving notices.",
     "Pulse el botón para empezar a recibir avisos."},
    {Msg::kVerifyButton, "Confirm",
     "Confirmar"},
    {Msg::kMobileNumber, "Mobile number",
     "Número de celular"},
    {Msg::kCode, "6-digit code",
     "Código de 6 dígitos"},
    {Msg::kVerifiedTitle, "Registration confirmed",
     "Registro confirmado"},
    {Msg::kVerifiedText, "You will be told when this person's custody changes. Every message says how to stop.",
     "Le avisaremos cuando cambie la situación de custodia de esta persona. Cada mensaje dice cómo dejar de recibirlos."},
    {Msg::kNotValidTitle, "Not valid",
     "No es válido"},
    {Msg::kNotValidText, "This link or code is not valid, was already used, or has expired. Check it, or register again from the search results.",
     "Este enlace o código no es válido, ya se usó o venció. Revíselo o regístrese de nuevo desde los resultados de la búsqueda."},
    {Msg::kStopTitle, "Stop notices",
     "Dejar de recibir avisos"},
    {Msg::kStopText, "Press the button to stop the notices about this person.",
     "Pulse el botón para dejar de recibir los avisos sobre esta persona."},
    {Msg::kStoppedTitle, "Notices stopped",
     "Avisos cancelados"},
    {Msg::kStoppedText, "You will receive no more notices about this person.",
     "No recibirá más avisos sobre esta persona."},
    {Msg::kTooManyRegistrations, "There have been too many registrations from this connection. Wait {n} seconds and try again.",
     "Se han hecho demasiados registros desde esta conexión. Espere {n} segundos e intente de nuevo."},
    {Msg::kByCall, "By phone call",
     "Por llamada telefónica"},
    {Msg::kContactOrPhone, "Email address or phone number",
     "Correo electrónico o número de teléfono"},
    {Msg::kPin, "PIN for phone calls (4 digits)",
     "PIN para las llamadas (4 dígitos)"},
    {Msg::kPinHint, "Only for phone calls: choose 4 digits you will remember. Every call asks for them before it says anything.",
     "Solo para llamadas: elija 4 dígitos que vaya a recordar. Cada llamada se los pide antes de decir nada."},
    {Msg::kErrPin, "Choose a PIN of 4 digits for the phone calls.",
     "Elija un PIN de 4 dígitos para las llamadas."},
    {Msg::kPhoneNumber, "Phone number",
     "Número de teléfono"},
}};

constexpr bool CatalogueInEnumOrder() {
  for (size_t i = 0; i < kCatalogue.size(); ++i) {
    if (static_cast<size_t>(kCatalogue[i].msg) != i) return false;
    if (kCatalogue[i].en.empty() || kCatalogue[i].es.empty()) return false;
  }
  return true;
}
static_assert(CatalogueInEnumOrder(), "kCatalogue must list every Msg once, in enum order");

constexpr std::array<std::string_view, 12> kMonthsEn = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<std::string_view, 12> kMonthsEs = {
    "enero", "febrero", "marzo",      "abril",   "mayo",      "junio",
    "julio", "agosto",  "septiembre", "octubre", "noviembre", "diciembre"};

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

}  // namespace

std::string_view Code(Lang lang) { return lang == Lang::kEs ? "es" : "en"; }
std::string_view Endonym(Lang lang) { return lang == Lang::kEs ? "Español" : "English"; }
Lang Other(Lang lang) { return lang == Lang::kEs ? Lang::kEn : Lang::kEs; }

Lang ChooseLang(std::string_view lang_param, std::string_view accept_language) {
  if (lang_param == "en") return Lang::kEn;
  if (lang_param == "es") return Lang::kEs;
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
    Lang lang;
    if (HasPrimary(tag, "es")) {
      lang = Lang::kEs;
    } else if (HasPrimary(tag, "en")) {
      lang = Lang::kEn;
    } else {
      continue;
    }
    if (q > best_q) {
      best_q = q;
      best = lang;
    }
  }
  return best;
}

std::string_view Text(Lang lang, Msg msg) {
  const Entry& e = kCatalogue[static_cast<size_t>(msg) % kCatalogue.size()];
  return lang == Lang::kEs ? e.es : e.en;
}

std::string_view CustodyStatusText(Lang lang, CustodyStatus status) {
  const bool es = lang == Lang::kEs;
  switch (status) {
    case CustodyStatus::kInCustody:
      return es ? "Bajo custodia" : "In custody";
    case CustodyStatus::kReleased:
      return es ? "Liberado: ya no está bajo custodia" : "Released from custody";
    case CustodyStatus::kRemoved:
      return es ? "Deportado: ya no está en Estados Unidos"
                : "Removed (deported) from the United States";
    case CustodyStatus::kEscaped:
      return es ? "Se fugó de la custodia" : "Escaped from custody";
    case CustodyStatus::kDeceased:
      return es ? "Falleció" : "Died";
  }
  return es ? "Desconocido" : "Unknown";
}

std::string_view CustodyBasisText(Lang lang, CustodyBasis basis) {
  const bool es = lang == Lang::kEs;
  switch (basis) {
    case CustodyBasis::kCivilImmigration:
      return es ? "Detenido por un asunto migratorio civil — sin cargos penales"
                : "Held for a civil immigration matter — not charged with a crime";
    case CustodyBasis::kCriminalCharge:
      return es ? "Acusado de un delito, sin condena" : "Charged with a crime, not convicted";
    case CustodyBasis::kCriminalConviction:
      return es ? "Condenado por un delito" : "Convicted of a crime";
  }
  return es ? "Desconocido" : "Unknown";
}

std::string FormatDate(Lang lang, std::chrono::year_month_day day) {
  unsigned month = static_cast<unsigned>(day.month());
  if (!day.ok() || month < 1 || month > 12) return std::string(Text(lang, Msg::kUnknown));
  std::string d = std::to_string(static_cast<unsigned>(day.day()));
  std::string y = std::to_string(static_cast<int>(day.year()));
  if (lang == Lang::kEs) {
    return d + " de " + std::string(kMonthsEs[month - 1]) + " de " + y;
  }
  return std::string(kMonthsEn[month - 1]) + " " + d + ", " + y;
}

CountryNames::CountryNames() {
  std::vector<std::string> codes;
  for (char a = 'A'; a <= 'Z'; ++a) {
    for (char b = 'A'; b <= 'Z'; ++b) {
      std::string code{a, b};
      if (ParseCountryCode(code)) codes.push_back(code);
    }
  }
  for (Lang lang : {Lang::kEn, Lang::kEs}) {
    // es_419: Latin American Spanish, the Spanish of the people vigil serves.
    icu::Locale locale = lang == Lang::kEs ? icu::Locale("es", "419") : icu::Locale("en", "US");
    ByLang& out = lang == Lang::kEs ? es_ : en_;
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
