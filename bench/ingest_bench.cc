// Ingest throughput: `vigil import` beside two baselines with the same
// pragmas (WAL, synchronous=FULL) and the same lines per transaction, in one
// run:
//   - a bare SQLite insert of the same rows (every custody_events row, and
//     one subjects row per person, as the importer stores them), decoded
//     ahead of time: SQLite alone (DESIGN.md §9: ratio >= 0.5);
//   - the raw-line floor: the feed file read and each line inserted as a
//     blob into a table with an integer key and no index, no parsing at all
//     (issue 22: ratio >= 0.7).
// They take turns, twice; prints events/s for each run, the best of each and
// the ratios.
//
//   ingest_bench [--events=N] [benchmark flags]     (default N = 1,000,000)
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_set>
#include <vector>

#include "raw_line_floor.h"
#include "vigil/app/demo_data.h"
#include "vigil/ingest/feed_applier.h"
#include "vigil/ingest/feed_importer.h"
#include "vigil/ingest/record_parser.h"
#include "vigil/store/sqlite_store.h"
#include "vigil/testing/temp_dir.h"

namespace vigil {
namespace {

using SteadyClock = std::chrono::steady_clock;
const int64_t kBatchLines = vigil::ImportOptions().batch_lines;  // the importer's default

struct Row {
  std::string source, event_id, type, a_number, given, family, aliases, dob, country, facility,
      basis, hash;
  int64_t occurred_at, protections;
  bool first_of_subject = false;  // the baseline also inserts the subject row here
};

struct Fixture {
  testutil::TempDir dir;
  std::string facilities, events;
  int64_t event_count = 0;
  std::vector<Row> rows;
};

Fixture* fixture = nullptr;
constexpr int kRounds = 2;
// The best of the rounds (events or rows per second).
double cli_rate = 0, inprocess_rate = 0, bare_rate = 0, raw_rate = 0;

void Die(const std::string& what) {
  std::fprintf(stderr, "ingest_bench: %s\n", what.c_str());
  std::exit(1);
}

void Prepare(int64_t target_events) {
  fixture = new Fixture;
  DemoOptions options;
  // The demo population averages about 2.43 events per person.
  options.subjects = static_cast<int>(std::max<int64_t>(1, target_events * 100 / 243));
  options.seed = 42;
  options.out_dir = fixture->dir.File("feed");
  options.as_of = std::chrono::sys_days(std::chrono::year(2026) / 11 / 22);
  auto summary = WriteDemoFeed(options);
  if (!summary) Die(summary.error().ToString());
  fixture->facilities = options.out_dir + "/facilities.jsonl";
  fixture->events = options.out_dir + "/events.jsonl";
  fixture->event_count = summary->events;

  // The baseline inserts exactly the rows the importer stores, decoded ahead
  // of time: it measures SQLite alone.
  std::ifstream in(fixture->events);
  std::string line;
  Timestamp now = SystemClock().Now();
  std::unordered_set<std::string> seen;
  fixture->rows.reserve(summary->events);
  while (std::getline(in, line)) {
    auto parsed = ParseJsonLine(line, now);
    if (!parsed) Die("demo feed line rejected: " + parsed.error().reason);
    const auto& e = std::get<CustodyEvent>(*parsed);
    Row r;
    r.source = e.source;
    r.event_id = e.event_id;
    r.type = std::string(Name(e.type));
    r.occurred_at = ToUnixMicros(e.occurred_at);
    r.a_number = e.subject->a_number.digits();
    r.given = e.subject->given_names;
    r.family = e.subject->family_names;
    r.aliases = nlohmann::json(e.subject->aliases).dump();
    r.dob = e.subject->date_of_birth ? e.subject->date_of_birth->ToString() : "";
    r.country = e.subject->country_of_birth;
    r.facility = e.facility_id;
    r.basis = std::string(Name(*e.custody_basis));
    r.protections = e.protections.bits();
    r.hash = EventContentHash(e);
    r.first_of_subject = seen.insert(r.a_number).second;
    fixture->rows.push_back(std::move(r));
  }
}

void BM_VigilImportCli(benchmark::State& state) {
  for (auto _ : state) {
    std::string db = fixture->dir.File("cli.db");
    std::remove(db.c_str());
    auto start = SteadyClock::now();
    pid_t pid = fork();
    if (pid == 0) {
      int devnull = open("/dev/null", O_WRONLY);
      dup2(devnull, STDOUT_FILENO);
      execl(VIGIL_BINARY, "vigil", "--db", db.c_str(), "--create", "import", "--quiet",
            fixture->facilities.c_str(), fixture->events.c_str(), nullptr);
      _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    double seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) Die("vigil import failed");
    state.SetIterationTime(seconds);
    double rate = fixture->event_count / seconds;
    cli_rate = std::max(cli_rate, rate);
    state.counters["events_per_s"] = rate;
  }
}

void BM_VigilImportInProcess(benchmark::State& state) {
  for (auto _ : state) {
    std::string db = fixture->dir.File("inprocess.db");
    std::remove(db.c_str());
    auto store = OpenSqliteStore(db);
    if (!store) Die(store.error().ToString());
    SystemClock clock;
    FeedImporter importer(store->get(), &clock);
    auto start = SteadyClock::now();
    auto f = importer.ImportFile(fixture->facilities, nullptr);
    auto e = importer.ImportFile(fixture->events, nullptr);
    double seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
    if (!f || !e || e->accepted != fixture->event_count) Die("in-process import failed");
    state.SetIterationTime(seconds);
    inprocess_rate = fixture->event_count / seconds;
  }
  state.counters["events_per_s"] = inprocess_rate;
}

void Check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE) Die(std::string(what) + ": " + sqlite3_errmsg(db));
}

