#include "vigil/store/sqlite_store.h"

#include <sqlite3.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "vigil/core/custody.h"
#include "vigil/store/fault_injecting_store.h"
#include "vigil/store/sqlite_schema.h"
#include "vigil/store/store_contract_test.h"

namespace vigil {
namespace {

// Every suite runs against SQLite, and against SQLite behind the
// fault-injecting wrapper with nothing planned: a faithful pass-through.
const auto kBackends = ::testing::Values(
    StoreBackend{"sqlite",
                 [](const std::string& dir) { return OpenStore("sqlite:" + dir + "/vigil.db"); }},
    StoreBackend{
        "sqlite_behind_faults", [](const std::string& dir) -> Result<std::unique_ptr<Store>> {
          auto inner = OpenStore("sqlite:" + dir + "/vigil.db");
          if (!inner) return tl::unexpected(inner.error());
          return std::unique_ptr<Store>(std::make_unique<FaultInjectingStore>(std::move(*inner)));
        }});

VIGIL_INSTANTIATE_STORE_CONTRACT(Backends, kBackends,
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

// Runs `sql` on the file at `path`; returns SQLite's error message, or "".
std::string Exec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  char* message = nullptr;
  sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
  std::string out = message ? message : "";
  sqlite3_free(message);
  sqlite3_close(db);
  return out;
}

// How many instructions of the program `explain` (an EXPLAIN statement) lists are `opcode`.
int CountOpcode(const std::string& path, const char* explain, std::string_view opcode) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* stmt = nullptr;
  int count = -1;
  if (sqlite3_prepare_v2(db, explain, -1, &stmt, nullptr) == SQLITE_OK) {
    count = 0;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      if (reinterpret_cast<const char*>(sqlite3_column_text(stmt, 1)) == opcode) ++count;
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return count;
}

// Makes the file at `path` a store as migration `version` left it.
std::string StoreAtVersion(const std::string& path, int version) {
  std::string sql =
      "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
      "applied_at TEXT NOT NULL);";
  for (const auto& m : sqlite_schema::Migrations()) {
    if (m.version > version) break;
    sql += m.sql;
    std::string description(m.description);
    for (size_t q = description.find('\''); q != std::string::npos;
         q = description.find('\'', q + 2)) {
      description.insert(q, 1, '\'');
    }
    sql += "INSERT INTO schema_migrations VALUES (" + std::to_string(m.version) + ", '" +
           description + "', '2026-11-01T00:00:00Z');";
  }
  return Exec(path, sql);
}

std::string LatestVersion() { return std::to_string(sqlite_schema::Migrations().back().version); }

TEST(SqliteStore, Migration11KeepsEverySubjectAndEveryCheck) {
  // A store as version 10 left it, with people in it.
  testutil::TempDir dir;
  std::string path = dir.File("vigil.db");
  ASSERT_EQ(StoreAtVersion(path, 10), "");
  ASSERT_EQ(Exec(path,
                 "INSERT INTO subjects VALUES (7, '012345678', 'Ana', 'Pérez', '[\"Anita\"]', "
                 "'1990-04', 'MX', 'released', 'ADL', 'civil_immigration', 2, 100, 200, 300, "
                 "150);"
                 "INSERT INTO subjects (subject_id, a_number, given_names, family_names, "
                 "country_of_birth) VALUES (9, '087654321', '', 'Li', 'CN');"),
            "");

  ASSERT_TRUE(OpenSqliteStore(path));
  EXPECT_EQ(QueryOne(path, "SELECT max(version) FROM schema_migrations"), LatestVersion());
  EXPECT_EQ(QueryOne(path,
                     "SELECT group_concat(subject_id || '|' || a_number || '|' || given_names || "
                     "'|' || family_names || '|' || aliases || '|' || ifnull(date_of_birth, '-') "
                     "|| '|' || country_of_birth || '|' || ifnull(custody_status, '-') || '|' || "
                     "facility_id || '|' || ifnull(custody_basis, '-') || '|' || protections || "
                     "'|' || ifnull(last_event_at, '-') || '|' || ifnull(released_at, '-') || "
                     "'|' || ifnull(scheduled_release, '-') || '|' || "
                     "ifnull(public_changed_at, '-'), ';') FROM subjects"),
            "7|012345678|Ana|Pérez|[\"Anita\"]|1990-04|MX|released|ADL|civil_immigration|2|100|"
            "200|300|150;9|087654321||Li|[]|-|CN|-||-|0|-|-|-|-");
  // The constraints hold as before: every known value (and NULL) passes,
  // nothing else does, and an A-number is still unique and nine digits.
  for (const char* status : {"in_custody", "released", "removed", "escaped", "deceased"}) {
    EXPECT_EQ(Exec(path, std::string("UPDATE subjects SET custody_status = '") + status +
                             "' WHERE subject_id = 7"),
              "");
  }
  for (const char* basis : {"civil_immigration", "criminal_charge", "criminal_conviction"}) {
    EXPECT_EQ(Exec(path, std::string("UPDATE subjects SET custody_basis = '") + basis +
                             "' WHERE subject_id = 7"),
              "");
  }
  EXPECT_NE(Exec(path, "UPDATE subjects SET custody_status = 'jailed' WHERE subject_id = 7"), "");
  EXPECT_NE(Exec(path, "UPDATE subjects SET custody_basis = 'civil' WHERE subject_id = 7"), "");
  EXPECT_NE(Exec(path, "UPDATE subjects SET custody_status = 'Released' WHERE subject_id = 7"), "");
  EXPECT_NE(Exec(path, "UPDATE subjects SET a_number = '087654321' WHERE subject_id = 7"), "");
  EXPECT_NE(Exec(path, "UPDATE subjects SET a_number = '12345678' WHERE subject_id = 7"), "");
  EXPECT_EQ(Exec(path, "UPDATE subjects SET custody_status = NULL, custody_basis = NULL"), "");
  // And writing a subject no longer builds a temporary b-tree of constants.
  EXPECT_EQ(CountOpcode(path,
                        "EXPLAIN INSERT INTO subjects (a_number, given_names, family_names, "
                        "country_of_birth, custody_status, custody_basis) VALUES (?1, ?2, ?3, ?4, "
                        "?5, ?6)",
                        "OpenEphemeral"),
            0);
  EXPECT_EQ(CountOpcode(path,
                        "EXPLAIN UPDATE subjects SET custody_status = ?2, custody_basis = ?3 "
                        "WHERE subject_id = ?1",
                        "OpenEphemeral"),
            0);
}

// Feed keys made before keys were bound to sources: each live feed:write key
// may write every source written so far, never the overrides' own; other
// keys none. Nothing that worked before stops working.
TEST(SqliteStore, Migration12BindsFeedKeysToTheSourcesWritten) {
  testutil::TempDir dir;
  std::string path = dir.File("vigil.db");
  ASSERT_EQ(StoreAtVersion(path, 11), "");
  std::string events;
  int pk = 0;
  for (const char* source : {"ice-ero", "cbp", "vigil-override", "ice-ero"}) {
    events +=
        "INSERT INTO custody_events (event_pk, source, event_id, type, occurred_at, "
        "content_hash, received_at) VALUES (" +
        std::to_string(++pk) + ", '" + source + "', 'E" + std::to_string(pk) +
        "', 'booked', 1, x'00', 1);";
  }
  ASSERT_EQ(
      Exec(path, events + "INSERT INTO api_keys VALUES ('0000000000000001', 'feed', 'feed:write', "
                          "x'00', 1, NULL);"
                          "INSERT INTO api_keys VALUES ('0000000000000002', 'both', "
                          "'audit:read feed:write', x'00', 1, NULL);"
                          "INSERT INTO api_keys VALUES ('0000000000000003', 'audit', "
                          "'audit:read', x'00', 1, NULL);"),
      "");
  auto store = OpenSqliteStore(path);
  ASSERT_TRUE(store) << store.error().ToString();
  EXPECT_EQ(QueryOne(path, "SELECT max(version) FROM schema_migrations"), LatestVersion());
  auto reader = (*store)->BeginRead();
  auto keys = (*reader)->controls().ListApiKeys();
  ASSERT_TRUE(keys);
  ASSERT_EQ(keys->size(), 3u);
  for (const ApiKey& k : *keys) {
    if (k.name == "audit") {
      EXPECT_TRUE(k.sources.empty());
    } else {
      EXPECT_EQ(k.sources, (std::vector<std::string>{"cbp", "ice-ero"})) << k.name;
    }
  }
}

// custody_since for people already in a store, computed in SQL from their
// events, equals what the fold computes from the same events (retracted
// ones and retractions left out), whatever the history.
TEST(SqliteStore, Migration13ComputesEachEpisodeStartAsTheFoldDoes) {
  testutil::TempDir dir;
  std::string path = dir.File("vigil.db");
  ASSERT_EQ(StoreAtVersion(path, 12), "");
  struct Step {
    const char* type;
    int day;
    bool retracted = false;
  };
  const std::vector<std::vector<Step>> histories = {
      {{"booked", 1}, {"transferred", 2}, {"released", 3}},
      {{"booked", 1}, {"released", 3}, {"booked", 5}, {"transferred", 6}},
      {{"booked", 1}, {"escaped", 2}, {"returned", 3}, {"booked", 4}},
      {{"updated", 1}, {"booked", 2}, {"updated", 3}},
      {{"transferred", 4}, {"removed", 5}, {"booked", 9}},
      {{"booked", 1}, {"released", 3}, {"booked", 5, true}},  // the re-booking was retracted
      {{"booked", 1}, {"deceased", 2}, {"transferred", 3}},
      {{"released", 2}, {"booked", 2}},  // same time: fold order by source, then event id
      {{"booked", 7}, {"booked", 3}},    // delivered out of order
  };
  std::string sql;
  int pk = 0;
  for (size_t h = 0; h < histories.size(); ++h) {
    const int64_t id = static_cast<int64_t>(h) + 1;
    char a_number[16];
    std::snprintf(a_number, sizeof a_number, "%09lld", static_cast<long long>(100000000 + id));
    sql +=
        "INSERT INTO subjects (subject_id, a_number, given_names, family_names, "
        "country_of_birth) VALUES (" +
        std::to_string(id) + ", '" + a_number + "', 'A', 'B', 'MX');";
    for (size_t i = 0; i < histories[h].size(); ++i) {
      const Step& st = histories[h][i];
      const int64_t at = int64_t{st.day} * 86400 * 1000000;
      sql +=
          "INSERT INTO custody_events (event_pk, source, event_id, subject_id, type, "
          "occurred_at, content_hash, received_at, retracted_by) VALUES (" +
          std::to_string(++pk) + ", 's', 'H" + std::to_string(h) + "E" + std::to_string(i) + "', " +
          std::to_string(id) + ", '" + st.type + "', " + std::to_string(at) + ", x'00', 1, '" +
          (st.retracted ? "X" : "") + "');";
    }
  }
  ASSERT_EQ(Exec(path, sql), "");
  auto store = OpenSqliteStore(path);
  ASSERT_TRUE(store) << store.error().ToString();
  auto reader = (*store)->BeginRead();
  for (size_t h = 0; h < histories.size(); ++h) {
    std::vector<CustodyEvent> events;
    for (size_t i = 0; i < histories[h].size(); ++i) {
      const Step& st = histories[h][i];
      if (st.retracted) continue;
      CustodyEvent e;
      e.source = "s";
      e.event_id = "H" + std::to_string(h) + "E" + std::to_string(i);
      e.type = *ParseEventType(st.type);
      e.occurred_at = FromUnixMicros(int64_t{st.day} * 86400 * 1000000);
      events.push_back(e);
    }
    auto subject = (*reader)->custody().GetSubject(static_cast<int64_t>(h) + 1);
    ASSERT_TRUE(subject && *subject);
    EXPECT_EQ((**subject).custody_since, FoldCustody(events, Subject{}).custody_since)
        << "history " << h;
  }
}

// Pages reach the database file only through checkpoints (until the last
// connection closes). The store checkpoints on a thread of its own once a
// commit leaves 1,000 pages in the log, so the file grows while the store
// is still open and nobody else commits.
TEST(SqliteStore, CheckpointsTheLogWhileOpen) {
  testutil::TempDir dir;
  std::string path = dir.File("vigil.db");
  auto store = OpenSqliteStore(path);
  ASSERT_TRUE(store) << store.error().ToString();
  auto file_size = [&] {
    std::ifstream f(path, std::ios::binary | std::ios::ate);
    return static_cast<int64_t>(f.tellg());
  };
  const int64_t before = file_size();
  const std::string reason(4000, 'x');  // about a page per row
  for (int batch = 0; batch < 5; ++batch) {
    auto txn = (*store)->BeginWrite();
    ASSERT_TRUE(txn) << txn.error().ToString();
    for (int line = 0; line < 1200; ++line) {
      RejectRecord r{0, Timestamp(), "big.jsonl", batch * 10000 + line, "", reason};
      ASSERT_TRUE((*txn)->custody().InsertReject(r));
    }
    ASSERT_TRUE((*txn)->Commit());
  }
  // The commits themselves only appended to the log.
  const int64_t wanted = before + 4'000'000;
  for (int i = 0; i < 200 && file_size() < wanted; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_GE(file_size(), wanted) << "no checkpoint within 10 s";
  // And everything committed is there.
  auto reader = (*store)->BeginRead();
  ASSERT_TRUE(reader);
  auto rejects = (*reader)->custody().RecentRejects(10000);
  ASSERT_TRUE(rejects);
  EXPECT_EQ(rejects->size(), 6000u);
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
