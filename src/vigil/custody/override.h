// An agency's override (DESIGN.md §7): the custody status stated by hand,
// with the time it took effect. It is recorded as an event of the override
// source in the person's history, so it folds, notifies and can be
// retracted like any other; this decides whether it may be made, and as
// which event type.
#ifndef VIGIL_CUSTODY_OVERRIDE_H_
#define VIGIL_CUSTODY_OVERRIDE_H_

#include <string>
#include <string_view>

#include "vigil/core/domain.h"
#include "vigil/core/error.h"

namespace vigil::custody {

struct OverrideRequest {
  CustodyStatus status = CustodyStatus::kInCustody;
  Timestamp effective_at;
  std::string facility_id;  // required with kInCustody, refused otherwise
};

// Refuses, with the field and why (kInvalidArgument), a request wrong in
// itself: effective in the future beyond a few minutes' clock skew, or a
// facility missing or out of place.
Result<void> CheckOverride(const OverrideRequest& request, Timestamp now);

// The event type that moves `subject` to the requested status, for a
// request CheckOverride accepted. kConflict, naming why, when the person's
// state refuses it: no custody basis yet, effective at or before their last
// event, or the status they are in already.
Result<EventType> PlanOverride(const Subject& subject, const OverrideRequest& request);

// The feed line (JSON Lines, docs/feed-format.md) that records a planned
// override as an event of `source`: the person as the store holds them, the
// type from PlanOverride, effective_at as occurred_at, the facility when in
// custody, no protections (an override never lifts one: protections are a
// union over the history).
std::string OverrideFeedLine(const Subject& subject, const OverrideRequest& request, EventType type,
                             std::string_view source, std::string_view event_id);

}  // namespace vigil::custody

#endif  // VIGIL_CUSTODY_OVERRIDE_H_
