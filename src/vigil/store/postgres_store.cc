#include "vigil/store/postgres_store.h"

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "vigil/core/logger.h"
#include "vigil/core/thread_name.h"
#include "vigil/store/postgres_parts.h"
#include "vigil/store/postgres_schema.h"

namespace vigil {
namespace postgres_store {
namespace {

// Advisory lock keys (any 64-bit numbers, unique to vigil's use of them).
constexpr int64_t kMigrationLock = 0x76696769'6c000002;  // "vigil" 2: one migrator at a time

// libpq's messages end in a newline; vigil's do not.
std::string Trimmed(const char* message) {
  std::string s = message ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// Password parameters are never shown: a URL is reported by its hosts only.
std::string Where(PGconn* conn) {
  if (conn == nullptr) return "PostgreSQL";
  const char* host = PQhost(conn);
  const char* port = PQport(conn);
  const char* db = PQdb(conn);
  return std::string("PostgreSQL at ") + (host ? host : "?") + ":" + (port ? port : "?") + "/" +
         (db ? db : "?");
}

}  // namespace

Result<std::unique_ptr<PgConnection>> PgConnection::Open(const std::string& conninfo) {
  PGconn* raw = PQconnectdb(conninfo.c_str());
  auto conn = std::unique_ptr<PgConnection>(new PgConnection(raw));
  if (raw == nullptr) return Unavailable("postgresql: out of memory connecting");
  if (PQstatus(raw) != CONNECTION_OK) {
    return Unavailable("cannot connect to " + Where(raw) + ": " + Trimmed(PQerrorMessage(raw)));
  }
  // A writer waiting for another's lock gives up in bounded time, as with
  // SQLite's busy timeout; text is UTF-8 whatever the server's default.
  VIGIL_RETURN_IF_ERROR(
      conn->Exec("SET client_encoding = 'UTF8'; SET lock_timeout = '10s'; "
                 "SET idle_in_transaction_session_timeout = '10min'",
                 "configure the session"));
  return conn;
}

PgConnection::~PgConnection() {
  if (conn_ != nullptr) PQfinish(conn_);
}

Error PgConnection::ErrorOf(const PGresult* result, std::string_view what) {
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string message = "postgresql: " + std::string(what) + ": " +
                        Trimmed(result ? PQresultErrorMessage(result) : PQerrorMessage(conn_));
  if (PQstatus(conn_) != CONNECTION_OK) {
    broken_ = true;
    return Error(ErrorCode::kUnavailable, "lost the connection to " + Where(conn_) + ": " +
                                              std::string(what) + ": " +
                                              Trimmed(PQerrorMessage(conn_)));
  }
  // Class 23: integrity constraint violation. Class 08 (connection), 57
  // (operator intervention: shutdown, failover) and 25006 (read-only
  // transaction: a standby after failover) leave the connection useless.
  if (state != nullptr && std::strncmp(state, "23", 2) == 0) {
    return Error(ErrorCode::kConflict, std::move(message));
  }
  if (state != nullptr && (std::strncmp(state, "08", 2) == 0 || std::strncmp(state, "57", 2) == 0 ||
                           std::strcmp(state, "25006") == 0)) {
    broken_ = true;
  }
  return Error(ErrorCode::kUnavailable, std::move(message));
}

Result<void> PgConnection::Exec(const char* sql, std::string_view what) {
  VIGIL_RETURN_IF_ERROR(Drain());
  PGresult* r = PQexec(conn_, sql);
  ExecStatusType status = PQresultStatus(r);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    Error e = ErrorOf(r, what);
    PQclear(r);
    return tl::unexpected(std::move(e));
  }
  PQclear(r);
  return {};
}

void AppendCopyText(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += c;
    }
  }
}

void AppendCopyBytea(std::string& out, std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  out += "\\\\x";
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
}

Result<void> PgConnection::CopyIn(const char* copy_sql, std::string_view data,
                                  std::string_view what) {
  VIGIL_RETURN_IF_ERROR(StartCopyIn(copy_sql, data, what));
  return Drain();
}

