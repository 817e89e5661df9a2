// Registration for notices (DESIGN.md §7): the HTTP side of
// notify::Registrar.
//
//   POST /api/v1/registrations          {"ref","channel","contact","language"[,"pin"]}
//   POST /api/v1/registrations/verify   {"token"} (the emailed link), or
//                                       {"channel":"sms"|"voice","contact","code"} (the
//                                       code a text sent or a call read)
//
// The pages people open from their messages (/register, /verify,
// /unsubscribe, including RFC 8058 one-click) are web pages: api/web_pages.h.
//
// A registration is answered before anything about the person is looked at:
// a well-formed request gets 202 and the same body whatever the ref names;
// the work runs on a notify::RegistrationIntake thread. Malformed requests
// get 400 naming the field, for every ref alike. Email is always offered;
// SMS when a text channel is configured (numbers normalised to E.164 with
// libphonenumber, mobile numbers only); voice when a call channel is, with
// a 4-digit "pin" that every call asks for before it says anything.
#ifndef VIGIL_API_REGISTRATION_ROUTES_H_
#define VIGIL_API_REGISTRATION_ROUTES_H_

#include <string>

#include "vigil/http/rate_limit.h"
#include "vigil/http/router.h"
#include "vigil/notify/registrar.h"

namespace vigil::api {

struct RegistrationRouteOptions {
  bool sms = false;                   // offer the sms channel
  bool voice = false;                 // offer the voice channel
  std::string default_region = "US";  // for numbers typed without "+"
};

// Whether `pin` is a voice PIN: exactly 4 digits.
bool IsPin(std::string_view pin);

// Adds the routes above. `limiter` may be null (no limit); everything must
// outlive the router.
void AddRegistrationRoutes(http::Router& router, notify::Registrar* registrar,
                           notify::RegistrationIntake* intake, http::RateLimiter* limiter,
                           RegistrationRouteOptions options = {});

}  // namespace vigil::api

#endif  // VIGIL_API_REGISTRATION_ROUTES_H_
