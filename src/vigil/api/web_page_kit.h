// Inside the web pages (web_pages.h): what every page family shares — the
// request as the pages read it, the document frame, escaping, links — and
// the handlers of each family: web_search_pages.cc (the home page and the
// results) and web_registration_pages.cc (register, verify, unsubscribe).
// Only web_*.cc include this.
#ifndef VIGIL_API_WEB_PAGE_KIT_H_
#define VIGIL_API_WEB_PAGE_KIT_H_

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "vigil/api/web_i18n.h"
#include "vigil/api/web_pages.h"

namespace vigil::api::web {

namespace bhttp = boost::beast::http;

inline constexpr char kContentSecurityPolicy[] =
    "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

// What the pages know about the request they answer.
struct PageRequest {
  Lang lang = Lang::kEn;
  const SafetyText* safety = nullptr;        // the operator's; never null after ReadRequest
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
  SafetyText safety;
  std::optional<RegistrationPages> registration;  // the /register pages, when offered
  // Tries of a status reference's PIN: 5 an hour each (never null).
  std::unique_ptr<http::RateLimiter> status_tries;
  CountryNames countries;
  std::map<std::string, std::string> country_options;  // <optgroup>s of <option>s, by language
};

std::string_view Str(Lang lang, Msg msg);
std::string E(std::string_view text);
// Escapes `text`, then replaces "{key}" in it with `html` (already markup).
std::string Fill(std::string_view text, std::string_view key, std::string_view html);
std::string UrlEncode(std::string_view s);
// The same page in `lang`: the path and query as they were, with lang= set.
std::string UrlIn(const PageRequest& r, Lang lang);
// "+17605550100" -> "(760) 555-0100"; other numbers as they are.
std::string DisplayPhone(const std::string& e164);
std::string TelHref(std::string_view phone);
// The whole document around a page's own content: head, skip link, header
// with the language switch, the h1 and the safety notice, footer.
std::string Document(const PageRequest& r, std::string_view title, std::string_view h1,
                     std::string_view content);
// A page with a heading, one paragraph and a way back.
std::string MessagePage(const PageRequest& r, std::string_view title, const std::string& text);
http::Response Page(const http::Request& req, bhttp::status status, Lang lang, std::string html);
PageRequest ReadRequest(const WebContext& web, const http::Request& req, std::string path,
                        Result<std::map<std::string, std::string>>* parsed);
// The "Browse more safely" page, and the pages of a 404 and a 500.
http::Response HandleSafety(const WebContext& web, const http::Request& req);
http::Response ErrorPage(const WebContext& web, const http::Request& req, bhttp::status status);
// The quick-exit script: Esc leaves, and leaving replaces the history entry.
http::Response HandleQuickExitScript(const http::Request& req);

// web_search_pages.cc
std::string CountryOptions(const CountryNames& countries, Lang lang);
http::Response HandleHome(const WebContext& web, const http::Request& req);
http::Response HandleSearch(const WebContext& web, const http::Request& req,
                            http::RequestContext& ctx);

// web_registration_pages.cc
http::Response HandleRegisterForm(const WebContext& web, const http::Request& req);
// Queues the registration as POST /api/v1/registrations does, and answers
// alike for every ref (§2.3): nothing about the person is looked at here.
http::Response HandleRegisterPost(const WebContext& web, const http::Request& req,
                                  http::RequestContext& ctx);
http::Response HandleVerifyPage(const WebContext& web, const http::Request& req);
http::Response HandleVerifyPost(const WebContext& web, const http::Request& req);
http::Response HandleUnsubscribePage(const WebContext& web, const http::Request& req);
// The registrant's page (web_pages.h): by reference and PIN, or by a notice's token.
http::Response HandleStatusPage(const WebContext& web, const http::Request& req);
http::Response HandleStatusPost(const WebContext& web, const http::Request& req,
                                http::RequestContext& ctx);
http::Response HandleStatusLanguage(const WebContext& web, const http::Request& req);
// Protection requests (web_pages.h /protect), when RegistrationPages::protection is set.
http::Response HandleProtectForm(const WebContext& web, const http::Request& req);
http::Response HandleProtectPost(const WebContext& web, const http::Request& req,
                                 http::RequestContext& ctx);
// Also RFC 8058 one-click: mail clients POST "List-Unsubscribe=One-Click" here.
http::Response HandleUnsubscribePost(const WebContext& web, const http::Request& req);

}  // namespace vigil::api::web

#endif  // VIGIL_API_WEB_PAGE_KIT_H_