Result<void> PgConnection::StartCopyIn(const char* copy_sql, std::string_view data,
                                       std::string_view what) {
  VIGIL_RETURN_IF_ERROR(Drain());
  PGresult* r = PQexec(conn_, copy_sql);
  if (PQresultStatus(r) != PGRES_COPY_IN) {
    Error e = ErrorOf(r, what);
    PQclear(r);
    return tl::unexpected(std::move(e));
  }
  PQclear(r);
  constexpr size_t kPiece = 1 << 20;
  bool sent = true;
  for (size_t at = 0; sent && at < data.size(); at += kPiece) {
    const size_t n = std::min(kPiece, data.size() - at);
    sent = PQputCopyData(conn_, data.data() + at, static_cast<int>(n)) == 1;
  }
  sent = PQputCopyEnd(conn_, sent ? nullptr : "vigil: the copy was cut short") == 1 && sent;
  in_flight_ = what;
  if (!sent) {
    Error e = ErrorOf(nullptr, what);
    Drain();
    return tl::unexpected(std::move(e));
  }
  return {};
}

Result<void> PgConnection::Drain() {
  if (in_flight_.empty()) return {};
  const std::string what = std::move(in_flight_);
  in_flight_.clear();
  Result<void> out;
  while (PGresult* r = PQgetResult(conn_)) {
    if (out && PQresultStatus(r) != PGRES_COMMAND_OK) out = tl::unexpected(ErrorOf(r, what));
    PQclear(r);
  }
  return out;
}

Result<std::string> PgConnection::Prepared(const char* sql, const std::vector<Oid>& types) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) return it->second;
  std::string name = "s" + std::to_string(statements_.size() + 1);
  VIGIL_RETURN_IF_ERROR(Drain());
  PGresult* r = PQprepare(conn_, name.c_str(), sql, static_cast<int>(types.size()), types.data());
  if (PQresultStatus(r) != PGRES_COMMAND_OK) {
    Error e = ErrorOf(r, "prepare");
    PQclear(r);
    return tl::unexpected(std::move(e));
  }
  PQclear(r);
  statements_.emplace(sql, name);
  return name;
}

Result<void> PgQuery::Execute(std::string_view what) {
  std::vector<Oid> types;
  std::vector<const char*> values;
  std::vector<int> lengths, formats;
  for (const Param& p : params_) {
    types.push_back(p.type);
    values.push_back(p.null ? nullptr : p.value.data());
    lengths.push_back(static_cast<int>(p.value.size()));
    formats.push_back(p.format);
  }
  VIGIL_RETURN_IF_ERROR(
      conn_->Drain().map_error([&](Error e) { return e.WithContext(std::string(what)); }));
  if (plan_each_time_) {
    result_ = PQexecParams(conn_->conn(), sql_, static_cast<int>(values.size()), types.data(),
                           values.data(), lengths.data(), formats.data(), /*resultFormat=*/0);
  } else {
    auto name = conn_->Prepared(sql_, types);
    if (!name) return tl::unexpected(name.error().WithContext(std::string(what)));
    result_ = PQexecPrepared(conn_->conn(), name->c_str(), static_cast<int>(values.size()),
                             values.data(), lengths.data(), formats.data(), /*resultFormat=*/0);
  }
  ExecStatusType status = PQresultStatus(result_);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return tl::unexpected(conn_->ErrorOf(result_, what));
  }
  return {};
}

Result<bool> PgQuery::Step(std::string_view what) {
  if (result_ == nullptr) VIGIL_RETURN_IF_ERROR(Execute(what));
  ++row_;
  return row_ < PQntuples(result_);
}

Result<void> PgQuery::Run(std::string_view what) {
  if (result_ == nullptr) return Execute(what);
  return {};
}

int64_t PgQuery::Changes() const {
  if (result_ == nullptr) return 0;
  return std::strtoll(PQcmdTuples(result_), nullptr, 10);
}

int64_t PgQuery::Int(int col) const {
  return std::strtoll(PQgetvalue(result_, row_, col), nullptr, 10);
}

std::string PgQuery::Blob(int col) const {
  size_t n = 0;
  unsigned char* bytes =
      PQunescapeBytea(reinterpret_cast<const unsigned char*>(PQgetvalue(result_, row_, col)), &n);
  if (bytes == nullptr) return std::string();
  std::string out(reinterpret_cast<const char*>(bytes), n);
  PQfreemem(bytes);
  return out;
}

const char* ChannelOf(StoreTopic topic) {
  return topic == StoreTopic::kSubjects ? "vigil_subjects" : "vigil_outbox";
}

std::string PgSession::Notifications() const {
  std::string out;
  for (StoreTopic topic : {StoreTopic::kSubjects, StoreTopic::kOutbox}) {
    if (touched_ & (1u << static_cast<unsigned>(topic))) {
      out += std::string("NOTIFY ") + ChannelOf(topic) + "; ";
    }
  }
  return out;
}

