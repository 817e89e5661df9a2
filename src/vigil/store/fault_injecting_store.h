// A Store that wraps another and makes it fail on purpose, after the idea of
// leveldb's EnvWrapper: every operation of every part passes through a
// FaultPlan, which can fail the Nth write, the Nth commit, or every call of
// a named operation, count calls, and add latency. With an empty plan it is
// a faithful pass-through (the contract suites run against it to prove so).
//
// For tests: of the importer, the outbox and takedowns, and of anything that
// must fail closed or lose nothing when the store fails under it.
#ifndef VIGIL_STORE_FAULT_INJECTING_STORE_H_
#define VIGIL_STORE_FAULT_INJECTING_STORE_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "vigil/store/store.h"

namespace vigil {

// What an operation does, for counting writes.
enum class StoreAccess { kRead, kWrite, kBegin };

// What to break, and what was called. Thread-safe: one plan serves a store
// and every transaction it hands out. Injected failures are kUnavailable
// with a message that starts "injected fault:".
class FaultPlan {
 public:
  // The nth write operation from now (1: the next one) fails.
  void FailNthWrite(int64_t n);
  // The nth Commit() from now fails; the transaction is rolled back.
  void FailNthCommit(int64_t n);
  // The next `times` calls of `operation` — a method name such as
  // "GetSubjects", or "BeginRead", "BeginWrite", "Commit" — fail; with
  // times < 0, every call until Clear().
  void FailOperation(std::string operation, int times = -1);
  // Every operation first sleeps this long.
  void SetLatency(std::chrono::microseconds latency);
  // Forgets every planned fault (counts are kept).
  void Clear();

  int64_t Calls(std::string_view operation) const;
  int64_t writes() const;
  int64_t commits() const;
  int64_t injected() const;

  // Called by the wrapper before each operation.
  Result<void> Before(std::string_view operation, StoreAccess access);

 private:
  mutable std::mutex mu_;
  std::map<std::string, int64_t, std::less<>> calls_;
  std::map<std::string, int, std::less<>> failing_;
  int64_t fail_write_at_ = 0;   // writes_ value that fails; 0: none
  int64_t fail_commit_at_ = 0;  // commits_ value that fails; 0: none
  int64_t writes_ = 0;
  int64_t commits_ = 0;
  int64_t injected_ = 0;
  std::chrono::microseconds latency_{0};
};

class FaultInjectingStore final : public Store {
 public:
  explicit FaultInjectingStore(std::unique_ptr<Store> inner,
                               std::shared_ptr<FaultPlan> plan = std::make_shared<FaultPlan>());

  FaultPlan& plan() { return *plan_; }

  Result<std::unique_ptr<StoreReader>> BeginRead() override;
  Result<std::unique_ptr<StoreTransaction>> BeginWrite() override;
  std::unique_ptr<StoreSubscription> Subscribe(StoreTopic topic,
                                               std::function<void()> on_change) override {
    return inner_->Subscribe(topic, std::move(on_change));
  }

 private:
  std::unique_ptr<Store> inner_;
  std::shared_ptr<FaultPlan> plan_;
};

}  // namespace vigil

#endif  // VIGIL_STORE_FAULT_INJECTING_STORE_H_
