// The search pages: the home page with its two forms, and the results.
#include <memory>

#include "vigil/api/web_page_kit.h"
#include "vigil/core/identifiers.h"
#include "vigil/core/time_format.h"
#include "vigil/i18n/catalogue.h"
#include "vigil/i18n/local_time.h"

namespace vigil::api::web {

namespace {

// "2026-11-01": a <time> element's machine-readable day.
std::string FormatIsoDay(std::chrono::year_month_day day) {
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(day.year()),
                static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
  return out;
}

// DESIGN.md §7: a search answers at most five people.
constexpr size_t kMaxResults = 5;

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
      html_ += "<p class=\"note\">" + E(Str(r_.lang, Msg::kNameVariation)) + "</p>\n";
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
    std::string options = web_.country_options.at(std::string(r_.lang.code()));
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
  // A day, not a time (the public page is no more precise than it must
  // be), and the facility's day: 9 PM in Texas is not tomorrow there.
  const auto day = i18n::LocalDay(s.updated_at(), s.facility() ? s.facility()->time_zone() : "");
  html += row(Str(lang, Msg::kLastUpdate), "<time datetime=\"" + E(FormatIsoDay(day)) + "\">" +
                                               E(FormatDate(lang, day)) + "</time>");
  html += "</dl>\n";
  if (s.custody_status() == CustodyStatus::kEscaped) {
    html += "<p class=\"error\">" + E(Str(lang, Msg::kEscapedWarning)) + "</p>\n";
  }
  if (web.registration) {
    html += "<p class=\"notify\"><a href=\"/register?ref=" + UrlEncode(s.ref()) +
            "&amp;lang=" + std::string(Code(lang)) + "\">" +
            Fill(Str(lang, Msg::kGetNotices), "name", E(s.name())) + "</a></p>\n";
    if (web.registration->protection) {
      html += "<p class=\"protect\"><a href=\"/protect?ref=" + UrlEncode(s.ref()) +
              "&amp;lang=" + std::string(Code(lang)) + "\">" + E(Str(lang, Msg::kProtectLink)) +
              "</a></p>\n";
    }
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

}  // namespace

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

http::Response HandleHome(const WebContext& web, const http::Request& req) {
  Result<std::map<std::string, std::string>> parsed = std::map<std::string, std::string>{};
  PageRequest r = ReadRequest(web, req, "/", &parsed);
  return Page(req, bhttp::status::ok, r.lang, SearchPage(web, r, FormState{}));
}

http::Response HandleSearch(const WebContext& web, const http::Request& req,
                            http::RequestContext& ctx) {
  Result<std::map<std::string, std::string>> parsed = std::map<std::string, std::string>{};
  PageRequest r = ReadRequest(web, req, "/search", &parsed);
  const Lang lang = r.lang;
  if (web.deps.limiter) {
    std::chrono::seconds retry{0};
    if (!web.deps.limiter->Allow(ctx.client_address, &retry)) {
      std::string text =
          i18n::FillTemplate(Str(lang, Msg::kTooManyText), {{"wait", WaitInWords(lang, retry)}});
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

}  // namespace vigil::api::web
