// One line per answered HTTP request, for operators.
//
// A line records the route *pattern* that matched, never the raw path or
// query string: those can carry names and A-numbers. Example:
//   2026-11-01T14:03:00.120431Z id=4f1c9a0b7d2e6f18 client=127.0.0.1
//   method=GET route=/api/v1/search status=200 bytes=512 us=830
// (one line; wrapped here). An empty route is written as "-".
//
// Thread safety: Record() and set_enabled() may be called from any number of
// threads concurrently; each line is written whole, with one write(2) to the
// stream's descriptor (the stream's own buffer is bypassed: it is flushed
// once, on construction).
#ifndef VIGIL_HTTP_ACCESS_LOG_H_
#define VIGIL_HTTP_ACCESS_LOG_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

#include "vigil/core/clock.h"

namespace vigil::http {

struct AccessLogEntry {
  std::string_view request_id;
  std::string_view client_address;
  std::string_view method;
  std::string_view route;  // the matched pattern, or "" when none matched
  unsigned status = 0;
  uint64_t response_bytes = 0;  // bytes written: status line, headers, body
  std::chrono::microseconds duration{0};
};

class AccessLog {
 public:
  // Writes to `out` (not owned; must outlive this log; stderr if null) with
  // timestamps from `clock` (not owned; must outlive this log; the system
  // clock if null).
  explicit AccessLog(std::FILE* out = nullptr, const Clock* clock = nullptr);
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  // Writes one line for `entry`, unless disabled. Write errors are ignored:
  // the access log never fails a request.
  void Record(const AccessLogEntry& entry);

  // A disabled log writes nothing. Enabled on construction.
  void set_enabled(bool enabled) { enabled_.store(enabled); }
  bool enabled() const { return enabled_.load(); }

  // Lines as JSON objects (FormatJsonLine) rather than text (--log-format json).
  void set_json(bool json) { json_.store(json); }

  // The line Record() would write at time `now`, without the newline.
  static std::string FormatLine(Timestamp now, const AccessLogEntry& entry);
  // The same as one JSON object: time, level, component "http", id,
  // client, method, route, status, bytes, us.
  static std::string FormatJsonLine(Timestamp now, const AccessLogEntry& entry);

 private:
  std::FILE* const out_;
  const int fd_;  // out_'s descriptor, written directly; -1: none (memory streams)
  SystemClock system_clock_;
  const Clock* const clock_;
  std::atomic<bool> json_{false};
  std::atomic<bool> enabled_{true};
  std::mutex mu_;  // serialises writes to out_ when it has no descriptor
};

}  // namespace vigil::http

#endif  // VIGIL_HTTP_ACCESS_LOG_H_
