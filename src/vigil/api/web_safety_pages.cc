// The pages that keep a visitor safe or tell them what went wrong
// (web_page_kit.h): "Browse more safely", the quick-exit script, and the
// HTML 404 and 500 pages browsers get instead of the API's JSON.
#include "vigil/api/web_page_kit.h"

namespace vigil::api::web {

namespace {

// Leaves for the neutral site on the Esc key and on the "Leave this site"
// link, replacing the current history entry so that Back does not return
// here. The link works without it.
constexpr char kQuickExitScript[] = R"js((function () {
  'use strict';
  var link = document.getElementById('quick-exit');
  if (!link) return;
  function leave(event) {
    if (event) event.preventDefault();
    document.title = '';
    document.body.style.visibility = 'hidden';
    window.location.replace(link.href);
  }
  link.addEventListener('click', leave);
  document.addEventListener('keydown', function (event) {
    if (event.key === 'Escape' || event.key === 'Esc') leave(event);
  });
})();
)js";

std::string Section(Lang lang, Msg heading, const std::string& body_html) {
  return "<h2>" + E(Str(lang, heading)) + "</h2>\n" + body_html;
}

std::string Para(Lang lang, Msg msg) { return "<p>" + E(Str(lang, msg)) + "</p>\n"; }

std::string TelLink(const std::string& number) {
  return "<a href=\"" + E(TelHref(number)) + "\">" + E(number) + "</a>";
}

}  // namespace

http::Response HandleSafety(const WebContext& web, const http::Request& req) {
  Result<std::map<std::string, std::string>> parsed = std::map<std::string, std::string>{};
  PageRequest r = ReadRequest(web, req, "/safety", &parsed);
  r.query.clear();
  const Lang lang = r.lang;
  std::string c = Para(lang, Msg::kSaferIntro);
  c += Section(lang, Msg::kSaferExitHeading, Para(lang, Msg::kSaferExit));
  c += Section(lang, Msg::kSaferPrivateHeading, Para(lang, Msg::kSaferPrivate));
  c += Section(lang, Msg::kSaferHistoryHeading, Para(lang, Msg::kSaferHistory));
  c += Section(lang, Msg::kSaferSharedHeading, Para(lang, Msg::kSaferShared));
  std::string help =
      "<ul>\n<li>" + Fill(Str(lang, Msg::kSaferHelp911), "911", "<a href=\"tel:911\">911</a>") +
      "</li>\n<li>" +
      Fill(Str(lang, Msg::kSaferHelpDv), "dv_hotline", TelLink(web.safety.dv_hotline)) +
      "</li>\n<li>" +
      Fill(Str(lang, Msg::kSaferHelpTrafficking), "trafficking_hotline",
           TelLink(web.safety.trafficking_hotline)) +
      "</li>\n</ul>\n" + Para(lang, Msg::kSaferHelpImmigration);
  c += Section(lang, Msg::kSaferHelpHeading, help);
  c += "<p><a href=\"/?lang=" + std::string(Code(lang)) + "\">" + E(Str(lang, Msg::kBackToSearch)) +
       "</a></p>\n";
  return Page(req, bhttp::status::ok, lang,
              Document(r, Str(lang, Msg::kSaferTitle), Str(lang, Msg::kSaferTitle), c));
}

http::Response ErrorPage(const WebContext& web, const http::Request& req, bhttp::status status) {
  Result<std::map<std::string, std::string>> parsed = std::map<std::string, std::string>{};
  PageRequest r = ReadRequest(web, req, "/", &parsed);
  r.query.clear();  // the language links lead home, not back to the failure
  const bool missing = status == bhttp::status::not_found;
  std::string html =
      MessagePage(r, Str(r.lang, missing ? Msg::kNotFoundTitle : Msg::kServerErrorTitle),
                  std::string(Str(r.lang, missing ? Msg::kNotFoundText : Msg::kServerErrorText)));
  return Page(req, status, r.lang, std::move(html));
}

http::Response HandleQuickExitScript(const http::Request& req) {
  http::Response res{bhttp::status::ok, req.version()};
  res.set(bhttp::field::content_type, "text/javascript; charset=utf-8");
  res.set(bhttp::field::cache_control, "no-store");
  res.set("X-Content-Type-Options", "nosniff");
  res.keep_alive(req.keep_alive());
  res.body() = kQuickExitScript;
  res.prepare_payload();
  return res;
}

}  // namespace vigil::api::web
