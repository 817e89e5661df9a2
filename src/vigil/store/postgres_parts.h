// Inside the PostgreSQL backend: the connection, the statement wrapper, and
// the classes that implement each part of the Store (store.h) over one
// transaction's connection. Only postgres_*.cc include this.
//
// Statements are prepared once per connection (keyed by the address of
// their static SQL text) and run with PQexecPrepared: integers and text go
// as text parameters, byte strings as binary ones; results come back as
// text (bytea in hex). A statement that might hit a unique constraint is
// written with ON CONFLICT DO NOTHING and reports kConflict from its row
// count: a failed statement would abort the whole PostgreSQL transaction,
// where the Store contract lets the caller carry on.
#ifndef VIGIL_STORE_POSTGRES_PARTS_H_
#define VIGIL_STORE_POSTGRES_PARTS_H_

#include <libpq-fe.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "vigil/store/row_codec.h"
#include "vigil/store/store.h"

namespace vigil::postgres_store {

// Whether some retraction waits for the event it retracts: 1 or 0. Asked
// once per import transaction, often while custody_events has no statistics
// yet (an import into a new database), when the planner takes `retracts <>
// ''` for 40% of the table: it scanned the whole table (0.3 s at 1M events,
// growing with it) where the partial index holds only the retractions. The
// ORDER BY walks that index, and OFFSET 0 keeps the probe a per-retraction
// sub-plan rather than a merge join through every event key; the cost is
// the retractions read until an unmatched one, usually none.
// (PostgresStoreTest.TheRetractionCheckReadsOnlyRetractionsWithoutStatistics)
inline constexpr char kUnmatchedRetractionsSql[] =
    "SELECT count(*) FROM (SELECT 1 FROM custody_events r WHERE r.retracts <> '' AND NOT EXISTS "
    "(SELECT 1 FROM custody_events t WHERE t.source = r.source AND t.event_id = r.retracts "
    "OFFSET 0) ORDER BY r.source, r.retracts LIMIT 1) unmatched";

using row_codec::OptMicros;
using row_codec::OptTime;

// One libpq connection and its prepared statements.
class PgConnection {
 public:
  // Connects to `conninfo` (a postgresql:// URL or key=value string; libpq
  // tries each host of a multi-host URL in turn).
  static Result<std::unique_ptr<PgConnection>> Open(const std::string& conninfo);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  PGconn* conn() const { return conn_; }
  // False once the server has gone away: the connection is not reused.
  bool ok() const { return PQstatus(conn_) == CONNECTION_OK && !broken_; }
  void set_broken() { broken_ = true; }

  // Runs `sql` (one or more statements, no parameters) as a simple query.
  Result<void> Exec(const char* sql, std::string_view what);
  // Runs `copy_sql` (a COPY ... FROM STDIN) and streams `data` (COPY's
  // text format) to it.
  Result<void> CopyIn(const char* copy_sql, std::string_view data, std::string_view what);
  // As CopyIn, but returns once the rows are sent, while the server still
  // writes them: the next command on this connection first waits for it
  // (Drain) and reports its failure.
  Result<void> StartCopyIn(const char* copy_sql, std::string_view data, std::string_view what);
  // Waits for a COPY StartCopyIn sent; its error, if it failed.
  Result<void> Drain();
  // The name of `sql`'s prepared statement on this connection, preparing it
  // with `types` (OIDs, 0 to let the server infer) the first time.
  Result<std::string> Prepared(const char* sql, const std::vector<Oid>& types);

  // The error of a failed result, as a vigil error: kConflict for a
  // constraint violation, kUnavailable for everything else (the server
  // gone, a lock timeout, a failover in progress).
  Error ErrorOf(const PGresult* result, std::string_view what);

