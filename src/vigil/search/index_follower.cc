#include "vigil/search/index_follower.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

#include "vigil/core/logger.h"
#include "vigil/core/thread_name.h"

namespace vigil::search {

IndexFollower::IndexFollower(Store* store, NameIndex* index, Classifier classify)
    : store_(store), index_(index), classify_(std::move(classify)) {}

IndexFollower::~IndexFollower() { Stop(); }

Listing IndexFollower::Classify(const Subject& subject) const {
  return classify_ ? classify_(subject) : Listing{};
}

// LoadAll's pipeline: this thread reads the store in batches; the names of
// each batch are normalised (and the subjects classified) on every core; one
// filer thread puts the batches into the index in the order they were read,
// so the index is the one a single thread would build (ties between equal
// scores fall by index order). At most kInFlight batches wait at once.
namespace {

constexpr size_t kLoadBatch = 1024;
constexpr size_t kInFlight = 16;

struct LoadBatch {
  std::vector<Subject> subjects;
  std::vector<NameIndex::Prepared> prepared;
  std::vector<Listing> listings;
  bool ready = false;
};

}  // namespace

Result<int64_t> IndexFollower::LoadAll() {
  auto reader = store_->BeginRead();
  if (!reader) return tl::unexpected(reader.error());
  // The snapshot fixes both the change position and the rows, so nothing
  // committed later is missed: CatchUp starts exactly there.
  auto latest = (*reader)->custody().LatestSubjectChange();
  if (!latest) return tl::unexpected(latest.error());

  std::mutex mu;
  std::condition_variable changed;
  std::deque<std::shared_ptr<LoadBatch>> to_prepare, in_order;
  std::vector<std::shared_ptr<LoadBatch>> spent;
  bool reading_done = false;
  std::string failure;  // an exception on a worker thread, reported as kInternal

  auto prepare = [&] {
    std::unique_lock lock(mu);
    while (true) {
      changed.wait(lock, [&] { return !to_prepare.empty() || reading_done; });
      if (to_prepare.empty()) return;
      auto batch = std::move(to_prepare.front());
      to_prepare.pop_front();
      lock.unlock();
      try {
        batch->prepared.reserve(batch->subjects.size());
        for (Subject& s : batch->subjects) {
          batch->listings.push_back(Classify(s));
          batch->prepared.push_back(index_->Prepare(std::move(s)));
        }
      } catch (const std::exception& e) {
        lock.lock();
        failure = e.what();
        batch->prepared.clear();
        batch->listings.clear();
        batch->ready = true;
        changed.notify_all();
        continue;
      }
      lock.lock();
      batch->ready = true;
      changed.notify_all();
    }
  };
  auto file = [&] {
    std::unique_lock lock(mu);
    while (true) {
      changed.wait(lock, [&] {
        return (!in_order.empty() && in_order.front()->ready) || (in_order.empty() && reading_done);
      });
      if (in_order.empty()) return;
      auto batch = std::move(in_order.front());
      in_order.pop_front();
      changed.notify_all();  // room for the reader
      lock.unlock();
      index_->Upsert(batch->prepared, batch->listings);
      lock.lock();
      // Freed by the reader: this thread is the one the others wait for.
      spent.push_back(std::move(batch));
    }
  };
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> threads;
  threads.emplace_back([&] {
    NameThisThread("index-filer");
    file();
  });
  for (unsigned i = 0; i < std::min(cores, 8u); ++i) {
    threads.emplace_back([&, i] {
      NameThisThread("index-names-" + std::to_string(i));
      prepare();
    });
  }

  index_->BeginBulkLoad();
  int64_t count = 0;
  auto batch = std::make_shared<LoadBatch>();
  auto hand_over = [&] {
    std::vector<std::shared_ptr<LoadBatch>> to_free;
    std::unique_lock lock(mu);
    changed.wait(lock, [&] { return in_order.size() < kInFlight; });
    to_prepare.push_back(batch);
    in_order.push_back(batch);
    changed.notify_all();
    to_free.swap(spent);
    lock.unlock();
    batch = std::make_shared<LoadBatch>();
  };
  auto read = (*reader)->custody().ForEachSubject([&](const Subject& s) {
    batch->subjects.push_back(s);
    ++count;
    if (batch->subjects.size() == kLoadBatch) hand_over();
    return true;
  });
  if (!batch->subjects.empty()) hand_over();
  {
    std::lock_guard lock(mu);
    reading_done = true;
    changed.notify_all();
  }
  for (auto& t : threads) t.join();
  index_->EndBulkLoad();
  VIGIL_RETURN_IF_ERROR(read);
  if (!failure.empty()) return Internal("loading the name index: " + failure);
  seen_seq_ = *latest;
  return count;
}

Result<int64_t> IndexFollower::LoadSnapshot(const std::string& path, std::string_view identity) {
  auto stamp = index_->LoadSnapshot(path, identity);
  if (!stamp) return tl::unexpected(stamp.error());
  auto fail = [this](Error e) -> Result<int64_t> {
    index_->Clear();
    return tl::unexpected(std::move(e));
  };
  {
    auto reader = store_->BeginRead();
    if (!reader) return fail(reader.error());
    auto latest = (*reader)->custody().LatestSubjectChange();
    if (!latest) return fail(latest.error());
    if (stamp->change_seq > *latest) {
      return fail(Error(ErrorCode::kConflict, path + " is ahead of the store (change " +
                                                  std::to_string(stamp->change_seq) +
                                                  ", the store's last is " +
                                                  std::to_string(*latest) + ")"));
    }
    if (stamp->change_seq > 0) {
      auto at = (*reader)->custody().SubjectChangesSince(stamp->change_seq - 1, 1);
      if (!at) return fail(at.error());
      if (at->empty() || at->front().first != stamp->change_seq ||
          at->front().second != stamp->subject_at_seq) {
        return fail(Error(ErrorCode::kConflict,
                          path + " was taken from another database (its last change is not "
                                 "in this store's change log)"));
      }
    }
  }
  seen_seq_ = stamp->change_seq;
  if (auto caught = CatchUp(); !caught) return fail(caught.error());
  reassess_at_start_ = true;
  return static_cast<int64_t>(index_->size());
}

Result<void> IndexFollower::SaveSnapshot(const std::string& path, std::string_view identity) {
  if (worker_ && worker_->running()) {
    return Conflict("the name index is saved only while the follower is stopped");
  }
  NameIndex::SnapshotStamp stamp{std::string(identity), seen_seq_, 0};
  if (seen_seq_ > 0) {
    auto reader = store_->BeginRead();
    if (!reader) return tl::unexpected(reader.error());
    auto at = (*reader)->custody().SubjectChangesSince(seen_seq_ - 1, 1);
    if (!at) return tl::unexpected(at.error());
    if (at->empty() || at->front().first != seen_seq_) {
      return Internal("the change the index reflects is not in the store's change log");
    }
    stamp.subject_at_seq = at->front().second;
  }
  return index_->SaveSnapshot(path, stamp);
}

Result<int64_t> IndexFollower::CatchUp() {
  constexpr int kPage = 10000;
  int64_t reread = 0;
  while (true) {
    auto reader = store_->BeginRead();
    if (!reader) return tl::unexpected(reader.error());
    auto changes = (*reader)->custody().SubjectChangesSince(seen_seq_, kPage);
    if (!changes) return tl::unexpected(changes.error());
    if (changes->empty()) return reread;
    // Each person once, in id order: new people take slots in the order a
    // full load gives them, so ties between equal scores fall alike.
    std::vector<int64_t> ids;
    ids.reserve(changes->size());
    for (const auto& [seq, id] : *changes) ids.push_back(id);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    for (int64_t id : ids) {
      auto subject = (*reader)->custody().GetSubject(id);
      if (!subject) {
        // One unreadable row must not stop every later change from
        // arriving. Nobody can be shown from it either, so drop it.
        Logger::For("search").Warn("skipping an unreadable subject: " + subject.error().message(),
                                   {{"subject_id", std::to_string(id)}});
        index_->Remove(id);
      } else if (*subject) {
        index_->Upsert(**subject, Classify(**subject));
      } else {
        index_->Remove(id);
      }
      ++reread;
    }
    seen_seq_ = changes->back().first;
    if (changes->size() < static_cast<size_t>(kPage)) return reread;
  }
}

Result<int64_t> IndexFollower::Reassess() {
  if (!classify_) return 0;
  auto reader = store_->BeginRead();
  if (!reader) return tl::unexpected(reader.error());
  int64_t changed = 0;
  VIGIL_RETURN_IF_ERROR((*reader)->custody().ForEachSubject([&](const Subject& s) {
    Listing now = Classify(s);
    if (index_->ListingOf(s.subject_id) != now && index_->SetListing(s.subject_id, now)) ++changed;
    return true;
  }));
  return changed;
}

void IndexFollower::Start(std::chrono::milliseconds interval, std::chrono::milliseconds reassess) {
  if (worker_) return;
  next_reassess_ = std::chrono::steady_clock::now() +
                   (reassess_at_start_ ? std::chrono::milliseconds(0) : reassess);
  worker_ = std::make_unique<BackgroundWorker>(
      BackgroundWorker::Options{"following the store", interval, interval * 16,
                                Logger::For("search"), "index-follower"},
      [this, reassess]() -> Result<BackgroundWorker::Step> {
        if (auto r = CatchUp(); !r) return tl::unexpected(r.error());
        if (std::chrono::steady_clock::now() >= next_reassess_) {
          auto n = Reassess();
          if (!n) return tl::unexpected(n.error().WithContext("re-assessing listings"));
          next_reassess_ = std::chrono::steady_clock::now() + reassess;
        }
        return BackgroundWorker::Step::kIdle;
      });
  worker_->Start();
  written_elsewhere_ =
      store_->Subscribe(StoreTopic::kSubjects, [worker = worker_.get()] { worker->Wake(); });
}

void IndexFollower::Stop() {
  written_elsewhere_.reset();
  if (worker_) worker_->Stop();
}

}  // namespace vigil::search
