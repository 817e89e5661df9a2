// Per-client token buckets for request rate limits (DESIGN.md §7 [limits]).
//
// Each client (by address) has a bucket of `per_period` tokens, refilled
// continuously over `period` (a minute for searches, an hour for
// registrations); a request takes one. Buckets of clients idle long enough to
// be full again are forgotten, so memory is bounded by recent clients.
// Thread-safe (one mutex; the work under it is a hash lookup).
#ifndef VIGIL_HTTP_RATE_LIMIT_H_
#define VIGIL_HTTP_RATE_LIMIT_H_

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "vigil/core/clock.h"

namespace vigil::http {

class RateLimiter {
 public:
  // `per_period` == 0 disables the limit. `clock` is not owned and must
  // outlive the limiter.
  RateLimiter(int64_t per_period, const Clock* clock,
              std::chrono::seconds period = std::chrono::minutes(1));

  // Takes a token for `client`. Returns true if the request may proceed;
  // otherwise false and *retry_after is how long until a token is back
  // (at least one second).
  bool Allow(const std::string& client, std::chrono::seconds* retry_after);

 private:
  struct Bucket {
    double tokens;
    Timestamp updated;
  };
  int64_t per_period_;
  std::chrono::seconds period_;
  const Clock* clock_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;  // guarded by mu_
  Timestamp last_sweep_;                             // guarded by mu_
};

}  // namespace vigil::http

#endif  // VIGIL_HTTP_RATE_LIMIT_H_
