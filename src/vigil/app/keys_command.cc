// `vigil keys create|revoke|set-sources|list`: the agency API's keys.
#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "vigil/api/agency_keys.h"
#include "vigil/app/commands.h"
#include "vigil/core/time_format.h"
#include "vigil/store/store.h"

namespace vigil {

int RunKeys(const Config& config, const KeysArgs& args) {
  auto store = OpenStore(config.store.url, SchemaUpgrade::kRefuse);
  if (!store) {
    std::fprintf(stderr, "vigil keys: %s\n", store.error().message().c_str());
    return kExitFailure;
  }
  SystemClock clock;
  if (args.action == "create") {
    auto key = api::MakeApiKey(args.name, args.scopes, args.sources, clock.Now());
    if (!key) {
      std::fprintf(stderr, "vigil keys create: %s\n", key.error().message().c_str());
      return kExitUsage;
    }
    auto txn = (*store)->BeginWrite();
    if (!txn) {
      std::fprintf(stderr, "vigil keys create: %s\n", txn.error().message().c_str());
      return kExitFailure;
    }
    if (auto r = (*txn)->controls().InsertApiKey(key->stored); !r) {
      std::fprintf(stderr, "vigil keys create: %s\n", r.error().message().c_str());
      return r.error().code() == ErrorCode::kConflict ? kExitUsage : kExitFailure;
    }
    if (auto r = (*txn)->Commit(); !r) {
      std::fprintf(stderr, "vigil keys create: %s\n", r.error().message().c_str());
      return kExitFailure;
    }
    std::fprintf(stderr,
                 "vigil: key \"%s\" made; it is shown once, here, and stored only as a hash.\n",
                 key->stored.name.c_str());
    std::printf("%s\n", key->key.c_str());
    return kExitOk;
  }
  if (args.action == "revoke") {
    auto txn = (*store)->BeginWrite();
    if (!txn) {
      std::fprintf(stderr, "vigil keys revoke: %s\n", txn.error().message().c_str());
      return kExitFailure;
    }
    auto revoked = (*txn)->controls().RevokeApiKey(args.name, clock.Now());
    if (!revoked || !(*txn)->Commit()) {
      std::fprintf(stderr, "vigil keys revoke: the store failed\n");
      return kExitFailure;
    }
    if (!*revoked) {
      std::fprintf(stderr, "vigil keys revoke: no live key named \"%s\"\n", args.name.c_str());
      return kExitUsage;
    }
    std::printf("revoked %s\n", args.name.c_str());
    return kExitOk;
  }
  if (args.action == "set-sources") {
    auto sources = api::ValidKeySources(args.sources);
    if (!sources) {
      std::fprintf(stderr, "vigil keys set-sources: %s\n", sources.error().message().c_str());
      return kExitUsage;
    }
    auto txn = (*store)->BeginWrite();
    if (!txn) {
      std::fprintf(stderr, "vigil keys set-sources: %s\n", txn.error().message().c_str());
      return kExitFailure;
    }
    auto keys = (*txn)->controls().ListApiKeys();
    if (!keys) {
      std::fprintf(stderr, "vigil keys set-sources: %s\n", keys.error().message().c_str());
      return kExitFailure;
    }
    for (const ApiKey& k : *keys) {
      if ((k.name == args.name || k.key_id == args.name) && !k.revoked_at &&
          std::find(k.scopes.begin(), k.scopes.end(), "feed:write") == k.scopes.end()) {
        std::fprintf(stderr, "vigil keys set-sources: \"%s\" has no scope feed:write\n",
                     args.name.c_str());
        return kExitUsage;
      }
    }
    auto changed = (*txn)->controls().SetApiKeySources(args.name, *sources);
    if (!changed || !(*txn)->Commit()) {
      std::fprintf(stderr, "vigil keys set-sources: the store failed\n");
      return kExitFailure;
    }
    if (!*changed) {
      std::fprintf(stderr, "vigil keys set-sources: no live key named \"%s\"\n", args.name.c_str());
      return kExitUsage;
    }
    std::string joined;
    for (const auto& s : *sources) joined += (joined.empty() ? "" : ",") + s;
    std::printf("%s may write sources %s\n", args.name.c_str(), joined.c_str());
    return kExitOk;
  }
  auto reader = (*store)->BeginRead();
  auto keys = reader ? (*reader)->controls().ListApiKeys() : tl::unexpected(reader.error());
  if (!keys) {
    std::fprintf(stderr, "vigil keys list: %s\n", keys.error().message().c_str());
    return kExitFailure;
  }
  if (args.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const ApiKey& k : *keys) {
      out.push_back({{"name", k.name},
                     {"key_id", k.key_id},
                     {"scopes", k.scopes},
                     {"sources", k.sources},
                     {"revoked_at", k.revoked_at ? nlohmann::json(FormatRfc3339(*k.revoked_at))
                                                 : nlohmann::json(nullptr)}});
    }
    std::printf("%s\n", out.dump(2).c_str());
    return kExitOk;
  }
  // Tab-separated, one key a line, after a header naming the columns.
  std::printf("name\tkey id\tscopes\tstate\tsources\n");
  for (const ApiKey& k : *keys) {
    std::string scopes, sources;
    for (const auto& s : k.scopes) scopes += (scopes.empty() ? "" : ",") + s;
    for (const auto& s : k.sources) sources += (sources.empty() ? "" : ",") + s;
    std::string state = k.revoked_at ? "revoked " + FormatRfc3339(*k.revoked_at) : "live";
    std::printf("%s\t%s\t%s\t%s\t%s\n", k.name.c_str(), k.key_id.c_str(), scopes.c_str(),
                state.c_str(), sources.empty() ? "-" : sources.c_str());
  }
  return kExitOk;
}

}  // namespace vigil
