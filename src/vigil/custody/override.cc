#include "vigil/custody/override.h"

#include <chrono>

namespace vigil::custody {

Result<void> CheckOverride(const OverrideRequest& request, Timestamp now) {
  if (request.effective_at > now + std::chrono::minutes(5)) {
    return InvalidArgument("effective_at: in the future; an override states what has happened");
  }
  const bool in_custody = request.status == CustodyStatus::kInCustody;
  if (in_custody == request.facility_id.empty()) {
    return InvalidArgument(in_custody ? "facility_id: required when custody_status is in_custody"
                                      : "facility_id: only with custody_status in_custody");
  }
  return {};
}

Result<EventType> PlanOverride(const Subject& subject, const OverrideRequest& request) {
  const bool in_custody = request.status == CustodyStatus::kInCustody;
  if (!subject.custody_basis) {
    return Conflict("the person has no custody basis yet; send a feed event first");
  }
  // An override states the person's state now: one that sorts before what
  // is known would change nothing, and one that restates it would tell
  // every registrant the same news twice.
  if (subject.last_event_at && request.effective_at <= *subject.last_event_at) {
    return Conflict("effective_at: not after the person's last event (" +
                    FormatRfc3339(*subject.last_event_at) + "); retract that event instead");
  }
  if (subject.custody_status == request.status &&
      (!in_custody || subject.facility_id == request.facility_id)) {
    return Conflict("custody_status: the person is already " + std::string(Name(request.status)) +
                    (request.facility_id.empty() ? "" : " at " + request.facility_id));
  }
  switch (request.status) {
    case CustodyStatus::kInCustody:
      return subject.custody_status == CustodyStatus::kInCustody ? EventType::kTransferred
             : subject.custody_status == CustodyStatus::kEscaped ? EventType::kReturned
                                                                 : EventType::kBooked;
    case CustodyStatus::kReleased:
      return EventType::kReleased;
    case CustodyStatus::kRemoved:
      return EventType::kRemoved;
    case CustodyStatus::kEscaped:
      return EventType::kEscaped;
    case CustodyStatus::kDeceased:
      return EventType::kDeceased;
  }
  return InvalidArgument("custody_status: unknown");
}

}  // namespace vigil::custody
