// The callbacks of a Twilio-compatible voice (and text) provider (DESIGN.md
// §7). Every one must carry a valid X-Twilio-Signature for
// public_url + the path and query it was called on, and the MAC of its
// notification id (`k`), else 403. They answer TwiML (text/xml).
//
//   POST /api/v1/voice/answer?n&k   the call was answered. A verification
//       call reads its code. A notice asks for the registrant's 4-digit PIN
//       before it says anything at all about the person.
//   POST /api/v1/voice/pin?n&k&try  Digits: the PIN. Right: the disclosure
//       gate is asked again, the notice is read and the notification is
//       'acknowledged'; then a menu (1 again, 9 stop these calls). Wrong: asked
//       again, `pin_tries` times in all.
//   POST /api/v1/voice/menu?n&k     Digits 1 or 9, after an acknowledged notice.
//   POST /api/v1/voice/status?n&k   CallStatus at the end of a call. A notice
//       whose PIN was not entered is called again: after `retry_unanswered`
//       when nobody answered, after `retry_answered` when somebody did; after
//       `give_up_after` from when it was queued it ends 'permanent_failure'.
//   POST /api/v1/twilio/sms-status?n&k  MessageStatus of a text sent through
//       the provider: delivered, or undelivered/failed.
#ifndef VIGIL_API_VOICE_ROUTES_H_
#define VIGIL_API_VOICE_ROUTES_H_

#include <chrono>
#include <string>

#include "vigil/audit/audit_log.h"
#include "vigil/core/clock.h"
#include "vigil/http/router.h"
#include "vigil/notify/contact_vault.h"
#include "vigil/notify/registrar.h"
#include "vigil/policy/disclosure_policy.h"
#include "vigil/store/store.h"

namespace vigil::api {

struct VoiceRouteDependencies {
  Store* store = nullptr;
  const notify::ContactVault* vault = nullptr;
  const policy::DisclosurePolicy* policy = nullptr;
  notify::Registrar* registrar = nullptr;
  const Clock* clock = nullptr;
  std::string auth_token;  // the provider's; empty refuses every callback
  std::string public_url;  // as given to the provider in callback URLs
  std::chrono::minutes retry_unanswered{30};
  std::chrono::minutes retry_answered{120};
  std::chrono::hours give_up_after{24};
  int pin_tries = 3;
  // Call outcomes and PINs that settle a notice are logged here; may be null.
  audit::AuditWriter* audit = nullptr;
};

// Adds the routes above; everything must outlive the router.
void AddVoiceRoutes(http::Router& router, VoiceRouteDependencies deps);

}  // namespace vigil::api

#endif  // VIGIL_API_VOICE_ROUTES_H_
