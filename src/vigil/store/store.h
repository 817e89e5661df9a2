// The Store: vigil's durable source of truth for facilities, custody events,
// subjects (current custody state) and rejected feed lines.
//
// Callers work in transactions. A StoreReader is a consistent read snapshot;
// a StoreTransaction is a StoreReader that can also write, and whose writes
// become visible (and durable) together at Commit(). Destroying an uncommitted
// transaction rolls it back. Backends: SQLite (embedded default) and, later,
// PostgreSQL; callers never see which (no backend types in this header).
//
// Thread safety: a Store is thread-safe — any thread may begin readers and
// transactions (writers are serialised; a second BeginWrite() waits). Each
// StoreReader/StoreTransaction is used by one thread at a time.
//
// Every operation returns kUnavailable when the backend fails (disk, lock
// timeout, connection), with a message naming the operation.
#ifndef VIGIL_STORE_STORE_H_
#define VIGIL_STORE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/domain.h"
#include "vigil/core/error.h"

namespace vigil {

// A custody event as stored, with what the store knows about it.
struct StoredEvent {
  int64_t event_pk = 0;    // assigned by InsertEvent
  int64_t subject_id = 0;  // 0 for retractions
  CustodyEvent event;
  std::string content_hash;  // opaque digest of the event's canonical form
  std::string retracted_by;  // event_id of the retraction (same source), or empty
  Timestamp received_at;

  bool operator==(const StoredEvent&) const = default;
};

// A feed line that was rejected, kept so an operator can see what was refused.
// Holds where and why, never the line's content (it may name a protected person).
struct RejectRecord {
  int64_t reject_id = 0;  // assigned by InsertReject
  Timestamp received_at;
  std::string origin;  // file name or "api"
  int64_t line = 0;
  std::string field;  // e.g. "subject.date_of_birth"; empty when the whole line is bad
  std::string reason;

  bool operator==(const RejectRecord&) const = default;
};

// A subject search matched but the disclosure gate withheld (DESIGN.md §2.3):
// recorded for the stalking alert. Holds no query text.
struct SuppressedMatch {
  int64_t subject_id = 0;
  Timestamp occurred_at;
  std::string channel;  // how the person was sought: "a_number", "name", "registration"
  std::string reason;   // the gate's reason, e.g. "protected"

  bool operator==(const SuppressedMatch&) const = default;
};

struct StoreCounts {
  int64_t facilities = 0;
  int64_t subjects = 0;
  int64_t events = 0;
  int64_t rejects = 0;
};

class StoreReader {
 public:
  virtual ~StoreReader() = default;

  virtual Result<std::optional<Facility>> GetFacility(std::string_view facility_id) = 0;
  virtual Result<std::optional<StoredEvent>> GetEvent(std::string_view source,
                                                      std::string_view event_id) = 0;
  // Every event of the subject, retracted ones included, in fold order.
  virtual Result<std::vector<StoredEvent>> EventsOfSubject(int64_t subject_id) = 0;
  // The event_id of a retraction event of `source` that retracts `event_id`, if any.
  virtual Result<std::optional<std::string>> FindRetractionOf(std::string_view source,
                                                              std::string_view event_id) = 0;
  // True if some retraction names an event that has not arrived yet. When
  // false, no FindRetractionOf() can succeed, so importers may skip it.
  virtual Result<bool> HasUnmatchedRetractions() = 0;
  virtual Result<std::optional<Subject>> GetSubjectByANumber(const ANumber& a_number) = 0;
  virtual Result<std::optional<Subject>> GetSubject(int64_t subject_id) = 0;
  // Calls `fn` for every subject in subject_id order; stops early (and
  // succeeds) when `fn` returns false.
  virtual Result<void> ForEachSubject(const std::function<bool(const Subject&)>& fn) = 0;
  // The most recent rejects first, at most `limit`.
  virtual Result<std::vector<RejectRecord>> RecentRejects(int limit) = 0;
  // Subjects written since change `after_seq` (exclusive), in order, at most
  // `limit`: pairs of (seq, subject_id). A subject may appear more than once.
  // Every InsertSubject and UpdateSubject appends one, in its transaction.
  virtual Result<std::vector<std::pair<int64_t, int64_t>>> SubjectChangesSince(int64_t after_seq,
                                                                                int limit) = 0;
  // The newest change seq, or 0 when there is none.
  virtual Result<int64_t> LatestSubjectChange() = 0;
  virtual Result<std::vector<SuppressedMatch>> SuppressedMatchesOf(int64_t subject_id) = 0;
  // Recorded matches with an id above `after_id`, in id order (at most
  // `limit`), each with its id; and the highest id (0 when none).
  virtual Result<std::vector<std::pair<int64_t, SuppressedMatch>>> SuppressedMatchesAfter(
      int64_t after_id, int limit) = 0;
  virtual Result<int64_t> LastSuppressedMatchId() = 0;
  virtual Result<StoreCounts> Counts() = 0;

