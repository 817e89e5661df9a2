#include "vigil/store/sqlite_store.h"

#include <sqlite3.h>

#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>
#include <unordered_map>
#include <utility>

#include "vigil/core/json_document.h"
#include "vigil/store/sqlite_schema.h"

namespace vigil {
namespace {

// busy_timeout comes first: switching to WAL needs a lock, and another
// process (an import beside a server) may hold it for a moment.
constexpr char kPragmas[] =
    "PRAGMA busy_timeout=10000;"
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=FULL;"
    "PRAGMA cache_size=-65536;"
    "PRAGMA temp_store=MEMORY;"
    // Read database pages through a memory map: in WAL mode every commit
    // (the audit writer commits many times a second) discards each reader's
    // page cache, and re-reading pages by pread costs a system call each.
    "PRAGMA mmap_size=1073741824;";

// One SQLite connection and its cache of prepared statements, keyed by the
// address of the (static) SQL text.
class Connection {
 public:
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, bool create) {
    // Once, before SQLite initialises: no memory statistics. Keeping them
    // takes one process-wide mutex on every allocation, which serialised
    // the searches of all server threads (a profile under load showed most
    // futex calls there). Refused harmlessly if SQLite is already running.
    static const bool configured = [] {
      sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
      return true;
    }();
    (void)configured;
    sqlite3* db = nullptr;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    auto conn = std::unique_ptr<Connection>(new Connection(db));
    if (rc != SQLITE_OK) {
      return Unavailable("cannot open SQLite database " + path + ": " +
                         (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
    }
    sqlite3_extended_result_codes(db, 1);
    VIGIL_RETURN_IF_ERROR(conn->Exec(kPragmas, "set pragmas"));
    return conn;
  }

  ~Connection() {
    for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  sqlite3* db() const { return db_; }

  Result<void> Exec(const char* sql, std::string_view what) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = "sqlite: " + std::string(what) + ": " + (err ? err : "unknown error");
      sqlite3_free(err);
      return Unavailable(std::move(msg));
    }
    return {};
  }

  // Runs one statement (static text) from the statement cache: for the
  // transaction control every request does, without parsing it each time.
  Result<void> Run(const char* sql, std::string_view what) {
    auto stmt = Prepare(sql);
    if (!stmt) return tl::unexpected(stmt.error());
    int rc;
    while ((rc = sqlite3_step(*stmt)) == SQLITE_ROW) {
    }
    sqlite3_reset(*stmt);
    if (rc != SQLITE_DONE) {
      return Unavailable("sqlite: " + std::string(what) + ": " + sqlite3_errmsg(db_));
    }
    return {};
  }

  Result<sqlite3_stmt*> Prepare(const char* sql) {
    auto it = statements_.find(sql);
    if (it != statements_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
      return Internal(std::string("sqlite: prepare: ") + sqlite3_errmsg(db_));
    }
    statements_.emplace(sql, stmt);
    return stmt;
  }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::unordered_map<const char*, sqlite3_stmt*> statements_;
};

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

  explicit Checkpointer(std::string path) : path_(std::move(path)) {}

  ~Checkpointer() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
  }

  // Replaces the automatic checkpoint of `writer` (a connection to the same
  // database) with this one.
  void Attach(sqlite3* writer) { sqlite3_wal_hook(writer, &Checkpointer::OnCommit, this); }

 private:
  static int OnCommit(void* self, sqlite3* db, const char* schema, int pages) {
    auto* c = static_cast<Checkpointer*>(self);
    if (pages >= kInlinePages) {
      sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    } else if (pages >= kDuePages) {
      c->Due();
    }
    return SQLITE_OK;
  }

  void Due() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!thread_.joinable()) thread_ = std::thread([this] { Run(); });
      due_ = true;
    }
    wake_.notify_one();
  }

  void Run() {
    std::unique_ptr<Connection> conn;
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      wake_.wait(lock, [&] { return due_ || stop_; });
      if (stop_) return;
      due_ = false;
      lock.unlock();
      if (!conn) {
        auto opened = Connection::Open(path_, /*create=*/false);
        if (opened) conn = std::move(*opened);
      }
      // A failure (the file gone, say) leaves the log to the next attempt,
      // or to the committer once it is long.
      if (conn) {
        sqlite3_wal_checkpoint_v2(conn->db(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                  nullptr);
      }
      lock.lock();
    }
  }

  const std::string path_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool due_ = false;   // guarded by mu_
  bool stop_ = false;  // guarded by mu_
  std::thread thread_;
};

