#include "vigil/http/rate_limit.h"

#include <algorithm>
#include <cmath>

namespace vigil::http {

RateLimiter::RateLimiter(int64_t per_period, const Clock* clock, std::chrono::seconds period)
    : per_period_(per_period), period_(period), clock_(clock), last_sweep_(clock->Now()) {}

bool RateLimiter::Allow(const std::string& client, std::chrono::seconds* retry_after) {
  if (per_period_ <= 0) return true;
  const double capacity = static_cast<double>(per_period_);
  const double per_second = capacity / static_cast<double>(period_.count());
  Timestamp now = clock_->Now();
  std::lock_guard<std::mutex> lock(mu_);
  if (now - last_sweep_ > std::chrono::minutes(1)) {
    // A bucket untouched for a period is full again: forgetting it changes nothing.
    for (auto it = buckets_.begin(); it != buckets_.end();) {
      it = now - it->second.updated > period_ ? buckets_.erase(it) : std::next(it);
    }
    last_sweep_ = now;
  }
  auto [it, fresh] = buckets_.try_emplace(client, Bucket{capacity, now});
  Bucket& b = it->second;
  if (!fresh) {
    double elapsed = std::chrono::duration<double>(now - b.updated).count();
    b.tokens = std::min(capacity, b.tokens + std::max(0.0, elapsed) * per_second);
    b.updated = now;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return true;
  }
  double wait = (1.0 - b.tokens) / per_second;
  *retry_after = std::chrono::seconds(std::max<int64_t>(1, static_cast<int64_t>(std::ceil(wait))));
  return false;
}

}  // namespace vigil::http