  // Registrations and the notification outbox (DESIGN.md §5).
  virtual Result<std::optional<Registration>> GetRegistration(int64_t registration_id) = 0;
  // The registration of this contact (by blind index) for this subject and channel.
  virtual Result<std::optional<Registration>> FindRegistration(int64_t subject_id, Channel channel,
                                                               std::string_view contact_index) = 0;
  // Registrations of a subject in `state`, in id order.
  virtual Result<std::vector<Registration>> RegistrationsOf(int64_t subject_id,
                                                            RegistrationState state) = 0;
  // Every registration of this contact (by blind index) on `channel`, in id order.
  virtual Result<std::vector<Registration>> RegistrationsByContact(
      Channel channel, std::string_view contact_index) = 0;
  // How many pending or active registrations hold this contact / this subject.
  virtual Result<int64_t> CountLiveRegistrationsByContact(std::string_view contact_index) = 0;
  virtual Result<int64_t> CountLiveRegistrationsOfSubject(int64_t subject_id) = 0;
  // Whether any registration is active at all (importers skip the outbox
  // lookup per event when none is).
  virtual Result<bool> AnyActiveRegistrations() = 0;
  virtual Result<std::optional<Notification>> GetNotification(int64_t notification_id) = 0;
  virtual Result<std::vector<Notification>> NotificationsOfRegistration(int64_t registration_id) = 0;
  // Whether the event was retracted (false also when there is no such event).
  virtual Result<bool> IsEventWithdrawn(int64_t event_pk) = 0;
  // Whether an agency blocked notifications about the subject (SetNotificationBlock).
  virtual Result<bool> IsNotificationBlocked(int64_t subject_id) = 0;
  // Calls `fn` for every event (retractions and retracted events included)
  // with from <= occurred_at < to, in (occurred_at, event_pk) order; stops
  // early (and succeeds) when `fn` returns false. For reports.
  virtual Result<void> ForEachEventBetween(Timestamp from, Timestamp to,
                                           const std::function<bool(const StoredEvent&)>& fn) = 0;
  // The audit log: the newest entry; entries after `after_seq` in seq order
  // (at most `limit`); every checkpoint in seq order; the seq the newest
  // checkpoint covers (nullopt: none yet).
  virtual Result<std::optional<AuditEntry>> LastAuditEntry() = 0;
  virtual Result<std::vector<AuditEntry>> AuditEntriesAfter(int64_t after_seq, int limit) = 0;
  virtual Result<std::vector<AuditCheckpoint>> AuditCheckpoints() = 0;
  virtual Result<std::optional<int64_t>> LastAuditCheckpointSeq() = 0;
  // Agency API keys (DESIGN.md §7), by key id; and all of them, by name.
  virtual Result<std::optional<ApiKey>> GetApiKey(std::string_view key_id) = 0;
  virtual Result<std::vector<ApiKey>> ListApiKeys() = 0;
  // How many notifications are in each state (name -> count), for tests and metrics.
  virtual Result<std::vector<std::pair<std::string, int64_t>>> NotificationStateCounts() = 0;
};

class StoreTransaction : public StoreReader {
 public:
  // Makes every write of this transaction durable and visible. After Commit,
  // successful or not, the transaction may not be used again.
  virtual Result<void> Commit() = 0;

