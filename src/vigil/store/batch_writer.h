// BatchWriter<T>: records handed off by a thread that must not wait (a
// search, a registration) and written to the store in batches, one
// transaction each, by a thread of its own. The queue is bounded: past
// `max_queued`, records are dropped and counted, and the count is logged,
// so a flood cannot exhaust memory. Used for the audit log
// (audit::AuditWriter) and for suppressed matches
// (api::SuppressedMatchRecorder). Thread-safe.
//
// The one loop in vigil not on a BackgroundWorker: a record handed over on
// the request path wakes the writer only when it is idle (no system call
// per record while it is busy or lingering), and Flush/linger share its
// lock; a generic worker's Wake() would cost every search a notify.
#ifndef VIGIL_STORE_BATCH_WRITER_H_
#define VIGIL_STORE_BATCH_WRITER_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "vigil/core/logger.h"

namespace vigil {

template <typename T>
class BatchWriter {
 public:
  // Writes one batch (never empty) on the writer's thread; true when it is
  // written (committed).
  using WriteFn = std::function<bool(const std::deque<T>&)>;

  struct Options {
    size_t max_queued = 100000;
    // false: a batch `write` could not write is reported and dropped.
    // true: it goes back in front of the queue and is offered again after
    // `retry_after` — until Stop(), when it is reported and dropped.
    bool keep_failed = false;
    std::chrono::milliseconds retry_after{200};
    // After writing a batch, wait this long for more before the next one
    // (unless stopping or flushed): under load, fewer and larger durable
    // commits instead of one per handful of records. Records trail by at
    // most this much more.
    std::chrono::milliseconds linger{20};
    // 0: a record wakes an idle writer at once. Otherwise the writer is
    // never woken by a record: it takes what is queued this often (and on
    // Flush/Stop). For work that must not run while the request that
    // handed it over is still being answered: done at once, it competes
    // with that answer for the CPU, and whether it was done would show in
    // the answer's timing (api::SuppressedMatchRecorder).
    std::chrono::milliseconds poll{0};
    std::string what = "records";  // in messages: "audit entries", ...
  };

  // `write` must stay callable until Stop() or destruction.
  BatchWriter(WriteFn write, Options options)
      : write_(std::move(write)), options_(std::move(options)), thread_([this] { Run(); }) {}
  ~BatchWriter() { Stop(); }
  BatchWriter(const BatchWriter&) = delete;
  BatchWriter& operator=(const BatchWriter&) = delete;

  // Queues a record, or drops and counts it (queue full, or stopped).
  void Record(T item) {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ || queue_.size() >= options_.max_queued) {
      ++dropped_;
    } else {
      queue_.push_back(std::move(item));
    }
    // Only an idle writer needs waking (a system call): a busy or lingering
    // one takes the queue when it is done, a polling one at its next poll.
    if (idle_ && options_.poll.count() == 0) wake_.notify_one();
  }

  // Waits until everything recorded so far is written (or dropped).
  void Flush() {
    std::unique_lock<std::mutex> lock(mu_);
    ++flushing_;
    wake_.notify_all();
    drained_.wait(lock, [&] { return (queue_.empty() && !busy_) || stopping_; });
    --flushing_;
  }

  // Writes what is queued, then ends the thread. Idempotent.
  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

  // Records dropped so far.
  int64_t dropped() const {
    std::lock_guard<std::mutex> lock(mu_);
    return dropped_;
  }

 private:
  void Run() {
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      idle_ = true;
      if (options_.poll.count() > 0) {
        // A flush with nothing queued has nothing to wait for: waking for
        // it would spin (and starve the flusher of the lock).
        wake_.wait_for(lock, options_.poll,
                       [&] { return stopping_ || (flushing_ > 0 && !queue_.empty()); });
      } else {
        wake_.wait(lock,
                   [&] { return stopping_ || !queue_.empty() || dropped_ != dropped_reported_; });
      }
      idle_ = false;
      if (dropped_ != dropped_reported_) {
        Logger::For("store").Warn(options_.what + " dropped",
                                  {{"so_far", std::to_string(dropped_)}});
        dropped_reported_ = dropped_;
      }
      if (queue_.empty()) {
        if (stopping_) break;
        continue;
      }
      std::deque<T> batch;
      batch.swap(queue_);
      busy_ = true;
      lock.unlock();
      const bool written = write_(batch);
      lock.lock();
      if (!written && options_.keep_failed && !stopping_) {
        for (auto it = batch.rbegin(); it != batch.rend(); ++it) queue_.push_front(std::move(*it));
        lock.unlock();
        std::this_thread::sleep_for(options_.retry_after);
        lock.lock();
      } else if (!written) {
        Logger::For("store").Warn("could not write " + options_.what,
                                  {{"count", std::to_string(batch.size())}});
        dropped_ += static_cast<int64_t>(batch.size());
        dropped_reported_ = dropped_;
      }
      busy_ = false;
      drained_.notify_all();
      if (options_.linger.count() > 0) {
        wake_.wait_for(lock, options_.linger, [&] { return stopping_ || flushing_ > 0; });
      }
    }
    busy_ = false;
    drained_.notify_all();
  }

  const WriteFn write_;
  const Options options_;
  mutable std::mutex mu_;
  std::condition_variable wake_, drained_;
  std::deque<T> queue_;           // guarded by mu_
  bool stopping_ = false;         // guarded by mu_
  bool busy_ = false;             // a batch is being written; guarded by mu_
  int flushing_ = 0;              // callers waiting in Flush(); guarded by mu_
  bool idle_ = false;             // the writer waits for records; guarded by mu_
  int64_t dropped_ = 0;           // guarded by mu_
  int64_t dropped_reported_ = 0;  // guarded by mu_
  std::thread thread_;            // last: starts once everything above exists
};

}  // namespace vigil

#endif  // VIGIL_STORE_BATCH_WRITER_H_
