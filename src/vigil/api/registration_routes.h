// Registration for notices (DESIGN.md §7, issue 4): the HTTP side of
// notify::Registrar.
//
//   POST /api/v1/registrations          {"ref","channel","contact","language"}
//   POST /api/v1/registrations/verify   {"token"} (the emailed link), or
//                                       {"channel":"sms","contact","code"} (the texted code)
//
// The pages people open from their messages (/register, /verify,
// /unsubscribe, including RFC 8058 one-click) are web pages: api/web_pages.h.
//
// A registration is answered before anything about the person is looked at:
// a well-formed request gets 202 and the same body whatever the ref names;
// the work runs on a notify::RegistrationIntake thread. Malformed requests
// get 400 naming the field, for every ref alike. Email is always offered;
// SMS when a text channel is configured (numbers normalised to E.164 with
// libphonenumber, mobile numbers only).
#ifndef VIGIL_API_REGISTRATION_ROUTES_H_
#define VIGIL_API_REGISTRATION_ROUTES_H_

#include <string>

#include "vigil/http/rate_limit.h"
#include "vigil/http/router.h"
#include "vigil/notify/registrar.h"

namespace vigil::api {

struct RegistrationRouteOptions {
  bool sms = false;                   // offer the sms channel
  std::string default_region = "US";  // for numbers typed without "+"
};

// Adds the routes above. `limiter` may be null (no limit); everything must
// outlive the router.
void AddRegistrationRoutes(http::Router& router, notify::Registrar* registrar,
                           notify::RegistrationIntake* intake, http::RateLimiter* limiter,
                           RegistrationRouteOptions options = {});

}  // namespace vigil::api

#endif  // VIGIL_API_REGISTRATION_ROUTES_H_