// A prepared statement in use: binds, steps, reads columns, and resets on
// destruction so the cached statement can be reused.
class Query {
 public:
  Query(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Query(Query&& other) noexcept : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)) {}
  Query& operator=(Query&&) = delete;
  ~Query() {
    if (stmt_ == nullptr) return;
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  Query& Bind(int i, int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  // Text and blobs are bound without copying: the caller keeps them alive
  // until the statement has run (never bind a temporary).
  Query& Bind(int i, std::string_view v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    return *this;
  }
  Query& Bind(int i, std::string&&) = delete;
  Query& BindBlob(int i, std::string_view v) {
    sqlite3_bind_blob(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    return *this;
  }
  Query& BindNull(int i) {
    sqlite3_bind_null(stmt_, i);
    return *this;
  }
  template <typename T>
  Query& BindOptional(int i, const std::optional<T>& v) {
    if (!v) return BindNull(i);
    return Bind(i, *v);
  }

  // Returns true if a row is available, false when done.
  Result<bool> Step(std::string_view what) {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    std::string msg = "sqlite: " + std::string(what) + ": " + sqlite3_errmsg(db_);
    if ((rc & 0xff) == SQLITE_CONSTRAINT) return Conflict(std::move(msg));
    return Unavailable(std::move(msg));
  }
  Result<void> Run(std::string_view what) {
    auto r = Step(what);
    if (!r) return tl::unexpected(r.error());
    return {};
  }

  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  std::string Text(int col) const {
    const unsigned char* p = sqlite3_column_text(stmt_, col);
    return p ? std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(stmt_, col))
             : std::string();
  }
  std::string Blob(int col) const {
    const void* p = sqlite3_column_blob(stmt_, col);
    return p ? std::string(static_cast<const char*>(p), sqlite3_column_bytes(stmt_, col))
             : std::string();
  }
  std::optional<int64_t> OptInt(int col) const {
    if (IsNull(col)) return std::nullopt;
    return Int(col);
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

std::optional<int64_t> OptMicros(const std::optional<Timestamp>& t) {
  if (!t) return std::nullopt;
  return ToUnixMicros(*t);
}
std::optional<Timestamp> OptTime(const std::optional<int64_t>& v) {
  if (!v) return std::nullopt;
  return FromUnixMicros(*v);
}

// Most people have no alias; skip the JSON machinery for them.
std::string AliasesToJson(const std::vector<std::string>& aliases) {
  if (aliases.empty()) return "[]";
  return nlohmann::json(aliases).dump();
}

// Read with the project's one JSON reader, like everything else.
std::vector<std::string> AliasesFromJson(const std::string& text) {
  if (text == "[]") return {};
  JsonDocument doc;
  std::vector<std::string> out;
  if (!doc.Parse(text) || !doc.root().is_array()) return out;
  for (size_t i = 0; i < doc.root().size(); ++i) {
    if (doc.root()[i].is_string()) out.emplace_back(doc.root()[i].text());
  }
  return out;
}

// Stored values were validated on the way in; a value that no longer parses
// means the file was edited by hand or corrupted.
template <typename T>
Result<T> Decode(Result<T> r, const char* column) {
  if (!r) return Internal(std::string("corrupt value in column ") + column + ": " +
                          r.error().message());
  return r;
}

Result<std::optional<PartialDate>> DecodeDate(const Query& q, int col) {
  if (q.IsNull(col)) return std::optional<PartialDate>();
  auto d = Decode(ParsePartialDate(q.Text(col)), "date_of_birth");
  if (!d) return tl::unexpected(d.error());
  return std::optional<PartialDate>(*d);
}

constexpr char kSubjectColumns[] =
    "subject_id, a_number, given_names, family_names, aliases, date_of_birth, country_of_birth, "
    "custody_status, facility_id, custody_basis, protections, last_event_at, released_at, "
    "scheduled_release, public_changed_at, custody_since";

Result<Subject> ReadSubject(const Query& q) {
  Subject s;
  s.subject_id = q.Int(0);
  auto a = Decode(ANumber::Parse(q.Text(1)), "a_number");
  if (!a) return tl::unexpected(a.error());
  s.a_number = *a;
  s.given_names = q.Text(2);
  s.family_names = q.Text(3);
  s.aliases = AliasesFromJson(q.Text(4));
  auto dob = DecodeDate(q, 5);
  if (!dob) return tl::unexpected(dob.error());
  s.date_of_birth = *dob;
  s.country_of_birth = q.Text(6);
  if (!q.IsNull(7)) {
    auto st = Decode(ParseCustodyStatus(q.Text(7)), "custody_status");
    if (!st) return tl::unexpected(st.error());
    s.custody_status = *st;
  }
  s.facility_id = q.Text(8);
  if (!q.IsNull(9)) {
    auto b = Decode(ParseCustodyBasis(q.Text(9)), "custody_basis");
    if (!b) return tl::unexpected(b.error());
    s.custody_basis = *b;
  }
  s.protections = ProtectionSet::FromBits(static_cast<uint32_t>(q.Int(10)));
  s.last_event_at = OptTime(q.OptInt(11));
  s.released_at = OptTime(q.OptInt(12));
  s.scheduled_release = OptTime(q.OptInt(13));
  s.public_changed_at = OptTime(q.OptInt(14));
  s.custody_since = OptTime(q.OptInt(15));
  return s;
}

constexpr char kEventColumns[] =
    "event_pk, subject_id, source, event_id, type, occurred_at, a_number, given_names, "
    "family_names, aliases, date_of_birth, country_of_birth, facility_id, custody_basis, "
    "protections, scheduled_release, retracts, content_hash, retracted_by, received_at";

Result<StoredEvent> ReadEvent(const Query& q) {
  StoredEvent s;
  s.event_pk = q.Int(0);
  s.subject_id = q.IsNull(1) ? 0 : q.Int(1);
  CustodyEvent& e = s.event;
  e.source = q.Text(2);
  e.event_id = q.Text(3);
  auto type = Decode(ParseEventType(q.Text(4)), "type");
  if (!type) return tl::unexpected(type.error());
  e.type = *type;
  e.occurred_at = FromUnixMicros(q.Int(5));
  if (!q.IsNull(6)) {
    SubjectRecord r;
    auto a = Decode(ANumber::Parse(q.Text(6)), "a_number");
    if (!a) return tl::unexpected(a.error());
    r.a_number = *a;
    r.given_names = q.Text(7);
    r.family_names = q.Text(8);
    r.aliases = AliasesFromJson(q.Text(9));
    auto dob = DecodeDate(q, 10);
    if (!dob) return tl::unexpected(dob.error());
    r.date_of_birth = *dob;
    r.country_of_birth = q.Text(11);
    e.subject = std::move(r);
  }
  e.facility_id = q.Text(12);
  if (!q.IsNull(13)) {
    auto b = Decode(ParseCustodyBasis(q.Text(13)), "custody_basis");
    if (!b) return tl::unexpected(b.error());
    e.custody_basis = *b;
  }
  e.protections = ProtectionSet::FromBits(static_cast<uint32_t>(q.Int(14)));
  e.scheduled_release = OptTime(q.OptInt(15));
  e.retracts = q.Text(16);
  s.content_hash = q.Blob(17);
  s.retracted_by = q.Text(18);
  s.received_at = FromUnixMicros(q.Int(19));
  return s;
}

class SqliteStore;

// A reader or a writer on one connection. Writers hold the store's writer
// lock for their whole life, so in-process writers queue instead of spinning
// on SQLITE_BUSY.
class SqliteTransaction final : public StoreTransaction {
 public:
  SqliteTransaction(SqliteStore* store, std::unique_ptr<Connection> conn,
                    std::unique_lock<std::mutex> writer_lock)
      : store_(store), conn_(std::move(conn)), writer_lock_(std::move(writer_lock)) {}
  ~SqliteTransaction() override;

  Result<std::optional<Facility>> GetFacility(std::string_view facility_id) override;
  Result<std::optional<StoredEvent>> GetEvent(std::string_view source,
                                              std::string_view event_id) override;
  Result<std::vector<StoredEvent>> EventsOfSubject(int64_t subject_id) override;
  Result<std::optional<std::string>> FindRetractionOf(std::string_view source,
                                                      std::string_view event_id) override;
  Result<bool> HasUnmatchedRetractions() override;
  Result<std::optional<Subject>> GetSubjectByANumber(const ANumber& a_number) override;
  Result<std::optional<Subject>> GetSubject(int64_t subject_id) override;
  Result<void> ForEachSubject(const std::function<bool(const Subject&)>& fn) override;
  Result<std::vector<RejectRecord>> RecentRejects(int limit) override;
  Result<StoreCounts> Counts() override;
  Result<std::vector<std::pair<int64_t, int64_t>>> SubjectChangesSince(int64_t after_seq,
                                                                        int limit) override;
  Result<int64_t> LatestSubjectChange() override;
  Result<std::vector<SuppressedMatch>> SuppressedMatchesOf(int64_t subject_id) override;
  Result<std::vector<std::pair<int64_t, SuppressedMatch>>> SuppressedMatchesAfter(
      int64_t after_id, int limit) override;
  Result<int64_t> LastSuppressedMatchId() override;
  Result<void> RecordSuppressedMatch(const SuppressedMatch& match) override;
  Result<std::optional<Registration>> GetRegistration(int64_t registration_id) override;
  Result<std::optional<Registration>> FindRegistration(int64_t subject_id, Channel channel,
                                                       std::string_view contact_index) override;
  Result<std::vector<Registration>> RegistrationsOf(int64_t subject_id,
                                                    RegistrationState state) override;
  Result<std::vector<Registration>> RegistrationsByContact(Channel channel,
                                                          std::string_view contact_index) override;
  Result<int64_t> CountLiveRegistrationsByContact(std::string_view contact_index) override;
  Result<int64_t> CountLiveRegistrationsOfSubject(int64_t subject_id) override;
  Result<bool> AnyActiveRegistrations() override;
  Result<std::optional<Notification>> GetNotification(int64_t notification_id) override;
  Result<std::vector<Notification>> NotificationsOfRegistration(int64_t registration_id) override;
  Result<std::vector<std::pair<std::string, int64_t>>> NotificationStateCounts() override;
  Result<std::optional<AuditEntry>> LastAuditEntry() override;
  Result<std::vector<AuditEntry>> AuditEntriesAfter(int64_t after_seq, int limit) override;
  Result<std::vector<AuditCheckpoint>> AuditCheckpoints() override;
  Result<std::optional<int64_t>> LastAuditCheckpointSeq() override;
  Result<void> AppendAuditEntry(const AuditEntry& entry) override;
  Result<std::pair<int64_t, int64_t>> Purge(Timestamp contacts_before,
                                            Timestamp notifications_before) override;
  Result<void> InsertAuditCheckpoint(const AuditCheckpoint& checkpoint) override;
  Result<std::optional<ApiKey>> GetApiKey(std::string_view key_id) override;
  Result<std::vector<ApiKey>> ListApiKeys() override;
  Result<void> InsertApiKey(const ApiKey& key) override;
  Result<bool> RevokeApiKey(std::string_view name_or_id, Timestamp now) override;
  Result<bool> SetApiKeySources(std::string_view name_or_id,
                                const std::vector<std::string>& sources) override;
  Result<int64_t> InsertRegistration(const Registration& registration) override;
  Result<void> UpdateRegistration(const Registration& registration) override;
  Result<int64_t> SuspendRegistrationsOf(int64_t subject_id) override;
  Result<std::optional<int64_t>> InsertNotification(const Notification& notification) override;
  Result<std::vector<Notification>> ClaimDueNotifications(Timestamp now, Timestamp lease_until,
                                                          int limit) override;
  Result<int64_t> QueueNotificationsForEvent(int64_t subject_id, int64_t event_pk,
                                             std::string_view kind, Timestamp now,
                                             bool verified_only) override;
  Result<std::pair<int64_t, int64_t>> QueueCorrections(int64_t retracted_pk, int64_t retraction_pk,
                                                       Timestamp now) override;
  Result<bool> SetNotificationBlock(int64_t subject_id, std::optional<std::string_view> reason,
                                    Timestamp now) override;
  Result<bool> IsNotificationBlocked(int64_t subject_id) override;
  Result<bool> IsEventWithdrawn(int64_t event_pk) override;
  Result<void> ForEachEventBetween(Timestamp from, Timestamp to,
                                   const std::function<bool(const StoredEvent&)>& fn) override;
  Result<bool> FinishNotification(int64_t notification_id, int attempt, NotificationState to,
                                  Timestamp now, Timestamp due_at,
                                  std::string_view error) override;
  Result<int64_t> CancelNotificationsOf(int64_t subject_id, Timestamp now,
                                        bool verifications) override;
  Result<bool> RecordReceipt(int64_t notification_id, NotificationState to, Timestamp now,
                             Timestamp due_at, std::string_view detail) override;
  Result<int64_t> SettleUnreceipted(Timestamp sent_before, Timestamp now,
                                    std::string_view detail) override;
  Result<int64_t> OptOut(Channel channel, std::string_view contact_index, Timestamp now) override;
  Result<int64_t> OptIn(Channel channel, std::string_view contact_index) override;

  Result<void> Commit() override;
  Result<void> PutFacility(const Facility& facility) override;
  Result<int64_t> InsertEvent(const StoredEvent& event) override;
  Result<std::optional<int64_t>> InsertEventIfAbsent(const StoredEvent& event) override;
  Result<int64_t> AllocateSubjectId() override;
  Result<void> SetRetractedBy(std::string_view source, std::string_view event_id,
                              std::string_view retraction_id) override;
  Result<int64_t> InsertSubject(const Subject& subject) override;
  Result<void> UpdateSubject(const Subject& subject) override;
  Result<int64_t> InsertReject(const RejectRecord& reject) override;

 private:
  Result<Query> Prepare(const char* sql) {
    if (done_) return Internal("store transaction used after it ended");
    auto stmt = conn_->Prepare(sql);
    if (!stmt) return tl::unexpected(stmt.error());
    return Query(conn_->db(), *stmt);
  }
  Result<std::optional<Subject>> OneSubject(const char* sql, const std::function<void(Query&)>& bind);
  Result<std::optional<int64_t>> WriteEvent(const char* sql, const StoredEvent& s);
  Result<void> NoteSubjectChange(int64_t subject_id);
  Result<std::vector<Registration>> Registrations(Query& q);
  Result<std::vector<Notification>> Notifications(Query& q);
  Result<int64_t> CountOne(Query& q, std::string_view what);

  int64_t next_subject_id_ = 0;  // 0: not read from the table yet

  SqliteStore* store_;
  std::unique_ptr<Connection> conn_;
  std::unique_lock<std::mutex> writer_lock_;
  bool done_ = false;
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
  if (!conn_) return;
  if (!done_) {
    // Rolling back cannot usefully fail; if it does, the connection is closed
    // rather than reused so no half-finished transaction leaks into the next.
    if (!conn_->Run("ROLLBACK;", "rollback")) return;
  }
  store_->Release(std::move(conn_), writer_lock_.owns_lock());
}

Result<void> SqliteTransaction::Commit() {
  if (done_) return Internal("store transaction committed twice");
  done_ = true;
  auto r = conn_->Run("COMMIT;", "commit");
  if (!r) {
    conn_->Run("ROLLBACK;", "rollback after failed commit");
    return r;
  }
  return {};
}

Result<std::optional<Facility>> SqliteTransaction::GetFacility(std::string_view facility_id) {
  static const char kSql[] =
      "SELECT facility_id, name, address, city, state, phone FROM facilities "
      "WHERE facility_id = ?1";
  auto q = Prepare(kSql);
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, facility_id);
  auto row = q->Step("get facility");
  if (!row) return tl::unexpected(row.error());
  if (!*row) return std::optional<Facility>();
  return std::optional<Facility>(
      Facility{q->Text(0), q->Text(1), q->Text(2), q->Text(3), q->Text(4), q->Text(5)});
}

Result<void> SqliteTransaction::PutFacility(const Facility& f) {
  static const char kSql[] =
      "INSERT OR REPLACE INTO facilities (facility_id, name, address, city, state, phone) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
  auto q = Prepare(kSql);
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, f.facility_id).Bind(2, f.name).Bind(3, f.address).Bind(4, f.city).Bind(5, f.state);
  q->Bind(6, f.phone);
  return q->Run("put facility");
}

Result<std::optional<StoredEvent>> SqliteTransaction::GetEvent(std::string_view source,
                                                               std::string_view event_id) {
  static const std::string kSql = std::string("SELECT ") + kEventColumns +
                                  " FROM custody_events WHERE source = ?1 AND event_id = ?2";
  auto q = Prepare(kSql.c_str());
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, source).Bind(2, event_id);
  auto row = q->Step("get event");
  if (!row) return tl::unexpected(row.error());
  if (!*row) return std::optional<StoredEvent>();
  auto e = ReadEvent(*q);
  if (!e) return tl::unexpected(e.error());
  return std::optional<StoredEvent>(std::move(*e));
}

