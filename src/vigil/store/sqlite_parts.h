// Inside the SQLite backend: the connection, the statement wrapper, and the
// classes that implement each part of the Store (store.h) over one
// transaction's connection. Only sqlite_*.cc include this.
#ifndef VIGIL_STORE_SQLITE_PARTS_H_
#define VIGIL_STORE_SQLITE_PARTS_H_

#include <sqlite3.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "vigil/store/row_codec.h"
#include "vigil/store/store.h"

namespace vigil::sqlite_store {

// busy_timeout comes first: switching to WAL needs a lock, and another
// process (an import beside a server) may hold it for a moment.
inline constexpr char kPragmas[] =
    "PRAGMA busy_timeout=10000;"
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=FULL;"
    "PRAGMA cache_size=-65536;"
    "PRAGMA temp_store=MEMORY;"
    // No memory map. In WAL mode, a read transaction that finds anything
    // committed since its connection's last one (the audit writer commits
    // many times a second) resets the pager, and with a map that means
    // unmapping the whole file and faulting every page back in: page-table
    // work that grew with the database (munmap was a tenth of the server's
    // CPU at 1M people). Re-reading the pages a search needs by pread costs
    // far less: over HTTP, 2,000 varied queries, 6.5k -> 12.1k searches/s at
    // 100k people and 2.7k -> 4.5k at 1M (bench/scale_curve.sh, issue 22).
    "PRAGMA mmap_size=0;";

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

using row_codec::Decode;
using row_codec::kEventColumns;
using row_codec::kSubjectColumns;
using row_codec::OptMicros;
using row_codec::OptTime;

// One transaction's connection, shared by the parts that work through it.
class SqliteSession {
 public:
  explicit SqliteSession(std::unique_ptr<Connection> conn) : conn_(std::move(conn)) {}

  Result<Query> Prepare(const char* sql) {
    if (done_) return Internal("store transaction used after it ended");
    auto stmt = conn_->Prepare(sql);
    if (!stmt) return tl::unexpected(stmt.error());
    return Query(conn_->db(), *stmt);
  }
  sqlite3* db() const { return conn_->db(); }
  Connection* connection() const { return conn_.get(); }
  std::unique_ptr<Connection> TakeConnection() { return std::move(conn_); }
  bool done() const { return done_; }
  void set_done() { done_ = true; }

 private:
  std::unique_ptr<Connection> conn_;
  bool done_ = false;
};

// What every part needs from its session.
class SqlitePart {
 protected:
  explicit SqlitePart(SqliteSession& session) : session_(session) {}

  Result<Query> Prepare(const char* sql) { return session_.Prepare(sql); }
  sqlite3* db() const { return session_.db(); }
  // Steps `q` once and reads its first column as a count.
  static Result<int64_t> CountOne(Query& q, std::string_view what);

 private:
  SqliteSession& session_;
};

class SqliteCustody final : public CustodyWrites, private SqlitePart {
 public:
  explicit SqliteCustody(SqliteSession& session) : SqlitePart(session) {}

  Result<std::vector<std::optional<Facility>>> GetFacilities(
      std::span<const std::string> facility_ids) override;
  Result<std::optional<StoredEvent>> GetEvent(std::string_view source,
                                              std::string_view event_id) override;
  Result<std::vector<StoredEvent>> EventsOfSubject(int64_t subject_id) override;
  Result<std::optional<std::string>> FindRetractionOf(std::string_view source,
                                                      std::string_view event_id) override;
  Result<bool> HasUnmatchedRetractions() override;
  Result<bool> IsEventWithdrawn(int64_t event_pk) override;
  Result<std::optional<Subject>> GetSubjectByANumber(const ANumber& a_number) override;
  Result<std::vector<std::optional<Subject>>> GetSubjects(
      std::span<const int64_t> subject_ids) override;
  Result<void> ForEachSubject(const std::function<bool(const Subject&)>& fn) override;
  Result<std::vector<std::pair<int64_t, int64_t>>> SubjectChangesSince(int64_t after_seq,
                                                                       int limit) override;
  Result<int64_t> LatestSubjectChange() override;
  Result<std::vector<RejectRecord>> RecentRejects(int limit) override;
  Result<void> PutFacility(const Facility& facility) override;
  Result<int64_t> InsertEvent(const StoredEvent& event) override;
  Result<std::optional<int64_t>> InsertEventIfAbsent(const StoredEvent& event) override;
  Result<void> SetRetractedBy(std::string_view source, std::string_view event_id,
                              std::string_view retraction_id) override;
  Result<int64_t> AllocateSubjectId() override;
  Result<int64_t> InsertSubject(const Subject& subject) override;
  Result<void> UpdateSubject(const Subject& subject) override;
  Result<int64_t> InsertReject(const RejectRecord& reject) override;

