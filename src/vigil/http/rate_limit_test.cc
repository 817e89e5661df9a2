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

// Registrations: five an hour means five, then one every twelve minutes.
TEST(RateLimiter, AnHourlyAllowanceIsAnHourlyBucket) {
  ManualClock clock(FromUnixMicros(0));
  RateLimiter limiter(5, &clock, std::chrono::hours(1));
  std::chrono::seconds retry{0};
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(limiter.Allow("10.0.0.1", &retry)) << i;
  EXPECT_FALSE(limiter.Allow("10.0.0.1", &retry));
  EXPECT_EQ(retry, std::chrono::minutes(12));
  clock.Advance(std::chrono::minutes(11));
  EXPECT_FALSE(limiter.Allow("10.0.0.1", &retry));
  clock.Advance(std::chrono::minutes(1));
  EXPECT_TRUE(limiter.Allow("10.0.0.1", &retry));
  // Idle for two hours (and swept meanwhile): a full five again, no more.
  clock.Advance(std::chrono::hours(2));
  EXPECT_TRUE(limiter.Allow("10.0.0.2", &retry));  // triggers the sweep
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(limiter.Allow("10.0.0.1", &retry)) << i;
  EXPECT_FALSE(limiter.Allow("10.0.0.1", &retry));
}

TEST(RateLimiter, ZeroDisables) {
  ManualClock clock(FromUnixMicros(0));
  RateLimiter limiter(0, &clock);
  std::chrono::seconds retry{0};
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(limiter.Allow("x", &retry));
}

}  // namespace
}  // namespace vigil::http
