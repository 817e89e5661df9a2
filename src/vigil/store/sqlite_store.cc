#include "vigil/store/sqlite_store.h"

#include <sqlite3.h>

#include <mutex>
#include <optional>
#include <utility>

#include "vigil/core/background_worker.h"
#include "vigil/store/sqlite_parts.h"
#include "vigil/store/sqlite_schema.h"

namespace vigil {
namespace sqlite_store {

Result<int64_t> SqlitePart::CountOne(Query& q, std::string_view what) {
  auto row = q.Step(what);
  if (!row) return tl::unexpected(row.error());
  return *row ? q.Int(0) : 0;
}

}  // namespace sqlite_store

namespace {

using sqlite_store::Connection;
using sqlite_store::Query;

// Copies committed pages from the write-ahead log into the database file on
// a thread of its own. SQLite's automatic checkpoint runs in the thread that
// commits, right after the commit, and includes an fsync of the database
// file: an import's writing thread spent 6% of its time there. Checkpoints
// here are PASSIVE: they never wait for, or block, a reader or the writer.
// Should they fall far behind, the committing thread checkpoints itself.
class Checkpointer {
 public:
  // Pages in the log after a commit that make a checkpoint due (SQLite's
  // default for its automatic one), and that make the committer do it.
  static constexpr int kDuePages = 1000;
  static constexpr int kInlinePages = 64 * 1024;

  explicit Checkpointer(std::string path)
      : path_(std::move(path)),
        // Runs when woken by a commit; the long interval is only a backstop.
        worker_({"checkpointing the write-ahead log", std::chrono::minutes(10),
                 std::chrono::minutes(10), Logger::For("store"), "wal-checkpoint"},
                [this] { return Checkpoint(); }) {}

  // Replaces the automatic checkpoint of `writer` (a connection to the same
  // database) with this one.
  void Attach(sqlite3* writer) { sqlite3_wal_hook(writer, &Checkpointer::OnCommit, this); }

 private:
  static int OnCommit(void* self, sqlite3* db, const char* schema, int pages) {
    auto* c = static_cast<Checkpointer*>(self);
    if (pages >= kInlinePages) {
      sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    } else if (pages >= kDuePages) {
      c->worker_.Start();  // once: no thread until the first checkpoint is due
      c->worker_.Wake();
    }
    return SQLITE_OK;
  }

  // The worker's thread only. A failure (the file gone, say) leaves the log
  // to the next attempt, or to the committer once it is long.
  Result<BackgroundWorker::Step> Checkpoint() {
    if (!conn_) {
      auto opened = Connection::Open(path_, /*create=*/false);
      if (!opened) return tl::unexpected(opened.error());
      conn_ = std::move(*opened);
    }
    int rc = sqlite3_wal_checkpoint_v2(conn_->db(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                       nullptr);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
      return Unavailable(std::string("sqlite: checkpoint: ") + sqlite3_errstr(rc));
    }
    return BackgroundWorker::Step::kIdle;
  }

  const std::string path_;
  std::unique_ptr<Connection> conn_;  // the worker's thread only
  BackgroundWorker worker_;           // last: stopped before the connection closes
};

class SqliteStore;

// A reader or a writer on one connection, handing out the parts that work
// through it. Writers hold the store's writer lock for their whole life, so
// in-process writers queue instead of spinning on SQLITE_BUSY.
class SqliteTransaction final : public StoreTransaction {
 public:
  SqliteTransaction(SqliteStore* store, std::unique_ptr<Connection> conn,
                    std::unique_lock<std::mutex> writer_lock)
      : store_(store),
        session_(std::move(conn)),
        writer_lock_(std::move(writer_lock)),
        custody_(session_),
        registrations_(session_),
        outbox_(session_),
        controls_(session_),
        audit_(session_),
        reporting_(session_) {}
  ~SqliteTransaction() override;

  sqlite_store::SqliteCustody& custody() override { return custody_; }
  sqlite_store::SqliteRegistrations& registrations() override { return registrations_; }
  sqlite_store::SqliteOutbox& outbox() override { return outbox_; }
  sqlite_store::SqliteControls& controls() override { return controls_; }
  sqlite_store::SqliteAudit& audit() override { return audit_; }
  sqlite_store::SqliteReporting& reporting() override { return reporting_; }

  Result<void> Commit() override;

 private:
  SqliteStore* store_;
  sqlite_store::SqliteSession session_;
  std::unique_lock<std::mutex> writer_lock_;
  sqlite_store::SqliteCustody custody_;
  sqlite_store::SqliteRegistrations registrations_;
  sqlite_store::SqliteOutbox outbox_;
  sqlite_store::SqliteControls controls_;
  sqlite_store::SqliteAudit audit_;
  sqlite_store::SqliteReporting reporting_;
};

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(std::string path) : path_(std::move(path)), checkpointer_(path_) {}

  ~SqliteStore() override {
    // The checkpointer first: its thread uses a connection of its own and
    // must not outlive the store; the writer closes last and then folds
    // what is left of the log into the database.
    checkpointer_.reset();
  }

  Result<void> Migrate();

  Result<std::unique_ptr<StoreReader>> BeginRead() override {
    std::unique_ptr<Connection> conn;
    {
      std::lock_guard<std::mutex> lock(pool_mu_);
      if (!idle_readers_.empty()) {
        conn = std::move(idle_readers_.back());
        idle_readers_.pop_back();
      }
    }
    if (!conn) {
      auto opened = Connection::Open(path_, /*create=*/false);
      if (!opened) return tl::unexpected(opened.error());
      conn = std::move(*opened);
      VIGIL_RETURN_IF_ERROR(conn->Exec("PRAGMA query_only=ON;", "open reader"));
    }
    // The snapshot starts at the first read; take it now so every later read
    // of this reader sees the same committed state.
    VIGIL_RETURN_IF_ERROR(conn->Run("BEGIN;", "begin read"));
    VIGIL_RETURN_IF_ERROR(conn->Run("SELECT count(*) FROM sqlite_schema;", "begin read"));
    return std::make_unique<SqliteTransaction>(this, std::move(conn),
                                               std::unique_lock<std::mutex>());
  }

