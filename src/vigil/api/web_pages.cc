#include "vigil/api/web_pages.h"

#include <array>
#include <cctype>
#include <map>
#include <memory>
#include <optional>

#include "vigil/api/web_i18n.h"
#include "vigil/notify/contact_vault.h"
#include "vigil/notify/phone.h"
#include "vigil/core/identifiers.h"
#include "vigil/core/time_format.h"

namespace vigil::api {
namespace {

namespace bhttp = boost::beast::http;

constexpr char kContentSecurityPolicy[] =
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'";

// DESIGN.md §7: a search answers at most five people.
constexpr size_t kMaxResults = 5;

// Colours meet WCAG 2.1 AA: body text #1b1b1b and links #0b4f9c on white,
// white on the header's #12324f and the button's #0b4f9c, the error red
// #a1201f on white and on the safety notice's #fdf1f1 — every pair above
// 4.5:1; field borders and the focus ring (#1b1b1b) above 3:1.
constexpr char kCss[] = R"css(
*{box-sizing:border-box}
html{color-scheme:light}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;
font-size:1.0625rem;line-height:1.5;color:#1b1b1b;background:#fff}
a{color:#0b4f9c;text-underline-offset:.15em}
a:hover{text-decoration-thickness:.15em}
a:focus,button:focus,main:focus-visible{outline:3px solid #1b1b1b;outline-offset:3px}
input:focus,select:focus{outline:4px solid #0b4f9c;outline-offset:0}
a:focus:not(:focus-visible),button:focus:not(:focus-visible){outline:none}
a:focus-visible{background:#ffdd57;color:#1b1b1b;outline:3px solid #1b1b1b;outline-offset:0}
main:focus:not(:focus-visible){outline:none}
.wrap{max-width:48rem;margin:0 auto;padding:0 1rem}
.skip{position:absolute;left:-10000px;top:0}
.skip:focus{left:1rem;top:.5rem;z-index:10;padding:.5rem 1rem}
header{background:#12324f;color:#fff}
header .bar{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.5rem;padding-top:.6rem;padding-bottom:.6rem}
header a{color:#fff}
header p{margin:0}
.brand a{font-weight:700;font-size:1.35rem;text-decoration:none}
.brand span{margin-left:.5rem}
header nav a{font-weight:600;display:inline-block;padding:.25rem .5rem;border:2px solid #fff}
header a:focus-visible{background:#ffdd57;color:#1b1b1b}
h1{font-size:2rem;line-height:1.2;margin:1.5rem 0 1rem}
h2{font-size:1.5rem;line-height:1.25;margin:2rem 0 .75rem}
h3{font-size:1.25rem;margin:0 0 .5rem}
.safety{border-left:.5rem solid #a1201f;background:#fdf1f1;padding:.75rem 1rem;margin:0 0 1.5rem}
.safety h2{font-size:1.3rem;margin:0 0 .25rem}
.safety p{margin:0}
.safety a{color:#1b1b1b;font-weight:700}
a[href^="tel:"]{white-space:nowrap}
.search{border:1px solid #757575;padding:1rem;margin:0 0 1rem}
.field{margin:0 0 1rem}
label{display:block;font-weight:600}
.hint{display:block;color:#474747;margin:0 0 .25rem}
input,select{font:inherit;color:#1b1b1b;background:#fff;border:2px solid #1b1b1b;border-radius:0;padding:.45rem .5rem;width:100%;max-width:26rem}
input.year{max-width:7rem}
input[aria-invalid="true"],select[aria-invalid="true"]{border:3px solid #a1201f}
button{font:inherit;font-weight:600;color:#fff;background:#0b4f9c;border:2px solid #0b4f9c;border-radius:.25rem;padding:.55rem 1.25rem;cursor:pointer}
button:hover{background:#083b75}
.summary{border:4px solid #a1201f;padding:.75rem 1rem;margin:0 0 1.5rem}
.summary h2{margin:0 0 .25rem;font-size:1.3rem}
.summary p{margin:0}
.summary a{color:#a1201f;font-weight:700}
.error{color:#a1201f;font-weight:700;border-left:.3rem solid #a1201f;padding-left:.75rem;margin:0 0 1rem}
.results{list-style:none;margin:0;padding:0}
.results>li{border:1px solid #757575;border-left:.5rem solid #12324f;padding:1rem;margin:0 0 1rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}
dt{font-weight:600}
dd{margin:0}
.basis{font-weight:700}
fieldset{border:0;padding:0;margin:0 0 1rem}
legend{font-weight:600;padding:0}
.choice{display:flex;align-items:center;gap:.5rem;margin:.25rem 0}
.choice input{width:1.4rem;height:1.4rem;margin:0}
.choice label{font-weight:400}
.notify{margin:.75rem 0 0}
footer{border-top:1px solid #757575;margin-top:2.5rem;padding:.5rem 0 1.5rem}
@media (max-width:34rem){dl{grid-template-columns:1fr}dd{margin-bottom:.5rem}}
)css";

// What the pages know about the request they answer.
struct PageRequest {
  Lang lang = Lang::kEn;
  std::string path;                          // "/" or "/search"
  std::map<std::string, std::string> query;  // decoded; empty when malformed
};

enum class FormKind { kName, kANumber };

// The two search forms as they are drawn: which one was submitted (its
// fields show what was typed) and which one failed, where, and why.
struct FormState {
  std::optional<FormKind> used;
  std::map<std::string, std::string> values;
  bool failed = false;
  std::string bad_field;  // a parameter name, or "" when the whole form is at fault
  std::string message;    // plain text in the page language
};

// State built once per router and shared by its handlers.
struct WebContext {
  SearchDependencies deps;
  std::optional<RegistrationPages> registration;  // the /register pages, when offered
  CountryNames countries;
  std::array<std::string, 2> country_options;  // <optgroup>s of <option>s, per Lang
};

std::string_view Str(Lang lang, Msg msg) { return Text(lang, msg); }

std::string E(std::string_view text) { return HtmlEscape(text); }

// Escapes `text`, then replaces "{key}" in it with `html` (already markup).
std::string Fill(std::string_view text, std::string_view key, std::string_view html) {
  std::string out = HtmlEscape(text);
  std::string placeholder = "{" + std::string(key) + "}";
  size_t at = out.find(placeholder);
  if (at != std::string::npos) out.replace(at, placeholder.size(), html);
  return out;
}

std::string UrlEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// The same page in `lang`: the path and query as they were, with lang= set.
std::string UrlIn(const PageRequest& r, Lang lang) {
  std::map<std::string, std::string> query =
      r.path == "/" ? std::map<std::string, std::string>{} : r.query;
  query["lang"] = std::string(Code(lang));
  std::string url = r.path + "?";
  bool first = true;
  for (const auto& [key, value] : query) {
    if (!first) url += '&';
    first = false;
    url += UrlEncode(key) + "=" + UrlEncode(value);
  }
  return url;
}

// "+17605550100" -> "(760) 555-0100"; other numbers as they are.
std::string DisplayPhone(const std::string& e164) {
  if (e164.size() == 12 && e164.rfind("+1", 0) == 0) {
    return "(" + e164.substr(2, 3) + ") " + e164.substr(5, 3) + "-" + e164.substr(8);
  }
  return e164;
}

std::string TelHref(std::string_view phone) {
  std::string out = "tel:";
  for (char c : phone) {
    if (c == '+' || (c >= '0' && c <= '9')) out += c;
  }
  return out;
}

// The whole document around a page's own content: head, skip link, header
// with the language switch, the h1 and the safety notice, footer.
std::string Document(const PageRequest& r, std::string_view title, std::string_view h1,
                     std::string_view content) {
  const Lang lang = r.lang;
  const Lang other = Other(lang);
  std::string html;
  html.reserve(content.size() + 6000);
  html += "<!doctype html>\n<html lang=\"";
  html += Code(lang);
  html +=
      "\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"referrer\" content=\"no-referrer\">\n<title>";
  html += E(title);
  html += " — vigil</title>\n<style>";
  html += kCss;
  html += "</style>\n</head>\n<body>\n<a class=\"skip\" href=\"#main\">";
  html += E(Str(lang, Msg::kSkipLink));
  html += "</a>\n<header>\n<div class=\"wrap bar\">\n<p class=\"brand\"><a href=\"/?lang=";
  html += Code(lang);
  html += "\">vigil</a> <span>";
  html += E(Str(lang, Msg::kSiteTagline));
  html += "</span></p>\n<nav aria-label=\"";
  html += E(Str(lang, Msg::kLanguageNav));
  html += "\"><a href=\"";
  html += E(UrlIn(r, other));
  html += "\" lang=\"";
  html += Code(other);
  html += "\" hreflang=\"";
  html += Code(other);
  html += "\">";
  html += E(Endonym(other));
  html +=
      "</a></nav>\n</div>\n</header>\n<main id=\"main\" tabindex=\"-1\">\n<div "
      "class=\"wrap\">\n<h1>";
  html += E(h1);
  html += "</h1>\n<section class=\"safety\" aria-labelledby=\"safety\">\n<h2 id=\"safety\">";
  html += Fill(Str(lang, Msg::kSafetyDanger), "911", "<a href=\"tel:911\">911</a>");
  html += "</h2>\n<p>";
  html += Fill(Str(lang, Msg::kSafetyHotline), "hotline",
               "<a href=\"tel:+18007997233\">1-800-799-7233</a>");
  html += "</p>\n</section>\n";
  html += content;
  html += "</div>\n</main>\n<footer>\n<div class=\"wrap\">\n<p>";
  html += E(Str(lang, Msg::kProtectedNote));
  html += "</p>\n<p>";
  html += E(Str(lang, Msg::kSourceNote));
  html += "</p>\n</div>\n</footer>\n</body>\n</html>\n";
  return html;
}

std::string CountryOptions(const CountryNames& countries, Lang lang) {
  std::string html = "<optgroup label=\"" + E(Str(lang, Msg::kCommonCountries)) + "\">\n";
  for (const auto& c : countries.Common(lang)) {
    html += "<option value=\"" + E(c.code) + "\">" + E(c.name) + "</option>\n";
  }
  html += "</optgroup>\n<optgroup label=\"" + E(Str(lang, Msg::kOtherCountries)) + "\">\n";
  for (const auto& c : countries.Others(lang)) {
    html += "<option value=\"" + E(c.code) + "\">" + E(c.name) + "</option>\n";
  }
  return html + "</optgroup>\n";
}

const char* FormId(FormKind form) { return form == FormKind::kName ? "name" : "anumber"; }

// The id of the control for parameter `name` in `form`.
std::string ControlId(FormKind form, const std::string& name) {
  if (name == "country_of_birth") return std::string(FormId(form)) + "-country";
  return name;
}

class FormWriter {
 public:
  FormWriter(const WebContext& web, const PageRequest& r, const FormState& state, FormKind form)
      : web_(web), r_(r), state_(state), form_(form) {}

  std::string Write(int heading_level) {
    const bool by_name = form_ == FormKind::kName;
    const std::string id = FormId(form_);
    const std::string h = "h" + std::to_string(heading_level);
    html_ += "<section aria-labelledby=\"" + id + "-heading\">\n<" + h + " id=\"" + id +
             "-heading\">" +
             E(Str(r_.lang, by_name ? Msg::kByNameHeading : Msg::kByANumberHeading)) + "</" + h +
             ">\n<form class=\"search\" method=\"get\" action=\"/search\">\n";
    if (Failed()) {
      html_ += "<p class=\"error\" id=\"" + id + "-error\" role=\"alert\">" + E(state_.message) +
               "</p>\n";
    }
    html_ += "<input type=\"hidden\" name=\"lang\" value=\"" + std::string(Code(r_.lang)) + "\">\n";
    if (by_name) {
      TextField("given_name", "given_name", Msg::kGivenName, Msg::kNameHint, true,
                kMaxNameQueryChars, "");
      // The hint above the given name is about both names.
      TextField("family_name", "family_name", Msg::kFamilyName, std::nullopt, true,
                kMaxNameQueryChars, "", "given_name-hint");
      CountryField();
      TextField("birth_year", "birth_year", Msg::kBirthYearOptional, Msg::kBirthYearHint, false, 4,
                " class=\"year\" inputmode=\"numeric\"");
    } else {
      TextField("a_number", "a_number", Msg::kANumber, Msg::kANumberHint, true,
                kMaxANumberQueryChars, "");
      CountryField();
    }
    html_ += "<button type=\"submit\">" +
             E(Str(r_.lang, by_name ? Msg::kByNameButton : Msg::kByANumberButton)) +
             "</button>\n</form>\n</section>\n";
    return std::move(html_);
  }

 private:
  bool Failed() const { return state_.failed && state_.used == form_; }

  std::string Value(const std::string& name) const {
    if (state_.used != form_) return "";
    auto it = state_.values.find(name);
    return it == state_.values.end() ? "" : it->second;
  }

  // ' aria-describedby="..." aria-invalid="true"' as the field needs.
  std::string Described(const std::string& name, const std::string& hint_id) const {
    std::string ids = hint_id;
    const bool invalid = Failed() && state_.bad_field == name;
    if (invalid) ids += (ids.empty() ? "" : " ") + std::string(FormId(form_)) + "-error";
    std::string out;
    if (!ids.empty()) out += " aria-describedby=\"" + ids + "\"";
    if (invalid) out += " aria-invalid=\"true\"";
    return out;
  }

  void TextField(const std::string& id, const std::string& name, Msg label, std::optional<Msg> hint,
                 bool required, size_t max_length, const char* extra,
                 const std::string& other_hint_id = "") {
    std::string hint_id = hint ? id + "-hint" : other_hint_id;
    html_ +=
        "<div class=\"field\">\n<label for=\"" + id + "\">" + E(Str(r_.lang, label)) + "</label>\n";
    if (hint) {
      html_ +=
          "<span class=\"hint\" id=\"" + hint_id + "\">" + E(Str(r_.lang, *hint)) + "</span>\n";
    }
    html_ += "<input type=\"text\" id=\"" + id + "\" name=\"" + name + "\" value=\"" +
             E(Value(name)) + "\" maxlength=\"" + std::to_string(max_length) +
             "\" autocomplete=\"off\" autocapitalize=\"words\" spellcheck=\"false\"" + extra +
             (required ? " required" : "") + Described(name, hint_id) + ">\n</div>\n";
  }

  void CountryField() {
    const std::string id = ControlId(form_, "country_of_birth");
    std::string options = web_.country_options[r_.lang == Lang::kEs ? 1 : 0];
    if (auto code = ParseCountryCode(Value("country_of_birth"))) {
      std::string option = "<option value=\"" + *code + "\"";
      size_t at = options.find(option);
      if (at != std::string::npos) options.insert(at + option.size(), " selected");
    }
    html_ += "<div class=\"field\">\n<label for=\"" + id + "\">" + E(Str(r_.lang, Msg::kCountry)) +
             "</label>\n<select id=\"" + id + "\" name=\"country_of_birth\" required" +
             Described("country_of_birth", "") + ">\n<option value=\"\">" +
             E(Str(r_.lang, Msg::kChooseCountry)) + "</option>\n" + options + "</select>\n</div>\n";
  }

  const WebContext& web_;
  const PageRequest& r_;
  const FormState& state_;
  FormKind form_;
  std::string html_;
};

std::string Forms(const WebContext& web, const PageRequest& r, const FormState& state,
                  int heading_level) {
  return FormWriter(web, r, state, FormKind::kName).Write(heading_level) +
         FormWriter(web, r, state, FormKind::kANumber).Write(heading_level);
}

std::string SearchPage(const WebContext& web, const PageRequest& r, const FormState& state) {
  std::string content;
  if (state.failed && !state.used) {
    content += "<p class=\"error\" role=\"alert\">" + E(state.message) + "</p>\n";
  } else if (state.failed) {
    // The message also stands by its form (role="alert"); this summary is
    // for those who would not see that form without scrolling.
    std::string target = state.bad_field.empty() ? std::string(FormId(*state.used)) + "-error"
                                                 : ControlId(*state.used, state.bad_field);
    content += "<div class=\"summary\">\n<h2>" + E(Str(r.lang, Msg::kErrorSummary)) +
               "</h2>\n<p><a href=\"#" + E(target) + "\">" + E(state.message) +
               "</a></p>\n</div>\n";
  }
  content += "<p>" + E(Str(r.lang, Msg::kHomeIntro)) + "</p>\n<p>" +
             E(Str(r.lang, Msg::kRequiredNote)) + "</p>\n";
  content += Forms(web, r, state, 2);
  std::string title(Str(r.lang, Msg::kHomeTitle));
  if (state.failed) {
    std::string error(Str(r.lang, Msg::kErrorTitle));
    error.replace(error.find("{title}"), 7, title);
    title = error;
  }
  return Document(r, title, Str(r.lang, Msg::kHomeTitle), content);
}

std::string SubjectItem(const WebContext& web, Lang lang, const policy::DisclosedSubject& s) {
  auto row = [](std::string_view term, std::string_view html) {
    return "<dt>" + E(term) + "</dt><dd>" + std::string(html) + "</dd>\n";
  };
  std::string html = "<li>\n<h3>" + E(s.name()) + "</h3>\n<dl>\n";
  html += row(Str(lang, Msg::kBirthYear),
              s.birth_year() ? std::to_string(*s.birth_year()) : E(Str(lang, Msg::kUnknown)));
  html += row(Str(lang, Msg::kCountryOfBirth), E(web.countries.NameOf(lang, s.country_of_birth())));
  html += row(Str(lang, Msg::kCustodyStatus), E(CustodyStatusText(lang, s.custody_status())));
  html += row(Str(lang, Msg::kCustodyBasis),
              "<span class=\"basis\">" + E(CustodyBasisText(lang, s.custody_basis())) + "</span>");
  if (s.facility()) {
    const policy::DisclosedFacility& f = *s.facility();
    std::string where = E(f.name());
    std::string place = f.city();
    if (!f.state().empty()) place += (place.empty() ? "" : ", ") + f.state();
    if (!place.empty()) where += "<br>" + E(place);
    if (!f.phone().empty()) {
      where += "<br>" + E(Str(lang, Msg::kPhone)) + ": <a href=\"" + E(TelHref(f.phone())) + "\">" +
               E(DisplayPhone(f.phone())) + "</a>";
    }
    html += row(Str(lang, Msg::kWhere), where);
  }
  html += row(Str(lang, Msg::kLastUpdate), "<time datetime=\"" + E(FormatRfc3339(s.updated_at())) +
                                               "\">" + E(FormatDate(lang, UtcDay(s.updated_at()))) +
                                               "</time>");
  html += "</dl>\n";
  if (s.custody_status() == CustodyStatus::kEscaped) {
    html += "<p class=\"error\">" + E(Str(lang, Msg::kEscapedWarning)) + "</p>\n";
  }
  if (web.registration) {
    html += "<p class=\"notify\"><a href=\"/register?ref=" + UrlEncode(s.ref()) + "&amp;lang=" +
            std::string(Code(lang)) + "\">" + Fill(Str(lang, Msg::kGetNotices), "name", E(s.name())) +
            "</a></p>\n";
  }
  return html + "</li>\n";
}

std::string ResultsPage(const WebContext& web, const PageRequest& r, const FormState& state,
                        const std::vector<policy::DisclosedSubject>& found) {
  const Lang lang = r.lang;
  std::string content = "<section aria-labelledby=\"results\">\n<h2 id=\"results\">";
  if (found.empty()) {
    // The same words whether no one matched or a match was withheld (§2.3).
    content +=
        E(Str(lang, Msg::kNoneFound)) + "</h2>\n<p>" + E(Str(lang, Msg::kNoneFoundText)) + "</p>\n";
  } else {
    std::string count(Str(lang, found.size() == 1 ? Msg::kFoundOne : Msg::kFoundMany));
    content += Fill(count, "n", std::to_string(found.size())) + "</h2>\n";
    if (found.size() >= kMaxResults) {
      content +=
          "<p>" + Fill(Str(lang, Msg::kMostShown), "n", std::to_string(kMaxResults)) + "</p>\n";
    }
    content += "<ol class=\"results\">\n";
    for (const auto& subject : found) content += SubjectItem(web, lang, subject);
    content += "</ol>\n";
  }
  content += "</section>\n<h2>" + E(Str(lang, Msg::kSearchAgain)) + "</h2>\n";
  content += Forms(web, r, state, 3);
  return Document(r, Str(lang, Msg::kResultsTitle), Str(lang, Msg::kResultsTitle), content);
}

// A page with a heading, one paragraph and a way back.
std::string MessagePage(const PageRequest& r, std::string_view title, const std::string& text) {
  std::string content = "<p>" + E(text) + "</p>\n<p><a href=\"/?lang=" + std::string(Code(r.lang)) +
                        "\">" + E(Str(r.lang, Msg::kBackToSearch)) + "</a></p>\n";
  return Document(r, title, title, content);
}

http::Response Page(const http::Request& req, bhttp::status status, Lang lang, std::string html) {
  http::Response res = http::HtmlResponse(req, status, std::move(html));
  res.set("Content-Security-Policy", kContentSecurityPolicy);
  res.set("Referrer-Policy", "no-referrer");
  res.set(bhttp::field::content_language, std::string(Code(lang)));
  res.set(bhttp::field::vary, "Accept-Language");
  return res;
}

PageRequest ReadRequest(const http::Request& req, std::string path,
                        Result<std::map<std::string, std::string>>* parsed) {
  std::string_view target(req.target().data(), req.target().size());
  size_t q = target.find('?');
  std::string_view query = q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
  *parsed = ParseQueryString(query);
  PageRequest r;
  r.path = std::move(path);
  std::string_view lang;
  if (*parsed) {
    r.query = **parsed;
    if (auto it = r.query.find("lang"); it != r.query.end()) lang = it->second;
  } else {
    // Keep the visitor's language even when another parameter is unreadable.
    for (std::string_view pair : {"lang=en", "lang=es"}) {
      size_t at = query.find(pair);
      size_t end = at + pair.size();
      if (at != std::string_view::npos && (at == 0 || query[at - 1] == '&') &&
          (end == query.size() || query[end] == '&')) {
        lang = pair.substr(5);
      }
    }
  }
  auto accept = req.find(bhttp::field::accept_language);
  r.lang = ChooseLang(lang, accept == req.end()
                                ? std::string_view()
                                : std::string_view(accept->value().data(), accept->value().size()));
  return r;
}

// The parameter a RunPublicSearch error is about, from the "name: reason"
// or "name is/must ..." form of its messages; "" when it names none.
std::string FieldOf(const Error& error) {
  const std::string& m = error.message();
  for (const char* field :
       {"a_number", "given_name", "family_name", "country_of_birth", "birth_year"}) {
    std::string_view f(field);
    if (m.size() > f.size() && m.compare(0, f.size(), f) == 0 &&
        (m[f.size()] == ':' || m[f.size()] == ' ')) {
      return std::string(f);
    }
  }
  return "";
}

// Explains a refused search in the page language, and marks the field.
void DescribeRefusal(const Error& error, Lang lang, int this_year, FormState* state) {
  state->failed = true;
  state->bad_field = FieldOf(error);
  if (state->bad_field.empty() && state->used) {
    // A required field left empty (possible only without the browser's checks).
    const char* required[] = {"given_name", "family_name", "country_of_birth"};
    const char* by_a[] = {"a_number", "country_of_birth"};
    auto check = [&](auto& fields) {
      for (const char* f : fields) {
        auto it = state->values.find(f);
        if (it == state->values.end() || it->second.empty()) {
          state->bad_field = f;
          return;
        }
      }
    };
    if (*state->used == FormKind::kName)
      check(required);
    else
      check(by_a);
  }
  const std::string& f = state->bad_field;
  Msg msg = f == "a_number"           ? Msg::kErrANumber
            : f == "given_name"       ? Msg::kErrGivenName
            : f == "family_name"      ? Msg::kErrFamilyName
            : f == "country_of_birth" ? Msg::kErrCountry
            : f == "birth_year"       ? Msg::kErrBirthYear
                                      : Msg::kErrGeneric;
  state->message = std::string(Str(lang, msg));
  size_t at = state->message.find("{n}");
  if (at != std::string::npos) state->message.replace(at, 3, std::to_string(this_year));
}

http::Response HandleHome(const WebContext& web, const http::Request& req) {
  Result<std::map<std::string, std::string>> parsed = std::map<std::string, std::string>{};
  PageRequest r = ReadRequest(req, "/", &parsed);
  return Page(req, bhttp::status::ok, r.lang, SearchPage(web, r, FormState{}));
}

http::Response HandleSearch(const WebContext& web, const http::Request& req,
                            http::RequestContext& ctx) {
  Result<std::map<std::string, std::string>> parsed = std::map<std::string, std::string>{};
  PageRequest r = ReadRequest(req, "/search", &parsed);
  const Lang lang = r.lang;
  if (web.deps.limiter) {
    std::chrono::seconds retry{0};
    if (!web.deps.limiter->Allow(ctx.client_address, &retry)) {
      std::string text(Str(lang, Msg::kTooManyText));
      text.replace(text.find("{n}"), 3, std::to_string(retry.count()));
      auto res = Page(req, bhttp::status::too_many_requests, lang,
                      MessagePage(r, Str(lang, Msg::kTooManyTitle), text));
      res.set(bhttp::field::retry_after, std::to_string(retry.count()));
      return res;
    }
  }
  const int this_year = static_cast<int>(UtcDay(web.deps.clock->Now()).year());
  FormState state;
  if (!parsed) {
    r.path = "/";  // the language link cannot keep a query it cannot read
    DescribeRefusal(parsed.error(), lang, this_year, &state);
    return Page(req, bhttp::status::bad_request, lang, SearchPage(web, r, state));
  }
  // The forms always send every field; an empty optional one means "not given".
  std::map<std::string, std::string> params;
  for (const auto& [key, value] : *parsed) {
    if (key != "lang" && !value.empty()) params.emplace(key, value);
  }
  if (params.empty()) {  // nothing asked yet
    return Page(req, bhttp::status::ok, lang, SearchPage(web, r, state));
  }
  state.used = parsed->count("a_number") ? FormKind::kANumber : FormKind::kName;
  state.values = *parsed;
  auto found = RunPublicSearch(web.deps, params);
  if (!found) {
    if (found.error().code() == ErrorCode::kInvalidArgument) {
      DescribeRefusal(found.error(), lang, this_year, &state);
      return Page(req, bhttp::status::bad_request, lang, SearchPage(web, r, state));
    }
    return Page(req, http::HttpStatusFor(found.error().code()), lang,
                MessagePage(r, Str(lang, Msg::kUnavailableTitle),
                            std::string(Str(lang, Msg::kUnavailableText))));
  }
  return Page(req, bhttp::status::ok, lang, ResultsPage(web, r, state, *found));
}

// --- Registration pages ------------------------------------------------------

// Only tokens and refs of the shape we issue are echoed into a page.
bool PlainToken(std::string_view t) {
  if (t.empty() || t.size() > 80) return false;
  for (char c : t) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') {
      return false;
    }
  }
  return true;
}

std::string Param(const std::map<std::string, std::string>& params, const char* key) {
  auto it = params.find(key);
  return it == params.end() ? "" : it->second;
}

// A page of paragraphs (already markup) and a way back to the search.
std::string SimplePage(const PageRequest& r, std::string_view title, const std::string& html) {
  return Document(r, title, title,
                  html + "<p><a href=\"/?lang=" + std::string(Code(r.lang)) + "\">" +
                      E(Str(r.lang, Msg::kBackToSearch)) + "</a></p>\n");
}

std::string Paragraph(Lang lang, Msg msg) { return "<p>" + E(Str(lang, msg)) + "</p>\n"; }

// A form of one button that posts to `action` (mail scanners follow links;
// people press buttons).
std::string ButtonForm(const std::string& action, std::string_view label) {
  return "<form method=\"post\" action=\"" + E(action) + "\">\n<button type=\"submit\">" +
         E(label) + "</button>\n</form>\n";
}

struct RegisterForm {
  std::string ref, channel = "email", contact, language, pin;
  std::string bad_field;  // "contact" or "pin"
  std::string message;    // what is wrong with it, in the page language
};

std::string Radio(const std::string& name, const std::string& value, const std::string& checked,
                  std::string_view label, const char* label_lang = nullptr) {
  std::string id = name + "-" + value;
  std::string html = "<div class=\"choice\"><input type=\"radio\" id=\"" + id + "\" name=\"" +
                     name + "\" value=\"" + value + "\"" +
                     (value == checked ? " checked" : "") + "><label for=\"" + id + "\"";
  if (label_lang) html += " lang=\"" + std::string(label_lang) + "\"";
  return html + ">" + E(label) + "</label></div>\n";
}

std::string RegisterPage(const WebContext& web, const PageRequest& r, const RegisterForm& f) {
  const Lang lang = r.lang;
  const bool sms = web.registration->options.sms;
  const bool voice = web.registration->options.voice;
  std::string c;
  const bool failed = !f.message.empty();
  if (failed) {
    c += "<div class=\"summary\">\n<h2>" + E(Str(lang, Msg::kErrorSummary)) +
         "</h2>\n<p><a href=\"#" + f.bad_field + "\">" + E(f.message) + "</a></p>\n</div>\n";
  }
  c += Paragraph(lang, Msg::kRegisterIntro);
  c += "<form class=\"search\" method=\"post\" action=\"/register\">\n";
  c += "<input type=\"hidden\" name=\"ref\" value=\"" + E(f.ref) + "\">\n";
  c += "<input type=\"hidden\" name=\"lang\" value=\"" + std::string(Code(lang)) + "\">\n";
  if (sms || voice) {
    c += "<fieldset>\n<legend>" + E(Str(lang, Msg::kHowLegend)) + "</legend>\n";
    c += Radio("channel", "email", f.channel, Str(lang, Msg::kByEmail));
    if (sms) c += Radio("channel", "sms", f.channel, Str(lang, Msg::kByText));
    if (voice) c += Radio("channel", "voice", f.channel, Str(lang, Msg::kByCall));
    c += "</fieldset>\n";
  } else {
    c += "<input type=\"hidden\" name=\"channel\" value=\"email\">\n";
  }
  // A text field with its label, hint and, when it is the one at fault, the message.
  auto field = [&](const std::string& id, Msg label, std::optional<Msg> hint,
                   const std::string& value, const std::string& extra) {
    c += "<div class=\"field\">\n<label for=\"" + id + "\">" + E(Str(lang, label)) + "</label>\n";
    std::string described;
    if (hint) {
      c += "<span class=\"hint\" id=\"" + id + "-hint\">" + E(Str(lang, *hint)) + "</span>\n";
      described = id + "-hint";
    }
    const bool bad = failed && f.bad_field == id;
    if (bad) {
      c += "<p class=\"error\" id=\"" + id + "-error\" role=\"alert\">" + E(f.message) + "</p>\n";
      described += (described.empty() ? "" : " ") + id + "-error";
    }
    c += "<input type=\"text\" id=\"" + id + "\" name=\"" + id + "\" " + extra + " value=\"" +
         E(value) + "\"";
    if (!described.empty()) c += " aria-describedby=\"" + described + "\"";
    if (bad) c += " aria-invalid=\"true\"";
    c += ">\n</div>\n";
  };
  field("contact", voice ? Msg::kContactOrPhone : sms ? Msg::kContact : Msg::kByEmail,
        sms || voice ? std::optional<Msg>(Msg::kContactHint) : std::nullopt, f.contact,
        "required maxlength=\"254\" autocomplete=\"email\" spellcheck=\"false\"");
  if (voice) {
    field("pin", Msg::kPin, Msg::kPinHint, "",
          "class=\"year\" maxlength=\"4\" inputmode=\"numeric\" autocomplete=\"off\"");
  }
  c += "<fieldset>\n<legend>" + E(Str(lang, Msg::kMessageLanguage)) + "</legend>\n";
  std::string language = f.language.empty() ? std::string(Code(lang)) : f.language;
  c += Radio("language", "en", language, Endonym(Lang::kEn), "en");
  c += Radio("language", "es", language, Endonym(Lang::kEs), "es");
  c += "</fieldset>\n<button type=\"submit\">" + E(Str(lang, Msg::kRegisterButton)) +
       "</button>\n</form>\n";
  return Document(r, Str(lang, Msg::kRegisterTitle), Str(lang, Msg::kRegisterTitle), c);
}

std::string CodePage(const PageRequest& r, const std::string& contact, bool voice) {
  const Lang lang = r.lang;
  std::string c = "<form class=\"search\" method=\"post\" action=\"/verify?lang=" +
                  std::string(Code(lang)) + "\">\n";
  c += "<div class=\"field\">\n<label for=\"contact\">" +
       E(Str(lang, voice ? Msg::kPhoneNumber : Msg::kMobileNumber)) +
       "</label>\n<input type=\"tel\" id=\"contact\" name=\"contact\" required maxlength=\"40\" "
       "autocomplete=\"tel\" value=\"" +
       E(contact) + "\">\n</div>\n";
  c += "<div class=\"field\">\n<label for=\"code\">" + E(Str(lang, Msg::kCode)) +
       "</label>\n<input type=\"text\" id=\"code\" name=\"code\" required maxlength=\"6\" "
       "class=\"year\" inputmode=\"numeric\" autocomplete=\"one-time-code\">\n</div>\n";
  c += "<button type=\"submit\">" + E(Str(lang, Msg::kVerifyButton)) + "</button>\n</form>\n";
  return SimplePage(r, Str(lang, Msg::kVerifyTitle), c);
}

PageRequest ReadPage(const http::Request& req, std::string path) {
  Result<std::map<std::string, std::string>> parsed = std::map<std::string, std::string>{};
  PageRequest r = ReadRequest(req, std::move(path), &parsed);
  // Only what the pages put in their own links is kept for the language switch.
  std::map<std::string, std::string> keep;
  for (const char* key : {"ref", "token"}) {
    auto it = r.query.find(key);
    if (it != r.query.end() && PlainToken(it->second)) keep[key] = it->second;
  }
  r.query = std::move(keep);
  return r;
}

// The language of a form post: its lang field, else the request's.
Lang FormLang(const http::Request& req, const std::map<std::string, std::string>& form,
              Lang fallback) {
  std::string lang = Param(form, "lang");
  if (lang == "en") return Lang::kEn;
  if (lang == "es") return Lang::kEs;
  (void)req;
  return fallback;
}

http::Response NotValid(const http::Request& req, const PageRequest& r, Msg text) {
  return Page(req, bhttp::status::bad_request, r.lang,
              SimplePage(r, Str(r.lang, Msg::kNotValidTitle), Paragraph(r.lang, text)));
}

http::Response Unavailable(const http::Request& req, const PageRequest& r, bhttp::status status) {
  return Page(req, status, r.lang,
              SimplePage(r, Str(r.lang, Msg::kUnavailableTitle),
                         Paragraph(r.lang, Msg::kUnavailableText)));
}

http::Response HandleRegisterForm(const WebContext& web, const http::Request& req) {
  PageRequest r = ReadPage(req, "/register");
  RegisterForm f;
  f.ref = Param(r.query, "ref");
  if (f.ref.empty()) return NotValid(req, r, Msg::kErrLink);
  return Page(req, bhttp::status::ok, r.lang, RegisterPage(web, r, f));
}

// Queues the registration as POST /api/v1/registrations does, and answers
// alike for every ref (§2.3): nothing about the person is looked at here.
http::Response HandleRegisterPost(const WebContext& web, const http::Request& req,
                                  http::RequestContext& ctx) {
  const RegistrationPages& reg = *web.registration;
  PageRequest r = ReadPage(req, "/register");
  auto form = ParseQueryString(req.body());
  std::map<std::string, std::string> fields = form ? *form : std::map<std::string, std::string>{};
  r.lang = FormLang(req, fields, r.lang);
  const Lang lang = r.lang;
  if (reg.limiter) {
    std::chrono::seconds retry{0};
    if (!reg.limiter->Allow(ctx.client_address, &retry)) {
      std::string text(Str(lang, Msg::kTooManyRegistrations));
      text.replace(text.find("{n}"), 3, std::to_string(retry.count()));
      auto res = Page(req, bhttp::status::too_many_requests, lang,
                      SimplePage(r, Str(lang, Msg::kRegisterTitle), "<p>" + E(text) + "</p>\n"));
      res.set(bhttp::field::retry_after, std::to_string(retry.count()));
      return res;
    }
  }
  RegisterForm f;
  f.ref = Param(fields, "ref");
  if (!form || !PlainToken(f.ref) || f.ref.size() > 64) return NotValid(req, r, Msg::kErrLink);
  r.query["ref"] = f.ref;  // the language switch goes back to this form
  f.channel = Param(fields, "channel");
  f.contact = Param(fields, "contact");
  f.language = Param(fields, "language");
  if (f.language != "en" && f.language != "es") f.language = std::string(Code(lang));
  notify::RegistrationRequest request;
  request.ref = f.ref;
  request.language = f.language;
  Result<std::string> contact = std::string();
  if (f.channel == "sms" && reg.options.sms) {
    request.channel = Channel::kSms;
    contact = notify::NormalizePhone(f.contact, reg.options.default_region, notify::PhoneUse::kSms);
  } else if (f.channel == "voice" && reg.options.voice) {
    request.channel = Channel::kVoice;
    contact =
        notify::NormalizePhone(f.contact, reg.options.default_region, notify::PhoneUse::kVoice);
    request.pin = Param(fields, "pin");
  } else {
    f.channel = "email";
    contact = notify::NormalizeEmail(f.contact);
  }
  if (!contact) {
    f.bad_field = "contact";
    f.message = std::string(Str(lang, request.channel == Channel::kEmail ? Msg::kErrEmail
                                                                          : Msg::kErrPhone));
    return Page(req, bhttp::status::bad_request, lang, RegisterPage(web, r, f));
  }
  if (request.channel == Channel::kVoice && !IsPin(request.pin)) {
    f.bad_field = "pin";
    f.message = std::string(Str(lang, Msg::kErrPin));
    return Page(req, bhttp::status::bad_request, lang, RegisterPage(web, r, f));
  }
  request.contact = std::move(*contact);
  if (!reg.intake->Submit(std::move(request))) {
    return Unavailable(req, r, bhttp::status::service_unavailable);
  }
  std::string c = Paragraph(lang, Msg::kSentText);
  if (reg.options.sms || reg.options.voice) {
    c += "<p><a href=\"/verify?lang=" + std::string(Code(lang)) + "\">" +
         E(Str(lang, Msg::kEnterCode)) + "</a></p>\n";
  }
  r.query.clear();
  return Page(req, bhttp::status::ok, lang, SimplePage(r, Str(lang, Msg::kSentTitle), c));
}

http::Response HandleVerifyPage(const WebContext& web, const http::Request& req) {
  PageRequest r = ReadPage(req, "/verify");
  std::string token = Param(r.query, "token");
  if (token.empty()) {
    Result<std::map<std::string, std::string>> raw = std::map<std::string, std::string>{};
    ReadRequest(req, "/verify", &raw);
    if (raw && raw->count("token")) return NotValid(req, r, Msg::kErrLink);
    const auto& options = web.registration->options;
    if (!options.sms && !options.voice) return NotValid(req, r, Msg::kErrLink);
    return Page(req, bhttp::status::ok, r.lang, CodePage(r, "", options.voice));
  }
  std::string c = Paragraph(r.lang, Msg::kVerifyText);
  c += ButtonForm("/verify?token=" + token + "&lang=" + std::string(Code(r.lang)),
                  Str(r.lang, Msg::kVerifyButton));
  return Page(req, bhttp::status::ok, r.lang, SimplePage(r, Str(r.lang, Msg::kVerifyTitle), c));
}

http::Response HandleVerifyPost(const WebContext& web, const http::Request& req) {
  const RegistrationPages& reg = *web.registration;
  PageRequest r = ReadPage(req, "/verify");
  std::string token = Param(r.query, "token");
  Result<void> done;
  if (!token.empty()) {
    done = reg.registrar->Verify(token);
  } else {
    auto form = ParseQueryString(req.body());
    if (!form || (!reg.options.sms && !reg.options.voice)) {
      return NotValid(req, r, Msg::kNotValidText);
    }
    r.lang = FormLang(req, *form, r.lang);
    auto number = notify::NormalizePhone(Param(*form, "contact"), reg.options.default_region,
                                         notify::PhoneUse::kVoice);
    if (!number) return NotValid(req, r, Msg::kErrPhone);
    // The code came by text or by call; the form does not ask which.
    done = reg.registrar->VerifyCode(Channel::kSms, *number, Param(*form, "code"));
    if (!done && done.error().code() == ErrorCode::kInvalidArgument && reg.options.voice) {
      done = reg.registrar->VerifyCode(Channel::kVoice, *number, Param(*form, "code"));
    }
  }
  r.query.clear();  // a used token is of no use to the language switch
  if (!done) {
    if (done.error().code() == ErrorCode::kInvalidArgument) {
      return NotValid(req, r, Msg::kNotValidText);
    }
    return Unavailable(req, r, bhttp::status::service_unavailable);
  }
  return Page(req, bhttp::status::ok, r.lang,
              SimplePage(r, Str(r.lang, Msg::kVerifiedTitle),
                         Paragraph(r.lang, Msg::kVerifiedText)));
}

http::Response HandleUnsubscribePage(const http::Request& req) {
  PageRequest r = ReadPage(req, "/unsubscribe");
  std::string token = Param(r.query, "token");
  if (token.empty()) return NotValid(req, r, Msg::kErrLink);
  std::string c = Paragraph(r.lang, Msg::kStopText);
  c += ButtonForm("/unsubscribe?token=" + token + "&lang=" + std::string(Code(r.lang)),
                  Str(r.lang, Msg::kStopTitle));
  return Page(req, bhttp::status::ok, r.lang, SimplePage(r, Str(r.lang, Msg::kStopTitle), c));
}

// Also RFC 8058 one-click: mail clients POST "List-Unsubscribe=One-Click" here.
http::Response HandleUnsubscribePost(const WebContext& web, const http::Request& req) {
  PageRequest r = ReadPage(req, "/unsubscribe");
  std::string token = Param(r.query, "token");
  r.query.clear();
  auto done = web.registration->registrar->Unsubscribe(token);
  if (!done) {
    if (done.error().code() == ErrorCode::kInvalidArgument) {
      return NotValid(req, r, Msg::kNotValidText);
    }
    return Unavailable(req, r, bhttp::status::service_unavailable);
  }
  return Page(req, bhttp::status::ok, r.lang,
              SimplePage(r, Str(r.lang, Msg::kStoppedTitle),
                         Paragraph(r.lang, Msg::kStoppedText)));
}

}  // namespace

void AddWebPages(http::Router& router, SearchDependencies deps,
                 const RegistrationPages* registration) {
  auto web = std::make_shared<WebContext>();
  web->deps = deps;
  if (registration) web->registration = *registration;
  for (Lang lang : {Lang::kEn, Lang::kEs}) {
    web->country_options[lang == Lang::kEs ? 1 : 0] = CountryOptions(web->countries, lang);
  }
  std::shared_ptr<const WebContext> shared = web;
  router.Add(bhttp::verb::get, "/", [shared](const http::Request& req, http::RequestContext&) {
    return HandleHome(*shared, req);
  });
  router.Add(bhttp::verb::get, "/search",
             [shared](const http::Request& req, http::RequestContext& ctx) {
               return HandleSearch(*shared, req, ctx);
             });
  if (!registration) return;
  router.Add(bhttp::verb::get, "/register",
             [shared](const http::Request& req, http::RequestContext&) {
               return HandleRegisterForm(*shared, req);
             });
  router.Add(bhttp::verb::post, "/register",
             [shared](const http::Request& req, http::RequestContext& ctx) {
               return HandleRegisterPost(*shared, req, ctx);
             });
  router.Add(bhttp::verb::get, "/verify", [shared](const http::Request& req, http::RequestContext&) {
    return HandleVerifyPage(*shared, req);
  });
  router.Add(bhttp::verb::post, "/verify", [shared](const http::Request& req, http::RequestContext&) {
    return HandleVerifyPost(*shared, req);
  });
  router.Add(bhttp::verb::get, "/unsubscribe",
             [](const http::Request& req, http::RequestContext&) {
               return HandleUnsubscribePage(req);
             });
  router.Add(bhttp::verb::post, "/unsubscribe",
             [shared](const http::Request& req, http::RequestContext&) {
               return HandleUnsubscribePost(*shared, req);
             });
}

}  // namespace vigil::api
