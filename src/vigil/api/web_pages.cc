#include "vigil/api/web_pages.h"

#include <memory>

#include "vigil/api/web_page_kit.h"

namespace vigil::api {

using namespace web;  // NOLINT: the page families

void AddWebPages(http::Router& router, SearchDependencies deps,
                 const RegistrationPages* registration, const SafetyText& safety) {
  auto web = std::make_shared<WebContext>();
  web->deps = deps;
  web->safety = safety;
  static const SystemClock kSystemClock;
  web->status_tries = std::make_unique<http::RateLimiter>(
      5, deps.clock ? deps.clock : &kSystemClock, std::chrono::hours(1));
  if (registration) web->registration = *registration;
  for (Lang lang : Lang::All()) {
    web->country_options[std::string(lang.code())] = CountryOptions(web->countries, lang);
  }
  std::shared_ptr<const WebContext> shared = web;
  router.Add(bhttp::verb::get, "/", [shared](const http::Request& req, http::RequestContext&) {
    return HandleHome(*shared, req);
  });
  router.Add(bhttp::verb::get, "/search",
             [shared](const http::Request& req, http::RequestContext& ctx) {
               return HandleSearch(*shared, req, ctx);
             });
  router.Add(bhttp::verb::get, "/safety",
             [shared](const http::Request& req, http::RequestContext&) {
               return HandleSafety(*shared, req);
             });
  router.Add(
      bhttp::verb::get, "/quick-exit.js",
      [](const http::Request& req, http::RequestContext&) { return HandleQuickExitScript(req); });
  router.SetErrorPage([shared](const http::Request& req, bhttp::status status) {
    return ErrorPage(*shared, req, status);
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
  router.Add(bhttp::verb::get, "/verify",
             [shared](const http::Request& req, http::RequestContext&) {
               return HandleVerifyPage(*shared, req);
             });
  router.Add(bhttp::verb::post, "/verify",
             [shared](const http::Request& req, http::RequestContext&) {
               return HandleVerifyPost(*shared, req);
             });
  if (registration->protection) {
    router.Add(bhttp::verb::get, "/protect",
               [shared](const http::Request& req, http::RequestContext&) {
                 return HandleProtectForm(*shared, req);
               });
    router.Add(bhttp::verb::post, "/protect",
               [shared](const http::Request& req, http::RequestContext& ctx) {
                 return HandleProtectPost(*shared, req, ctx);
               });
  }
  if (registration->vault) {
    router.Add(bhttp::verb::get, "/status",
               [shared](const http::Request& req, http::RequestContext&) {
                 return HandleStatusPage(*shared, req);
               });
    router.Add(bhttp::verb::post, "/status",
               [shared](const http::Request& req, http::RequestContext& ctx) {
                 return HandleStatusPost(*shared, req, ctx);
               });
    router.Add(bhttp::verb::post, "/status/language",
               [shared](const http::Request& req, http::RequestContext&) {
                 return HandleStatusLanguage(*shared, req);
               });
  }
  router.Add(bhttp::verb::get, "/unsubscribe",
             [shared](const http::Request& req, http::RequestContext&) {
               return HandleUnsubscribePage(*shared, req);
             });
  router.Add(bhttp::verb::post, "/unsubscribe",
             [shared](const http::Request& req, http::RequestContext&) {
               return HandleUnsubscribePost(*shared, req);
             });
}

}  // namespace vigil::api