void BM_BareSqliteInsert(benchmark::State& state) {
  for (auto _ : state) {
    std::string path = fixture->dir.File("bare.db");
    std::remove(path.c_str());
    sqlite3* db = nullptr;
    Check(sqlite3_open(path.c_str(), &db), db, "open");
    Check(sqlite3_exec(db, SqliteConnectionPragmas(), nullptr, nullptr, nullptr), db, "pragmas");
    Check(sqlite3_exec(db, SqliteCustodyEventsDdl(), nullptr, nullptr, nullptr), db, "ddl");
    sqlite3_stmt* stmt = nullptr;
    Check(sqlite3_prepare_v2(
              db,
              "INSERT INTO custody_events (subject_id, source, event_id, type, occurred_at, "
              "a_number, given_names, family_names, aliases, date_of_birth, country_of_birth, "
              "facility_id, custody_basis, protections, scheduled_release, retracts, "
              "content_hash, retracted_by, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
              "?9, ?10, ?11, ?12, ?13, ?14, NULL, '', ?15, '', ?16)",
              -1, &stmt, nullptr),
          db, "prepare");
    // The subjects table as the store creates it (migration 1).
    Check(sqlite3_exec(db,
                       "CREATE TABLE subjects (subject_id INTEGER PRIMARY KEY, a_number TEXT NOT "
                       "NULL UNIQUE CHECK (length(a_number) = 9), given_names TEXT NOT NULL, "
                       "family_names TEXT NOT NULL, aliases TEXT NOT NULL DEFAULT '[]', "
                       "date_of_birth TEXT, country_of_birth TEXT NOT NULL, custody_status TEXT, "
                       "facility_id TEXT NOT NULL DEFAULT '', custody_basis TEXT, protections "
                       "INTEGER NOT NULL DEFAULT 0, last_event_at INTEGER, released_at INTEGER, "
                       "scheduled_release INTEGER)",
                       nullptr, nullptr, nullptr),
          db, "subjects ddl");
    sqlite3_stmt* subject_stmt = nullptr;
    Check(sqlite3_prepare_v2(db,
                             "INSERT INTO subjects (a_number, given_names, family_names, aliases, "
                             "date_of_birth, country_of_birth, custody_status, facility_id, "
                             "custody_basis, protections, last_event_at) VALUES (?1, ?2, ?3, ?4, "
                             "?5, ?6, 'in_custody', ?7, ?8, ?9, ?10)",
                             -1, &subject_stmt, nullptr),
          db, "prepare subject");
    auto text = [&](int i, const std::string& s) {
      sqlite3_bind_text(stmt, i, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
    };
    auto subject_text = [&](int i, const std::string& s) {
      sqlite3_bind_text(subject_stmt, i, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
    };
    auto start = SteadyClock::now();
    int64_t in_batch = 0, subject = 0;
    Check(sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), db, "begin");
    for (const Row& r : fixture->rows) {
      if (r.first_of_subject) {
        subject_text(1, r.a_number);
        subject_text(2, r.given);
        subject_text(3, r.family);
        subject_text(4, r.aliases);
        if (r.dob.empty()) {
          sqlite3_bind_null(subject_stmt, 5);
        } else {
          subject_text(5, r.dob);
        }
        subject_text(6, r.country);
        subject_text(7, r.facility);
        subject_text(8, r.basis);
        sqlite3_bind_int64(subject_stmt, 9, r.protections);
        sqlite3_bind_int64(subject_stmt, 10, r.occurred_at);
        Check(sqlite3_step(subject_stmt), db, "insert subject");
        sqlite3_reset(subject_stmt);
        ++subject;
      }
      sqlite3_bind_int64(stmt, 1, subject);
      text(2, r.source);
      text(3, r.event_id);
      text(4, r.type);
      sqlite3_bind_int64(stmt, 5, r.occurred_at);
      text(6, r.a_number);
      text(7, r.given);
      text(8, r.family);
      text(9, r.aliases);
      if (r.dob.empty()) {
        sqlite3_bind_null(stmt, 10);
      } else {
        text(10, r.dob);
      }
      text(11, r.country);
      text(12, r.facility);
      text(13, r.basis);
      sqlite3_bind_int64(stmt, 14, r.protections);
      sqlite3_bind_blob(stmt, 15, r.hash.data(), static_cast<int>(r.hash.size()), SQLITE_STATIC);
      sqlite3_bind_int64(stmt, 16, r.occurred_at);
      Check(sqlite3_step(stmt), db, "insert");
      sqlite3_reset(stmt);
      if (++in_batch == kBatchLines) {
        Check(sqlite3_exec(db, "COMMIT; BEGIN IMMEDIATE", nullptr, nullptr, nullptr), db,
              "commit");
        in_batch = 0;
      }
    }
    Check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
    double seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
    sqlite3_finalize(stmt);
    sqlite3_finalize(subject_stmt);
    sqlite3_close(db);
    state.SetIterationTime(seconds);
    double rate = fixture->rows.size() / seconds;
    bare_rate = std::max(bare_rate, rate);
    state.counters["rows_per_s"] = rate;
  }
}

// The floor: what storing the feed costs with no parsing, folding or
// indexing — the file read line by line, each line one row.
void BM_RawLineInsert(benchmark::State& state) {
  for (auto _ : state) {
    bench::RawLineRun run;
    try {
      run = bench::InsertRawLines(fixture->dir.File("raw.db"), fixture->events);
    } catch (const std::exception& e) {
      Die(e.what());
    }
    const int64_t lines = run.lines;
    const double seconds = run.seconds;
    if (lines != fixture->event_count) Die("raw lines: " + std::to_string(lines));
    state.SetIterationTime(seconds);
    double rate = lines / seconds;
    raw_rate = std::max(raw_rate, rate);
    state.counters["lines_per_s"] = rate;
  }
}

}  // namespace
}  // namespace vigil

