// `vigil voicemails`: the messages hotline callers left for the specialists
// (api/hotline_routes.h), newest first, with each caller's number unsealed
// so a specialist can call back (`--json`: the same as a JSON array, a
// caller sealed with another key as null). Staff only: it runs where the
// secret key is.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "vigil/app/commands.h"
#include "vigil/app/services.h"
#include "vigil/core/time_format.h"

namespace vigil {

int RunVoicemails(const Config& config, const VoicemailsArgs& args) {
  auto fail = [](const Error& e) {
    std::fprintf(stderr, "vigil voicemails: %s\n", e.message().c_str());
    return kExitFailure;
  };
  if (args.limit < 1) {
    std::fprintf(stderr, "vigil voicemails: --limit must be at least 1\n");
    return kExitUsage;
  }
  auto services = Services::Open(config, Services::kStore | Services::kVault);
  if (!services) return fail(services.error());
  auto reader = (*services)->store->BeginRead();
  if (!reader) return fail(reader.error());
  auto voicemails = (*reader)->registrations().Voicemails(args.limit);
  if (!voicemails) return fail(voicemails.error());
  if (args.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const Voicemail& v : *voicemails) {
      auto caller = (*services)->vault->Open(v.caller_sealed);
      out.push_back({{"received_at", FormatRfc3339(v.received_at)},
                     {"duration_seconds", v.duration_seconds},
                     {"language", v.language},
                     {"caller", caller ? nlohmann::json(*caller) : nlohmann::json(nullptr)},
                     {"recording_url", v.recording_url}});
    }
    std::printf("%s\n", out.dump(2).c_str());
    return kExitOk;
  }
  if (voicemails->empty()) {
    std::printf("no voicemails (they are deleted after [retention] contact_days = %lld)\n",
                static_cast<long long>(config.retention.contact_days));
    return kExitOk;
  }
  std::printf("%-20s  %-6s  %-4s  %-16s  %s\n", "received (UTC)", "length", "lang", "caller",
              "recording");
  for (const Voicemail& v : *voicemails) {
    auto caller = (*services)->vault->Open(v.caller_sealed);
    std::string when = FormatRfc3339(v.received_at).substr(0, 19);
    std::printf("%-20s  %4llds  %-4s  %-16s  %s\n", when.c_str(),
                static_cast<long long>(v.duration_seconds), v.language.c_str(),
                caller ? caller->c_str() : "(sealed: other key)", v.recording_url.c_str());
  }
  return kExitOk;
}

}  // namespace vigil
