// Keeps a NameIndex in step with the store (DESIGN.md §2.4): loads every
// subject once, then follows the store's subject change log, so subjects
// written by any process (`vigil import` beside a server, another node)
// become searchable within a poll interval, with no restart.
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
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

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
  // Applies the changes committed since the last LoadAll/CatchUp. Returns
  // how many subjects were re-read.
  Result<int64_t> CatchUp();
  // Re-classifies every indexed subject. Returns how many changed listing.
  Result<int64_t> Reassess();

  // Polls CatchUp() every `interval` and runs Reassess() every `reassess`
  // on a thread of its own; errors are reported on stderr (once until they
  // change) and retried at the next poll.
  void Start(std::chrono::milliseconds interval,
             std::chrono::milliseconds reassess = std::chrono::minutes(10));
  void Stop();

 private:
  Listing Classify(const Subject& subject) const;
  void Report(const std::string& what);

  Store* store_;
  NameIndex* index_;
  Classifier classify_;
  int64_t seen_seq_ = 0;
  std::string last_report_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mu_
};

}  // namespace vigil::search

#endif  // VIGIL_SEARCH_INDEX_FOLLOWER_H_
