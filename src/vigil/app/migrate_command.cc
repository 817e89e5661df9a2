// `vigil migrate`: bring the store's schema up to this binary's version. A
// SQLite file is migrated by every command that opens it; a PostgreSQL
// database shared by many nodes only by this one (store.h SchemaUpgrade),
// so an upgrade is a step the operator takes once, not a race between
// nodes starting up.
#include <cstdio>

#include "vigil/app/commands.h"
#include "vigil/store/postgres_store.h"
#include "vigil/store/store.h"

namespace vigil {

int RunMigrate(const Config& config) {
  const std::string& url = config.store.url;
  const bool postgres = !url.starts_with("sqlite:");
  int before = 0;
  if (postgres) {
    auto version = PostgresSchemaVersion(url);
    if (!version) {
      std::fprintf(stderr, "vigil migrate: %s\n", version.error().message().c_str());
      return kExitFailure;
    }
    before = *version;
  }
  auto store = OpenStore(url, SchemaUpgrade::kApply);
  if (!store) {
    std::fprintf(stderr, "vigil migrate: %s\n", store.error().message().c_str());
    return store.error().code() == ErrorCode::kConflict ? kExitUsage : kExitFailure;
  }
  if (!postgres) {
    std::fprintf(stderr, "vigil migrate: %s is at the current schema\n", ShowStoreUrl(url).c_str());
    return kExitOk;
  }
  const int latest = LatestPostgresSchemaVersion();
  if (before == latest) {
    std::fprintf(stderr, "vigil migrate: %s is at schema version %d already\n",
                 ShowStoreUrl(url).c_str(), latest);
  } else {
    std::fprintf(stderr, "vigil migrate: %s migrated from schema version %d to %d\n",
                 ShowStoreUrl(url).c_str(), before, latest);
  }
  return kExitOk;
}

}  // namespace vigil
