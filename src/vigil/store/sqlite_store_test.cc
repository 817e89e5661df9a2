#include "vigil/store/sqlite_store.h"

#include <sqlite3.h>

#include <fstream>

#include "vigil/store/sqlite_schema.h"
#include "vigil/store/store_contract_test.h"

namespace vigil {
namespace {

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContractTest,
                         ::testing::Values(StoreBackend{
                             "sqlite",
                             [](const std::string& dir) {
                               return OpenStore("sqlite:" + dir + "/vigil.db");
                             }}),
                         [](const auto& info) { return info.param.name; });

std::string QueryOne(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
  std::string out;
  if (sqlite3_step(stmt) == SQLITE_ROW) {
    out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

TEST(SqliteStore, UsesWalAndFullSyncAndRecordsMigrations) {
  testutil::TempDir dir;
  std::string path = dir.File("vigil.db");
  auto store = OpenSqliteStore(path);
  ASSERT_TRUE(store) << store.error().ToString();
  EXPECT_EQ(QueryOne(path, "PRAGMA journal_mode"), "wal");
  const std::string latest = std::to_string(sqlite_schema::Migrations().back().version);
  EXPECT_EQ(QueryOne(path, "SELECT max(version) FROM schema_migrations"), latest);
  EXPECT_NE(std::string(SqliteConnectionPragmas()).find("synchronous=FULL"), std::string::npos);
  // Reopening does not re-run migrations.
  store->reset();
  ASSERT_TRUE(OpenSqliteStore(path));
  EXPECT_EQ(QueryOne(path, "SELECT count(*) FROM schema_migrations"), latest);
}

TEST(SqliteStore, RefusesANewerSchema) {
  testutil::TempDir dir;
  std::string path = dir.File("vigil.db");
  ASSERT_TRUE(OpenSqliteStore(path));
  QueryOne(path,
           "INSERT INTO schema_migrations VALUES (99, 'from the future', '2030-01-01T00:00:00Z')");
  auto again = OpenSqliteStore(path);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), ErrorCode::kConflict);
  EXPECT_NE(again.error().message().find("upgrade vigil"), std::string::npos);
}

TEST(SqliteStore, ClearErrorsForBadPathsAndUrls) {
  auto missing_dir = OpenStore("sqlite:/nonexistent-dir/vigil.db");
  ASSERT_FALSE(missing_dir);
  EXPECT_EQ(missing_dir.error().code(), ErrorCode::kUnavailable);
  EXPECT_NE(missing_dir.error().message().find("/nonexistent-dir/vigil.db"), std::string::npos);

  testutil::TempDir dir;
  std::ofstream(dir.File("junk.db")) << "this is not a database, just text that is long enough "
                                        "to fill a header page and then some more";
  auto junk = OpenStore("sqlite:" + dir.File("junk.db"));
  ASSERT_FALSE(junk);
  EXPECT_EQ(junk.error().code(), ErrorCode::kUnavailable);

  EXPECT_EQ(OpenStore("mysql://x").error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(OpenStore("sqlite:").error().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace vigil
