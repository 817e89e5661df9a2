// Ingest into PostgreSQL: `vigil import` (the real binary, over libpq)
// beside a bare COPY of the same rows (every custody_events row, and one
// subjects row and one subject_changes row per person, as the importer
// stores them) into the same
// schema, with the same number of lines per transaction, in the same
// throwaway cluster with the same durability (fsync, synchronous_commit and
// full_page_writes on). The two take turns, twice; each keeps its best.
//
//   pg_ingest_bench [--events=N] [--rounds=R] [--shared-buffers=SIZE] [--setting=LINE]...
//                   (default 100,000 events; the test cluster's 16MB;
//                   LINE is any postgresql.conf line)
#include <libpq-fe.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "vigil/app/demo_data.h"
#include "vigil/ingest/feed_applier.h"
#include "vigil/ingest/feed_importer.h"
#include "vigil/ingest/record_parser.h"
#include "vigil/store/postgres_parts.h"  // AppendCopyText, as the store writes COPY
#include "vigil/testing/postgres_cluster.h"
#include "vigil/testing/process.h"
#include "vigil/testing/temp_dir.h"

namespace vigil {
namespace {

using SteadyClock = std::chrono::steady_clock;
const int64_t kBatchLines = ImportOptions().batch_lines;

void Die(const std::string& what) {
  std::fprintf(stderr, "pg_ingest_bench: %s\n", what.c_str());
  std::exit(1);
}

// A value for COPY's text format: \N for NULL; backslash, tab, newline and
// carriage return escaped.
void Field(std::string& out, const std::string& v, bool null = false) {
  if (!out.empty() && out.back() != '\n') out += '\t';
  if (null) {
    out += "\\N";
    return;
  }
  postgres_store::AppendCopyText(out, v);
}

std::string HexBytea(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out = "\\x";
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

struct Fixture {
  testutil::TempDir dir;
  std::string facilities, events;
  int64_t event_count = 0;
  // COPY text for each transaction: events, the subjects first seen in it,
  // and their change-log rows.
  std::vector<std::string> event_batches, subject_batches, change_batches;
};

void Prepare(Fixture& f, int64_t target_events) {
  DemoOptions options;
  options.subjects = static_cast<int>(std::max<int64_t>(1, target_events * 100 / 243));
  options.seed = 42;
  options.out_dir = f.dir.File("feed");
  options.as_of = std::chrono::sys_days(std::chrono::year(2026) / 11 / 22);
  auto summary = WriteDemoFeed(options);
  if (!summary) Die(summary.error().ToString());
  f.facilities = options.out_dir + "/facilities.jsonl";
  f.events = options.out_dir + "/events.jsonl";
  f.event_count = summary->events;

  std::ifstream in(f.events);
  std::string line, events, subjects, changes;
  Timestamp now = SystemClock().Now();
  std::unordered_map<std::string, int64_t> ids;  // subject_id by A-number
  int64_t in_batch = 0, last_id = 0;
  while (std::getline(in, line)) {
    auto parsed = ParseJsonLine(line, now);
    if (!parsed) Die("demo feed line rejected: " + parsed.error().reason);
    const auto& e = std::get<CustodyEvent>(*parsed);
    const SubjectRecord& s = *e.subject;
    const std::string dob = s.date_of_birth ? s.date_of_birth->ToString() : "";
    const std::string aliases = nlohmann::json(s.aliases).dump();
    const std::string at = std::to_string(ToUnixMicros(e.occurred_at));
    auto [known, fresh] = ids.try_emplace(s.a_number.digits(), last_id + 1);
    const int64_t subject_id = known->second;
    if (fresh) {
      ++last_id;
      std::string row;
      Field(row, std::to_string(subject_id));
      Field(row, s.a_number.digits());
      Field(row, s.given_names);
      Field(row, s.family_names);
      Field(row, aliases);
      Field(row, dob, dob.empty());
      Field(row, s.country_of_birth);
      Field(row, "in_custody");
      Field(row, e.facility_id);
      Field(row, std::string(Name(*e.custody_basis)));
      Field(row, std::to_string(e.protections.bits()));
      Field(row, at);
      subjects += row + "\n";
      changes += std::to_string(subject_id) + "\n";
    }
    std::string row;
    Field(row, std::to_string(subject_id));
    Field(row, e.source);
    Field(row, e.event_id);
    Field(row, std::string(Name(e.type)));
    Field(row, at);
    Field(row, s.a_number.digits());
    Field(row, s.given_names);
    Field(row, s.family_names);
    Field(row, aliases);
    Field(row, dob, dob.empty());
    Field(row, s.country_of_birth);
    Field(row, e.facility_id);
    Field(row, std::string(Name(*e.custody_basis)));
    Field(row, std::to_string(e.protections.bits()));
    Field(row, HexBytea(EventContentHash(e)));
    Field(row, at);
    events += row + "\n";
    if (++in_batch == kBatchLines) {
      f.event_batches.push_back(std::move(events));
      f.subject_batches.push_back(std::move(subjects));
      f.change_batches.push_back(std::move(changes));
      events.clear();
      subjects.clear();
      changes.clear();
      in_batch = 0;
    }
  }
  if (in_batch > 0) {
    f.event_batches.push_back(std::move(events));
    f.subject_batches.push_back(std::move(subjects));
    f.change_batches.push_back(std::move(changes));
  }
}

PGconn* Connect(const std::string& url) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) Die(std::string("connect: ") + PQerrorMessage(conn));
  return conn;
}

void Exec(PGconn* conn, const std::string& sql) {
  PGresult* r = PQexec(conn, sql.c_str());
  if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
    Die(sql.substr(0, 60) + ": " + PQresultErrorMessage(r));
  }
  PQclear(r);
}