Result<std::vector<StoredEvent>> SqliteTransaction::EventsOfSubject(int64_t subject_id) {
  static const std::string kSql = std::string("SELECT ") + kEventColumns +
                                  " FROM custody_events WHERE subject_id = ?1 "
                                  "ORDER BY occurred_at, source, event_id";
  auto q = Prepare(kSql.c_str());
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, subject_id);
  std::vector<StoredEvent> out;
  while (true) {
    auto row = q->Step("events of subject");
    if (!row) return tl::unexpected(row.error());
    if (!*row) break;
    auto e = ReadEvent(*q);
    if (!e) return tl::unexpected(e.error());
    out.push_back(std::move(*e));
  }
  return out;
}

Result<void> SqliteTransaction::ForEachEventBetween(
    Timestamp from, Timestamp to, const std::function<bool(const StoredEvent&)>& fn) {
  // No index on occurred_at (it would slow every import for the sake of a
  // rare report): a report reads the table once.
  static const std::string kSql = std::string("SELECT ") + kEventColumns +
                                  " FROM custody_events WHERE occurred_at >= ?1 AND "
                                  "occurred_at < ?2 ORDER BY occurred_at, event_pk";
  auto q = Prepare(kSql.c_str());
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, ToUnixMicros(from)).Bind(2, ToUnixMicros(to));
  while (true) {
    auto row = q->Step("events between");
    if (!row) return tl::unexpected(row.error());
    if (!*row) return {};
    auto e = ReadEvent(*q);
    if (!e) return tl::unexpected(e.error());
    if (!fn(*e)) return {};
  }
}

Result<std::optional<std::string>> SqliteTransaction::FindRetractionOf(std::string_view source,
                                                                       std::string_view event_id) {
  static const char kSql[] =
      "SELECT event_id FROM custody_events WHERE source = ?1 AND retracts = ?2 AND retracts <> '' "
      "ORDER BY occurred_at, event_id LIMIT 1";
  auto q = Prepare(kSql);
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, source).Bind(2, event_id);
  auto row = q->Step("find retraction");
  if (!row) return tl::unexpected(row.error());
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(q->Text(0));
}

Result<bool> SqliteTransaction::HasUnmatchedRetractions() {
  static const char kSql[] =
      "SELECT EXISTS (SELECT 1 FROM custody_events r WHERE r.retracts <> '' AND NOT EXISTS "
      "(SELECT 1 FROM custody_events t WHERE t.source = r.source AND t.event_id = r.retracts))";
  auto q = Prepare(kSql);
  if (!q) return tl::unexpected(q.error());
  auto row = q->Step("look for unmatched retractions");
  if (!row) return tl::unexpected(row.error());
  return q->Int(0) != 0;
}

#define VIGIL_INSERT_EVENT_COLUMNS                                                          \
  "INSERT INTO custody_events (subject_id, source, event_id, type, occurred_at, a_number, "  \
  "given_names, family_names, aliases, date_of_birth, country_of_birth, facility_id, "       \
  "custody_basis, protections, scheduled_release, retracts, content_hash, retracted_by, "    \
  "received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, " \
  "?16, ?17, ?18, ?19)"

// Returns the new event_pk, or nullopt when an ON CONFLICT clause skipped it.
Result<std::optional<int64_t>> SqliteTransaction::WriteEvent(const char* sql,
                                                             const StoredEvent& s) {
  auto q = Prepare(sql);
  if (!q) return tl::unexpected(q.error());
  const CustodyEvent& e = s.event;
  if (s.subject_id != 0) {
    q->Bind(1, s.subject_id);
  } else {
    q->BindNull(1);
  }
  q->Bind(2, e.source).Bind(3, e.event_id).Bind(4, Name(e.type)).Bind(5, ToUnixMicros(e.occurred_at));
  std::string aliases, dob;
  if (e.subject) {
    const SubjectRecord& r = *e.subject;
    aliases = AliasesToJson(r.aliases);
    q->Bind(6, r.a_number.digits()).Bind(7, r.given_names).Bind(8, r.family_names);
    q->Bind(9, aliases).Bind(11, r.country_of_birth);
    if (r.date_of_birth) {
      dob = r.date_of_birth->ToString();
      q->Bind(10, dob);
    }
  }
  q->Bind(12, e.facility_id);
  if (e.custody_basis) q->Bind(13, Name(*e.custody_basis));
  q->Bind(14, static_cast<int64_t>(e.protections.bits()));
  q->BindOptional(15, OptMicros(e.scheduled_release));
  q->Bind(16, e.retracts).BindBlob(17, s.content_hash).Bind(18, s.retracted_by);
  q->Bind(19, ToUnixMicros(s.received_at));
  if (auto r = q->Run("insert event"); !r) {
    return tl::unexpected(r.error().WithContext("event " + e.source + "/" + e.event_id));
  }
  if (sqlite3_changes(conn_->db()) == 0) return std::optional<int64_t>();
  return std::optional<int64_t>(sqlite3_last_insert_rowid(conn_->db()));
}

