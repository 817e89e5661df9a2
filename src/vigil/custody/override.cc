#include "vigil/custody/override.h"

#include <chrono>

#include "vigil/core/json_text.h"
#include "vigil/core/time_format.h"

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

std::string OverrideFeedLine(const Subject& subject, const OverrideRequest& request, EventType type,
                             std::string_view source, std::string_view event_id) {
  std::string line = R"({"record":"custody_event","source":)";
  AppendJsonString(line, source);
  line += R"(,"event_id":)";
  AppendJsonString(line, event_id);
  line += R"(,"type":)";
  AppendJsonString(line, Name(type));
  line += R"(,"occurred_at":)";
  AppendJsonString(line, FormatRfc3339(request.effective_at));
  line += R"(,"subject":{"a_number":)";
  AppendJsonString(line, subject.a_number.digits());
  line += R"(,"given_names":)";
  AppendJsonString(line, subject.given_names);
  line += R"(,"family_names":)";
  AppendJsonString(line, subject.family_names);
  line += R"(,"aliases":[)";
  for (size_t i = 0; i < subject.aliases.size(); ++i) {
    if (i > 0) line += ',';
    AppendJsonString(line, subject.aliases[i]);
  }
  line += ']';
  if (subject.date_of_birth) {
    line += R"(,"date_of_birth":)";
    AppendJsonString(line, subject.date_of_birth->ToString());
  }
  line += R"(,"country_of_birth":)";
  AppendJsonString(line, subject.country_of_birth);
  line += '}';
  if (subject.custody_basis) {
    line += R"(,"custody_basis":)";
    AppendJsonString(line, Name(*subject.custody_basis));
  }
  if (!request.facility_id.empty()) {
    line += R"(,"facility_id":)";
    AppendJsonString(line, request.facility_id);
  }
  line += R"(,"protections":[]})";
  return line;
}

}  // namespace vigil::custody
