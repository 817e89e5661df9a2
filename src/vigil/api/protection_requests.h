// Protection requests (docs/staff.md): anyone may ask that a person not be
// listed; an accredited advocate's request withholds the person at once
// ("provisional", fail closed) until staff decide; staff confirm (the
// provisional withholding becomes the protection the reason calls for) or
// reject (the provisional withholding is lifted). Every step is one store
// transaction with its audit entry, so it commits whole or not at all, and a
// withholding cancels queued notices and suspends registrations in the same
// transaction (custody/takedown.h).
//
// The requester learns nothing the public may not see: a request is stored
// and answered alike whether or not its identifier names anyone.
#ifndef VIGIL_API_PROTECTION_REQUESTS_H_
#define VIGIL_API_PROTECTION_REQUESTS_H_

#include <array>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "vigil/audit/audit_log.h"
#include "vigil/core/clock.h"
#include "vigil/core/error.h"
#include "vigil/custody/override.h"
#include "vigil/notify/contact_vault.h"
#include "vigil/policy/ref_codec.h"
#include "vigil/store/store.h"

namespace vigil::api {

// The reasons a request may give, as stored.
inline constexpr std::array<std::string_view, 5> kRequestReasons = {"vawa", "asylum", "minor",
                                                                    "safety", "other"};

// The protection a confirmed request of `reason` sets: vawa → sec1367 (8
// U.S.C. 1367, VAWA, T and U), asylum → asylum, minor → juvenile, safety and
// other → sealed.
Protection ProtectionFor(std::string_view reason);

struct ProtectionDesk {
  Store* store = nullptr;
  const Clock* clock = nullptr;
  const policy::RefCodec* refs = nullptr;
  const notify::ContactVault* vault = nullptr;
  const audit::AuditLog* audit_log = nullptr;  // may be null: not audited (tests only)
  std::function<void()> changed;               // after a commit that withheld someone; may be empty
  std::chrono::seconds target{24 * 60 * 60};   // [staff] request_target_hours
};

struct NewProtectionRequest {
  std::string identifier;    // an A-number as people write it ("A 012-345-678"), or a ref
  std::string reason;        // one of kRequestReasons
  std::string details;       // at most 1,000 characters
  std::string contact;       // an e-mail or phone for the outcome; may be empty (sealed here)
  std::string requested_by;  // "public", "staff:<name>", "advocate:<name>"
  bool provisional = false;  // withhold now (an accredited advocate, or staff)
  std::string language = "en";  // the outcome is told in it (notify/protection_outcomes.h)
};

// The subject an identifier names: nine A-number digits (an "A", spaces and
// dashes ignored) or a ref; 0 for nobody.
Result<int64_t> ResolveIdentifier(const ProtectionDesk& desk, StoreReader& reader,
                                  std::string_view identifier);

// kInvalidArgument (a message fit to show) for a reason not in the list,
// an identifier that is neither form, details too long. Returns the
// request's id. When `provisional` and the identifier names someone, the
// person is withheld in the same transaction.
Result<int64_t> SubmitProtectionRequest(const ProtectionDesk& desk,
                                        const NewProtectionRequest& request);

// A decision on a queued or provisional request by `actor` ("staff:<name>"):
// confirm sets the reason's protection and lifts the provisional one; reject
// lifts the provisional one if this request set it and no other undecided
// request holds it. kNotFound for no such request; kFailedPrecondition when
// it was decided already.
enum class Decision { kConfirm, kReject };
Result<void> DecideProtectionRequest(const ProtectionDesk& desk, int64_t request_id,
                                     Decision decision, std::string_view actor,
                                     std::string_view note);

// Staff set a person's protections by hand: exactly `protections`, with a
// required reason. Audited as "protection" by `actor`.
Result<void> SetProtectionsByStaff(const ProtectionDesk& desk, int64_t subject_id,
                                   ProtectionSet protections, std::string_view actor,
                                   std::string_view reason);

// Staff stop (reason set) or resume (nullopt) notifications about a person,
// as PUT|DELETE .../block does: the person stays visible; a block cancels
// what is queued in the same transaction. Audited as "block" by `actor`.
// kInvalidArgument for a block without a reason (1 to 500 characters).
Result<void> SetBlockByStaff(const ProtectionDesk& desk, int64_t subject_id,
                             std::optional<std::string_view> reason, std::string_view actor);

// Staff state a person's custody status by hand, as POST .../overrides
// does: an event of the override source (agency_keys.h kOverrideSource) in
// the person's history, imported like a feed line, so it folds, notifies
// and can be retracted like any other. Audited as "override" by `actor`
// in the same transaction. Returns the event type it was recorded as.
// kInvalidArgument (fit to show) for a request CheckOverride refuses or a
// reason not 1 to 500 characters; kConflict (fit to show) when the
// person's state refuses it (PlanOverride); kNotFound for no such person.
Result<EventType> OverrideByStaff(const ProtectionDesk& desk, int64_t subject_id,
                                  const custody::OverrideRequest& request, std::string_view actor,
                                  std::string_view reason);

}  // namespace vigil::api

#endif  // VIGIL_API_PROTECTION_REQUESTS_H_
