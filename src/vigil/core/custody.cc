#include "vigil/core/custody.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <tuple>

namespace vigil {

bool FoldsBefore(const CustodyEvent& a, const CustodyEvent& b) {
  return std::tie(a.occurred_at, a.source, a.event_id) <
         std::tie(b.occurred_at, b.source, b.event_id);
}

namespace {

// The name as a public answer shows it: its words, one space between.
std::string ShownName(const Subject& s) {
  std::string out;
  for (const std::string* part : {&s.given_names, &s.family_names}) {
    size_t i = 0;
    while (i < part->size()) {
      while (i < part->size() && std::isspace(static_cast<unsigned char>((*part)[i]))) ++i;
      size_t start = i;
      while (i < part->size() && !std::isspace(static_cast<unsigned char>((*part)[i]))) ++i;
      if (i > start) {
        if (!out.empty()) out.push_back(' ');
        out.append(*part, start, i - start);
      }
    }
  }
  return out;
}

// What a public answer about the person shows, as far as the person's own
// record decides it (policy/disclosure_policy.h projects the same fields).
auto PublicView(const Subject& s) {
  const bool held = s.custody_status == CustodyStatus::kInCustody;
  return std::make_tuple(ShownName(s), s.date_of_birth ? s.date_of_birth->year : 0,
                         s.country_of_birth, s.custody_status, held ? s.facility_id : std::string(),
                         s.custody_basis);
}

// Whether a person in `status` is out of custody for good until booked again
// (an escape is not: a return continues the same episode).
bool EndsEpisode(const std::optional<CustodyStatus>& status) {
  return !status || *status == CustodyStatus::kReleased || *status == CustodyStatus::kRemoved ||
         *status == CustodyStatus::kDeceased;
}

}  // namespace

void ApplyEvent(const CustodyEvent& event, Subject& state) {
  if (event.type == EventType::kRetracted) return;
  const auto shown_before = PublicView(state);
  const std::optional<CustodyStatus> status_before = state.custody_status;
  if (event.subject) {
    const SubjectRecord& rec = *event.subject;
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
    state.custody_status = status;
    if (status == CustodyStatus::kInCustody) {
      state.released_at.reset();
    } else if (was_held || !state.released_at) {
      state.released_at = event.occurred_at;
    }
  }
  if (!event.facility_id.empty()) state.facility_id = event.facility_id;
  if (event.custody_basis) state.custody_basis = event.custody_basis;
  // Protections only accumulate from feeds: an event that omits one never
  // un-protects a person (fail closed). Agencies clear them explicitly.
  state.protections = state.protections.Union(event.protections);
  if (event.scheduled_release) {
    state.scheduled_release = event.scheduled_release;
  } else if (state.custody_status != CustodyStatus::kInCustody) {
    state.scheduled_release.reset();
  }
  state.last_event_at = event.occurred_at;
  if (!state.public_changed_at || PublicView(state) != shown_before) {
    state.public_changed_at = event.occurred_at;
  }
  if (!state.custody_since ||
      (state.custody_status == CustodyStatus::kInCustody && EndsEpisode(status_before))) {
    state.custody_since = event.occurred_at;
  }
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