Result<int64_t> SqliteTransaction::InsertEvent(const StoredEvent& s) {
  auto pk = WriteEvent(VIGIL_INSERT_EVENT_COLUMNS, s);
  if (!pk) return tl::unexpected(pk.error());
  if (!*pk) return Internal("event insert wrote nothing");
  return **pk;
}

Result<std::optional<int64_t>> SqliteTransaction::InsertEventIfAbsent(const StoredEvent& s) {
  return WriteEvent(VIGIL_INSERT_EVENT_COLUMNS " ON CONFLICT (source, event_id) DO NOTHING", s);
}

Result<int64_t> SqliteTransaction::AllocateSubjectId() {
  if (next_subject_id_ == 0) {
    auto q = Prepare("SELECT coalesce(max(subject_id), 0) + 1 FROM subjects");
    if (!q) return tl::unexpected(q.error());
    auto row = q->Step("allocate subject id");
    if (!row) return tl::unexpected(row.error());
    next_subject_id_ = q->Int(0);
  }
  return next_subject_id_++;
}

Result<void> SqliteTransaction::SetRetractedBy(std::string_view source, std::string_view event_id,
                                               std::string_view retraction_id) {
  static const char kSql[] =
      "UPDATE custody_events SET retracted_by = ?3 WHERE source = ?1 AND event_id = ?2";
  auto q = Prepare(kSql);
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, source).Bind(2, event_id).Bind(3, retraction_id);
  VIGIL_RETURN_IF_ERROR(q->Run("retract event"));
  if (sqlite3_changes(conn_->db()) == 0) {
    return NotFound("no event " + std::string(source) + "/" + std::string(event_id));
  }
  return {};
}

Result<std::optional<Subject>> SqliteTransaction::OneSubject(
    const char* sql, const std::function<void(Query&)>& bind) {
  auto q = Prepare(sql);
  if (!q) return tl::unexpected(q.error());
  bind(*q);
  auto row = q->Step("get subject");
  if (!row) return tl::unexpected(row.error());
  if (!*row) return std::optional<Subject>();
  auto s = ReadSubject(*q);
  if (!s) return tl::unexpected(s.error());
  return std::optional<Subject>(std::move(*s));
}

Result<std::optional<Subject>> SqliteTransaction::GetSubjectByANumber(const ANumber& a_number) {
  static const std::string kSql =
      std::string("SELECT ") + kSubjectColumns + " FROM subjects WHERE a_number = ?1";
  return OneSubject(kSql.c_str(), [&](Query& q) { q.Bind(1, a_number.digits()); });
}

Result<std::optional<Subject>> SqliteTransaction::GetSubject(int64_t subject_id) {
  static const std::string kSql =
      std::string("SELECT ") + kSubjectColumns + " FROM subjects WHERE subject_id = ?1";
  return OneSubject(kSql.c_str(), [&](Query& q) { q.Bind(1, subject_id); });
}

Result<void> SqliteTransaction::ForEachSubject(const std::function<bool(const Subject&)>& fn) {
  static const std::string kSql =
      std::string("SELECT ") + kSubjectColumns + " FROM subjects ORDER BY subject_id";
  auto q = Prepare(kSql.c_str());
  if (!q) return tl::unexpected(q.error());
  while (true) {
    auto row = q->Step("scan subjects");
    if (!row) return tl::unexpected(row.error());
    if (!*row) return {};
    auto s = ReadSubject(*q);
    if (!s) return tl::unexpected(s.error());
    if (!fn(*s)) return {};
  }
}

// Binds the state columns ?2..?16 shared by INSERT and UPDATE of a subject.
// `aliases` and `dob` hold encoded values until the statement has run.
void BindSubjectState(Query& q, const Subject& s, std::string& aliases, std::string& dob) {
  q.Bind(2, s.a_number.digits()).Bind(3, s.given_names).Bind(4, s.family_names);
  aliases = AliasesToJson(s.aliases);
  q.Bind(5, aliases);
  if (s.date_of_birth) {
    dob = s.date_of_birth->ToString();
    q.Bind(6, dob);
  }
  q.Bind(7, s.country_of_birth);
  if (s.custody_status) q.Bind(8, Name(*s.custody_status));
  q.Bind(9, s.facility_id);
  if (s.custody_basis) q.Bind(10, Name(*s.custody_basis));
  q.Bind(11, static_cast<int64_t>(s.protections.bits()));
  q.BindOptional(12, OptMicros(s.last_event_at));
  q.BindOptional(13, OptMicros(s.released_at));
  q.BindOptional(14, OptMicros(s.scheduled_release));
  q.BindOptional(15, OptMicros(s.public_changed_at));
  q.BindOptional(16, OptMicros(s.custody_since));
}

Result<int64_t> SqliteTransaction::InsertSubject(const Subject& s) {
  static const char kSql[] =
      "INSERT INTO subjects (subject_id, a_number, given_names, family_names, aliases, "
      "date_of_birth, country_of_birth, custody_status, facility_id, custody_basis, protections, "
      "last_event_at, released_at, scheduled_release, public_changed_at, custody_since) VALUES "
      "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";
  auto q = Prepare(kSql);
  if (!q) return tl::unexpected(q.error());
  if (s.subject_id != 0) q->Bind(1, s.subject_id);  // else NULL: SQLite picks the next rowid
  std::string aliases, dob;
  BindSubjectState(*q, s, aliases, dob);
  VIGIL_RETURN_IF_ERROR(q->Run("insert subject"));
  int64_t id = sqlite3_last_insert_rowid(conn_->db());
  VIGIL_RETURN_IF_ERROR(NoteSubjectChange(id));
  return id;
}

Result<void> SqliteTransaction::UpdateSubject(const Subject& s) {
  static const char kSql[] =
      "UPDATE subjects SET given_names = ?3, family_names = ?4, aliases = ?5, "
      "date_of_birth = ?6, country_of_birth = ?7, custody_status = ?8, facility_id = ?9, "
      "custody_basis = ?10, protections = ?11, last_event_at = ?12, released_at = ?13, "
      "scheduled_release = ?14, public_changed_at = ?15, custody_since = ?16 "
      "WHERE subject_id = ?1";
  auto q = Prepare(kSql);
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, s.subject_id);
  std::string aliases, dob;
  BindSubjectState(*q, s, aliases, dob);  // ?2 (the A-number) is bound but unused: identity never changes
  VIGIL_RETURN_IF_ERROR(q->Run("update subject"));
  if (sqlite3_changes(conn_->db()) == 0) {
    return NotFound("no subject with id " + std::to_string(s.subject_id));
  }
  return NoteSubjectChange(s.subject_id);
}

Result<void> SqliteTransaction::NoteSubjectChange(int64_t subject_id) {
  auto q = Prepare("INSERT INTO subject_changes (subject_id) VALUES (?1)");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, subject_id);
  return q->Run("note subject change");
}

Result<std::vector<std::pair<int64_t, int64_t>>> SqliteTransaction::SubjectChangesSince(
    int64_t after_seq, int limit) {
  auto q = Prepare(
      "SELECT seq, subject_id FROM subject_changes WHERE seq > ?1 ORDER BY seq LIMIT ?2");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, after_seq).Bind(2, static_cast<int64_t>(limit));
  std::vector<std::pair<int64_t, int64_t>> out;
  while (true) {
    auto row = q->Step("read subject changes");
    if (!row) return tl::unexpected(row.error());
    if (!*row) return out;
    out.emplace_back(q->Int(0), q->Int(1));
  }
}

Result<int64_t> SqliteTransaction::LatestSubjectChange() {
  auto q = Prepare("SELECT coalesce(max(seq), 0) FROM subject_changes");
  if (!q) return tl::unexpected(q.error());
  auto row = q->Step("read latest subject change");
  if (!row) return tl::unexpected(row.error());
  return q->Int(0);
}

Result<void> SqliteTransaction::RecordSuppressedMatch(const SuppressedMatch& m) {
  auto q = Prepare(
      "INSERT INTO suppressed_matches (subject_id, occurred_at, channel, reason) "
      "VALUES (?1, ?2, ?3, ?4)");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, m.subject_id).Bind(2, ToUnixMicros(m.occurred_at)).Bind(3, m.channel);
  q->Bind(4, m.reason);
  return q->Run("record suppressed match");
}

Result<std::vector<std::pair<int64_t, SuppressedMatch>>> SqliteTransaction::SuppressedMatchesAfter(
    int64_t after_id, int limit) {
  auto q = Prepare(
      "SELECT match_id, subject_id, occurred_at, channel, reason FROM suppressed_matches "
      "WHERE match_id > ?1 ORDER BY match_id LIMIT ?2");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, after_id).Bind(2, int64_t{limit});
  std::vector<std::pair<int64_t, SuppressedMatch>> out;
  while (true) {
    auto row = q->Step("read suppressed matches");
    if (!row) return tl::unexpected(row.error());
    if (!*row) return out;
    out.emplace_back(q->Int(0), SuppressedMatch{q->Int(1), FromUnixMicros(q->Int(2)), q->Text(3),
                                                q->Text(4)});
  }
}