 private:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  PGconn* conn_;
  bool broken_ = false;
  std::unordered_map<const char*, std::string> statements_;
  std::string in_flight_;  // what the COPY sent by StartCopyIn does; empty when none
};

// A prepared statement in use: binds, runs once on the first Step or Run,
// then walks the rows.
class PgQuery {
 public:
  PgQuery(PgConnection* conn, const char* sql) : conn_(conn), sql_(sql) {}
  PgQuery(PgQuery&& o) noexcept
      : conn_(o.conn_),
        sql_(o.sql_),
        params_(std::move(o.params_)),
        result_(std::exchange(o.result_, nullptr)),
        row_(o.row_),
        plan_each_time_(o.plan_each_time_) {}
  PgQuery& operator=(PgQuery&&) = delete;
  ~PgQuery() {
    if (result_) PQclear(result_);
  }

  PgQuery& Bind(int i, int64_t v) { return Set(i, std::to_string(v), kInt8, 0); }
  PgQuery& Bind(int i, std::string_view v) { return Set(i, std::string(v), kText, 0); }
  PgQuery& BindBlob(int i, std::string_view v) { return Set(i, std::string(v), kBytea, 1); }
  PgQuery& BindNull(int i) {
    Slot(i).null = true;
    return *this;
  }
  template <typename T>
  PgQuery& BindOptional(int i, const std::optional<T>& v) {
    if (!v) return BindNull(i);
    return Bind(i, *v);
  }

  // Plans the statement for each run instead of preparing it once: for a
  // statement over many keys whose best plan depends on the table's size
  // (a plan cached while the table was empty keeps scanning all of it).
  PgQuery& PlanEachTime() {
    plan_each_time_ = true;
    return *this;
  }

  // Returns true if a row is available, false when done.
  Result<bool> Step(std::string_view what);
  Result<void> Run(std::string_view what);
  // Rows the statement wrote (INSERT, UPDATE, DELETE), after Run.
  int64_t Changes() const;

  bool IsNull(int col) const { return PQgetisnull(result_, row_, col) != 0; }
  int64_t Int(int col) const;
  std::string Text(int col) const {
    return std::string(PQgetvalue(result_, row_, col),
                       static_cast<size_t>(PQgetlength(result_, row_, col)));
  }
  std::string Blob(int col) const;
  std::optional<int64_t> OptInt(int col) const {
    if (IsNull(col)) return std::nullopt;
    return Int(col);
  }

 private:
  static constexpr Oid kInt8 = 20, kText = 25, kBytea = 17;
  struct Param {
    std::string value;
    Oid type = 0;
    int format = 0;
    bool null = true;
  };
  Param& Slot(int i) {
    if (params_.size() < static_cast<size_t>(i)) params_.resize(i);
    return params_[i - 1];
  }
  PgQuery& Set(int i, std::string v, Oid type, int format) {
    Param& p = Slot(i);
    p = Param{std::move(v), type, format, false};
    return *this;
  }
  Result<void> Execute(std::string_view what);

  PgConnection* conn_;
  const char* sql_;
  std::vector<Param> params_;
  PGresult* result_ = nullptr;
  int row_ = -1;
  bool plan_each_time_ = false;
};

// An array literal for a text[] or bigint[] parameter: every element
// quoted (with backslash and double quote escaped), NULL bare.
class ArrayLiteral {
 public:
  void Add(std::string_view v) {
    Sep();
    out_ += '"';
    for (char c : v) {
      if (c == '"' || c == '\\') out_ += '\\';
      out_ += c;
    }
    out_ += '"';
  }
  void Add(int64_t v) {
    Sep();
    out_ += std::to_string(v);
  }
  void AddNull() {
    Sep();
    out_ += "NULL";
  }
  template <typename T>
  void Add(const std::optional<T>& v) {
    if (v) {
      Add(*v);
    } else {
      AddNull();
    }
  }
  std::string Done() const { return out_ + "}"; }

 private:
  void Sep() {
    if (out_.size() > 1) out_ += ',';
  }
  std::string out_ = "{";
};

// One transaction's connection, shared by the parts that work through it.
class PgSession {
 public:
  explicit PgSession(std::unique_ptr<PgConnection> conn) : conn_(std::move(conn)) {}

