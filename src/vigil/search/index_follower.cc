#include "vigil/search/index_follower.h"

#include <unordered_set>
#include <utility>

#include "vigil/core/logger.h"

namespace vigil::search {

IndexFollower::IndexFollower(Store* store, NameIndex* index, Classifier classify)
    : store_(store), index_(index), classify_(std::move(classify)) {}

IndexFollower::~IndexFollower() { Stop(); }

Listing IndexFollower::Classify(const Subject& subject) const {
  return classify_ ? classify_(subject) : Listing{};
}

Result<int64_t> IndexFollower::LoadAll() {
  auto reader = store_->BeginRead();
  if (!reader) return tl::unexpected(reader.error());
  // The snapshot fixes both the change position and the rows, so nothing
  // committed later is missed: CatchUp starts exactly there.
  auto latest = (*reader)->custody().LatestSubjectChange();
  if (!latest) return tl::unexpected(latest.error());
  int64_t count = 0;
  VIGIL_RETURN_IF_ERROR((*reader)->custody().ForEachSubject([&](const Subject& s) {
    index_->Upsert(s, Classify(s));
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
    auto changes = (*reader)->custody().SubjectChangesSince(seen_seq_, kPage);
    if (!changes) return tl::unexpected(changes.error());
    if (changes->empty()) return reread;
    std::unordered_set<int64_t> ids;
    for (const auto& [seq, id] : *changes) ids.insert(id);
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
  next_reassess_ = std::chrono::steady_clock::now() + reassess;
  worker_ = std::make_unique<BackgroundWorker>(
      BackgroundWorker::Options{"following the store", interval, interval * 16,
                                Logger::For("search")},
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
