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
  // A CSV is records only (RFC 4180); what they mean goes beside it.
  std::string notes = args.format == "csv" ? report::RenderCsvNotes(*built) : "";
  if (args.out.empty()) {
    if (!notes.empty()) {
      std::string line;
      for (char c : notes) {
        if (c != '\n') {
          line += c;
          continue;
        }
        std::fprintf(stderr, "vigil report: %s\n", line.c_str());
        line.clear();
      }
    }
    std::fwrite(text.data(), 1, text.size(), stdout);
    return std::fflush(stdout) == 0 ? kExitOk : kExitFailure;
  }
  // Each file written whole: to NAME.partial, then renamed.
  auto write_whole = [](const std::string& path, const std::string& content) -> int {
    std::string partial = path + ".partial";
    std::FILE* out = std::fopen(partial.c_str(), "wb");
    if (out == nullptr) {
      std::fprintf(stderr, "vigil report: cannot write %s: %s\n", partial.c_str(),
                   std::strerror(errno));
      return kExitUsage;
    }
    bool ok = std::fwrite(content.data(), 1, content.size(), out) == content.size();
    ok = std::fclose(out) == 0 && ok;
    std::error_code ec;
    if (ok) std::filesystem::rename(partial, path, ec);
    if (!ok || ec) {
      std::remove(partial.c_str());
      std::fprintf(stderr, "vigil report: cannot write %s\n", path.c_str());
      return kExitFailure;
    }
    return kExitOk;
  };
  if (int status = write_whole(args.out, text); status != kExitOk) return status;
  if (!notes.empty()) {
    if (int status = write_whole(args.out + ".notes.txt", notes); status != kExitOk) return status;
  }
  std::fprintf(stderr, "vigil report: %s to %s written to %s%s\n", args.from.c_str(),
               args.to.c_str(), args.out.c_str(),
               notes.empty() ? "" : (" (notes in " + args.out + ".notes.txt)").c_str());
  return kExitOk;
}

}  // namespace vigil