Result<int64_t> PgPart::CountOne(PgQuery& q, std::string_view what) {
  auto row = q.Step(what);
  if (!row) return tl::unexpected(row.error());
  return *row ? q.Int(0) : 0;
}

Result<int64_t> PgPart::Changed(PgQuery& q, std::string_view what) {
  VIGIL_RETURN_IF_ERROR(q.Run(what));
  return q.Changes();
}

Result<std::optional<int64_t>> PgPart::Returned(PgQuery& q, std::string_view what) {
  auto row = q.Step(what);
  if (!row) return tl::unexpected(row.error());
  if (!*row) return std::optional<int64_t>();
  return std::optional<int64_t>(q.Int(0));
}

}  // namespace postgres_store

namespace {

using postgres_store::PgConnection;
using postgres_store::PgQuery;

class PgStore;

// Hears what other processes commit: one connection that LISTENs on every
// topic's channel, on a thread of its own, started by the first Subscribe.
// After it (re)connects it calls every subscriber once, since changes may
// have been committed while it was not listening.
class PgListener {
 public:
  explicit PgListener(std::string url) : url_(std::move(url)) {}
  ~PgListener() { Stop(); }

  int Add(StoreTopic topic, std::function<void()> fn) {
    std::lock_guard<std::mutex> lock(mu_);
    int id = ++last_id_;
    subscribers_.emplace(id, std::make_pair(topic, std::move(fn)));
    if (!thread_.joinable()) thread_ = std::thread([this] { Run(); });
    return id;
  }
  void Remove(int id) {
    std::lock_guard<std::mutex> lock(mu_);
    subscribers_.erase(id);
  }
  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  // Calls the subscribers of `channel` ("" for all). Under mu_, so a
  // subscription is never called after its Remove has returned.
  void Fire(std::string_view channel) {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [id, sub] : subscribers_) {
      if (channel.empty() || channel == postgres_store::ChannelOf(sub.first)) sub.second();
    }
  }

  void Run() {
    NameThisThread("pg-listen");
    const Logger log = Logger::For("store");
    std::unique_ptr<PgConnection> conn;
    bool lapsed = false;
    while (true) {
      {
        std::unique_lock<std::mutex> lock(mu_);
        if (stopping_) return;
      }
      if (!conn || !conn->ok()) {
        if (conn) {
          log.Warn("stopped hearing other nodes' changes; reconnecting");
          lapsed = true;
        }
        conn.reset();
        auto opened = PgConnection::Open(url_);
        if (opened && (*opened)->Exec("LISTEN vigil_subjects; LISTEN vigil_outbox", "listen")) {
          conn = std::move(*opened);
          if (lapsed) log.Info("hearing other nodes' changes again");
          lapsed = false;
          Fire("");  // what was committed before LISTEN took effect
        } else {
          lapsed = true;
          std::unique_lock<std::mutex> lock(mu_);
          wake_.wait_for(lock, std::chrono::seconds(1), [&] { return stopping_; });
        }
        continue;
      }
      pollfd pfd{PQsocket(conn->conn()), POLLIN, 0};
      int ready = ::poll(&pfd, 1, 200);  // bounded, so Stop() is seen
      if (ready < 0 && errno != EINTR) conn->set_broken();
      if (ready <= 0) continue;
      if (PQconsumeInput(conn->conn()) == 0) {
        conn->set_broken();
        continue;
      }
      while (PGnotify* n = PQnotifies(conn->conn())) {
        std::string channel = n->relname;
        PQfreemem(n);
        Fire(channel);
      }
    }
  }

  const std::string url_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;                                                    // guarded by mu_
  int last_id_ = 0;                                                          // guarded by mu_
  std::map<int, std::pair<StoreTopic, std::function<void()>>> subscribers_;  // guarded by mu_
  std::thread thread_;
};

class PgSubscription final : public StoreSubscription {
 public:
  PgSubscription(PgListener* listener, int id) : listener_(listener), id_(id) {}
  ~PgSubscription() override { listener_->Remove(id_); }

 private:
  PgListener* listener_;
  int id_;
};

