#include "vigil/core/background_worker.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <tuple>

#include "vigil/core/thread_name.h"

namespace vigil {
namespace {

using std::chrono::milliseconds;

bool WaitUntil(const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(milliseconds(1));
  }
  return true;
}

TEST(BackgroundWorkerTest, RunsAtOnceThenEveryIntervalAndStops) {
  std::atomic<int> steps{0};
  BackgroundWorker w({"test", milliseconds(20)}, [&]() -> Result<BackgroundWorker::Step> {
    ++steps;
    return BackgroundWorker::Step::kIdle;
  });
  w.Start();
  ASSERT_TRUE(WaitUntil([&] { return steps >= 3; }));
  EXPECT_TRUE(w.running());
  w.Stop();
  const int after = steps;
  std::this_thread::sleep_for(milliseconds(60));
  EXPECT_EQ(steps, after) << "no step after Stop";
  EXPECT_FALSE(w.running());
  w.Stop();  // idempotent
}

TEST(BackgroundWorkerTest, WakeRunsTheNextStepWithoutWaiting) {
  std::atomic<int> steps{0};
  BackgroundWorker w({"test", std::chrono::hours(1)}, [&]() -> Result<BackgroundWorker::Step> {
    ++steps;
    return BackgroundWorker::Step::kIdle;
  });
  w.Start();
  ASSERT_TRUE(WaitUntil([&] { return steps == 1; }));
  w.Wake();
  ASSERT_TRUE(WaitUntil([&] { return steps == 2; }));
  w.Stop();
}

TEST(BackgroundWorkerTest, MoreRunsAgainAtOnce) {
  std::atomic<int> steps{0};
  BackgroundWorker w({"test", std::chrono::hours(1)}, [&]() -> Result<BackgroundWorker::Step> {
    return ++steps < 100 ? BackgroundWorker::Step::kMore : BackgroundWorker::Step::kIdle;
  });
  w.Start();
  ASSERT_TRUE(WaitUntil([&] { return steps == 100; }));
  w.Stop();
}

TEST(BackgroundWorkerTest, FailuresBackOffAreLoggedOnceAndRecover) {
  Logger::Capture capture;
  std::atomic<int> steps{0};
  std::vector<std::chrono::steady_clock::time_point> at;
  std::mutex mu;
  BackgroundWorker w({"the test loop", milliseconds(10), milliseconds(80), Logger::For("test")},
                     [&]() -> Result<BackgroundWorker::Step> {
                       {
                         std::lock_guard<std::mutex> lock(mu);
                         at.push_back(std::chrono::steady_clock::now());
                       }
                       if (++steps <= 5) return Unavailable("disk I/O error");
                       return BackgroundWorker::Step::kIdle;
                     });
  w.Start();
  ASSERT_TRUE(WaitUntil([&] { return steps >= 6; }));
  w.Stop();
  EXPECT_EQ(w.consecutive_failures(), 0);
  // Waits after failures 1..5: 10, 20, 40, 80, 80 ms (doubling, capped).
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_GE(at[4] - at[3], milliseconds(75));
  EXPECT_GE(at[3] - at[2], milliseconds(35));
  int warned = 0, recovered = 0;
  for (const auto& line : capture.lines()) {
    if (line.find("warning test: the test loop failed (will retry): disk I/O error") !=
        std::string::npos) {
      ++warned;
    }
    if (line.find("the test loop recovered after_failures=5") != std::string::npos) ++recovered;
  }
  EXPECT_EQ(warned, 1) << "the same error is logged once";
  EXPECT_EQ(recovered, 1);
}

TEST(LoggerTest, LinesCarryComponentRequestAndQuotedFields) {
  Logger::Capture capture;
  Logger::For("http").WithRequest("r-1").Info("answered", {{"status", "200"}, {"path", "/a b"}});
  auto lines = capture.lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find(" info http: answered request=r-1 status=200 path=\"/a b\""),
            std::string::npos)
      << lines[0];
  EXPECT_EQ(lines[0].find('\n'), std::string::npos);
  Logger::For("x").Debug("not shown at the default level");
  EXPECT_EQ(capture.lines().size(), 1u);
}

// Each loop is a thread named for what it does, for `top -H`.
TEST(BackgroundWorkerTest, TheStepRunsOnAThreadNamedForTheWork) {
  for (auto [name, thread_name, expected] :
       {std::tuple{"writing audit entries", "audit-writer", "audit-writer"},
        std::tuple{"notifications", "", "notifications"},
        std::tuple{"following the store", "", "following the s"}}) {
    SCOPED_TRACE(name);
    std::mutex mu;
    std::string seen;
    BackgroundWorker::Options options{name, milliseconds(1000)};
    options.thread_name = thread_name;
    BackgroundWorker w(options, [&]() -> Result<BackgroundWorker::Step> {
      std::lock_guard<std::mutex> lock(mu);
      seen = ThisThreadName();
      return BackgroundWorker::Step::kIdle;
    });
    w.Start();
    ASSERT_TRUE(WaitUntil([&] {
      std::lock_guard<std::mutex> lock(mu);
      return !seen.empty();
    }));
    w.Stop();
    EXPECT_EQ(seen, expected);
  }
}

}  // namespace
}  // namespace vigil
