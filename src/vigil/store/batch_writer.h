// BatchWriter<T>: records handed off by a thread that must not wait (a
// search, a registration) and written to the store in batches, one
// transaction each, by a thread of its own. The queue is bounded: past
// `max_queued`, records are dropped and counted, and the count is logged,
// so a flood cannot exhaust memory. Used for the audit log
// (audit::AuditWriter) and for suppressed matches
// (api::SuppressedMatchRecorder). Thread-safe.
//
// The writer is a BackgroundWorker whose step writes one batch. A record
// handed over on the request path wakes it only when it is idle (no system
// call per record while it is busy or lingering); lingering and Flush share
// the writer's own lock.
#ifndef VIGIL_STORE_BATCH_WRITER_H_
#define VIGIL_STORE_BATCH_WRITER_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <utility>

#include "vigil/core/background_worker.h"
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
    std::string thread_name = "";  // for `top -H` (BackgroundWorker::Options)
  };

  // `write` must stay callable until Stop() or destruction.
  BatchWriter(WriteFn write, Options options)
      : write_(std::move(write)),
        options_(std::move(options)),
        worker_({.name = "writing " + options_.what,
                 // Idle, the step only re-checks: records and Flush wake it.
                 .interval =
                     options_.poll.count() > 0 ? options_.poll : std::chrono::milliseconds(1000),
                 .logger = Logger::For("store"),
                 .thread_name = options_.thread_name},
                [this] { return Step(); }) {
    worker_.Start();
  }
  ~BatchWriter() { Stop(); }
  BatchWriter(const BatchWriter&) = delete;
  BatchWriter& operator=(const BatchWriter&) = delete;

  // Queues a record, or drops and counts it (queue full, or stopped).
  void Record(T item) {
    bool wake = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_ || queue_.size() >= options_.max_queued) {
        ++dropped_;
      } else {
        queue_.push_back(std::move(item));
      }
      // Only an idle writer needs waking (a system call): a busy or
      // lingering one takes the queue when it is done, a polling one at its
      // next poll.
      if (idle_ && options_.poll.count() == 0) {
        idle_ = false;
        wake = true;
      }
    }
    if (wake) worker_.Wake();
  }

  // Waits until everything recorded so far is written (or dropped).
  void Flush() {
    std::unique_lock<std::mutex> lock(mu_);
    if (queue_.empty() && !busy_) return;  // waking the writer would be a step for nothing
    ++flushing_;
    linger_.notify_all();
    lock.unlock();
    worker_.Wake();
    lock.lock();
    drained_.wait(lock, [&] { return (queue_.empty() && !busy_) || stopping_; });
    --flushing_;
  }

  // Writes what is queued, then ends the thread. Idempotent.
  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    linger_.notify_all();
    drained_.notify_all();
    worker_.Stop();
    std::unique_lock<std::mutex> lock(mu_);
    while (!queue_.empty()) WriteOneBatch(lock);
    ReportDropped();
  }

  // Records dropped so far.
  int64_t dropped() const {
    std::lock_guard<std::mutex> lock(mu_);
    return dropped_;
  }

 private:
  // The worker's step: one batch, then a linger for more.
  Result<BackgroundWorker::Step> Step() {
    std::unique_lock<std::mutex> lock(mu_);
    ReportDropped();
    // A polling writer, woken by a Flush with nothing queued, has nothing
    // to do; nor has any writer with an empty queue.
    if (queue_.empty() || stopping_) {
      idle_ = true;
      drained_.notify_all();
      return BackgroundWorker::Step::kIdle;
    }
    // A polling writer writes at its polls, on Flush and on Stop, never
    // before: not on the worker's first step, which runs at once.
    if (options_.poll.count() > 0 && flushing_ == 0 &&
        std::chrono::steady_clock::now() < next_poll_) {
      return BackgroundWorker::Step::kIdle;
    }
    idle_ = false;
    if (!WriteOneBatch(lock) && options_.keep_failed && !stopping_) {
      linger_.wait_for(lock, options_.retry_after, [&] { return stopping_; });
      return BackgroundWorker::Step::kMore;
    }
    if (options_.linger.count() > 0) {
      linger_.wait_for(lock, options_.linger, [&] { return stopping_ || flushing_ > 0; });
    }
    // Polling: the next batch waits for the next poll (or a Flush).
    return options_.poll.count() > 0 && flushing_ == 0 ? BackgroundWorker::Step::kIdle
                                                       : BackgroundWorker::Step::kMore;
  }

  // Writes what is queued as one batch, without the lock held; false when
  // it was not written. A batch that failed goes back in front of the queue
  // when failed ones are kept (and not stopping), else it is counted dropped.
  bool WriteOneBatch(std::unique_lock<std::mutex>& lock) {
    std::deque<T> batch;
    batch.swap(queue_);
    busy_ = true;
    lock.unlock();
    const bool written = write_(batch);
    lock.lock();
    if (!written && options_.keep_failed && !stopping_) {
      for (auto it = batch.rbegin(); it != batch.rend(); ++it) queue_.push_front(std::move(*it));
    } else if (!written) {
      Logger::For("store").Warn("could not write " + options_.what,
                                {{"count", std::to_string(batch.size())}});
      dropped_ += static_cast<int64_t>(batch.size());
      dropped_reported_ = dropped_;
    }
    busy_ = false;
    next_poll_ = std::chrono::steady_clock::now() + options_.poll;
    drained_.notify_all();
    return written;
  }

  // Logs the records dropped since the last report. Needs mu_.
  void ReportDropped() {
    if (dropped_ == dropped_reported_) return;
    Logger::For("store").Warn(options_.what + " dropped", {{"so_far", std::to_string(dropped_)}});
    dropped_reported_ = dropped_;
  }

  const WriteFn write_;
  const Options options_;
  mutable std::mutex mu_;
  std::condition_variable linger_, drained_;
  std::deque<T> queue_;           // guarded by mu_
  bool stopping_ = false;         // guarded by mu_
  bool busy_ = false;             // a batch is being written; guarded by mu_
  int flushing_ = 0;              // callers waiting in Flush(); guarded by mu_
  bool idle_ = true;              // the writer waits for records; guarded by mu_
  int64_t dropped_ = 0;           // guarded by mu_
  int64_t dropped_reported_ = 0;  // guarded by mu_
  // A polling writer's next write, unless flushed; guarded by mu_.
  std::chrono::steady_clock::time_point next_poll_ =
      std::chrono::steady_clock::now() + options_.poll;
  BackgroundWorker worker_;  // last: its thread starts once everything above exists
};

}  // namespace vigil

#endif  // VIGIL_STORE_BATCH_WRITER_H_