// A reader or a writer on one connection, handing out the parts that work
// through it. An in-process writer holds the store's writer mutex for its
// whole life, so writers of one process queue there rather than each
// holding a connection while it waits for the advisory lock.
class PgTransaction final : public StoreTransaction {
 public:
  PgTransaction(PgStore* store, std::unique_ptr<PgConnection> conn,
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
  ~PgTransaction() override;

  postgres_store::PgCustody& custody() override { return custody_; }
  postgres_store::PgRegistrations& registrations() override { return registrations_; }
  postgres_store::PgOutbox& outbox() override { return outbox_; }
  postgres_store::PgControls& controls() override { return controls_; }
  postgres_store::PgAudit& audit() override { return audit_; }
  postgres_store::PgReporting& reporting() override { return reporting_; }

  Result<void> Commit() override;
  Result<void> Prefetch(const StoreLookahead& ahead) override { return custody_.Prefetch(ahead); }

 private:
  PgStore* store_;
  postgres_store::PgSession session_;
  std::unique_lock<std::mutex> writer_lock_;
  postgres_store::PgCustody custody_;
  postgres_store::PgRegistrations registrations_;
  postgres_store::PgOutbox outbox_;
  postgres_store::PgControls controls_;
  postgres_store::PgAudit audit_;
  postgres_store::PgReporting reporting_;
};

class PgStore final : public Store {
 public:
  explicit PgStore(std::string url) : url_(std::move(url)), listener_(url_) {}
  ~PgStore() override { listener_.Stop(); }

  std::unique_ptr<StoreSubscription> Subscribe(StoreTopic topic,
                                               std::function<void()> on_change) override {
    return std::make_unique<PgSubscription>(&listener_, listener_.Add(topic, std::move(on_change)));
  }

  Result<std::unique_ptr<StoreReader>> BeginRead() override {
    auto conn = Begin("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SELECT 1", "begin read");
    if (!conn) return tl::unexpected(conn.error());
    return std::make_unique<PgTransaction>(this, std::move(*conn), std::unique_lock<std::mutex>());
  }

  Result<std::unique_ptr<StoreTransaction>> BeginWrite() override {
    std::unique_lock<std::mutex> lock(writer_mu_);
    static const std::string kBegin =
        "BEGIN; SELECT pg_advisory_xact_lock(" + std::to_string(kPostgresWriterLock) + ")";
    auto conn = Begin(kBegin.c_str(), "begin write");
    if (!conn) return tl::unexpected(conn.error());
    return std::make_unique<PgTransaction>(this, std::move(*conn), std::move(lock));
  }

  // Takes back a connection from a finished transaction; a broken one is
  // dropped (closed).
  void Release(std::unique_ptr<PgConnection> conn) {
    if (!conn || !conn->ok()) return;
    std::lock_guard<std::mutex> lock(pool_mu_);
    if (idle_.size() < kMaxIdle) idle_.push_back(std::move(conn));
  }

  Result<void> Migrate(bool apply);

 private:
  static constexpr size_t kMaxIdle = 16;

  // A connection with `begin` run on it. A pooled connection the server
  // has dropped since (a restart, a failover) is discarded and the begin
  // retried once on a fresh connection, so callers never see the stale one.
  Result<std::unique_ptr<PgConnection>> Begin(const char* begin, std::string_view what) {
    for (int attempt = 0;; ++attempt) {
      std::unique_ptr<PgConnection> conn;
      {
        std::lock_guard<std::mutex> lock(pool_mu_);
        if (!idle_.empty()) {
          conn = std::move(idle_.back());
          idle_.pop_back();
        }
      }
      const bool pooled = conn != nullptr;
      if (!conn) {
        auto opened = PgConnection::Open(url_);
        if (!opened) return tl::unexpected(opened.error());
        conn = std::move(*opened);
      }
      auto r = conn->Exec(begin, what);
      if (r) return conn;
      if (conn->ok()) {
        conn->Exec("ROLLBACK", "rollback a failed begin");
        Release(std::move(conn));
        return tl::unexpected(r.error());
      }
      if (!pooled || attempt > 0) return tl::unexpected(r.error());
      // Stale pooled connections all died together: drop them all.
      std::lock_guard<std::mutex> lock(pool_mu_);
      idle_.clear();
    }
  }

