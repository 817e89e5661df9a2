// Outbox fan-out: the time from applying one custody event to the
// 10,000th queued notification, for a person with 10,000 active
// registrations — the import of the event, whose transaction writes every
// outbox row — beside a bare SQLite insert of 10,000 rows of the same shape
// with the same pragmas (WAL, synchronous=FULL) in one transaction, in the
// same run. Prints both and their ratio.
//
//   outbox_bench [--registrations=N] [benchmark flags]   (default 10,000)
#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "vigil/ingest/feed_importer.h"
#include "vigil/notify/contact_vault.h"
#include "vigil/store/sqlite_schema.h"
#include "vigil/store/sqlite_store.h"
#include "vigil/testing/notify_fixture.h"
#include "vigil/testing/temp_dir.h"

namespace vigil {
namespace {

int registrations = 10000;
double fanout_ms = 0, bare_ms = 0;
int run = 0;

void BM_EventToQueuedNotifications(benchmark::State& state) {
  for (auto _ : state) {
    state.PauseTiming();
    testutil::TempDir dir;
    auto store = OpenSqliteStore(dir.File("v.db"));
    SystemClock clock;
    FeedImporter setup(store->get(), &clock);
    (void)setup.ImportText("setup",
                           std::string(testutil::kTwoFacilities) +
                               testutil::CustodyEventLine("B1", "booked", "2026-11-01T00:00:00Z", "ADL"),
                           FeedFormat::kJsonLines, nullptr);
    std::array<unsigned char, 32> key{};
    auto vault = notify::ContactVault::Create(key);
    if (!testutil::SeedActiveRegistrations(store->get(), *vault, 1, registrations, clock.Now())) {
      state.SkipWithError("could not seed registrations");
    }
    FeedImporter importer(store->get(), &clock);
    std::string event = testutil::CustodyEventLine("T" + std::to_string(++run), "transferred",
                                                   "2026-11-02T00:00:00Z", "OTR");
    state.ResumeTiming();
    auto start = std::chrono::steady_clock::now();
    auto lines = importer.ImportText("feed", event, FeedFormat::kJsonLines, nullptr);
    fanout_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                    .count();
    if (!lines || (*lines)[0].status != ApplyStatus::kAccepted) state.SkipWithError("import failed");
    state.PauseTiming();
    auto reader = (*store)->BeginRead();
    auto counts = (*reader)->outbox().NotificationStateCounts();
    if (!counts || counts->empty() || counts->front().second != registrations) {
      state.SkipWithError("not every notification was queued");
    }
    state.ResumeTiming();
  }
  state.counters["notifications"] = registrations;
}

void BM_BareSqliteInsert(benchmark::State& state) {
  for (auto _ : state) {
    state.PauseTiming();
    testutil::TempDir dir;
    sqlite3* db = nullptr;
    sqlite3_open(dir.File("bare.db").c_str(), &db);
    sqlite3_exec(db, SqliteConnectionPragmas(), nullptr, nullptr, nullptr);
    sqlite3_exec(db,
                 "CREATE TABLE notifications (notification_id INTEGER PRIMARY KEY, event_pk "
                 "INTEGER, registration_id INTEGER NOT NULL, kind TEXT NOT NULL, state TEXT NOT "
                 "NULL, attempts INTEGER NOT NULL DEFAULT 0, due_at INTEGER NOT NULL, created_at "
                 "INTEGER NOT NULL, updated_at INTEGER NOT NULL, UNIQUE (event_pk, "
                 "registration_id)); CREATE INDEX notifications_due ON notifications (state, "
                 "due_at);",
                 nullptr, nullptr, nullptr);
    state.ResumeTiming();
    auto start = std::chrono::steady_clock::now();
    sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db,
                       "INSERT INTO notifications (event_pk, registration_id, kind, state, due_at, "
                       "created_at, updated_at) VALUES (1, ?1, 'transferred', 'created', ?2, ?2, ?2)",
                       -1, &stmt, nullptr);
    for (int i = 1; i <= registrations; ++i) {
      sqlite3_bind_int64(stmt, 1, i);
      sqlite3_bind_int64(stmt, 2, 1763800000000000 + i);
      sqlite3_step(stmt);
      sqlite3_reset(stmt);
    }
    sqlite3_finalize(stmt);
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    bare_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                  .count();
    state.PauseTiming();
    sqlite3_close(db);
    state.ResumeTiming();
  }
}

}  // namespace
}  // namespace vigil

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--registrations=", 16) == 0) {
      vigil::registrations = std::atoi(argv[i] + 16);
      for (int j = i; j + 1 < argc; ++j) argv[j] = argv[j + 1];
      --argc;
      --i;
    }
  }
  benchmark::RegisterBenchmark("BM_EventToQueuedNotifications",
                               vigil::BM_EventToQueuedNotifications)
      ->Iterations(3)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_BareSqliteInsert", vigil::BM_BareSqliteInsert)
      ->Iterations(3)
      ->Unit(benchmark::kMillisecond);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  std::printf(
      "\noutbox: %d registrations; event applied to %dth notification queued (durable) %.1f ms; "
      "bare SQLite insert of %d rows %.1f ms; ratio %.2f (last iteration of each)\n",
      vigil::registrations, vigil::registrations, vigil::fanout_ms, vigil::registrations,
      vigil::bare_ms, vigil::bare_ms / vigil::fanout_ms);
  return 0;
}
