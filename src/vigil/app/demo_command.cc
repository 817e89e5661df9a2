// `vigil demo-data`: writes a synthetic feed.
#include <unistd.h>

#include <cstdio>

#include "vigil/app/commands.h"
#include "vigil/app/demo_data.h"
#include "vigil/core/time_format.h"

namespace vigil {

int RunDemoData(const DemoDataArgs& args) {
  DemoOptions options;
  options.subjects = args.subjects;
  options.seed = args.seed;
  options.out_dir = args.out_dir;
  if (args.as_of.empty()) {
    options.as_of = std::chrono::floor<std::chrono::days>(SystemClock().Now());
  } else {
    auto date = ParsePartialDate(args.as_of);
    if (!date || !date->is_complete()) {
      std::fprintf(stderr, "vigil demo-data: --as-of must be a date YYYY-MM-DD\n");
      return kExitUsage;
    }
    options.as_of = std::chrono::sys_days(
        std::chrono::year_month_day{std::chrono::year(date->year),
                                    std::chrono::month(static_cast<unsigned>(date->month)),
                                    std::chrono::day(static_cast<unsigned>(date->day))});
  }
  bool terminal = isatty(STDERR_FILENO) == 1;
  auto summary = WriteDemoFeed(options, [terminal](int64_t events) {
    if (terminal) {
      std::fprintf(stderr, "\rdemo-data: %lld events written\x1b[K", static_cast<long long>(events));
    }
  });
  if (terminal) std::fprintf(stderr, "\r\x1b[K");
  if (!summary) {
    std::fprintf(stderr, "vigil demo-data: %s\n", summary.error().message().c_str());
    return summary.error().code() == ErrorCode::kInvalidArgument ? kExitUsage : kExitFailure;
  }
  std::fprintf(stdout, "wrote %d facilities, %d subjects, %lld events to %s\n",
               summary->facilities, summary->subjects, static_cast<long long>(summary->events),
               args.out_dir.c_str());
  return kExitOk;
}

}  // namespace vigil