  // Inserts or replaces the facility with this id.
  virtual Result<void> PutFacility(const Facility& facility) = 0;
  // Returns the new event_pk; kConflict if (source, event_id) already exists.
  virtual Result<int64_t> InsertEvent(const StoredEvent& event) = 0;
  // As InsertEvent, but when (source, event_id) already exists writes nothing
  // and returns nullopt: one index probe instead of a lookup and an insert.
  virtual Result<std::optional<int64_t>> InsertEventIfAbsent(const StoredEvent& event) = 0;
  // Marks the event retracted by `retraction_id`; kNotFound if there is no such event.
  virtual Result<void> SetRetractedBy(std::string_view source, std::string_view event_id,
                                      std::string_view retraction_id) = 0;
  // A subject_id no subject has, for InsertSubject. Ids handed out by one
  // transaction are distinct; an id left unused is simply skipped.
  virtual Result<int64_t> AllocateSubjectId() = 0;
  // Stores a new subject under subject.subject_id (from AllocateSubjectId) or,
  // when that is 0, a fresh id. Returns the id; kConflict if the A-number or
  // the id exists.
  virtual Result<int64_t> InsertSubject(const Subject& subject) = 0;
  // Replaces the stored state of subject.subject_id (its A-number, the
  // identity, is never changed); kNotFound if absent.
  virtual Result<void> UpdateSubject(const Subject& subject) = 0;
  // Records a reject once: the same (origin, line, field, reason) again is
  // not stored twice (re-importing a file changes nothing). Returns its id,
  // or 0 when it was already recorded.
  virtual Result<int64_t> InsertReject(const RejectRecord& reject) = 0;
  virtual Result<void> RecordSuppressedMatch(const SuppressedMatch& match) = 0;

