// `vigil report`: counts of bookings, transfers, releases and removals by
// custody basis, month (or quarter) and state, over whole periods that have
// ended, with small cells suppressed the same way in every report (report/).
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <map>
#include <unordered_map>

#include "vigil/app/commands.h"
#include "vigil/app/offline_gate.h"

namespace vigil {
Result<report::Report> MakeReport(Store& store, const policy::DisclosurePolicy& policy,
                                  const report::ReportRequest& request) {
  auto reader = store.BeginRead();
  if (!reader) return tl::unexpected(reader.error());

  // What counting needs of a person (names are not kept), the state of each
  // facility, and where each person was last placed within the period (a
  // release names no facility: it happened where they were).
  std::unordered_map<int64_t, std::optional<Subject>> subjects;
  std::map<std::string, std::string> states;
  std::unordered_map<int64_t, std::string> placed;
  std::vector<report::CountableEvent> counted;
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
  return report::BuildReport(counted, request);
}

int RunReport(const Config& config, const ReportArgs& args) {
  auto fail = [](const Error& e) {
    std::fprintf(stderr, "vigil report: %s\n", e.message().c_str());
    return e.code() == ErrorCode::kInvalidArgument ? kExitUsage : kExitFailure;
  };
  if (args.by != "month" && args.by != "quarter") {
    return fail(InvalidArgument("--by: month or quarter, not \"" + args.by + "\"").value());
  }
  if (args.format != "csv" && args.format != "json" && args.format != "html") {
    return fail(
        InvalidArgument("--format: csv, json or html, not \"" + args.format + "\"").value());
  }
  auto gate = OpenOfflineGate(config);
  if (!gate) return fail(gate.error());
  report::ReportRequest request{args.from, args.to,
                                args.by == "quarter" ? report::Period::kQuarter
                                                     : report::Period::kMonth,
                                args.min_cell, FormatRfc3339(SystemClock().Now()).substr(0, 10)};
  auto built = MakeReport(*(*gate)->store, *(*gate)->policy, request);
  if (!built) return fail(built.error());
  if (!built->adjusted.empty()) std::fprintf(stderr, "vigil report: %s\n", built->adjusted.c_str());
  std::string text = args.format == "csv"    ? report::RenderCsv(*built)
                     : args.format == "json" ? report::RenderJson(*built)
                                             : report::RenderHtml(*built);
  if (args.out.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return std::fflush(stdout) == 0 ? kExitOk : kExitFailure;
  }
  std::string partial = args.out + ".partial";
  std::FILE* out = std::fopen(partial.c_str(), "wb");
  if (out == nullptr) {
    std::fprintf(stderr, "vigil report: cannot write %s: %s\n", partial.c_str(),
                 std::strerror(errno));
    return kExitUsage;
  }
  bool ok = std::fwrite(text.data(), 1, text.size(), out) == text.size();
  ok = std::fclose(out) == 0 && ok;
  std::error_code ec;
  if (ok) std::filesystem::rename(partial, args.out, ec);
  if (!ok || ec) {
    std::remove(partial.c_str());
    std::fprintf(stderr, "vigil report: cannot write %s\n", args.out.c_str());
    return kExitFailure;
  }
  std::fprintf(stderr, "vigil report: %s to %s written to %s\n", args.from.c_str(), args.to.c_str(),
               args.out.c_str());
  return kExitOk;
}

}  // namespace vigil