  const std::string url_;
  PgListener listener_;
  std::mutex writer_mu_;
  std::mutex pool_mu_;
  std::vector<std::unique_ptr<PgConnection>> idle_;  // guarded by pool_mu_
};

PgTransaction::~PgTransaction() {
  PgConnection* conn = session_.connection();
  if (conn == nullptr) return;
  if (!session_.done() && !conn->Exec("ROLLBACK", "rollback")) {
    conn->set_broken();  // not reused: it may still be inside a transaction
  }
  store_->Release(session_.TakeConnection());
}

Result<void> PgTransaction::Commit() {
  if (session_.done()) return Internal("store transaction committed twice");
  // Rows held back are written first; if that fails, the destructor rolls back.
  if (auto flushed = session_.Flush(); !flushed) {
    session_.set_done();
    return tl::unexpected(flushed.error());
  }
  session_.set_done();
  PgConnection* conn = session_.connection();
  // The NOTIFYs ride with the COMMIT: no round trip of their own.
  const std::string commit = session_.Notifications() + "COMMIT";
  if (auto drained = conn->Drain(); !drained) return drained;
  PGresult* r = PQexec(conn->conn(), commit.c_str());
  Result<void> out;
  if (PQresultStatus(r) != PGRES_COMMAND_OK) {
    out = tl::unexpected(conn->ErrorOf(r, "commit"));
    // A NOTIFY before the COMMIT failed: the transaction is still open.
    if (conn->ok()) conn->Exec("ROLLBACK", "rollback after failed commit");
  } else if (std::strcmp(PQcmdStatus(r), "COMMIT") != 0) {
    // PostgreSQL answers COMMIT of a transaction in which a statement
    // failed with ROLLBACK: nothing of it was written, and it is over.
    out = Unavailable("postgresql: commit: the transaction was rolled back after an error");
  }
  PQclear(r);
  return out;
}

Result<int> ReadVersion(PgConnection& conn) {
  PgQuery exists(&conn,
                 "SELECT count(*) FROM pg_tables WHERE tablename = 'schema_migrations' "
                 "AND schemaname = current_schema()");
  auto row = exists.Step("look for schema_migrations");
  if (!row) return tl::unexpected(row.error());
  if (exists.Int(0) == 0) return 0;
  PgQuery version(&conn, "SELECT coalesce(max(version), 0) FROM schema_migrations");
  row = version.Step("read schema version");
  if (!row) return tl::unexpected(row.error());
  return static_cast<int>(version.Int(0));
}

Result<void> PgStore::Migrate(bool apply) {
  auto opened = PgConnection::Open(url_);
  if (!opened) return tl::unexpected(opened.error());
  PgConnection& conn = **opened;
  const int latest = LatestPostgresSchemaVersion();
  auto seen = ReadVersion(conn);
  if (!seen) return tl::unexpected(seen.error());
  if (*seen == latest) return {};
  if (*seen > latest) {
    return Conflict("the database has schema version " + std::to_string(*seen) +
                    ", newer than this vigil knows (" + std::to_string(latest) +
                    "); upgrade vigil");
  }
  if (!apply) {
    return Unavailable("the database has schema version " + std::to_string(*seen) +
                       " and this vigil needs " + std::to_string(latest) +
                       ": run `vigil migrate` first");
  }
  // One migrator at a time across every node; the others find it done.
  static const std::string kLock =
      "SELECT pg_advisory_lock(" + std::to_string(postgres_store::kMigrationLock) + ")";
  VIGIL_RETURN_IF_ERROR(conn.Exec(kLock.c_str(), "wait for other migrations"));
  VIGIL_RETURN_IF_ERROR(conn.Exec("BEGIN", "begin migration"));
  auto fail = [&](const Error& e) {
    conn.Exec("ROLLBACK", "rollback migration");
    return tl::unexpected(e.WithContext("migrating the PostgreSQL schema"));
  };
  auto r = conn.Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, "
      "description TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
      "create schema_migrations");
  if (!r) return fail(r.error());
  auto current = ReadVersion(conn);
  if (!current) return fail(current.error());
  for (const auto& m : postgres_schema::Migrations()) {
    if (m.version <= *current) continue;
    r = conn.Exec(m.sql, m.description);
    if (!r) return fail(r.error());
    PgQuery record(&conn, "INSERT INTO schema_migrations (version, description) VALUES ($1, $2)");
    record.Bind(1, int64_t{m.version}).Bind(2, std::string_view(m.description));
    auto done = record.Run("record migration");
    if (!done) return fail(done.error());
  }
  return conn.Exec("COMMIT", "commit migration");
}

}  // namespace

int LatestPostgresSchemaVersion() { return postgres_schema::Migrations().back().version; }

Result<int> PostgresSchemaVersion(const std::string& url) {
  auto conn = PgConnection::Open(url);
  if (!conn) return tl::unexpected(conn.error());
  return ReadVersion(**conn);
}

Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& url,
                                                 PostgresStoreOptions options) {
  auto store = std::make_unique<PgStore>(url);
  VIGIL_RETURN_IF_ERROR(store->Migrate(options.migrate));
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace vigil
