// `vigil import FILE...`: imports feeds, shows progress, prints a summary.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "vigil/app/commands.h"
#include "vigil/ingest/feed_importer.h"
#include "vigil/store/store.h"

namespace vigil {
namespace {

using SteadyClock = std::chrono::steady_clock;

// Draws a one-line progress bar on a terminal, or prints a plain line every
// few seconds when stderr is a file or pipe. Rejects are printed in full up
// to a limit (all of them are stored).
class ProgressReporter : public ImportObserver {
 public:
  ProgressReporter(bool quiet, int max_shown_rejects)
      : quiet_(quiet),
        terminal_(isatty(STDERR_FILENO) == 1),
        max_shown_(max_shown_rejects),
        started_(SteadyClock::now()) {}

  void OnReject(const RejectedLine& reject) override {
    ++rejects_;
    if (rejects_ > max_shown_) return;
    ClearBar();
    std::fprintf(stderr, "%s\n", FormatReject(reject).c_str());
  }

  void OnProgress(std::string_view origin, int64_t done, int64_t total,
                  const ImportCounts& counts) override {
    if (quiet_) return;
    auto now = SteadyClock::now();
    double seconds = std::chrono::duration<double>(now - started_).count();
    int64_t records = counts.accepted + counts.duplicate + counts.rejected;
    double rate = seconds > 0 ? (base_records_ + records) / seconds : 0;
    int percent = total > 0 ? static_cast<int>(100.0 * done / total) : 0;
    if (terminal_) {
      constexpr int kWidth = 30;
      int filled = total > 0 ? static_cast<int>(kWidth * done / total) : 0;
      std::string bar(filled, '=');
      if (filled < kWidth) bar += '>';
      bar.resize(kWidth, ' ');
      std::fprintf(stderr, "\r%.*s [%s] %3d%%  %lld records  %.0f/s  rejected %lld\x1b[K",
                   static_cast<int>(std::min<size_t>(origin.size(), 30)), origin.data(),
                   bar.c_str(), percent, static_cast<long long>(records), rate,
                   static_cast<long long>(counts.rejected));
      std::fflush(stderr);
      bar_shown_ = true;
    } else if (now - last_line_ >= std::chrono::seconds(5)) {
      last_line_ = now;
      std::fprintf(stderr, "import: %.*s: %d%% (%lld records, %.0f/s)\n",
                   static_cast<int>(origin.size()), origin.data(), percent,
                   static_cast<long long>(records), rate);
    }
  }

  // Called between files and at the end.
  void FileDone(const ImportCounts& counts) {
    base_records_ += counts.accepted + counts.duplicate + counts.rejected;
    ClearBar();
  }

  void Finish() {
    ClearBar();
    if (rejects_ > max_shown_) {
      std::fprintf(stderr, "... and %lld more rejected lines not shown (all are stored)\n",
                   static_cast<long long>(rejects_ - max_shown_));
    }
  }

 private:
  void ClearBar() {
    if (bar_shown_) {
      std::fprintf(stderr, "\r\x1b[K");
      bar_shown_ = false;
    }
  }

  bool quiet_;
  bool terminal_;
  int64_t max_shown_;
  int64_t rejects_ = 0;
  int64_t base_records_ = 0;
  bool bar_shown_ = false;
  SteadyClock::time_point started_;
  SteadyClock::time_point last_line_ = SteadyClock::now();
};

}  // namespace

int RunImport(const Config& config, const ImportArgs& args) {
  auto format = ParseFeedFormat(args.format);
  if (!format) {
    std::fprintf(stderr, "vigil import: %s\n", format.error().message().c_str());
    return kExitUsage;
  }
  // Refuse before importing anything if a file cannot be read.
  for (const auto& file : args.files) {
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) {
      std::fprintf(stderr, "vigil import: %s: no such file\n", file.c_str());
      return kExitUsage;
    }
    if (std::filesystem::is_directory(file, ec)) {
      std::fprintf(stderr, "vigil import: %s: is a directory\n", file.c_str());
      return kExitUsage;
    }
    if (access(file.c_str(), R_OK) != 0) {
      std::fprintf(stderr, "vigil import: %s: not readable\n", file.c_str());
      return kExitUsage;
    }
  }
  auto store = OpenStore(config.store.url, SchemaUpgrade::kRefuse);
  if (!store) {
    std::fprintf(stderr, "vigil import: %s\n", store.error().message().c_str());
    return store.error().code() == ErrorCode::kInvalidArgument ? kExitUsage : kExitFailure;
  }
  SystemClock clock;
  ImportOptions options;
  options.format = *format;
  options.batch_lines = args.batch_lines;
  FeedImporter importer(store->get(), &clock, options);
  ProgressReporter reporter(args.quiet, args.max_shown_rejects);
  ImportCounts total;
  for (const auto& file : args.files) {
    auto counts = importer.ImportFile(file, &reporter);
    if (!counts) {
      reporter.Finish();
      std::fprintf(stderr, "vigil import: %s\n", counts.error().message().c_str());
      std::fprintf(stdout, "%s (stopped early; what was committed stays)\n",
                   FormatCounts(total).c_str());
      return counts.error().code() == ErrorCode::kNotFound ? kExitUsage : kExitFailure;
    }
    reporter.FileDone(*counts);
    total += *counts;
  }
  reporter.Finish();
  std::fprintf(stdout, "%s\n", FormatCounts(total).c_str());
  return total.rejected == 0 ? kExitOk : kExitRejected;
}

}  // namespace vigil