  // A statement; with `flush`, after writing the rows held back (see
  // SetFlusher), which it could otherwise miss.
  Result<PgQuery> Prepare(const char* sql, bool flush) {
    if (done_) return Internal("store transaction used after it ended");
    if (flush) VIGIL_RETURN_IF_ERROR(Flush());
    return PgQuery(conn_.get(), sql);
  }
  PgConnection* connection() const { return conn_.get(); }
  std::unique_ptr<PgConnection> TakeConnection() { return std::move(conn_); }
  bool done() const { return done_; }
  void set_done() { done_ = true; }

  // This transaction changed `topic`: its commit notifies the listeners of
  // every process (NOTIFY is delivered at commit, and not at all on
  // rollback).
  void Touch(StoreTopic topic) { touched_ |= 1u << static_cast<unsigned>(topic); }
  // "NOTIFY ...; " for each topic touched, to send with the COMMIT.
  std::string Notifications() const;

  // Write-behind: PgCustody, after a Prefetch, holds rows of
  // custody_events, subjects and subject_changes back and registers how to
  // write them. They are written before any statement that reads those
  // tables (the parts built with `reads_held_back`) and before the commit.
  void SetFlusher(std::function<Result<void>()> flush) { flusher_ = std::move(flush); }
  Result<void> Flush() {
    if (!flusher_ || flushing_) return {};
    flushing_ = true;
    auto r = flusher_();
    flushing_ = false;
    return r;
  }

 private:
  std::unique_ptr<PgConnection> conn_;
  bool done_ = false;
  unsigned touched_ = 0;
  std::function<Result<void>()> flusher_;
  bool flushing_ = false;
};

// COPY's text format: `text` with backslash, tab, newline and carriage
// return escaped; `bytes` as bytea hex ("\x..."), its backslash escaped.
void AppendCopyText(std::string& out, std::string_view text);
void AppendCopyBytea(std::string& out, std::string_view bytes);

// The NOTIFY channel of each topic.
const char* ChannelOf(StoreTopic topic);

// What every part needs from its session.
class PgPart {
 protected:
  // `reads_held_back`: the part's statements read the tables PgCustody
  // holds rows back for (PgSession::SetFlusher), so they flush first.
  PgPart(PgSession& session, bool reads_held_back)
      : session_(session), reads_held_back_(reads_held_back) {}

  Result<PgQuery> Prepare(const char* sql) { return session_.Prepare(sql, reads_held_back_); }
  // A statement of a part that reads held-back tables, on a table that
  // is never held back (facilities, refused lines): no flush needed.
  Result<PgQuery> PrepareUnflushed(const char* sql) { return session_.Prepare(sql, false); }
  PgSession& session() { return session_; }
  void Touch(StoreTopic topic) { session_.Touch(topic); }
  // Steps `q` once and reads its first column as a count (0 without a row).
  static Result<int64_t> CountOne(PgQuery& q, std::string_view what);
  // Runs `q` and returns how many rows it wrote.
  static Result<int64_t> Changed(PgQuery& q, std::string_view what);
  // Steps `q` once and reads its first column, or nullopt without a row
  // (an INSERT ... ON CONFLICT DO NOTHING RETURNING that wrote nothing).
  static Result<std::optional<int64_t>> Returned(PgQuery& q, std::string_view what);

 private:
  PgSession& session_;
  const bool reads_held_back_;
};

class PgCustody final : public CustodyWrites, private PgPart {
 public:
  explicit PgCustody(PgSession& session) : PgPart(session, /*reads_held_back=*/true) {
    session.SetFlusher([this] { return FlushPending(); });
  }

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

  // StoreTransaction::Prefetch: reads the named people and events in one
  // statement each and reserves event ids for the events not yet stored.
  // Afterwards those lookups are answered from memory, and inserting one of
  // those events, or a person known to be new, or updating a person known
  // to exist, is held back and written with the rest by FlushPending (COPY
  // and one UPDATE per kind, instead of a round trip per row).
  Result<void> Prefetch(const StoreLookahead& ahead);

 private:
  // An event Prefetch asked about. One known to exist may have no row here
  // (one held back): GetEvent then reads it.
  struct KnownEvent {
    bool exists = false;
    std::optional<StoredEvent> row;
  };

