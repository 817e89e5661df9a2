// What every page family shares (web_page_kit.h).
#include "vigil/api/web_page_kit.h"

#include "vigil/core/time_format.h"
#include "vigil/http/form.h"

namespace vigil::api::web {

namespace {

// Colours meet WCAG 2.1 AA: body text #1b1b1b and links #0b4f9c on white,
// white on the header's #12324f and the button's #0b4f9c, the error red
// #a1201f on white and on the safety notice's #fdf1f1 — every pair above
// 4.5:1; field borders and the focus ring (#1b1b1b) above 3:1.
constexpr char kCss[] = R"css(
*{box-sizing:border-box}
html{color-scheme:light}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;
font-size:1.0625rem;line-height:1.5;color:#1b1b1b;background:#fff;overflow-wrap:anywhere}
h1,h2,h3{hyphens:auto}
a{color:#0b4f9c;text-underline-offset:.15em}
a:hover{text-decoration-thickness:.15em}
a:focus,button:focus,main:focus-visible{outline:3px solid #1b1b1b;outline-offset:3px}
input:focus,select:focus{outline:4px solid #0b4f9c;outline-offset:0}
a:focus:not(:focus-visible),button:focus:not(:focus-visible){outline:none}
a:focus-visible{background:#ffdd57;color:#1b1b1b;outline:3px solid #1b1b1b;outline-offset:0}
main:focus:not(:focus-visible){outline:none}
.wrap{max-width:48rem;margin:0 auto;padding:0 1rem}
.skip{position:absolute;top:0;width:1px;height:1px;margin:-1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.skip:focus{width:auto;height:auto;margin:0;overflow:visible;clip-path:none;inset-inline-start:1rem;top:.5rem;z-index:10;padding:.5rem 1rem;background:#fff}
header{background:#12324f;color:#fff}
header .bar{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.5rem;padding-top:.6rem;padding-bottom:.6rem}
header a{color:#fff}
header p{margin:0}
.brand a{font-weight:700;font-size:1.35rem;text-decoration:none}
.brand span{margin-inline-start:.5rem}
header nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.35rem}
header nav a{font-weight:600;display:inline-block;padding:.2rem .45rem;border:2px solid #fff}
.exitbar{background:#fff;border-bottom:1px solid #757575;position:sticky;top:0;z-index:5}
.exitbar .wrap{display:flex;justify-content:flex-end;padding-top:.4rem;padding-bottom:.4rem}
a.exit{display:inline-block;font-weight:700;color:#fff;background:#a1201f;border:2px solid #a1201f;padding:.45rem 1rem;text-decoration:none;border-radius:.25rem}
a.exit:hover{background:#7d1817}
a.exit:focus-visible{background:#ffdd57;color:#1b1b1b;outline:3px solid #1b1b1b}
header a:focus-visible{background:#ffdd57;color:#1b1b1b}
h1{font-size:2rem;line-height:1.2;margin:1.5rem 0 1rem}
h2{font-size:1.5rem;line-height:1.25;margin:2rem 0 .75rem}
h3{font-size:1.25rem;margin:0 0 .5rem}
.safety{border-inline-start:.5rem solid #a1201f;background:#fdf1f1;padding:.75rem 1rem;margin:0 0 1.5rem}
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
.error{color:#a1201f;font-weight:700;border-inline-start:.3rem solid #a1201f;padding-inline-start:.75rem;margin:0 0 1rem}
.results{list-style:none;margin:0;padding:0}
.results>li{border:1px solid #757575;border-inline-start:.5rem solid #12324f;padding:1rem;margin:0 0 1rem}
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

}  // namespace

std::string_view Str(Lang lang, Msg msg) { return Text(lang, msg); }

std::string E(std::string_view text) { return HtmlEscape(text); }

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

std::string DisplayPhone(const std::string& e164) {
  if (e164.size() == 12 && e164.rfind("+1", 0) == 0) {
    return "(" + e164.substr(2, 3) + ") " + e164.substr(5, 3) + "-" + e164.substr(8);
  }
  return e164;
}

std::string TelHref(std::string_view phone) {
  std::string digits;
  for (char c : phone) {
    if (c == '+' || (c >= '0' && c <= '9')) digits += c;
  }
  // A North American number as people write it: "1-800-799-7233", "(202) 555-0143".
  if (digits.size() == 11 && digits[0] == '1') digits = "+" + digits;
  if (digits.size() == 10 && digits[0] >= '2') digits = "+1" + digits;
  return "tel:" + digits;
}

std::string Document(const PageRequest& r, std::string_view title, std::string_view h1,
                     std::string_view content) {
  static const SafetyText kDefaultSafety;
  const SafetyText& safety = r.safety ? *r.safety : kDefaultSafety;
  const Lang lang = r.lang;
  std::string html;
  html.reserve(content.size() + 8000);
  html += "<!doctype html>\n<html lang=\"";
  html += Code(lang);
  html += lang.rtl() ? "\" dir=\"rtl" : "\" dir=\"ltr";
  html +=
      "\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"referrer\" content=\"no-referrer\">\n<title>";
  html += E(title);
  html += " — vigil</title>\n<style>";
  html += kCss;
  html += "</style>\n<script src=\"/quick-exit.js\" defer></script>\n</head>\n<body>\n";
  // First on the page, for the eye and for the keyboard: the way out.
  html += "<div class=\"exitbar\"><div class=\"wrap\"><a class=\"exit\" id=\"quick-exit\" href=\"";
  html += E(safety.exit_url);
  html += "\" rel=\"noreferrer\" title=\"";
  html += E(Str(lang, Msg::kQuickExitHint));
  html += "\">";
  html += E(Str(lang, Msg::kQuickExit));
  html += "</a></div></div>\n<a class=\"skip\" href=\"#main\">";
  html += E(Str(lang, Msg::kSkipLink));
  html += "</a>\n<header>\n<div class=\"wrap bar\">\n<p class=\"brand\"><a href=\"/?lang=";
  html += Code(lang);
  html += "\">vigil</a> <span>";
  html += E(Str(lang, Msg::kSiteTagline));
  html += "</span></p>\n<nav aria-label=\"";
  html += E(Str(lang, Msg::kLanguageNav));
  html += "\"><ul>";
  for (Lang other : Lang::All()) {
    if (other == lang) continue;
    html += "<li><a href=\"";
    html += E(UrlIn(r, other));
    html += "\" lang=\"";
    html += Code(other);
    html += "\" hreflang=\"";
    html += Code(other);
    html += other.rtl() ? "\" dir=\"rtl\">" : "\">";
    html += E(Endonym(other));
    html += "</a></li>";
  }
  html +=
      "</ul></nav>\n</div>\n</header>\n<main id=\"main\" tabindex=\"-1\">\n<div "
      "class=\"wrap\">\n<h1>";
  html += E(h1);
  html += "</h1>\n<section class=\"safety\" aria-labelledby=\"safety\">\n<h2 id=\"safety\">";
  html += Fill(Str(lang, Msg::kSafetyDanger), "911", "<a href=\"tel:911\">911</a>");
  html += "</h2>\n<p>";
  html +=
      Fill(Str(lang, Msg::kSafetyHotline), "hotline",
           "<a href=\"" + E(TelHref(safety.dv_hotline)) + "\">" + E(safety.dv_hotline) + "</a>");
  html += " <a href=\"/safety?lang=";
  html += Code(lang);
  html += "\">";
  html += E(Str(lang, Msg::kSaferLink));
  html += "</a></p>\n</section>\n";
  html += content;
  html += "</div>\n</main>\n<footer>\n<div class=\"wrap\">\n<p>";
  html += E(Str(lang, Msg::kProtectedNote));
  html += "</p>\n<p>";
  html += E(Str(lang, Msg::kSourceNote));
  html += "</p>\n</div>\n</footer>\n</body>\n</html>\n";
  return html;
}

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
  res.set(bhttp::field::cache_control, "no-store");
  res.set(bhttp::field::vary, "Accept-Language");
  return res;
}

PageRequest ReadRequest(const WebContext& web, const http::Request& req, std::string path,
                        Result<std::map<std::string, std::string>>* parsed) {
  std::string_view query = http::QueryOf(req);
  *parsed = http::ParseQueryString(query);
  PageRequest r;
  r.safety = &web.safety;
  r.path = std::move(path);
  std::string_view lang;
  if (*parsed) {
    r.query = **parsed;
    if (auto it = r.query.find("lang"); it != r.query.end()) lang = it->second;
  } else {
    // Keep the visitor's language even when another parameter is unreadable.
    for (Lang each : Lang::All()) {
      std::string pair = "lang=" + std::string(each.code());
      size_t at = query.find(pair);
      size_t end = at + pair.size();
      if (at != std::string_view::npos && (at == 0 || query[at - 1] == '&') &&
          (end == query.size() || query[end] == '&')) {
        lang = each.code();
      }
    }
  }
  auto accept = req.find(bhttp::field::accept_language);
  r.lang = ChooseLang(lang, accept == req.end()
                                ? std::string_view()
                                : std::string_view(accept->value().data(), accept->value().size()));
  return r;
}

}  // namespace vigil::api::web