int main(int argc, char** argv) {
  int64_t events = 1'000'000;
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    if (std::strncmp(argv[i], "--events=", 9) == 0) {
      events = std::atoll(argv[i] + 9);
    } else {
      rest.push_back(argv[i]);
    }
  }
  int rest_argc = static_cast<int>(rest.size());
  benchmark::Initialize(&rest_argc, rest.data());
  std::fprintf(stderr, "ingest_bench: generating a demo feed of about %lld events...\n",
               static_cast<long long>(events));
  vigil::Prepare(events);
  std::fprintf(stderr, "ingest_bench: %lld events, %.0f MB\n",
               static_cast<long long>(vigil::fixture->event_count),
               static_cast<double>(std::ifstream(vigil::fixture->events, std::ios::ate).tellg()) /
                   1e6);
  using benchmark::kMillisecond;
  // The machine's own speed drifts by ±20% over a minute, so the baseline
  // and `vigil import` take turns, twice, and each keeps its best run.
  for (int round = 1; round <= vigil::kRounds; ++round) {
    std::string suffix = "/round:" + std::to_string(round);
    benchmark::RegisterBenchmark(("bare_sqlite_insert" + suffix).c_str(),
                                 vigil::BM_BareSqliteInsert)
        ->Iterations(1)->UseManualTime()->Unit(kMillisecond);
    benchmark::RegisterBenchmark(("raw_line_insert" + suffix).c_str(), vigil::BM_RawLineInsert)
        ->Iterations(1)
        ->UseManualTime()
        ->Unit(kMillisecond);
    benchmark::RegisterBenchmark(("vigil_import_cli" + suffix).c_str(), vigil::BM_VigilImportCli)
        ->Iterations(1)->UseManualTime()->Unit(kMillisecond);
  }
  benchmark::RegisterBenchmark("vigil_import_in_process", vigil::BM_VigilImportInProcess)
      ->Iterations(1)->UseManualTime()->Unit(kMillisecond);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (vigil::bare_rate > 0 && vigil::cli_rate > 0) {
    std::printf(
        "\ningest: %lld events; best of %d rounds: bare SQLite insert %.0f rows/s; vigil import "
        "%.0f events/s (in process %.0f/s); ratio %.2f (target >= 0.50)\n",
        static_cast<long long>(vigil::fixture->event_count), vigil::kRounds, vigil::bare_rate,
        vigil::cli_rate,
        vigil::inprocess_rate, vigil::cli_rate / vigil::bare_rate);
  }
  if (vigil::raw_rate > 0 && vigil::cli_rate > 0) {
    std::printf(
        "ingest floor: raw lines as blobs %.0f lines/s; vigil import / raw-line floor %.2f "
        "(target >= 0.70)\n",
        vigil::raw_rate, vigil::cli_rate / vigil::raw_rate);
  }
  delete vigil::fixture;  // removes the temporary directory
  return 0;
}
