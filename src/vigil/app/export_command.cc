// `vigil export`: everyone the public may see, as CSV (api/export.h).
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "vigil/api/export.h"
#include "vigil/app/commands.h"
#include "vigil/app/services.h"

namespace vigil {

int RunExport(const Config& config, const ExportArgs& args) {
  auto fail = [](const Error& e) {
    std::fprintf(stderr, "vigil export: %s\n", e.message().c_str());
    return e.code() == ErrorCode::kInvalidArgument ? kExitUsage : kExitFailure;
  };
  auto services = Services::Open(config, Services::kStore | Services::kGate);
  if (!services) return fail(services.error());

  // To a file: written beside it and renamed, so a reader never sees half.
  std::string partial = args.out.empty() ? "" : args.out + ".partial";
  std::FILE* out = args.out.empty() ? stdout : std::fopen(partial.c_str(), "wb");
  if (out == nullptr) {
    std::fprintf(stderr, "vigil export: cannot write %s: %s\n", partial.c_str(),
                 std::strerror(errno));
    return kExitUsage;
  }
  int64_t lines = -1;  // the header is not a person
  bool write_failed = false;
  auto written = api::WritePublicExport(
      *(*services)->store, *(*services)->policy, [&](std::string_view chunk) {
        lines += std::count(chunk.begin(), chunk.end(), '\n');
        if (std::fwrite(chunk.data(), 1, chunk.size(), out) != chunk.size()) {
          write_failed = true;
          return false;
        }
        return true;
      });
  bool closed = args.out.empty() ? std::fflush(out) == 0 : std::fclose(out) == 0;
  if (!written || write_failed || !closed) {
    if (!args.out.empty()) std::remove(partial.c_str());
    if (!written) return fail(written.error());
    std::fprintf(stderr, "vigil export: write failed: %s\n", std::strerror(errno));
    return kExitFailure;
  }
  if (!args.out.empty()) {
    std::error_code ec;
    std::filesystem::rename(partial, args.out, ec);
    if (ec) {
      std::fprintf(stderr, "vigil export: %s: %s\n", args.out.c_str(), ec.message().c_str());
      return kExitFailure;
    }
    std::fprintf(stderr, "vigil export: %lld people to %s\n", static_cast<long long>(lines),
                 args.out.c_str());
  }
  return kExitOk;
}

}  // namespace vigil
