#include "vigil/search/index_follower.h"

#include <unordered_set>

namespace vigil::search {

IndexFollower::IndexFollower(Store* store, NameIndex* index) : store_(store), index_(index) {}

IndexFollower::~IndexFollower() { Stop(); }

Result<int64_t> IndexFollower::LoadAll() {
  auto reader = store_->BeginRead();
  if (!reader) return tl::unexpected(reader.error());
  // The snapshot fixes both the change position and the rows, so nothing
  // committed later is missed: CatchUp starts exactly there.
  auto latest = (*reader)->LatestSubjectChange();
  if (!latest) return tl::unexpected(latest.error());
  int64_t count = 0;
  VIGIL_RETURN_IF_ERROR((*reader)->ForEachSubject([&](const Subject& s) {
    index_->Upsert(s);
    ++count;
    return true;
  }));
  seen_seq_ = *latest;
  return count;
}

Result<int64_t> IndexFollower::CatchUp() {
  constexpr int kPage = 10000;
  int64_t reread = 0;
  while (true) {
    auto reader = store_->BeginRead();
    if (!reader) return tl::unexpected(reader.error());
    auto changes = (*reader)->SubjectChangesSince(seen_seq_, kPage);
    if (!changes) return tl::unexpected(changes.error());
    if (changes->empty()) return reread;
    std::unordered_set<int64_t> ids;
    for (const auto& [seq, id] : *changes) ids.insert(id);
    for (int64_t id : ids) {
      auto subject = (*reader)->GetSubject(id);
      if (!subject) return tl::unexpected(subject.error());
      if (*subject) {
        index_->Upsert(**subject);
      } else {
        index_->Remove(id);
      }
      ++reread;
    }
    seen_seq_ = changes->back().first;
    if (changes->size() < static_cast<size_t>(kPage)) return reread;
  }
}

void IndexFollower::Start(std::chrono::milliseconds interval) {
  if (thread_.joinable()) return;
  thread_ = std::thread([this, interval] {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stopping_) {
      lock.unlock();
      (void)CatchUp();  // a failure is retried at the next poll
      lock.lock();
      wake_.wait_for(lock, interval, [&] { return stopping_; });
    }
  });
}

void IndexFollower::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace vigil::search
