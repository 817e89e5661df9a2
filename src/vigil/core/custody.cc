#include "vigil/core/custody.h"

#include <algorithm>
#include <tuple>

namespace vigil {

bool FoldsBefore(const CustodyEvent& a, const CustodyEvent& b) {
  return std::tie(a.occurred_at, a.source, a.event_id) <
         std::tie(b.occurred_at, b.source, b.event_id);
}

void ApplyEvent(const CustodyEvent& event, Subject& state) {
  if (event.type == EventType::kRetracted) return;
  // Whether anything a public answer shows changes (public_changed_at).
  bool shown_changed = !state.public_changed_at;
  if (event.subject) {
    const SubjectRecord& rec = *event.subject;
    shown_changed = shown_changed || state.given_names != rec.given_names ||
                    state.family_names != rec.family_names || state.aliases != rec.aliases ||
                    state.country_of_birth != rec.country_of_birth ||
                    (rec.date_of_birth &&
                     (!state.date_of_birth || state.date_of_birth->year != rec.date_of_birth->year));
    // The latest event is the agency's latest word on who the person is.
    state.given_names = rec.given_names;
    state.family_names = rec.family_names;
    state.aliases = rec.aliases;
    if (rec.date_of_birth) state.date_of_birth = rec.date_of_birth;
    state.country_of_birth = rec.country_of_birth;
  }
  CustodyStatus status;
  if (StatusAfter(event.type, &status)) {
    bool was_held = state.custody_status == CustodyStatus::kInCustody;
    shown_changed = shown_changed || state.custody_status != status;
    state.custody_status = status;
    if (status == CustodyStatus::kInCustody) {
      state.released_at.reset();
    } else if (was_held || !state.released_at) {
      state.released_at = event.occurred_at;
    }
  }
  if (!event.facility_id.empty()) {
    shown_changed = shown_changed || state.facility_id != event.facility_id;
    state.facility_id = event.facility_id;
  }
  if (event.custody_basis) {
    shown_changed = shown_changed || state.custody_basis != event.custody_basis;
    state.custody_basis = event.custody_basis;
  }
  // Protections only accumulate from feeds: an event that omits one never
  // un-protects a person (fail closed). Agencies clear them explicitly.
  state.protections = state.protections.Union(event.protections);
  if (event.scheduled_release) {
    state.scheduled_release = event.scheduled_release;
  } else if (state.custody_status != CustodyStatus::kInCustody) {
    state.scheduled_release.reset();
  }
  state.last_event_at = event.occurred_at;
  if (shown_changed) state.public_changed_at = event.occurred_at;
}

Subject FoldCustody(std::vector<CustodyEvent> events, const Subject& base) {
  std::sort(events.begin(), events.end(), FoldsBefore);
  Subject state;
  state.subject_id = base.subject_id;
  state.a_number = base.a_number;

  for (const CustodyEvent& e : events) ApplyEvent(e, state);
  return state;
}

}  // namespace vigil
