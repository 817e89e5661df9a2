// One thread that runs a step again and again until stopped: the loops in
// vigil (the dispatcher, the index follower, the stalking alerter, the
// registration intake, the checkpointer, the server's periodic jobs) are
// these, so starting, stopping, waking and backing off after failures work
// the same everywhere; store/batch_writer.h's writer is one too.
//
// A step says what it did: kIdle (nothing to do: wait `interval`, or until
// Wake()), kMore (run again at once), or an error (logged once per distinct
// message, then waited out with a backoff that doubles from `interval` up
// to `max_backoff`, and reset by the next success).
//
// Thread-safe: Wake() and Stop() may be called from any thread; Stop() is
// idempotent and is also called by the destructor, which must therefore run
// before anything the step uses is destroyed (declare the worker last).
#ifndef VIGIL_CORE_BACKGROUND_WORKER_H_
#define VIGIL_CORE_BACKGROUND_WORKER_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "vigil/core/error.h"
#include "vigil/core/logger.h"

namespace vigil {

class BackgroundWorker {
 public:
  enum class Step { kIdle, kMore };
  using StepFn = std::function<Result<Step>()>;

  struct Options {
    std::string name;  // what the thread does, for log lines ("notifications")
    std::chrono::milliseconds interval{1000};
    // After a failure: interval, 2x, 4x, ... up to this. Below `interval`
    // means no backoff (retry every interval).
    std::chrono::milliseconds max_backoff{0};
    Logger logger = Logger::For("worker");
    // The thread's name for the operating system (`top -H`; at most 15
    // bytes, core/thread_name.h); empty: `name`, cut to fit.
    std::string thread_name = "";
  };

  BackgroundWorker(Options options, StepFn step);
  ~BackgroundWorker();
  BackgroundWorker(const BackgroundWorker&) = delete;
  BackgroundWorker& operator=(const BackgroundWorker&) = delete;

  // Starts the thread (the first step runs at once); no-op when running.
  void Start();
  // Runs the next step now instead of after the wait. No-op when stopped.
  void Wake();
  // Lets the running step finish, then ends the thread. Idempotent.
  void Stop();

  bool running() const;
  // Failed steps since the last success.
  int64_t consecutive_failures() const;

 private:
  void Run();

  const Options options_;
  const StepFn step_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mu_
  bool woken_ = false;     // guarded by mu_
  int64_t failures_ = 0;   // guarded by mu_
  std::thread thread_;
};

}  // namespace vigil

#endif  // VIGIL_CORE_BACKGROUND_WORKER_H_
