// The ingest floor (issue 22): a feed's raw lines inserted as blobs, with no
// parsing at all, into a fresh SQLite file with the store's own pragmas (WAL,
// synchronous=FULL) and the importer's lines per transaction — what writing
// the feed costs with vigil's durability and none of its work. Shared by
// ingest_bench and scale_probe so both measure the same floor.
#ifndef VIGIL_BENCH_RAW_LINE_FLOOR_H_
#define VIGIL_BENCH_RAW_LINE_FLOOR_H_

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>

#include "vigil/ingest/feed_importer.h"
#include "vigil/store/sqlite_store.h"

namespace vigil::bench {

struct RawLineRun {
  int64_t lines = 0;
  double seconds = 0;
};

// Inserts every line of `feed` into a new database at `db_path` (removed
// first). Throws std::runtime_error with SQLite's message on failure.
inline RawLineRun InsertRawLines(const std::string& db_path, const std::string& feed) {
  const int64_t batch_lines = ImportOptions().batch_lines;
  std::remove(db_path.c_str());
  sqlite3* db = nullptr;
  auto check = [&db](int rc, const char* what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE) {
      throw std::runtime_error(std::string("raw lines: ") + what + ": " + sqlite3_errmsg(db));
    }
  };
  check(sqlite3_open(db_path.c_str(), &db), "open");
  check(sqlite3_exec(db, SqliteConnectionPragmas(), nullptr, nullptr, nullptr), "pragmas");
  check(sqlite3_exec(db, "CREATE TABLE raw_lines (n INTEGER PRIMARY KEY, line BLOB NOT NULL)",
                     nullptr, nullptr, nullptr),
        "ddl");
  sqlite3_stmt* stmt = nullptr;
  check(sqlite3_prepare_v2(db, "INSERT INTO raw_lines (line) VALUES (?1)", -1, &stmt, nullptr),
        "prepare");
  const auto start = std::chrono::steady_clock::now();
  std::ifstream in(feed);
  if (!in) throw std::runtime_error("raw lines: cannot read " + feed);
  std::string line;
  RawLineRun run;
  int64_t in_batch = 0;
  check(sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), "begin");
  while (std::getline(in, line)) {
    sqlite3_bind_blob(stmt, 1, line.data(), static_cast<int>(line.size()), SQLITE_STATIC);
    check(sqlite3_step(stmt), "insert");
    sqlite3_reset(stmt);
    ++run.lines;
    if (++in_batch == batch_lines) {
      check(sqlite3_exec(db, "COMMIT; BEGIN IMMEDIATE", nullptr, nullptr, nullptr), "commit");
      in_batch = 0;
    }
  }
  check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), "commit");
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return run;
}

}  // namespace vigil::bench

#endif  // VIGIL_BENCH_RAW_LINE_FLOOR_H_