  Result<std::optional<Subject>> OneSubject(const char* sql,
                                            const std::function<void(PgQuery&)>& bind);
  // Writes the held-back rows (PgSession::Flush calls it).
  Result<void> FlushPending();
  Result<void> UpdatePeople();  // pending_updates_, in FlushPending
  // Sends the held-back events; without `wait`, returns before the server
  // has written them (PgConnection::StartCopyIn).
  Result<void> SendEvents(bool wait);
  // Reserves `n` more event ids from the table's sequence.
  Result<void> ReserveEventIds(size_t n);
  // Holds `event` back under a reserved id; returns the id.
  Result<int64_t> DeferEvent(const StoredEvent& event, KnownEvent& known);
  // Whether `s` can be held back: its A-number was read by Prefetch (or
  // written since), and for an insert the id is one AllocateSubjectId gave.
  bool CanDeferInsert(const Subject& s) const;
  bool CanDeferUpdate(const Subject& s) const;
  void DeferSubject(const Subject& s, bool insert);

  int64_t next_subject_id_ = 0;     // 0: not read from the table yet
  int64_t first_allocated_id_ = 0;  // ids in [this, next_subject_id_) were handed out here

  // What Prefetch read (and this transaction wrote since), by
  // source + '\0' + event_id and by A-number.
  std::unordered_map<std::string, KnownEvent> known_events_;
  std::unordered_map<std::string, std::optional<Subject>> known_subjects_;  // nullopt: absent
  std::vector<int64_t> free_event_ids_;       // reserved, unused (taken from the back)
  std::unordered_set<int64_t> inserted_ids_;  // people inserted here, held back or not
  // Held-back rows: events in COPY's text format; people by id (the last
  // write of one wins); the change log, one row per write.
  std::string pending_events_;
  std::map<int64_t, Subject> pending_inserts_, pending_updates_;
  // Of pending_updates_, the people whose names, aliases, date or country of
  // birth differ from the stored row; the others' update leaves those be.
  std::unordered_set<int64_t> identity_changed_;
  std::vector<int64_t> pending_changes_;
  size_t pending_rows_ = 0;        // all kinds
  size_t pending_event_rows_ = 0;  // of which events
  // Facilities read in this transaction (a search's candidates share a
  // few): a round trip each on a network, nothing at all for SQLite.
  // PutFacility drops its entry; the snapshot cannot change otherwise.
  std::unordered_map<std::string, std::optional<Facility>> facilities_;
};

class PgReporting final : public ReportingReads, private PgPart {
 public:
  explicit PgReporting(PgSession& session) : PgPart(session, /*reads_held_back=*/true) {}

  Result<void> ForEachEventBetween(Timestamp from, Timestamp to,
                                   const std::function<bool(const StoredEvent&)>& fn) override;
  Result<StoreCounts> Counts() override;
};

class PgControls final : public ControlWrites, private PgPart {
 public:
  explicit PgControls(PgSession& session) : PgPart(session, /*reads_held_back=*/false) {}

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

class PgRegistrations final : public RegistrationWrites, private PgPart {
 public:
  explicit PgRegistrations(PgSession& session) : PgPart(session, /*reads_held_back=*/false) {}

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
};

class PgOutbox final : public OutboxWrites, private PgPart {
 public:
  explicit PgOutbox(PgSession& session) : PgPart(session, /*reads_held_back=*/false) {}

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
};

class PgAudit final : public AuditWrites, private PgPart {
 public:
  explicit PgAudit(PgSession& session) : PgPart(session, /*reads_held_back=*/false) {}

  Result<std::optional<AuditEntry>> LastAuditEntry() override;
  Result<std::vector<AuditEntry>> AuditEntriesAfter(int64_t after_seq, int limit) override;
  Result<std::vector<AuditCheckpoint>> AuditCheckpoints() override;
  Result<std::optional<int64_t>> LastAuditCheckpointSeq() override;
  Result<void> AppendAuditEntries(std::span<const AuditEntry> entries) override;
  Result<void> InsertAuditCheckpoint(const AuditCheckpoint& checkpoint) override;
};

}  // namespace vigil::postgres_store

#endif  // VIGIL_STORE_POSTGRES_PARTS_H_