Result<int64_t> SqliteTransaction::LastSuppressedMatchId() {
  auto q = Prepare("SELECT coalesce(max(match_id), 0) FROM suppressed_matches");
  if (!q) return tl::unexpected(q.error());
  return CountOne(*q, "last suppressed match");
}

Result<std::vector<SuppressedMatch>> SqliteTransaction::SuppressedMatchesOf(int64_t subject_id) {
  auto q = Prepare(
      "SELECT subject_id, occurred_at, channel, reason FROM suppressed_matches "
      "WHERE subject_id = ?1 ORDER BY occurred_at, match_id");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, subject_id);
  std::vector<SuppressedMatch> out;
  while (true) {
    auto row = q->Step("read suppressed matches");
    if (!row) return tl::unexpected(row.error());
    if (!*row) return out;
    out.push_back({q->Int(0), FromUnixMicros(q->Int(1)), q->Text(2), q->Text(3)});
  }
}

// --- Registrations and the outbox -------------------------------------------

constexpr char kRegistrationColumns[] =
    "registration_id, subject_id, channel, contact_sealed, contact_index, language, state, tier, "
    "secret_hash, secret_expires_at, secret_attempts, created_at, ended_at, opted_out, pin_hash, "
    "victim_id";

Result<Registration> ReadRegistration(const Query& q) {
  Registration r;
  r.registration_id = q.Int(0);
  r.subject_id = q.Int(1);
  auto channel = Decode(ParseChannel(q.Text(2)), "channel");
  if (!channel) return tl::unexpected(channel.error());
  r.channel = *channel;
  r.contact_sealed = q.Blob(3);
  r.contact_index = q.Blob(4);
  r.language = q.Text(5);
  auto state = Decode(ParseRegistrationState(q.Text(6)), "state");
  if (!state) return tl::unexpected(state.error());
  r.state = *state;
  auto tier = Decode(ParseRegistrationTier(q.Text(7)), "tier");
  if (!tier) return tl::unexpected(tier.error());
  r.tier = *tier;
  r.secret_hash = q.Blob(8);
  r.secret_expires_at = OptTime(q.OptInt(9));
  r.secret_attempts = static_cast<int>(q.Int(10));
  r.created_at = FromUnixMicros(q.Int(11));
  r.ended_at = OptTime(q.OptInt(12));
  r.opted_out = q.Int(13) != 0;
  r.pin_hash = q.Blob(14);
  r.victim_id = q.Text(15);
  return r;
}

constexpr char kNotificationColumns[] =
    "notification_id, event_pk, registration_id, kind, state, attempts, due_at, lease_until, "
    "payload_sealed, last_error, created_at, updated_at";

Result<Notification> ReadNotification(const Query& q) {
  Notification n;
  n.notification_id = q.Int(0);
  n.event_pk = q.OptInt(1);
  n.registration_id = q.Int(2);
  n.kind = q.Text(3);
  auto state = Decode(ParseNotificationState(q.Text(4)), "state");
  if (!state) return tl::unexpected(state.error());
  n.state = *state;
  n.attempts = static_cast<int>(q.Int(5));
  n.due_at = FromUnixMicros(q.Int(6));
  n.lease_until = OptTime(q.OptInt(7));
  n.payload_sealed = q.Blob(8);
  n.last_error = q.Text(9);
  n.created_at = FromUnixMicros(q.Int(10));
  n.updated_at = FromUnixMicros(q.Int(11));
  return n;
}

Result<std::vector<Registration>> SqliteTransaction::Registrations(Query& q) {
  std::vector<Registration> out;
  while (true) {
    auto row = q.Step("read registrations");
    if (!row) return tl::unexpected(row.error());
    if (!*row) return out;
    auto r = ReadRegistration(q);
    if (!r) return tl::unexpected(r.error());
    out.push_back(std::move(*r));
  }
}

Result<std::vector<Notification>> SqliteTransaction::Notifications(Query& q) {
  std::vector<Notification> out;
  while (true) {
    auto row = q.Step("read notifications");
    if (!row) return tl::unexpected(row.error());
    if (!*row) return out;
    auto n = ReadNotification(q);
    if (!n) return tl::unexpected(n.error());
    out.push_back(std::move(*n));
  }
}

Result<int64_t> SqliteTransaction::CountOne(Query& q, std::string_view what) {
  auto row = q.Step(what);
  if (!row) return tl::unexpected(row.error());
  return *row ? q.Int(0) : 0;
}

Result<std::optional<Registration>> SqliteTransaction::GetRegistration(int64_t id) {
  static const std::string sql =
      std::string("SELECT ") + kRegistrationColumns + " FROM registrations WHERE registration_id = ?1";
  auto q = Prepare(sql.c_str());
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, id);
  auto all = Registrations(*q);
  if (!all) return tl::unexpected(all.error());
  if (all->empty()) return std::optional<Registration>();
  return std::optional<Registration>(std::move(all->front()));
}

Result<std::optional<Registration>> SqliteTransaction::FindRegistration(
    int64_t subject_id, Channel channel, std::string_view contact_index) {
  static const std::string sql = std::string("SELECT ") + kRegistrationColumns +
                                 " FROM registrations WHERE subject_id = ?1 AND channel = ?2 AND "
                                 "contact_index = ?3";
  auto q = Prepare(sql.c_str());
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, subject_id).Bind(2, Name(channel)).BindBlob(3, contact_index);
  auto all = Registrations(*q);
  if (!all) return tl::unexpected(all.error());
  if (all->empty()) return std::optional<Registration>();
  return std::optional<Registration>(std::move(all->front()));
}

Result<std::vector<Registration>> SqliteTransaction::RegistrationsOf(int64_t subject_id,
                                                                     RegistrationState state) {
  static const std::string sql = std::string("SELECT ") + kRegistrationColumns +
                                 " FROM registrations WHERE subject_id = ?1 AND state = ?2 "
                                 "ORDER BY registration_id";
  auto q = Prepare(sql.c_str());
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, subject_id).Bind(2, Name(state));
  return Registrations(*q);
}

Result<std::vector<Registration>> SqliteTransaction::RegistrationsByContact(
    Channel channel, std::string_view contact_index) {
  static const std::string sql = std::string("SELECT ") + kRegistrationColumns +
                                 " FROM registrations WHERE contact_index = ?1 AND channel = ?2 "
                                 "ORDER BY registration_id";
  auto q = Prepare(sql.c_str());
  if (!q) return tl::unexpected(q.error());
  q->BindBlob(1, contact_index).Bind(2, Name(channel));
  return Registrations(*q);
}

Result<int64_t> SqliteTransaction::CountLiveRegistrationsByContact(std::string_view contact_index) {
  auto q = Prepare(
      "SELECT count(*) FROM registrations WHERE contact_index = ?1 AND state IN ('pending', "
      "'active')");
  if (!q) return tl::unexpected(q.error());
  q->BindBlob(1, contact_index);
  return CountOne(*q, "count registrations of a contact");
}

Result<int64_t> SqliteTransaction::CountLiveRegistrationsOfSubject(int64_t subject_id) {
  auto q = Prepare(
      "SELECT count(*) FROM registrations WHERE subject_id = ?1 AND state IN ('pending', "
      "'active')");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, subject_id);
  return CountOne(*q, "count registrations of a subject");
}

Result<bool> SqliteTransaction::AnyActiveRegistrations() {
  auto q = Prepare("SELECT EXISTS (SELECT 1 FROM registrations WHERE state = 'active')");
  if (!q) return tl::unexpected(q.error());
  auto n = CountOne(*q, "look for active registrations");
  if (!n) return tl::unexpected(n.error());
  return *n != 0;
}

Result<std::optional<Notification>> SqliteTransaction::GetNotification(int64_t id) {
  static const std::string sql = std::string("SELECT ") + kNotificationColumns +
                                 " FROM notifications WHERE notification_id = ?1";
  auto q = Prepare(sql.c_str());
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, id);
  auto all = Notifications(*q);
  if (!all) return tl::unexpected(all.error());
  if (all->empty()) return std::optional<Notification>();
  return std::optional<Notification>(std::move(all->front()));
}

Result<std::vector<Notification>> SqliteTransaction::NotificationsOfRegistration(int64_t id) {
  static const std::string sql = std::string("SELECT ") + kNotificationColumns +
                                 " FROM notifications WHERE registration_id = ?1 "
                                 "ORDER BY notification_id";
  auto q = Prepare(sql.c_str());
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, id);
  return Notifications(*q);
}

