// Registration for notices (DESIGN.md §7): the HTTP side of
// notify::Registrar.
//
//   POST /api/v1/registrations          {"ref","channel","contact","language"[,"pin"]}
//                                       (optionally with an advocate key)
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

#include <chrono>
#include <string>

#include "vigil/audit/audit_log.h"
#include "vigil/http/rate_limit.h"
#include "vigil/http/router.h"
#include "vigil/notify/registrar.h"

namespace vigil::api {

struct RegistrationRouteOptions {
  bool sms = false;                   // offer the sms channel
  bool voice = false;                 // offer the voice channel
  std::string default_region = "US";  // for numbers typed without "+"
  // Advocate keys: a request with "Authorization: Bearer <key>" whose key has
  // the scope registrations:advocate is not held to the per-address limit,
  // and is audited. Null: no key is read (an Authorization header is refused).
  Store* key_store = nullptr;
  audit::AuditWriter* audit = nullptr;
};

// How often registrations may be asked for (docs/security.md), each limit
// null for none: per address (the connection), per contact (one inbox or
// phone is not flooded with confirmations) and per person (one person's
// ref is not farmed). A shelter or a legal clinic, where many share one
// address, uses an advocate key or the higher per-address default.
struct RegistrationLimits {
  http::RateLimiter* per_address = nullptr;
  http::RateLimiter* per_contact = nullptr;
  http::RateLimiter* per_person = nullptr;
};

enum class RegistrationLimit { kNone, kAddress, kContact, kPerson };

// Takes a token from each limit, address first (skipped for an advocate:
// `address` empty); the first that has none is returned, with how long until
// it has one in *retry. Contacts are keyed by a keyed hash, never kept.
RegistrationLimit TakeRegistrationTokens(const RegistrationLimits* limits,
                                         const std::string& address, const std::string& contact,
                                         const std::string& ref, std::chrono::seconds* retry);

// Whether `pin` is a voice PIN: exactly 4 digits.
bool IsPin(std::string_view pin);

// Adds the routes above. `limits` may be null (no limit); everything must
// outlive the router.
void AddRegistrationRoutes(http::Router& router, notify::Registrar* registrar,
                           notify::RegistrationIntake* intake, const RegistrationLimits* limits,
                           RegistrationRouteOptions options = {});

}  // namespace vigil::api

#endif  // VIGIL_API_REGISTRATION_ROUTES_H_
