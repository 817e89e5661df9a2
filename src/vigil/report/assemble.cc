#include "vigil/report/assemble.h"

#include <limits>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace vigil::report {

Result<Report> AssembleReport(Store& store, const policy::DisclosurePolicy& policy,
                              const ReportRequest& request) {
  auto reader = store.BeginRead();
  if (!reader) return tl::unexpected(reader.error());

  // What counting needs of a person (names are not kept), the state of each
  // facility, and where each person was last placed within the period (a
  // release names no facility: it happened where they were).
  std::unordered_map<int64_t, std::optional<Subject>> subjects;
  std::map<std::string, std::string> states;
  std::unordered_map<int64_t, std::string> placed;
  std::vector<CountableEvent> counted;
  Result<void> failed;
  auto state_of = [&](const std::string& facility_id) -> std::string {
    if (facility_id.empty()) return "";
    auto it = states.find(facility_id);
    if (it == states.end()) {
      auto f = (*reader)->custody().GetFacility(facility_id);
      if (!f) {
        failed = tl::unexpected(f.error());
        return "";
      }
      it = states.emplace(facility_id, *f ? (*f)->state : "").first;
    }
    return it->second;
  };
  // Every event, whatever the period: a report's cells are suppressed month by month on the
  // same rows whatever is asked (report.h), and a release is placed where the person was.
  auto scanned = (*reader)->reporting().ForEachEventBetween(
      FromUnixMicros(std::numeric_limits<int64_t>::min() / 2),
      FromUnixMicros(std::numeric_limits<int64_t>::max() / 2), [&](const StoredEvent& e) {
        if (e.subject_id == 0 || e.event.type == EventType::kRetracted) return true;
        auto it = subjects.find(e.subject_id);
        if (it == subjects.end()) {
          auto s = (*reader)->custody().GetSubject(e.subject_id);
          if (!s) {
            failed = tl::unexpected(s.error());
            return false;
          }
          if (*s) {
            (*s)->given_names.clear();
            (*s)->family_names.clear();
            (*s)->aliases.clear();
          }
          it = subjects.emplace(e.subject_id, std::move(*s)).first;
        }
        if (!it->second) return true;
        std::string facility = e.event.facility_id;
        if (facility.empty()) {
          auto p = placed.find(e.subject_id);
          facility = p != placed.end() ? p->second : it->second->facility_id;
        } else if (e.retracted_by.empty()) {
          placed[e.subject_id] = facility;
        }
        std::string state = state_of(facility);
        if (!failed) return false;
        if (auto c = policy.Countable(*it->second, e, state)) counted.push_back(std::move(*c));
        return true;
      });
  if (!scanned) return tl::unexpected(scanned.error());
  if (!failed) return tl::unexpected(failed.error());
  return BuildReport(counted, request);
}

}  // namespace vigil::report
