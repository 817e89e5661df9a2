// Custody and facilities: the events agencies send, the people they are
// about (each person's current custody state, folded from the events), the
// facilities, and the feed lines that were refused.
#ifndef VIGIL_STORE_CUSTODY_STORE_H_
#define VIGIL_STORE_CUSTODY_STORE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
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

class CustodyReads {
 public:
  virtual ~CustodyReads() = default;

  // The facilities with these ids, in the order asked: nullopt where the
  // store holds none. One read for them all (one round trip on PostgreSQL).
  virtual Result<std::vector<std::optional<Facility>>> GetFacilities(
      std::span<const std::string> facility_ids) = 0;
  Result<std::optional<Facility>> GetFacility(std::string_view facility_id) {
    const std::string id(facility_id);
    auto found = GetFacilities(std::span(&id, 1));
    if (!found) return tl::unexpected(found.error());
    return std::move(found->front());
  }
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
  // Whether the event was retracted (false also when there is no such event).
  virtual Result<bool> IsEventWithdrawn(int64_t event_pk) = 0;
  virtual Result<std::optional<Subject>> GetSubjectByANumber(const ANumber& a_number) = 0;
  // The subjects with these ids, in the order asked: nullopt where the store
  // holds none. One read for them all (one round trip on PostgreSQL): the
  // disclosure gate reads a page of search candidates this way.
  virtual Result<std::vector<std::optional<Subject>>> GetSubjects(
      std::span<const int64_t> subject_ids) = 0;
  Result<std::optional<Subject>> GetSubject(int64_t subject_id) {
    auto found = GetSubjects(std::span(&subject_id, 1));
    if (!found) return tl::unexpected(found.error());
    return std::move(found->front());
  }
  // Calls `fn` for every subject in subject_id order; stops early (and
  // succeeds) when `fn` returns false.
  virtual Result<void> ForEachSubject(const std::function<bool(const Subject&)>& fn) = 0;
  // Subjects written since change `after_seq` (exclusive), in order, at most
  // `limit`: pairs of (seq, subject_id). A subject may appear more than once.
  // Every InsertSubject and UpdateSubject appends one, in its transaction.
  virtual Result<std::vector<std::pair<int64_t, int64_t>>> SubjectChangesSince(int64_t after_seq,
                                                                               int limit) = 0;
  // The newest change seq, or 0 when there is none. The log is never
  // emptied, so 0 also says that no subject was ever stored (an importer
  // into a new database asks no one about the people it creates).
  virtual Result<int64_t> LatestSubjectChange() = 0;
  // The most recent rejects first, at most `limit`.
  virtual Result<std::vector<RejectRecord>> RecentRejects(int limit) = 0;
};

class CustodyWrites : public CustodyReads {
 public:
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
};

}  // namespace vigil

#endif  // VIGIL_STORE_CUSTODY_STORE_H_
