// Applies validated feed records to the store (DESIGN.md §5-6).
//
// Idempotent by (source, event_id): the same event again is a duplicate; the
// same id with other content is refused. The subject's current state is kept
// equal to the fold of its non-retracted events, whatever order they arrive
// in: an event that sorts after everything known is applied incrementally,
// anything else (late events, retractions) refolds the history.
//
// Every check that can refuse a record runs before its first write, so a
// refused record leaves the transaction exactly as it was. Subject rows are
// written by FlushSubjects(), which must run before the transaction commits. A store failure
// mid-record leaves it half-written: the caller must then roll back.
//
// Thread-compatible: one FeedApplier per writing thread.
#ifndef VIGIL_INGEST_FEED_APPLIER_H_
#define VIGIL_INGEST_FEED_APPLIER_H_

#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "vigil/core/clock.h"
#include "vigil/core/flat_map.h"
#include "vigil/ingest/feed_record.h"
#include "vigil/store/store.h"

namespace vigil {

enum class ApplyStatus { kAccepted, kDuplicate, kRejected };

struct ApplyOutcome {
  ApplyStatus status = ApplyStatus::kAccepted;
  FieldError error;  // set when kRejected
};

// A stable digest of an event's validated content (not of its spelling: "A-012-345-678"
// and "012345678" are the same event). Exposed for tests and the agency API.
std::string EventContentHash(const CustodyEvent& event);

class FeedApplier {
 public:
  // `clock` (not owned, must outlive this) stamps received_at.
  explicit FeedApplier(const Clock* clock) : clock_(clock) {}

  // Applies `record` within `txn`. Returns the outcome, or the store's error
  // (then `txn` must be rolled back and EndTransaction() called).
  // `record` is taken by value: callers that are done with it move it in.
  // `event_hash` is EventContentHash() of an event record when the caller
  // has computed it already (the importer does, on its parsing thread);
  // empty, it is computed here.
  Result<ApplyOutcome> Apply(StoreTransaction& txn, FeedRecord record, std::string event_hash = {});

  // Writes the subjects whose state changed in `txn`. Subject rows are kept
  // in memory while a transaction applies records and written once each,
  // in id order, here: call it before committing `txn`.
  Result<void> FlushSubjects(StoreTransaction& txn);

  // Tells the store which people and events the next records name
  // (StoreTransaction::Prefetch): a store across a network then reads them
  // together instead of one by one, and writes them together at the end.
  Result<void> Prefetch(StoreTransaction& txn, std::span<const CustodyEvent* const> events);

  // Ends what was learnt inside the transaction that just ended. Subjects
  // stay cached after a commit (up to kMaxCachedSubjects): the next
  // transaction keeps them only if no subject row was written in between,
  // by anyone (the store logs every such write). After a rollback they are
  // forgotten.
  void EndTransaction(bool committed);
  // Drops every cached subject (an importer does at the start and end of
  // each import, so the cache lives no longer than one).
  void ForgetSubjects();

  static constexpr size_t kMaxCachedSubjects = 500'000;

 private:
  struct CachedState {
    Subject subject;
    bool dirty = false;
    bool stored = false;  // the row exists in the store (else insert at flush)
  };

  Result<ApplyOutcome> ApplyFacility(StoreTransaction& txn, const Facility& facility);
  Result<ApplyOutcome> ApplyEvent(StoreTransaction& txn, CustodyEvent event, std::string hash);
  // The outbox side of an applied event (DESIGN.md §2.4, §2.5), in the
  // event's transaction: a protection cancels every queued notification of
  // the person and suspends their registrations; otherwise a custody change
  // that is the person's latest news is owed to each active registration.
  // `previous_release` is the scheduled release known before the event.
  Result<void> UpdateOutbox(StoreTransaction& txn, const Subject& subject, const CustodyEvent& e,
                            int64_t event_pk, bool latest,
                            const std::optional<Timestamp>& previous_release);
  Result<ApplyOutcome> ApplyRetraction(StoreTransaction& txn, const CustodyEvent& event,
                                       const std::string& hash);
  // Whether any registration is active (asked once per transaction).
  Result<bool> AnyRegistrations(StoreTransaction& txn);
  static ApplyOutcome SameOrConflict(const StoredEvent& existing, const CustodyEvent& event,
                                     const std::string& hash);
  Result<bool> FacilityKnown(StoreTransaction& txn, const std::string& facility_id);
  // Forgets the cached subjects if anyone wrote one since (once per transaction).
  Result<void> CheckCache(StoreTransaction& txn);
  Result<CachedState*> CachedSubject(StoreTransaction& txn, const ANumber& a_number);
  Result<void> Refold(StoreTransaction& txn, Subject& subject);
  void MarkDirty(CachedState& state);

  const Clock* clock_;
  std::unordered_set<std::string> known_facilities_;
  // Cached subjects by A-number: a flat map from the A-number as a number
  // to an index into `states_`, which stay where they are (dirty_ points
  // into them). Hundreds of thousands of people are cached in a large
  // import; a node-based map spent 5% of the import finding them.
  class SubjectTable {
   public:
    CachedState* Find(uint32_t key);
    CachedState& Insert(uint32_t key, CachedState state);  // `key` must be absent
    void Clear();
    size_t size() const { return states_.size(); }
    bool empty() const { return states_.empty(); }

   private:
    FlatMap<uint32_t, UINT32_MAX> index_;  // no A-number (nine digits) is UINT32_MAX
    std::deque<CachedState> states_;
  };

  SubjectTable subjects_;
  std::vector<CachedState*> dirty_;  // in subjects_, changed in this transaction
  int64_t flushed_seq_ = -1;         // the subject change log's end after FlushSubjects
  int64_t cache_seq_ = -1;           // ... at which subjects_ matched the store (-1: unknown)
  bool checked_cache_ = false;       // cache_seq_ compared in this transaction
  // Whether subjects_ holds every person the store holds, so that one it
  // lacks is absent without asking: true from a transaction that found the
  // store's subject change log empty (no person was ever stored: an import
  // into a new database) for as long as the cache is kept, i.e. while
  // nobody else writes a person. Asked once per cache (ForgetSubjects).
  bool cache_is_whole_ = false;
  bool asked_whole_ = false;
  // Whether a retraction may be waiting for an event not yet seen; unknown
  // (nullopt) until asked once in a transaction.
  std::optional<bool> unmatched_retractions_;
  std::optional<bool> any_registrations_;  // per transaction
  // People this transaction created: nobody can have registered for them
  // (their row is not committed), so a protection needs no takedown.
  std::unordered_set<int64_t> created_here_;
  // People this import created who were protected by the end of the
  // transaction that created them: never disclosable, so never registered
  // for (the registrar asks the gate), and protections are never lifted by
  // a feed: no takedown is owed for them in later transactions either.
  // Cleared with the subject cache (ForgetSubjects).
  std::unordered_set<int64_t> never_public_;
};

}  // namespace vigil

#endif  // VIGIL_INGEST_FEED_APPLIER_H_
