// The phone hotline (docs/hotline.md): a caller looks a person up by
// A-number, registers the number they call from for calls about that
// person, hears and manages the calls their number gets, stops calls they
// never asked for, and reaches a specialist — all by keypad, on the
// Twilio-compatible voice webhooks the outbound calls already use.
//
//   POST /api/v1/voice/hotline          a call to a hotline number begins
//   POST /api/v1/voice/hotline/<step>   every later turn of the call
//
// Each request must carry a valid X-Twilio-Signature for public_url + the
// path and query it was called on, else 403. A step is asked for first
// without `Digits` (its prompt) and again with them (the answer, a
// <Gather>'s action); the call's state travels in the query the provider
// signs (language, tries, the A-number typed, a PIN's keyed hash — never a
// PIN). Every prompt comes from the catalogue (i18n/catalogue/<lang>.txt,
// hotline.*), is spoken in the caller's language with its voice, repeats on
// `*` and, after `max_tries` turns without a usable answer, ends politely.
//
// What a lookup speaks comes from the disclosure gate's public projection,
// through the same function the web search uses (RunPublicSearch): a
// withheld person, a minor and nobody all produce the same TwiML bytes.
// Nothing asks the caller's immigration status.
//
// Handlers are thread-safe given thread-safe dependencies.
#ifndef VIGIL_API_HOTLINE_ROUTES_H_
#define VIGIL_API_HOTLINE_ROUTES_H_

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "vigil/api/search_routes.h"
#include "vigil/audit/audit_log.h"
#include "vigil/core/clock.h"
#include "vigil/http/rate_limit.h"
#include "vigil/http/router.h"
#include "vigil/notify/contact_vault.h"
#include "vigil/notify/registrar.h"
#include "vigil/policy/disclosure_policy.h"
#include "vigil/store/store.h"

namespace vigil::api {

// When specialists answer: days of the week and a daily span, in a time
// zone. Parsed from "Mon-Fri 09:00-17:00" (days as Mon..Sun, a range or a
// comma list; 24-hour times, the end after the start).
struct HotlineHours {
  unsigned days = 0;  // bit 0 Monday ... bit 6 Sunday
  int from_minute = 0, to_minute = 0;
  std::string time_zone = "America/New_York";  // IANA

  // kInvalidArgument "hours: ..." saying what is wrong.
  static Result<HotlineHours> Parse(std::string_view text, std::string_view time_zone);
  // Whether `at` falls in the hours, in the time zone.
  bool Open(Timestamp at) const;
};

struct HotlineOptions {
  // The hotline's numbers (E.164) and the language each answers in; a call
  // to another number is asked to choose one.
  std::map<std::string, std::string> numbers;
  std::vector<std::string> specialists;  // E.164, dialled together
  HotlineHours hours;
  std::chrono::seconds ring_timeout{20};
  std::chrono::seconds voicemail_max{120};
  int max_tries = 3;
};

struct HotlineDependencies {
  SearchDependencies search;  // the lookups (their `limiter` is ignored)
  const notify::ContactVault* vault = nullptr;
  notify::Registrar* registrar = nullptr;
  // Lookups per calling number, like web searches per address; may be null.
  http::RateLimiter* limiter = nullptr;
  std::string auth_token;  // the provider's; empty refuses every request
  std::string public_url;  // as the provider calls us
  HotlineOptions options;
  // Stores a voicemail (core/domain.h); may be empty (then none is offered).
  std::function<Result<void>(const Voicemail&)> store_voicemail;
  audit::AuditWriter* audit = nullptr;  // PIN changes and stops; may be null
};

// Adds the routes above; everything must outlive the router.
void AddHotlineRoutes(http::Router& router, HotlineDependencies deps);

}  // namespace vigil::api

#endif  // VIGIL_API_HOTLINE_ROUTES_H_
