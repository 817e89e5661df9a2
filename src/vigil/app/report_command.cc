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
#include "vigil/app/services.h"
#include "vigil/report/assemble.h"

namespace vigil {
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
  auto services = Services::Open(config, Services::kStore | Services::kGate);
  if (!services) return fail(services.error());
  report::ReportRequest request{
      args.from, args.to, args.by == "quarter" ? report::Period::kQuarter : report::Period::kMonth,
      args.min_cell, FormatRfc3339(SystemClock().Now()).substr(0, 10)};
  auto built = report::AssembleReport(*(*services)->store, *(*services)->policy, request);
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