 private:
  Result<std::optional<Subject>> OneSubject(const char* sql,
                                            const std::function<void(Query&)>& bind);
  Result<std::optional<int64_t>> WriteEvent(const char* sql, const StoredEvent& s);
  Result<void> NoteSubjectChange(int64_t subject_id);

  int64_t next_subject_id_ = 0;  // 0: not read from the table yet
};

class SqliteReporting final : public ReportingReads, private SqlitePart {
 public:
  explicit SqliteReporting(SqliteSession& session) : SqlitePart(session) {}

  Result<void> ForEachEventBetween(Timestamp from, Timestamp to,
                                   const std::function<bool(const StoredEvent&)>& fn) override;
  Result<StoreCounts> Counts() override;
};

class SqliteControls final : public ControlWrites, private SqlitePart {
 public:
  explicit SqliteControls(SqliteSession& session) : SqlitePart(session) {}

  Result<std::optional<ApiKey>> GetApiKey(std::string_view key_id) override;
  Result<std::vector<ApiKey>> ListApiKeys() override;
  Result<bool> IsNotificationBlocked(int64_t subject_id) override;
  Result<std::vector<SuppressedMatch>> SuppressedMatchesOf(int64_t subject_id) override;
  Result<std::vector<std::pair<int64_t, SuppressedMatch>>> SuppressedMatchesAfter(
      int64_t after_id, int limit) override;
  Result<int64_t> LastSuppressedMatchId() override;
  Result<void> InsertApiKey(const ApiKey& key) override;
  Result<bool> RevokeApiKey(std::string_view name_or_id, Timestamp now) override;
  Result<bool> SetApiKeySources(std::string_view name_or_id,
                                const std::vector<std::string>& sources) override;
  Result<bool> SetNotificationBlock(int64_t subject_id, std::optional<std::string_view> reason,
                                    Timestamp now) override;
  Result<void> RecordSuppressedMatches(std::span<const SuppressedMatch> matches) override;
  Result<std::optional<std::string>> KeyFingerprint() override;
  Result<void> RecordKeyFingerprint(std::string_view fingerprint) override;
  Result<std::optional<StaffAccount>> GetStaffAccount(std::string_view name) override;
  Result<std::vector<StaffAccount>> ListStaffAccounts() override;
  Result<void> InsertStaffAccount(const StaffAccount& account) override;
  Result<bool> UpdateStaffAccount(const StaffAccount& account) override;
};

class SqliteRegistrations final : public RegistrationWrites, private SqlitePart {
 public:
  explicit SqliteRegistrations(SqliteSession& session) : SqlitePart(session) {}

