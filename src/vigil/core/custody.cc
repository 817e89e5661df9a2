#include "vigil/core/custody.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace vigil {

bool FoldsBefore(const CustodyEvent& a, const CustodyEvent& b) {
  return std::tie(a.occurred_at, a.source, a.event_id) <
         std::tie(b.occurred_at, b.source, b.event_id);
}

namespace {

// Calls f(word) for each word of `given` then `family` (runs of non-space).
template <typename F>
void ForEachWord(const std::string& given, const std::string& family, F f) {
  for (const std::string* part : {&given, &family}) {
    size_t i = 0;
    while (i < part->size()) {
      while (i < part->size() && std::isspace(static_cast<unsigned char>((*part)[i]))) ++i;
      size_t start = i;
      while (i < part->size() && !std::isspace(static_cast<unsigned char>((*part)[i]))) ++i;
      if (i > start) f(std::string_view(*part).substr(start, i - start));
    }
  }
}

// Whether two names show alike: the same words, whatever the spaces between
// them (policy/ shows the words joined by single spaces). Allocates nothing:
// this runs for every event imported.
bool SameShownName(const Subject& s, const SubjectRecord& r) {
  if (s.given_names == r.given_names && s.family_names == r.family_names) return true;
  std::vector<std::string_view> words;
  ForEachWord(s.given_names, s.family_names, [&](std::string_view w) { words.push_back(w); });
  size_t i = 0;
  bool same = true;
  ForEachWord(r.given_names, r.family_names, [&](std::string_view w) {
    same = same && i < words.size() && words[i] == w;
    ++i;
  });
  return same && i == words.size();
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
  // Whether anything a public answer shows changes (public_changed_at): the
  // name as shown, birth year, country, status, the facility while held,
  // the basis — not aliases, the day of birth, an advance release date or a
  // protection, which it does not show.
  bool shown_changed = !state.public_changed_at;
  const std::optional<CustodyStatus> status_before = state.custody_status;
  const bool held_before = status_before == CustodyStatus::kInCustody;
  if (event.subject) {
    const SubjectRecord& rec = *event.subject;
    shown_changed = shown_changed || !SameShownName(state, rec) ||
                    state.country_of_birth != rec.country_of_birth ||
                    (rec.date_of_birth && (!state.date_of_birth ||
                                           state.date_of_birth->year != rec.date_of_birth->year));
    // The latest event is the agency's latest word on who the person is.
    state.given_names = rec.given_names;
    state.family_names = rec.family_names;
    state.aliases = rec.aliases;
    if (rec.date_of_birth) state.date_of_birth = rec.date_of_birth;
    state.country_of_birth = rec.country_of_birth;
  }
  CustodyStatus status;
  if (StatusAfter(event.type, &status)) {
    shown_changed = shown_changed || state.custody_status != status;
    state.custody_status = status;
    if (status == CustodyStatus::kInCustody) {
      state.released_at.reset();
    } else if (held_before || !state.released_at) {
      state.released_at = event.occurred_at;
    }
  }
  const bool held_after = state.custody_status == CustodyStatus::kInCustody;
  if (!event.facility_id.empty()) {
    // A facility is shown only while the person is held there.
    shown_changed =
        shown_changed || (held_after && (!held_before || state.facility_id != event.facility_id));
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