Result<std::vector<std::pair<std::string, int64_t>>> SqliteTransaction::NotificationStateCounts() {
  auto q = Prepare("SELECT state, count(*) FROM notifications GROUP BY state ORDER BY state");
  if (!q) return tl::unexpected(q.error());
  std::vector<std::pair<std::string, int64_t>> out;
  while (true) {
    auto row = q->Step("count notifications");
    if (!row) return tl::unexpected(row.error());
    if (!*row) return out;
    out.emplace_back(q->Text(0), q->Int(1));
  }
}

Result<int64_t> SqliteTransaction::InsertRegistration(const Registration& r) {
  auto q = Prepare(
      "INSERT INTO registrations (subject_id, channel, contact_sealed, contact_index, language, "
      "state, tier, secret_hash, secret_expires_at, secret_attempts, created_at, ended_at, "
      "opted_out, pin_hash, victim_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
      "?13, ?14, ?15)");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, r.subject_id).Bind(2, Name(r.channel)).BindBlob(3, r.contact_sealed);
  q->BindBlob(4, r.contact_index).Bind(5, r.language).Bind(6, Name(r.state)).Bind(7, Name(r.tier));
  q->BindBlob(8, r.secret_hash).BindOptional(9, OptMicros(r.secret_expires_at));
  q->Bind(10, static_cast<int64_t>(r.secret_attempts)).Bind(11, ToUnixMicros(r.created_at));
  q->BindOptional(12, OptMicros(r.ended_at)).Bind(13, int64_t{r.opted_out ? 1 : 0});
  q->BindBlob(14, r.pin_hash);
  q->BindOptional(15, r.victim_id.empty() ? std::nullopt : std::optional<std::string>(r.victim_id));
  VIGIL_RETURN_IF_ERROR(q->Run("insert registration"));
  return sqlite3_last_insert_rowid(conn_->db());
}

Result<void> SqliteTransaction::UpdateRegistration(const Registration& r) {
  auto q = Prepare(
      "UPDATE registrations SET language = ?2, state = ?3, tier = ?4, secret_hash = ?5, "
      "secret_expires_at = ?6, secret_attempts = ?7, ended_at = ?8, opted_out = ?9, "
      "pin_hash = ?10, victim_id = ?11 WHERE registration_id = ?1");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, r.registration_id).Bind(2, r.language).Bind(3, Name(r.state)).Bind(4, Name(r.tier));
  q->BindBlob(5, r.secret_hash).BindOptional(6, OptMicros(r.secret_expires_at));
  q->Bind(7, static_cast<int64_t>(r.secret_attempts)).BindOptional(8, OptMicros(r.ended_at));
  q->Bind(9, int64_t{r.opted_out ? 1 : 0}).BindBlob(10, r.pin_hash);
  q->BindOptional(11, r.victim_id.empty() ? std::nullopt : std::optional<std::string>(r.victim_id));
  VIGIL_RETURN_IF_ERROR(q->Run("update registration"));
  if (sqlite3_changes(conn_->db()) == 0) {
    return NotFound("no registration " + std::to_string(r.registration_id));
  }
  return {};
}

Result<int64_t> SqliteTransaction::SuspendRegistrationsOf(int64_t subject_id) {
  auto q = Prepare(
      "UPDATE registrations SET state = 'suspended' WHERE subject_id = ?1 AND (state IN "
      "('pending', 'active') OR (state = 'unsubscribed' AND opted_out = 1))");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, subject_id);
  VIGIL_RETURN_IF_ERROR(q->Run("suspend registrations"));
  return sqlite3_changes(conn_->db());
}

Result<std::optional<int64_t>> SqliteTransaction::InsertNotification(const Notification& n) {
  auto q = Prepare(
      "INSERT INTO notifications (event_pk, registration_id, kind, state, attempts, due_at, "
      "payload_sealed, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6, ?7, ?7) "
      "ON CONFLICT (event_pk, registration_id) DO NOTHING");
  if (!q) return tl::unexpected(q.error());
  q->BindOptional(1, n.event_pk).Bind(2, n.registration_id).Bind(3, n.kind);
  q->Bind(4, Name(n.state)).Bind(5, ToUnixMicros(n.due_at)).BindBlob(6, n.payload_sealed);
  q->Bind(7, ToUnixMicros(n.created_at));
  VIGIL_RETURN_IF_ERROR(q->Run("insert notification"));
  if (sqlite3_changes(conn_->db()) == 0) return std::optional<int64_t>();
  return std::optional<int64_t>(sqlite3_last_insert_rowid(conn_->db()));
}

Result<int64_t> SqliteTransaction::QueueNotificationsForEvent(int64_t subject_id,
                                                              int64_t event_pk,
                                                              std::string_view kind,
                                                              Timestamp now, bool verified_only) {
  auto q = Prepare(
      "INSERT INTO notifications (event_pk, registration_id, kind, state, attempts, due_at, "
      "created_at, updated_at) SELECT ?2, registration_id, ?3, 'created', 0, ?4, ?4, ?4 "
      "FROM registrations WHERE subject_id = ?1 AND state = 'active' "
      "AND (?5 = 0 OR tier = 'verified') "
      "AND NOT EXISTS (SELECT 1 FROM notification_blocks WHERE subject_id = ?1) "
      "ORDER BY registration_id ON CONFLICT (event_pk, registration_id) DO NOTHING");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, subject_id).Bind(2, event_pk).Bind(3, kind).Bind(4, ToUnixMicros(now));
  q->Bind(5, int64_t{verified_only ? 1 : 0});
  VIGIL_RETURN_IF_ERROR(q->Run("queue notifications"));
  return sqlite3_changes(conn_->db());
}

Result<std::pair<int64_t, int64_t>> SqliteTransaction::QueueCorrections(int64_t retracted_pk,
                                                                        int64_t retraction_pk,
                                                                        Timestamp now) {
  // First the corrections (they read which notices went out), then the
  // cancellations of those that had not.
  auto queue = Prepare(
      "INSERT INTO notifications (event_pk, registration_id, kind, state, attempts, due_at, "
      "created_at, updated_at) SELECT ?2, n.registration_id, 'correction', 'created', 0, ?3, ?3, "
      "?3 FROM notifications n JOIN registrations r ON r.registration_id = n.registration_id "
      "WHERE n.event_pk = ?1 AND r.state = 'active' AND (n.state IN ('delivered', "
      "'acknowledged') OR (n.state IN ('sending', 'sent') AND r.channel <> 'voice')) "
      "AND NOT EXISTS (SELECT 1 FROM notification_blocks b WHERE b.subject_id = r.subject_id) "
      "ORDER BY n.registration_id ON CONFLICT (event_pk, registration_id) DO NOTHING");
  if (!queue) return tl::unexpected(queue.error());
  queue->Bind(1, retracted_pk).Bind(2, retraction_pk).Bind(3, ToUnixMicros(now));
  VIGIL_RETURN_IF_ERROR(queue->Run("queue corrections"));
  int64_t queued = sqlite3_changes(conn_->db());
  auto cancel = Prepare(
      "UPDATE notifications SET state = 'cancelled', updated_at = ?2, lease_until = NULL, "
      "payload_sealed = x'' WHERE event_pk = ?1 AND state IN ('created', 'temporary_failure')");
  if (!cancel) return tl::unexpected(cancel.error());
  cancel->Bind(1, retracted_pk).Bind(2, ToUnixMicros(now));
  VIGIL_RETURN_IF_ERROR(cancel->Run("cancel retracted notifications"));
  return std::pair<int64_t, int64_t>{sqlite3_changes(conn_->db()), queued};
}

Result<bool> SqliteTransaction::SetNotificationBlock(int64_t subject_id,
                                                     std::optional<std::string_view> reason,
                                                     Timestamp now) {
  auto was = IsNotificationBlocked(subject_id);
  if (!was) return tl::unexpected(was.error());
  auto q = reason ? Prepare(
                        "INSERT INTO notification_blocks (subject_id, blocked_at, reason) VALUES "
                        "(?1, ?2, ?3) ON CONFLICT (subject_id) DO UPDATE SET reason = ?3")
                  : Prepare("DELETE FROM notification_blocks WHERE subject_id = ?1");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, subject_id);
  if (reason) q->Bind(2, ToUnixMicros(now)).Bind(3, *reason);
  VIGIL_RETURN_IF_ERROR(q->Run("set notification block"));
  return *was != reason.has_value();
}

Result<bool> SqliteTransaction::IsEventWithdrawn(int64_t event_pk) {
  auto q = Prepare("SELECT 1 FROM custody_events WHERE event_pk = ?1 AND retracted_by <> ''");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, event_pk);
  auto row = q->Step("read event retraction");
  if (!row) return tl::unexpected(row.error());
  return *row;
}

Result<bool> SqliteTransaction::IsNotificationBlocked(int64_t subject_id) {
  auto q = Prepare("SELECT 1 FROM notification_blocks WHERE subject_id = ?1");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, subject_id);
  auto row = q->Step("read notification block");
  if (!row) return tl::unexpected(row.error());
  return *row;
}

