// Registration for notices (DESIGN.md §7, issue 4): the HTTP side of
// notify::Registrar.
//
//   POST /api/v1/registrations          {"ref","channel","contact","language"}
//   POST /api/v1/registrations/verify   {"token"}
//   GET  /verify?token=T                a page with a one-button form (mail
//   POST /verify?token=T                scanners follow links; people press buttons)
//   GET  /unsubscribe?token=T           a page with a one-button form
//   POST /unsubscribe?token=T           RFC 8058 one-click (List-Unsubscribe=One-Click)
//
// A registration is answered before anything about the person is looked at:
// a well-formed request gets 202 and the same body whatever the ref names;
// the work runs on a notify::RegistrationIntake thread. Malformed requests
// get 400 naming the field, for every ref alike. Only the email channel is
// offered so far.
#ifndef VIGIL_API_REGISTRATION_ROUTES_H_
#define VIGIL_API_REGISTRATION_ROUTES_H_

#include "vigil/http/rate_limit.h"
#include "vigil/http/router.h"
#include "vigil/notify/registrar.h"

namespace vigil::api {

// Adds the routes above. `limiter` may be null (no limit); everything must
// outlive the router.
void AddRegistrationRoutes(http::Router& router, notify::Registrar* registrar,
                           notify::RegistrationIntake* intake, http::RateLimiter* limiter);

}  // namespace vigil::api

#endif  // VIGIL_API_REGISTRATION_ROUTES_H_