  Result<std::optional<Registration>> GetRegistration(int64_t registration_id) override;
  Result<std::optional<Registration>> FindRegistration(int64_t subject_id, DeliveryChannel channel,
                                                       std::string_view contact_index) override;
  Result<std::vector<Registration>> RegistrationsOf(int64_t subject_id,
                                                    RegistrationState state) override;
  Result<std::vector<Registration>> RegistrationsByContact(DeliveryChannel channel,
                                                           std::string_view contact_index) override;
  Result<int64_t> CountLiveRegistrationsByContact(std::string_view contact_index) override;
  Result<int64_t> CountLiveRegistrationsOfSubject(int64_t subject_id) override;
  Result<bool> AnyActiveRegistrations() override;
  Result<std::vector<Voicemail>> Voicemails(int limit) override;
  Result<std::optional<ProtectionRequest>> GetProtectionRequest(int64_t request_id) override;
  Result<std::vector<ProtectionRequest>> ProtectionRequests(std::string_view state,
                                                            int limit) override;
  Result<int64_t> InsertProtectionRequest(const ProtectionRequest& request) override;
  Result<bool> UpdateProtectionRequest(const ProtectionRequest& request) override;
  Result<int64_t> InsertRegistration(const Registration& registration) override;
  Result<int64_t> InsertVoicemail(const Voicemail& voicemail) override;
  Result<void> UpdateRegistration(const Registration& registration) override;
  Result<int64_t> SuspendRegistrationsOf(int64_t subject_id) override;
  Result<int64_t> OptOut(DeliveryChannel channel, std::string_view contact_index,
                         Timestamp now) override;
  Result<int64_t> OptIn(DeliveryChannel channel, std::string_view contact_index) override;
  Result<std::pair<int64_t, int64_t>> Purge(Timestamp contacts_before,
                                            Timestamp notifications_before) override;

 private:
  Result<std::vector<Registration>> Registrations(Query& q);
};

class SqliteOutbox final : public OutboxWrites, private SqlitePart {
 public:
  explicit SqliteOutbox(SqliteSession& session) : SqlitePart(session) {}

  Result<std::optional<Notification>> GetNotification(int64_t notification_id) override;
  Result<std::vector<Notification>> NotificationsOfRegistration(int64_t registration_id) override;
  Result<std::vector<std::pair<std::string, int64_t>>> NotificationStateCounts() override;
  Result<std::vector<Depth>> NotificationDepth() override;
  Result<std::optional<int64_t>> InsertNotification(const Notification& notification) override;
  Result<int64_t> QueueNotificationsForEvent(int64_t subject_id, int64_t event_pk,
                                             std::string_view kind, Timestamp now,
                                             bool verified_only) override;
  Result<std::pair<int64_t, int64_t>> QueueCorrections(int64_t retracted_pk, int64_t retraction_pk,
                                                       Timestamp now) override;
  Result<std::vector<Notification>> ClaimDueNotifications(Timestamp now, Timestamp lease_until,
                                                          int limit) override;
  Result<bool> FinishNotification(int64_t notification_id, int attempt, NotificationState to,
                                  Timestamp now, Timestamp due_at, std::string_view error) override;
  Result<bool> RecordReceipt(int64_t notification_id, NotificationState to, Timestamp now,
                             Timestamp due_at, std::string_view detail) override;
  Result<int64_t> SettleUnreceipted(Timestamp sent_before, Timestamp now,
                                    std::string_view detail) override;
  Result<int64_t> CancelNotificationsOf(int64_t subject_id, Timestamp now,
                                        bool verifications) override;

 private:
  Result<std::vector<Notification>> Notifications(Query& q);
};

class SqliteAudit final : public AuditWrites, private SqlitePart {
 public:
  explicit SqliteAudit(SqliteSession& session) : SqlitePart(session) {}

  Result<std::optional<AuditEntry>> LastAuditEntry() override;
  Result<std::vector<AuditEntry>> AuditEntriesAfter(int64_t after_seq, int limit) override;
  Result<std::vector<AuditCheckpoint>> AuditCheckpoints() override;
  Result<std::optional<int64_t>> LastAuditCheckpointSeq() override;
  Result<void> AppendAuditEntries(std::span<const AuditEntry> entries) override;
  Result<void> InsertAuditCheckpoint(const AuditCheckpoint& checkpoint) override;
};

}  // namespace vigil::sqlite_store

#endif  // VIGIL_STORE_SQLITE_PARTS_H_
