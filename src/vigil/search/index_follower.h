// Keeps a NameIndex in step with the store (DESIGN.md §2.4): loads every
// subject once, then follows the store's subject change log, so subjects
// written by any process (`vigil import` beside a server, another node)
// become searchable within a poll interval, with no restart.
//
// The index only finds candidates; disclosure is decided against the store
// at request time, so a lagging index can delay a new person's appearance
// but never show a protected one.
//
// Thread safety: LoadAll() and CatchUp() from one thread at a time; Start()
// runs CatchUp() on a background thread until Stop() (or destruction).
#ifndef VIGIL_SEARCH_INDEX_FOLLOWER_H_
#define VIGIL_SEARCH_INDEX_FOLLOWER_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "vigil/search/name_index.h"
#include "vigil/store/store.h"

namespace vigil::search {

class IndexFollower {
 public:
  // Neither is owned; both must outlive the follower.
  IndexFollower(Store* store, NameIndex* index);
  ~IndexFollower();

  // Indexes every subject in the store. Returns how many.
  Result<int64_t> LoadAll();
  // Applies the changes committed since the last LoadAll/CatchUp. Returns
  // how many subjects were re-read.
  Result<int64_t> CatchUp();

  // Polls CatchUp() every `interval` on a thread of its own; errors are
  // retried at the next poll.
  void Start(std::chrono::milliseconds interval);
  void Stop();

 private:
  Store* store_;
  NameIndex* index_;
  int64_t seen_seq_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mu_
};

}  // namespace vigil::search

#endif  // VIGIL_SEARCH_INDEX_FOLLOWER_H_