Result<std::vector<Notification>> SqliteTransaction::ClaimDueNotifications(Timestamp now,
                                                                           Timestamp lease_until,
                                                                           int limit) {
  static const std::string sql =
      std::string(
          "UPDATE notifications SET state = 'sending', attempts = attempts + 1, "
          "lease_until = ?2, updated_at = ?1 WHERE notification_id IN ("
          "SELECT notification_id FROM notifications WHERE "
          "(state IN ('created', 'temporary_failure') AND due_at <= ?1) OR "
          "(state = 'sending' AND lease_until < ?1) ORDER BY due_at LIMIT ?3) RETURNING ") +
      kNotificationColumns;
  auto q = Prepare(sql.c_str());
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, ToUnixMicros(now)).Bind(2, ToUnixMicros(lease_until)).Bind(3, int64_t{limit});
  return Notifications(*q);
}

Result<bool> SqliteTransaction::FinishNotification(int64_t id, int attempt, NotificationState to,
                                                   Timestamp now, Timestamp due_at,
                                                   std::string_view error) {
  if (!IsTerminal(to) && to != NotificationState::kTemporaryFailure &&
      to != NotificationState::kSent) {
    return InvalidArgument("a send ends in a terminal state, sent or temporary_failure");
  }
  auto q = Prepare(
      "UPDATE notifications SET state = ?3, updated_at = ?4, due_at = ?5, last_error = ?6, "
      "lease_until = NULL, payload_sealed = CASE WHEN ?7 THEN x'' ELSE payload_sealed END "
      "WHERE notification_id = ?1 AND attempts = ?2 AND state = 'sending'");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, id).Bind(2, int64_t{attempt}).Bind(3, Name(to)).Bind(4, ToUnixMicros(now));
  q->Bind(5, ToUnixMicros(due_at)).Bind(6, error).Bind(7, int64_t{IsTerminal(to) ? 1 : 0});
  VIGIL_RETURN_IF_ERROR(q->Run("finish notification"));
  return sqlite3_changes(conn_->db()) > 0;
}

Result<int64_t> SqliteTransaction::CancelNotificationsOf(int64_t subject_id, Timestamp now,
                                                         bool verifications) {
  auto q = Prepare(
      "UPDATE notifications SET state = 'cancelled', updated_at = ?2, lease_until = NULL, "
      "payload_sealed = x'' WHERE state IN ('created', 'sending', 'temporary_failure') AND "
      "(?3 = 1 OR kind <> 'verify') AND "
      "registration_id IN (SELECT registration_id FROM registrations WHERE subject_id = ?1)");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, subject_id).Bind(2, ToUnixMicros(now)).Bind(3, int64_t{verifications ? 1 : 0});
  VIGIL_RETURN_IF_ERROR(q->Run("cancel notifications"));
  return sqlite3_changes(conn_->db());
}

Result<bool> SqliteTransaction::RecordReceipt(int64_t id, NotificationState to, Timestamp now,
                                              Timestamp due_at, std::string_view detail) {
  if (!IsTerminal(to) && to != NotificationState::kTemporaryFailure) {
    return InvalidArgument("a receipt ends in a terminal state or temporary_failure");
  }
  auto q = Prepare(
      "UPDATE notifications SET state = ?2, updated_at = ?3, due_at = ?4, last_error = ?5, "
      "lease_until = NULL, payload_sealed = CASE WHEN ?6 THEN x'' ELSE payload_sealed END "
      "WHERE notification_id = ?1 AND state IN ('sending', 'sent')");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, id).Bind(2, Name(to)).Bind(3, ToUnixMicros(now)).Bind(4, ToUnixMicros(due_at));
  q->Bind(5, detail).Bind(6, int64_t{IsTerminal(to) ? 1 : 0});
  VIGIL_RETURN_IF_ERROR(q->Run("record receipt"));
  return sqlite3_changes(conn_->db()) > 0;
}

Result<int64_t> SqliteTransaction::SettleUnreceipted(Timestamp sent_before, Timestamp now,
                                                     std::string_view detail) {
  auto q = Prepare(
      "UPDATE notifications SET state = 'delivered', updated_at = ?2, last_error = ?3, "
      "payload_sealed = x'' WHERE state = 'sent' AND updated_at < ?1");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, ToUnixMicros(sent_before)).Bind(2, ToUnixMicros(now)).Bind(3, detail);
  VIGIL_RETURN_IF_ERROR(q->Run("settle unreceipted"));
  return sqlite3_changes(conn_->db());
}

Result<int64_t> SqliteTransaction::OptOut(Channel channel, std::string_view contact_index,
                                          Timestamp now) {
  auto q = Prepare(
      "UPDATE registrations SET opted_out = (state = 'active'), state = 'unsubscribed', "
      "ended_at = ?3, secret_hash = x'' WHERE contact_index = ?1 AND channel = ?2 AND state IN "
      "('pending', 'active')");
  if (!q) return tl::unexpected(q.error());
  q->BindBlob(1, contact_index).Bind(2, Name(channel)).Bind(3, ToUnixMicros(now));
  VIGIL_RETURN_IF_ERROR(q->Run("opt out"));
  return sqlite3_changes(conn_->db());
}

Result<int64_t> SqliteTransaction::OptIn(Channel channel, std::string_view contact_index) {
  auto q = Prepare(
      "UPDATE registrations SET state = 'active', opted_out = 0, ended_at = NULL "
      "WHERE contact_index = ?1 AND channel = ?2 AND state = 'unsubscribed' AND opted_out = 1");
  if (!q) return tl::unexpected(q.error());
  q->BindBlob(1, contact_index).Bind(2, Name(channel));
  VIGIL_RETURN_IF_ERROR(q->Run("opt in"));
  return sqlite3_changes(conn_->db());
}

// --- Audit log -------------------------------------------------------------------

constexpr char kAuditColumns[] = "seq, at, kind, actor, subject_id, detail, prev_hash, hash";

Result<std::vector<AuditEntry>> ReadAuditEntries(Query& q) {
  std::vector<AuditEntry> out;
  while (true) {
    auto row = q.Step("read audit log");
    if (!row) return tl::unexpected(row.error());
    if (!*row) return out;
    AuditEntry e;
    e.seq = q.Int(0);
    e.at = FromUnixMicros(q.Int(1));
    e.kind = q.Text(2);
    e.actor = q.Text(3);
    e.subject_id = q.OptInt(4);
    e.detail = q.Text(5);
    e.prev_hash = q.Blob(6);
    e.hash = q.Blob(7);
    out.push_back(std::move(e));
  }
}

Result<std::optional<AuditEntry>> SqliteTransaction::LastAuditEntry() {
  static const std::string sql =
      std::string("SELECT ") + kAuditColumns + " FROM audit_log ORDER BY seq DESC LIMIT 1";
  auto q = Prepare(sql.c_str());
  if (!q) return tl::unexpected(q.error());
  auto all = ReadAuditEntries(*q);
  if (!all) return tl::unexpected(all.error());
  if (all->empty()) return std::optional<AuditEntry>();
  return std::optional<AuditEntry>(std::move(all->front()));
}

Result<std::vector<AuditEntry>> SqliteTransaction::AuditEntriesAfter(int64_t after_seq,
                                                                     int limit) {
  static const std::string sql = std::string("SELECT ") + kAuditColumns +
                                 " FROM audit_log WHERE seq > ?1 ORDER BY seq LIMIT ?2";
  auto q = Prepare(sql.c_str());
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, after_seq).Bind(2, int64_t{limit});
  return ReadAuditEntries(*q);
}

Result<std::vector<AuditCheckpoint>> SqliteTransaction::AuditCheckpoints() {
  auto q = Prepare("SELECT seq, at, hash, signature FROM audit_checkpoints ORDER BY seq");
  if (!q) return tl::unexpected(q.error());
  std::vector<AuditCheckpoint> out;
  while (true) {
    auto row = q->Step("read audit checkpoints");
    if (!row) return tl::unexpected(row.error());
    if (!*row) return out;
    out.push_back({q->Int(0), FromUnixMicros(q->Int(1)), q->Blob(2), q->Blob(3)});
  }
}

Result<std::optional<int64_t>> SqliteTransaction::LastAuditCheckpointSeq() {
  auto q = Prepare("SELECT seq FROM audit_checkpoints ORDER BY seq DESC LIMIT 1");
  if (!q) return tl::unexpected(q.error());
  auto row = q->Step("read the last audit checkpoint");
  if (!row) return tl::unexpected(row.error());
  if (!*row) return std::optional<int64_t>();
  return std::optional<int64_t>(q->Int(0));
}

