#include "vigil/http/rate_limit.h"

#include <gtest/gtest.h>

namespace vigil::http {
namespace {

TEST(RateLimiter, AllowsABurstThenRefillsPerClient) {
  ManualClock clock(FromUnixMicros(0));
  RateLimiter limiter(30, &clock);
  std::chrono::seconds retry{0};
  for (int i = 0; i < 30; ++i) EXPECT_TRUE(limiter.Allow("10.0.0.1", &retry)) << i;
  EXPECT_FALSE(limiter.Allow("10.0.0.1", &retry));
  EXPECT_EQ(retry, std::chrono::seconds(2));  // one token every 2 s at 30/min
  EXPECT_TRUE(limiter.Allow("10.0.0.2", &retry)) << "clients have separate buckets";
  clock.Advance(std::chrono::seconds(2));
  EXPECT_TRUE(limiter.Allow("10.0.0.1", &retry));
  EXPECT_FALSE(limiter.Allow("10.0.0.1", &retry));
  clock.Advance(std::chrono::minutes(5));
  for (int i = 0; i < 30; ++i) EXPECT_TRUE(limiter.Allow("10.0.0.1", &retry)) << i;
  EXPECT_FALSE(limiter.Allow("10.0.0.1", &retry)) << "the bucket never holds more than a minute's worth";
}

TEST(RateLimiter, ZeroDisables) {
  ManualClock clock(FromUnixMicros(0));
  RateLimiter limiter(0, &clock);
  std::chrono::seconds retry{0};
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(limiter.Allow("x", &retry));
}

}  // namespace
}  // namespace vigil::http
