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

#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "vigil/core/clock.h"
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
  Result<ApplyOutcome> Apply(StoreTransaction& txn, FeedRecord record,
                             std::string event_hash = {});

  // Writes the subjects whose state changed in `txn`. Subject rows are kept
  // in memory while a transaction applies records and written once each,
  // in id order, here: call it before committing `txn`.
  Result<void> FlushSubjects(StoreTransaction& txn);

  // Forgets what was learnt inside the transaction that just ended (committed
  // or not): other writers may change the store before the next one.
  void EndTransaction();

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
  Result<CachedState*> CachedSubject(StoreTransaction& txn, const ANumber& a_number);
  Result<void> Refold(StoreTransaction& txn, Subject& subject);

  const Clock* clock_;
  std::unordered_set<std::string> known_facilities_;
  std::unordered_map<std::string, CachedState> subjects_;  // by A-number digits
  // Whether a retraction may be waiting for an event not yet seen; unknown
  // (nullopt) until asked once in a transaction.
  std::optional<bool> unmatched_retractions_;
  std::optional<bool> any_registrations_;  // per transaction
};

}  // namespace vigil

#endif  // VIGIL_INGEST_FEED_APPLIER_H_