Result<void> SqliteTransaction::AppendAuditEntry(const AuditEntry& e) {
  auto q = Prepare(
      "INSERT INTO audit_log (seq, at, kind, actor, subject_id, detail, prev_hash, hash) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, e.seq).Bind(2, ToUnixMicros(e.at)).Bind(3, e.kind).Bind(4, e.actor);
  q->BindOptional(5, e.subject_id).Bind(6, e.detail).BindBlob(7, e.prev_hash).BindBlob(8, e.hash);
  VIGIL_RETURN_IF_ERROR(q->Run("append audit entry"));
  if (sqlite3_changes(conn_->db()) == 0) {
    return Conflict("audit entry " + std::to_string(e.seq) + " exists");
  }
  return {};
}

Result<void> SqliteTransaction::InsertAuditCheckpoint(const AuditCheckpoint& c) {
  auto q = Prepare(
      "INSERT OR REPLACE INTO audit_checkpoints (seq, at, hash, signature) VALUES (?1, ?2, ?3, "
      "?4)");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, c.seq).Bind(2, ToUnixMicros(c.at)).BindBlob(3, c.hash).BindBlob(4, c.signature);
  return q->Run("insert audit checkpoint");
}

// --- Retention -------------------------------------------------------------------

Result<std::pair<int64_t, int64_t>> SqliteTransaction::Purge(Timestamp contacts_before,
                                                             Timestamp notifications_before) {
  auto contacts = Prepare(
      "UPDATE registrations SET contact_sealed = x'', secret_hash = x'', pin_hash = x'', "
      "contact_index = CASE WHEN opted_out = 1 THEN contact_index "
      "ELSE CAST('purged:' || registration_id AS BLOB) END "
      "WHERE state IN ('unsubscribed', 'bounced') AND ended_at < ?1 AND contact_sealed <> x''");
  if (!contacts) return tl::unexpected(contacts.error());
  contacts->Bind(1, ToUnixMicros(contacts_before));
  VIGIL_RETURN_IF_ERROR(contacts->Run("purge contacts"));
  int64_t purged = sqlite3_changes(conn_->db());
  auto payloads = Prepare(
      "UPDATE notifications SET payload_sealed = x'' WHERE updated_at < ?1 AND "
      "payload_sealed <> x'' AND state IN ('delivered', 'permanent_failure', "
      "'technical_failure', 'suppressed', 'cancelled', 'acknowledged')");
  if (!payloads) return tl::unexpected(payloads.error());
  payloads->Bind(1, ToUnixMicros(notifications_before));
  VIGIL_RETURN_IF_ERROR(payloads->Run("purge notification payloads"));
  return std::pair<int64_t, int64_t>(purged, sqlite3_changes(conn_->db()));
}

// --- Agency API keys ---------------------------------------------------------

Result<std::vector<ApiKey>> ReadApiKeys(Query& q) {
  std::vector<ApiKey> out;
  while (true) {
    auto row = q.Step("read api keys");
    if (!row) return tl::unexpected(row.error());
    if (!*row) return out;
    ApiKey k;
    k.key_id = q.Text(0);
    k.name = q.Text(1);
    std::string scopes = q.Text(2);
    for (size_t start = 0; start < scopes.size();) {
      size_t end = scopes.find(' ', start);
      if (end == std::string::npos) end = scopes.size();
      if (end > start) k.scopes.push_back(scopes.substr(start, end - start));
      start = end + 1;
    }
    k.secret_hash = q.Blob(3);
    k.created_at = FromUnixMicros(q.Int(4));
    k.revoked_at = OptTime(q.OptInt(5));
    std::string sources = q.Text(6);
    for (size_t start = 0; start < sources.size();) {
      size_t end = sources.find(' ', start);
      if (end == std::string::npos) end = sources.size();
      if (end > start) k.sources.push_back(sources.substr(start, end - start));
      start = end + 1;
    }
    out.push_back(std::move(k));
  }
}

Result<std::optional<ApiKey>> SqliteTransaction::GetApiKey(std::string_view key_id) {
  auto q = Prepare(
      "SELECT key_id, name, scopes, secret_hash, created_at, revoked_at, sources FROM api_keys "
      "WHERE key_id = ?1");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, key_id);
  auto all = ReadApiKeys(*q);
  if (!all) return tl::unexpected(all.error());
  if (all->empty()) return std::optional<ApiKey>();
  return std::optional<ApiKey>(std::move(all->front()));
}

Result<std::vector<ApiKey>> SqliteTransaction::ListApiKeys() {
  auto q = Prepare(
      "SELECT key_id, name, scopes, secret_hash, created_at, revoked_at, sources FROM api_keys "
      "ORDER BY name");
  if (!q) return tl::unexpected(q.error());
  return ReadApiKeys(*q);
}

Result<void> SqliteTransaction::InsertApiKey(const ApiKey& k) {
  std::string scopes, sources;
  for (const auto& s : k.scopes) scopes += (scopes.empty() ? "" : " ") + s;
  for (const auto& s : k.sources) sources += (sources.empty() ? "" : " ") + s;
  auto q = Prepare(
      "INSERT INTO api_keys (key_id, name, scopes, secret_hash, created_at, revoked_at, sources) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, k.key_id).Bind(2, k.name).Bind(3, scopes).BindBlob(4, k.secret_hash);
  q->Bind(5, ToUnixMicros(k.created_at)).BindOptional(6, OptMicros(k.revoked_at)).Bind(7, sources);
  VIGIL_RETURN_IF_ERROR(q->Run("insert api key"));
  if (sqlite3_changes(conn_->db()) == 0) {
    return Conflict("a key named \"" + k.name.substr(0, 60) + "\" exists already");
  }
  return {};
}

Result<bool> SqliteTransaction::RevokeApiKey(std::string_view name_or_id, Timestamp now) {
  auto q = Prepare(
      "UPDATE api_keys SET revoked_at = ?2 WHERE (name = ?1 OR key_id = ?1) AND revoked_at IS "
      "NULL");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, name_or_id).Bind(2, ToUnixMicros(now));
  VIGIL_RETURN_IF_ERROR(q->Run("revoke api key"));
  return sqlite3_changes(conn_->db()) > 0;
}

Result<bool> SqliteTransaction::SetApiKeySources(std::string_view name_or_id,
                                                 const std::vector<std::string>& sources) {
  std::string joined;
  for (const auto& s : sources) joined += (joined.empty() ? "" : " ") + s;
  auto q = Prepare(
      "UPDATE api_keys SET sources = ?2 WHERE (name = ?1 OR key_id = ?1) AND revoked_at IS NULL");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, name_or_id).Bind(2, joined);
  VIGIL_RETURN_IF_ERROR(q->Run("set api key sources"));
  return sqlite3_changes(conn_->db()) > 0;
}

Result<int64_t> SqliteTransaction::InsertReject(const RejectRecord& r) {
  static const char kSql[] =
      "INSERT INTO feed_rejects (received_at, origin, line, field, reason) "
      "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (origin, line, field, reason) DO NOTHING";
  auto q = Prepare(kSql);
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, ToUnixMicros(r.received_at)).Bind(2, r.origin).Bind(3, r.line).Bind(4, r.field);
  q->Bind(5, r.reason);
  VIGIL_RETURN_IF_ERROR(q->Run("insert reject"));
  if (sqlite3_changes(conn_->db()) == 0) return int64_t{0};
  return static_cast<int64_t>(sqlite3_last_insert_rowid(conn_->db()));
}

Result<std::vector<RejectRecord>> SqliteTransaction::RecentRejects(int limit) {
  static const char kSql[] =
      "SELECT reject_id, received_at, origin, line, field, reason FROM feed_rejects "
      "ORDER BY reject_id DESC LIMIT ?1";
  auto q = Prepare(kSql);
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, static_cast<int64_t>(limit));
  std::vector<RejectRecord> out;
  while (true) {
    auto row = q->Step("list rejects");
    if (!row) return tl::unexpected(row.error());
    if (!*row) return out;
    out.push_back(RejectRecord{q->Int(0), FromUnixMicros(q->Int(1)), q->Text(2), q->Int(3),
                               q->Text(4), q->Text(5)});
  }
}

Result<StoreCounts> SqliteTransaction::Counts() {
  static const char kSql[] =
      "SELECT (SELECT count(*) FROM facilities), (SELECT count(*) FROM subjects), "
      "(SELECT count(*) FROM custody_events), (SELECT count(*) FROM feed_rejects)";
  auto q = Prepare(kSql);
  if (!q) return tl::unexpected(q.error());
  auto row = q->Step("count rows");
  if (!row) return tl::unexpected(row.error());
  return StoreCounts{q->Int(0), q->Int(1), q->Int(2), q->Int(3)};
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
                    ", newer than this vigil knows (" +
                    std::to_string(migrations.back().version) + "); upgrade vigil");
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

const char* SqliteConnectionPragmas() { return kPragmas; }
const char* SqliteCustodyEventsDdl() { return sqlite_schema::kCustodyEventsDdl; }

}  // namespace vigil