  // Returns the new id; kConflict when (subject, channel, contact_index) exists.
  virtual Result<int64_t> InsertRegistration(const Registration& registration) = 0;
  // Replaces everything but the id, subject, channel and contact.
  virtual Result<void> UpdateRegistration(const Registration& registration) = 0;
  // Sets every pending or active registration of the subject to kSuspended.
  // Returns how many.
  virtual Result<int64_t> SuspendRegistrationsOf(int64_t subject_id) = 0;
  // Adds an outbox row; nullopt (and nothing written) when a row for the
  // same (event_pk, registration_id) exists.
  virtual Result<std::optional<int64_t>> InsertNotification(const Notification& notification) = 0;
  // Queues one `created` notification of `kind` for event `event_pk`, due at
  // `now`, for every active registration of the subject (one statement;
  // existing (event, registration) rows are left alone). Returns how many.
  // With `verified_only`, only registrations of tier kVerified (advance
  // release notice). Nothing is queued while the subject is blocked.
  virtual Result<int64_t> QueueNotificationsForEvent(int64_t subject_id, int64_t event_pk,
                                                     std::string_view kind, Timestamp now,
                                                     bool verified_only) = 0;
  // Event `retracted_pk` was withdrawn by event `retraction_pk`: its
  // notifications not yet handed to a peer (created, temporary_failure) are
  // cancelled, and every still-active registration whose notice of it went
  // out (delivered, acknowledged; a text or email also while sending or
  // sent — a call tells nothing until its PIN) is owed a `correction`
  // under `retraction_pk` (unless the subject is blocked). Returns
  // {cancelled, corrections queued}.
  virtual Result<std::pair<int64_t, int64_t>> QueueCorrections(int64_t retracted_pk,
                                                               int64_t retraction_pk,
                                                               Timestamp now) = 0;
  // An agency's block on notifications about a subject (DESIGN.md §7): with
  // a reason, blocks (replacing an earlier reason); with nullopt, lifts it.
  // Returns whether the block state changed. Queued notifications are left
  // to the caller (CancelNotificationsOf).
  virtual Result<bool> SetNotificationBlock(int64_t subject_id,
                                            std::optional<std::string_view> reason,
                                            Timestamp now) = 0;
  // Claims up to `limit` notifications that are due at `now` — created or
  // temporary_failure with due_at <= now, or sending with an expired lease
  // (its sender died) — moving each to kSending with `lease_until` and
  // attempts + 1. Returns them as claimed.
  virtual Result<std::vector<Notification>> ClaimDueNotifications(Timestamp now,
                                                                  Timestamp lease_until,
                                                                  int limit) = 0;
  // Records the outcome of the send started as attempt `attempt`: only when
  // the row is still kSending with that attempt (the state machine lives in
  // the WHERE clause, so a sender whose lease expired, or a cancelled row,
  // cannot be overwritten). `to` must be a terminal state, kSent (awaiting a
  // receipt; see RecordReceipt) or kTemporaryFailure (then due again at
  // `due_at`). Returns whether it applied.
  virtual Result<bool> FinishNotification(int64_t notification_id, int attempt,
                                          NotificationState to, Timestamp now, Timestamp due_at,
                                          std::string_view error) = 0;
  // A gateway's report for a notification it took (a delivery report, a
  // call's outcome, a PIN entered): moves it to `to` (a terminal state, or
  // kTemporaryFailure due again at `due_at`) only while it is kSent — or
  // still kSending, when the report outran the sender's own record; that
  // record then finds the row settled and leaves it. Late or repeated
  // reports change nothing. Returns whether it applied.
  virtual Result<bool> RecordReceipt(int64_t notification_id, NotificationState to, Timestamp now,
                                     Timestamp due_at, std::string_view detail) = 0;
  // Settles kSent notifications not updated since `sent_before` (their
  // receipt never came) as kDelivered with `detail`. Returns how many.
  virtual Result<int64_t> SettleUnreceipted(Timestamp sent_before, Timestamp now,
                                            std::string_view detail) = 0;
  // The contact's own opt-out (SMS STOP): its pending registrations on
  // `channel` end, its active ones end with opted_out set. Returns how many.
  virtual Result<int64_t> OptOut(Channel channel, std::string_view contact_index,
                                 Timestamp now) = 0;
  // Undoes OptOut (SMS START): its opted-out registrations become active
  // again. Returns how many.
  virtual Result<int64_t> OptIn(Channel channel, std::string_view contact_index) = 0;
  // Retention (issue 5): deletes the sealed contact of every registration
  // that ended (unsubscribed, bounced) before `contacts_before`, and its
  // blind index too unless it ended by the contact's own STOP (which must
  // keep being honoured); wipes sealed payloads of notifications settled
  // before `notifications_before`. Returns {contacts purged, notifications wiped}.
  virtual Result<std::pair<int64_t, int64_t>> Purge(Timestamp contacts_before,
                                                    Timestamp notifications_before) = 0;
  // Appends an audit entry under its seq; kConflict when the seq is taken
  // (another writer appended first: read the last entry again).
  virtual Result<void> AppendAuditEntry(const AuditEntry& entry) = 0;
  virtual Result<void> InsertAuditCheckpoint(const AuditCheckpoint& checkpoint) = 0;
  // kConflict when the key id or the name is taken.
  virtual Result<void> InsertApiKey(const ApiKey& key) = 0;
  // Revokes the key with this name (or key id); false when there is none
  // or it was revoked already.
  virtual Result<bool> RevokeApiKey(std::string_view name_or_id, Timestamp now) = 0;
  // Replaces the sources a live key (by name or key id) may write; false
  // when there is no such live key.
  virtual Result<bool> SetApiKeySources(std::string_view name_or_id,
                                        const std::vector<std::string>& sources) = 0;
  // Cancels every notification of the subject not yet handed to a peer
  // (created, sending, temporary_failure) — with `verifications` false,
  // every one but verification messages (a block stops notices, not the
  // confirming of a registration). Returns how many.
  virtual Result<int64_t> CancelNotificationsOf(int64_t subject_id, Timestamp now,
                                                bool verifications) = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // A read snapshot. Never blocks on writers.
  virtual Result<std::unique_ptr<StoreReader>> BeginRead() = 0;
  // A write transaction; waits (bounded) for any other writer, even one in
  // another process, then kUnavailable.
  virtual Result<std::unique_ptr<StoreTransaction>> BeginWrite() = 0;
};

// Opens the store at `url`: "sqlite:PATH" (file created with its schema when
// missing) or "postgresql://...". kInvalidArgument for an unknown scheme,
// kUnavailable when the store cannot be opened or migrated.
Result<std::unique_ptr<Store>> OpenStore(std::string_view url);

}  // namespace vigil

#endif  // VIGIL_STORE_STORE_H_