  Result<std::unique_ptr<StoreTransaction>> BeginWrite() override {
    std::unique_lock<std::mutex> lock(writer_mu_);
    if (!writer_) {
      auto opened = Connection::Open(path_, /*create=*/false);
      if (!opened) return tl::unexpected(opened.error());
      writer_ = std::move(*opened);
      checkpointer_->Attach(writer_->db());
    }
    VIGIL_RETURN_IF_ERROR(writer_->Run("BEGIN IMMEDIATE;", "begin write"));
    return std::make_unique<SqliteTransaction>(this, std::move(writer_), std::move(lock));
  }

  // Takes back a connection from a finished transaction.
  void Release(std::unique_ptr<Connection> conn, bool writer) {
    if (writer) {
      writer_ = std::move(conn);  // the caller still holds writer_mu_
      return;
    }
    std::lock_guard<std::mutex> lock(pool_mu_);
    if (idle_readers_.size() < 16) idle_readers_.push_back(std::move(conn));
  }

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::optional<Checkpointer> checkpointer_;
  std::mutex writer_mu_;
  std::unique_ptr<Connection> writer_;  // guarded by writer_mu_
  std::mutex pool_mu_;
  std::vector<std::unique_ptr<Connection>> idle_readers_;  // guarded by pool_mu_
};

SqliteTransaction::~SqliteTransaction() {
  Connection* conn = session_.connection();
  if (conn == nullptr) return;
  if (!session_.done()) {
    // Rolling back cannot usefully fail; if it does, the connection is closed
    // rather than reused so no half-finished transaction leaks into the next.
    if (!conn->Run("ROLLBACK;", "rollback")) return;
  }
  store_->Release(session_.TakeConnection(), writer_lock_.owns_lock());
}

Result<void> SqliteTransaction::Commit() {
  if (session_.done()) return Internal("store transaction committed twice");
  session_.set_done();
  Connection* conn = session_.connection();
  auto r = conn->Run("COMMIT;", "commit");
  if (!r) {
    conn->Run("ROLLBACK;", "rollback after failed commit");
    return r;
  }
  return {};
}

Result<void> SqliteStore::Migrate() {
  auto opened = Connection::Open(path_, /*create=*/true);
  if (!opened) return tl::unexpected(opened.error());
  Connection& conn = **opened;
  auto read_version = [&]() -> Result<int64_t> {
    auto exists = conn.Prepare(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'");
    if (!exists) return tl::unexpected(exists.error());
    {
      Query q(conn.db(), *exists);
      auto row = q.Step("look for schema_migrations");
      if (!row) return tl::unexpected(row.error());
      if (q.Int(0) == 0) return 0;
    }
    auto stmt = conn.Prepare("SELECT coalesce(max(version), 0) FROM schema_migrations");
    if (!stmt) return tl::unexpected(stmt.error());
    Query q(conn.db(), *stmt);
    auto row = q.Step("read schema version");
    if (!row) return tl::unexpected(row.error());
    return q.Int(0);
  };
  // Most opens find the schema current; they must not queue behind a writer
  // (an import running beside a server) just to learn that.
  auto latest = sqlite_schema::Migrations().back().version;
  auto seen = read_version();
  if (!seen) return tl::unexpected(seen.error().WithContext("opening " + path_));
  if (*seen == latest) return {};

  VIGIL_RETURN_IF_ERROR(conn.Exec("BEGIN IMMEDIATE;", "begin migration"));
  auto fail = [&](Error e) {
    conn.Exec("ROLLBACK;", "rollback migration");
    return tl::unexpected(e.WithContext("migrating " + path_));
  };
  auto r = conn.Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL);",
      "create schema_migrations");
  if (!r) return fail(r.error());
  auto version = read_version();
  if (!version) return fail(version.error());
  int64_t current = *version;
  auto migrations = sqlite_schema::Migrations();
  if (current > migrations.back().version) {
    conn.Exec("ROLLBACK;", "rollback migration");
    return Conflict(path_ + " has schema version " + std::to_string(current) +
                    ", newer than this vigil knows (" + std::to_string(migrations.back().version) +
                    "); upgrade vigil");
  }
  for (const auto& m : migrations) {
    if (m.version <= current) continue;
    r = conn.Exec(m.sql, m.description);
    if (!r) return fail(r.error());
    auto ins = conn.Prepare(
        "INSERT INTO schema_migrations (version, description, applied_at) "
        "VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ','now'))");
    if (!ins) return fail(ins.error());
    Query q(conn.db(), *ins);
    q.Bind(1, static_cast<int64_t>(m.version)).Bind(2, std::string_view(m.description));
    auto done = q.Run("record migration");
    if (!done) return fail(done.error());
  }
  return conn.Exec("COMMIT;", "commit migration");
}

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path) {
  auto store = std::make_unique<SqliteStore>(path);
  VIGIL_RETURN_IF_ERROR(store->Migrate());
  return std::unique_ptr<Store>(std::move(store));
}

const char* SqliteConnectionPragmas() { return sqlite_store::kPragmas; }
const char* SqliteCustodyEventsDdl() { return sqlite_schema::kCustodyEventsDdl; }

}  // namespace vigil
