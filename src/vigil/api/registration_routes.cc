#include "vigil/api/registration_routes.h"

#include <nlohmann/json.hpp>
#include <type_traits>

#include "vigil/api/search_routes.h"

namespace vigil::api {
namespace {

namespace bhttp = boost::beast::http;

constexpr char kAccepted[] =
    R"({"status":"accepted","message":"If this person can be followed, a message is on its way to confirm the registration."})";

std::string HtmlPage(const std::string& title, const std::string& body) {
  return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
         "<title>" + title + " — vigil</title></head><body><main><h1>" + title + "</h1>" + body +
         "</main></body></html>\n";
}

// Only tokens of the shape we issue are echoed into a page.
bool PlainToken(std::string_view t) {
  if (t.empty() || t.size() > 80) return false;
  for (char c : t) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') {
      return false;
    }
  }
  return true;
}

std::string TokenParam(const http::Request& req) {
  std::string_view target(req.target().data(), req.target().size());
  size_t q = target.find('?');
  if (q == std::string_view::npos) return "";
  auto params = ParseQueryString(target.substr(q + 1));
  if (!params) return "";
  auto it = params->find("token");
  return it == params->end() ? "" : it->second;
}

}  // namespace

void AddRegistrationRoutes(http::Router& router, notify::Registrar* registrar,
                           notify::RegistrationIntake* intake, http::RateLimiter* limiter) {
  router.Add(bhttp::verb::post, "/api/v1/registrations",
             [intake, limiter](const http::Request& req, http::RequestContext& ctx) {
               auto fail = [&](const auto& e) {
                 if constexpr (std::is_same_v<std::decay_t<decltype(e)>, Error>) {
                   return http::ErrorResponse(req, ctx, e);
                 } else {
                   return http::ErrorResponse(req, ctx, e.value());
                 }
               };
               if (limiter) {
                 std::chrono::seconds retry{0};
                 if (!limiter->Allow(ctx.client_address, &retry)) {
                   auto res = fail(Error(ErrorCode::kResourceExhausted,
                                         "too many registrations from this address; try again in " +
                                             std::to_string(retry.count()) + " s"));
                   res.set(bhttp::field::retry_after, std::to_string(retry.count()));
                   return res;
                 }
               }
               auto body = nlohmann::json::parse(req.body(), nullptr, false);
               if (!body.is_object()) {
                 return fail(InvalidArgument("the body must be a JSON object"));
               }
               for (const auto& [key, value] : body.items()) {
                 if (key != "ref" && key != "channel" && key != "contact" && key != "language") {
                   return fail(InvalidArgument(
                       "unknown field (expected ref, channel, contact, language)"));
                 }
                 if (!value.is_string()) return fail(InvalidArgument(key + " must be a string"));
               }
               auto field = [&](const char* k) {
                 return body.contains(k) ? body[k].get<std::string>() : std::string();
               };
               notify::RegistrationRequest r;
               r.ref = field("ref");
               if (r.ref.empty() || r.ref.size() > 64) {
                 return fail(InvalidArgument("ref is required: the ref of a search result"));
               }
               std::string channel = field("channel");
               if (channel.empty()) channel = "email";
               auto medium = ParseChannel(channel);
               if (!medium) return fail(InvalidArgument("channel must be email, sms or voice"));
               if (*medium != Channel::kEmail) {
                 return fail(InvalidArgument("channel " + channel +
                                             " is not offered by this server yet; use email"));
               }
               r.channel = *medium;
               auto contact = notify::NormalizeEmail(field("contact"));
               if (!contact) return fail(contact.error());
               r.contact = *contact;
               r.language = field("language");
               if (r.language.empty()) r.language = "en";
               if (r.language != "en" && r.language != "es") {
                 return fail(InvalidArgument("language must be \"en\" or \"es\""));
               }
               if (!intake->Submit(std::move(r))) {
                 return fail(Unavailable("registration is busy; try again in a minute"));
               }
               return http::JsonResponse(req, bhttp::status::accepted, kAccepted);
             });
  router.Add(bhttp::verb::post, "/api/v1/registrations/verify",
             [registrar](const http::Request& req, http::RequestContext& ctx) {
               auto body = nlohmann::json::parse(req.body(), nullptr, false);
               if (!body.is_object() || !body.contains("token") || !body["token"].is_string()) {
                 return http::ErrorResponse(
                     req, ctx, InvalidArgument("the body must be {\"token\": \"...\"}").value());
               }
               auto r = registrar->Verify(body["token"].get<std::string>());
               if (!r) return http::ErrorResponse(req, ctx, r.error());
               return http::JsonResponse(req, bhttp::status::ok, R"({"status":"active"})");
             });
  router.Add(bhttp::verb::get, "/verify", [](const http::Request& req, http::RequestContext&) {
    // A page, not an action: mail scanners follow links, people press buttons.
    std::string token = TokenParam(req);
    if (!PlainToken(token)) {
      return http::HtmlResponse(req, bhttp::status::bad_request,
                                HtmlPage("Link not valid", "<p>This link is not complete. Open "
                                                           "it again from the message.</p>"));
    }
    return http::HtmlResponse(
        req, bhttp::status::ok,
        HtmlPage("Confirm your registration",
                 "<form method=\"post\" action=\"/verify?token=" + token +
                     "\"><button type=\"submit\">Confirm</button></form>"));
  });
  router.Add(bhttp::verb::post, "/verify",
             [registrar](const http::Request& req, http::RequestContext&) {
    auto r = registrar->Verify(TokenParam(req));
    if (!r) {
      return http::HtmlResponse(req, bhttp::status::bad_request,
                                HtmlPage("Link not valid", "<p>" + r.error().message() + "</p>"));
    }
    return http::HtmlResponse(req, bhttp::status::ok,
                              HtmlPage("Registration confirmed",
                                       "<p>You will be told when this person's custody changes. "
                                       "Every message says how to stop.</p>"));
  });
  router.Add(bhttp::verb::get, "/unsubscribe", [](const http::Request& req, http::RequestContext&) {
    std::string token = TokenParam(req);
    if (!PlainToken(token)) {
      return http::HtmlResponse(req, bhttp::status::bad_request,
                                HtmlPage("Link not valid", "<p>This link is not complete.</p>"));
    }
    return http::HtmlResponse(
        req, bhttp::status::ok,
        HtmlPage("Stop notices", "<form method=\"post\" action=\"/unsubscribe?token=" + token +
                                     "\"><button type=\"submit\">Stop notices</button></form>"));
  });
  // RFC 8058: mail clients POST "List-Unsubscribe=One-Click" here.
  router.Add(bhttp::verb::post, "/unsubscribe",
             [registrar](const http::Request& req, http::RequestContext&) {
               auto r = registrar->Unsubscribe(TokenParam(req));
               if (!r) {
                 return http::HtmlResponse(req, bhttp::status::bad_request,
                                           HtmlPage("Link not valid", "<p>" + r.error().message() +
                                                                          "</p>"));
               }
               return http::HtmlResponse(req, bhttp::status::ok,
                                         HtmlPage("Notices stopped",
                                                  "<p>You will receive no more notices.</p>"));
             });
}

}  // namespace vigil::api
