// Keeps a NameIndex in step with the store (DESIGN.md §2.4): loads every
// subject once, then follows the store's subject change log, so subjects
// written by any process (`vigil import` beside a server, another node)
// become searchable within a poll interval, with no restart; on PostgreSQL
// a commit anywhere also wakes the follower at once (Store::Subscribe), and
// the poll is the catch-up for a notification that was lost.
//
// The index only finds candidates; disclosure is decided against the store
// at request time, so a lagging index can delay a new person's appearance
// but never show a protected one. A Classifier (the disclosure policy, for
// the public) decides each subject's Listing as it is indexed; because
// listings also change with time alone (a minor turns 18, a release falls
// out of the visibility window), Start() re-assesses every subject
// periodically.
//
// A change-log row whose subject cannot be read is reported on stderr and
// skipped (the subject is dropped from the index: what cannot be read cannot
// be shown), so one bad row never stalls the follower.
//
#ifndef VIGIL_SEARCH_INDEX_FOLLOWER_H_
#define VIGIL_SEARCH_INDEX_FOLLOWER_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "vigil/core/background_worker.h"
#include "vigil/search/name_index.h"
#include "vigil/store/store.h"

namespace vigil::search {

class IndexFollower {
 public:
  using Classifier = std::function<Listing(const Subject&)>;

  // Neither pointer is owned; both must outlive the follower. Without a
  // classifier every subject is listed.
  IndexFollower(Store* store, NameIndex* index, Classifier classify = nullptr);
  ~IndexFollower();

  // Indexes every subject in the store. Returns how many.
  Result<int64_t> LoadAll();
  // Instead of LoadAll: loads the index from a snapshot SaveSnapshot wrote
  // (NameIndex::LoadSnapshot; `identity` as it was saved with), checks that
  // the store is the one it was taken from (its change log holds the
  // change the snapshot ends at), applies what was committed since, and
  // re-assesses every listing as soon as Start() runs. Returns how many
  // people the index holds; on any error the index is left empty, for
  // LoadAll.
  Result<int64_t> LoadSnapshot(const std::string& path, std::string_view identity);
  // Saves the index with the change position it reflects. Only while the
  // follower is not running (before Start or after Stop).
  Result<void> SaveSnapshot(const std::string& path, std::string_view identity);
  // Applies the changes committed since the last LoadAll/CatchUp. Returns
  // how many subjects were re-read.
  Result<int64_t> CatchUp();
  // Re-classifies every indexed subject. Returns how many changed listing.
  Result<int64_t> Reassess();

  // Polls CatchUp() every `interval` and runs Reassess() every `reassess`
  // on a BackgroundWorker; errors are logged (once until they change) and
  // retried with backoff.
  void Start(std::chrono::milliseconds interval,
             std::chrono::milliseconds reassess = std::chrono::minutes(10));
  void Stop();

 private:
  Listing Classify(const Subject& subject) const;

  Store* store_;
  NameIndex* index_;
  Classifier classify_;
  int64_t seen_seq_ = 0;
  bool reassess_at_start_ = false;  // loaded from a snapshot: listings may be stale
  std::chrono::steady_clock::time_point next_reassess_;  // the worker's thread only
  std::unique_ptr<BackgroundWorker> worker_;             // stopped before the rest goes
  // Wakes the worker when any process writes a subject (PostgreSQL); gone
  // before the worker is.
  std::unique_ptr<StoreSubscription> written_elsewhere_;
};

}  // namespace vigil::search

#endif  // VIGIL_SEARCH_INDEX_FOLLOWER_H_
