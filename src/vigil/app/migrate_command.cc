// `vigil migrate`: bring the store's schema up to this binary's version. A
// SQLite file is migrated by every command that opens it; a PostgreSQL
// database shared by many nodes only by this one (store.h SchemaUpgrade),
// so an upgrade is a step the operator takes once, not a race between
// nodes starting up.
#include <cstdio>
#include <filesystem>

#include "vigil/app/commands.h"
#include "vigil/store/postgres_store.h"
#include "vigil/store/store.h"
#include "vigil/store/transfer.h"

namespace vigil {

namespace {

int RunCopy(const MigrateArgs& args) {
  if (args.from.empty() || args.to.empty()) {
    std::fprintf(stderr, "vigil migrate: --from and --to go together\n");
    return kExitUsage;
  }
  if (!args.from.starts_with("sqlite:") || args.from.size() == 7) {
    std::fprintf(stderr, "vigil migrate: --from must be a SQLite store, sqlite:PATH\n");
    return kExitUsage;
  }
  if (!args.to.starts_with("postgresql://") && !args.to.starts_with("postgres://")) {
    std::fprintf(stderr, "vigil migrate: --to must be a PostgreSQL store, postgresql://...\n");
    return kExitUsage;
  }
  const std::string path = args.from.substr(7);
  if (!std::filesystem::exists(path)) {
    std::fprintf(stderr, "vigil migrate: %s: no such file\n", path.c_str());
    return kExitUsage;
  }
  auto copied = CopySqliteToPostgres(path, args.to, [](const TableCopied& t) {
    std::fprintf(stderr, "vigil migrate: %-20s %lld rows\n", t.table.c_str(),
                 static_cast<long long>(t.rows));
  });
  if (!copied) {
    std::fprintf(stderr, "vigil migrate: %s (nothing was copied)\n",
                 copied.error().message().c_str());
    return copied.error().code() == ErrorCode::kConflict ? kExitUsage : kExitFailure;
  }
  int64_t rows = 0;
  for (const auto& t : *copied) rows += t.rows;
  std::printf("copied %lld rows in %zu tables from %s to %s\n", static_cast<long long>(rows),
              copied->size(), args.from.c_str(), ShowStoreUrl(args.to).c_str());
  return kExitOk;
}

}  // namespace

int RunMigrate(const Config& config, const MigrateArgs& args) {
  if (!args.from.empty() || !args.to.empty()) return RunCopy(args);
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
