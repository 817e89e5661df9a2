// Time as vigil sees it: a Timestamp type and the injectable Clock.
//
// Everything that depends on "now" (age of a subject, retention windows,
// retry schedules) asks a Clock passed in by its owner, so tests can move
// time. SystemClock is thread-safe; ManualClock is thread-safe too (atomic).
#ifndef VIGIL_CORE_CLOCK_H_
#define VIGIL_CORE_CLOCK_H_

#include <atomic>
#include <chrono>
#include <cstdint>

namespace vigil {

// Microseconds since the Unix epoch, UTC.
using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

inline int64_t ToUnixMicros(Timestamp t) { return t.time_since_epoch().count(); }
inline Timestamp FromUnixMicros(int64_t micros) {
  return Timestamp(std::chrono::microseconds(micros));
}

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp Now() const override {
    return std::chrono::time_point_cast<std::chrono::microseconds>(
        std::chrono::system_clock::now());
  }
};

// A clock that only moves when told to. For tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start) : micros_(ToUnixMicros(start)) {}
  Timestamp Now() const override { return FromUnixMicros(micros_.load()); }
  void Set(Timestamp t) { micros_.store(ToUnixMicros(t)); }
  void Advance(std::chrono::microseconds d) { micros_.fetch_add(d.count()); }

 private:
  std::atomic<int64_t> micros_;
};

}  // namespace vigil

#endif  // VIGIL_CORE_CLOCK_H_