void Copy(PGconn* conn, const std::string& sql, const std::string& data) {
  PGresult* r = PQexec(conn, sql.c_str());
  if (PQresultStatus(r) != PGRES_COPY_IN) Die(sql + ": " + PQresultErrorMessage(r));
  PQclear(r);
  if (PQputCopyData(conn, data.data(), static_cast<int>(data.size())) != 1 ||
      PQputCopyEnd(conn, nullptr) != 1) {
    Die(std::string("copy: ") + PQerrorMessage(conn));
  }
  r = PQgetResult(conn);
  if (PQresultStatus(r) != PGRES_COMMAND_OK) Die(std::string("copy: ") + PQresultErrorMessage(r));
  PQclear(r);
  while ((r = PQgetResult(conn)) != nullptr) PQclear(r);
}

// A fresh database with vigil's schema (migrated by the binary itself).
std::string FreshDatabase(testutil::ThrowawayCluster& cluster, const Fixture& f,
                          const std::string& name) {
  PGconn* admin = Connect(cluster.ConnectionString());
  Exec(admin, "DROP DATABASE IF EXISTS " + name);
  Exec(admin, "CREATE DATABASE " + name);
  PQfinish(admin);
  std::string url =
      "postgresql://postgres@127.0.0.1:" + std::to_string(cluster.port()) + "/" + name;
  auto migrated = testutil::Run({VIGIL_BINARY, "--db", url, "migrate"}, f.dir.path().string());
  if (migrated.exit_code != 0) Die("vigil migrate: " + migrated.err);
  return url;
}

double BareCopy(testutil::ThrowawayCluster& cluster, const Fixture& f) {
  std::string url = FreshDatabase(cluster, f, "bare");
  PGconn* conn = Connect(url);
  auto start = SteadyClock::now();
  for (size_t i = 0; i < f.event_batches.size(); ++i) {
    Exec(conn, "BEGIN");
    if (!f.subject_batches[i].empty()) {
      Copy(conn,
           "COPY subjects (subject_id, a_number, given_names, family_names, aliases, "
           "date_of_birth, country_of_birth, custody_status, facility_id, custody_basis, "
           "protections, last_event_at) FROM STDIN",
           f.subject_batches[i]);
      Copy(conn, "COPY subject_changes (subject_id) FROM STDIN", f.change_batches[i]);
    }
    Copy(conn,
         "COPY custody_events (subject_id, source, event_id, type, occurred_at, a_number, "
         "given_names, family_names, aliases, date_of_birth, country_of_birth, facility_id, "
         "custody_basis, protections, content_hash, received_at) FROM STDIN",
         f.event_batches[i]);
    Exec(conn, "COMMIT");
  }
  double seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
  PQfinish(conn);
  return f.event_count / seconds;
}

double VigilImport(testutil::ThrowawayCluster& cluster, const Fixture& f) {
  std::string url = FreshDatabase(cluster, f, "vigil");
  auto start = SteadyClock::now();
  auto r = testutil::Run({VIGIL_BINARY, "--db", url, "import", "--quiet", f.facilities, f.events},
                         f.dir.path().string());
  double seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
  if (r.exit_code != 0) Die("vigil import: " + r.err);
  return f.event_count / seconds;
}

}  // namespace
}  // namespace vigil

int main(int argc, char** argv) {
  int64_t events = 100'000;
  int rounds = 2;  // the machine's speed swings between runs: more rounds, a fairer best
  // The throwaway cluster's shared_buffers is the tests' 16MB; a deployment
  // gives PostgreSQL far more (--shared-buffers=256MB, say).
  std::string extra;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--events=", 9) == 0) events = std::atoll(argv[i] + 9);
    if (std::strncmp(argv[i], "--rounds=", 9) == 0) rounds = std::max(1, std::atoi(argv[i] + 9));
    if (std::strncmp(argv[i], "--shared-buffers=", 17) == 0) {
      extra = "shared_buffers = " + std::string(argv[i] + 17) + "\n";
    }
    // Any other postgresql.conf line, to look inside a run
    // (--setting="log_min_duration_statement = 0", say).
    if (std::strncmp(argv[i], "--setting=", 10) == 0) extra += std::string(argv[i] + 10) + "\n";
  }
  vigil::Fixture fixture;
  std::fprintf(stderr, "pg_ingest_bench: generating a demo feed of about %lld events...\n",
               static_cast<long long>(events));
  vigil::Prepare(fixture, events);
  vigil::testutil::ThrowawayCluster cluster;
  // The throwaway cluster turns durability off for tests; a benchmark of a
  // durable store keeps it on.
  cluster.AddSettings("fsync = on\nsynchronous_commit = on\nfull_page_writes = on\n" + extra);
  if (std::string error = cluster.Start(); !error.empty()) vigil::Die(error);
  double bare = 0, vigil_rate = 0;
  for (int round = 1; round <= rounds; ++round) {
    double b = vigil::BareCopy(cluster, fixture);
    double v = vigil::VigilImport(cluster, fixture);
    std::fprintf(stderr, "round %d: bare COPY %.0f rows/s, vigil import %.0f events/s\n", round, b,
                 v);
    bare = std::max(bare, b);
    vigil_rate = std::max(vigil_rate, v);
  }
  std::printf(
      "pg ingest: %lld events, %lld lines per transaction; best of %d rounds: bare COPY %.0f "
      "rows/s; vigil import %.0f events/s; ratio %.2f (target >= 0.50)\n",
      static_cast<long long>(fixture.event_count), static_cast<long long>(vigil::kBatchLines),
      rounds, bare, vigil_rate, vigil_rate / bare);
  return 0;
}
