#include "vigil/core/background_worker.h"

#include <algorithm>
#include <utility>

#include "vigil/core/thread_name.h"

namespace vigil {

BackgroundWorker::BackgroundWorker(Options options, StepFn step)
    : options_(std::move(options)), step_(std::move(step)) {}

BackgroundWorker::~BackgroundWorker() { Stop(); }

void BackgroundWorker::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Run(); });
}

void BackgroundWorker::Wake() {
  std::lock_guard<std::mutex> lock(mu_);
  woken_ = true;
  wake_.notify_all();
}

void BackgroundWorker::Stop() {
  std::thread thread;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    thread = std::move(thread_);
  }
  wake_.notify_all();
  if (thread.joinable()) thread.join();
}

bool BackgroundWorker::running() const {
  std::lock_guard<std::mutex> lock(mu_);
  return thread_.joinable() && !stopping_;
}

int64_t BackgroundWorker::consecutive_failures() const {
  std::lock_guard<std::mutex> lock(mu_);
  return failures_;
}

void BackgroundWorker::Run() {
  NameThisThread(options_.thread_name.empty() ? options_.name : options_.thread_name);
  std::string last_error;
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    woken_ = false;
    lock.unlock();
    Result<Step> r = step_();
    lock.lock();
    std::chrono::milliseconds wait{0};
    if (r) {
      if (failures_ > 0 && !last_error.empty()) {
        options_.logger.Info(options_.name + " recovered",
                             {{"after_failures", std::to_string(failures_)}});
      }
      failures_ = 0;
      last_error.clear();
      if (*r == Step::kMore) continue;
      wait = options_.interval;
    } else {
      ++failures_;
      if (r.error().message() != last_error) {
        last_error = r.error().message();
        options_.logger.Warn(options_.name + " failed (will retry): " + last_error,
                             {{"failures", std::to_string(failures_)}});
      }
      wait = options_.interval;
      for (int64_t i = 1; i < failures_ && wait < options_.max_backoff; ++i) wait *= 2;
      wait = std::max(options_.interval, std::min(wait, options_.max_backoff));
    }
    wake_.wait_for(lock, wait, [&] { return stopping_ || woken_; });
  }
}

}  // namespace vigil
