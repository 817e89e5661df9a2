#include "vigil/store/store_contract_test.h"

#include <atomic>
#include <chrono>
#include <thread>

namespace vigil {
namespace {

using namespace contract;  // NOLINT: the suites' shared fixtures

TEST_P(StoreContractTest, UncommittedWritesVanish) {
  {
    auto w = store_->BeginWrite();
    ASSERT_TRUE(w);
    ASSERT_TRUE((*w)->custody().PutFacility(Adelanto()));
    ASSERT_TRUE((*w)->custody().InsertSubject(MakeSubject("012345678")));
  }
  auto r = store_->BeginRead();
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)->reporting().Counts()->facilities, 0);
  EXPECT_EQ((*r)->reporting().Counts()->subjects, 0);
}

TEST_P(StoreContractTest, ReadersSeeASnapshot) {
  auto r = store_->BeginRead();
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)->reporting().Counts()->subjects, 0);
  {
    auto w = store_->BeginWrite();
    ASSERT_TRUE((*w)->custody().InsertSubject(MakeSubject("012345678")));
    ASSERT_TRUE((*w)->Commit());
  }
  EXPECT_EQ((*r)->reporting().Counts()->subjects, 0) << "a reader saw a commit made after it began";
  auto fresh = store_->BeginRead();
  EXPECT_EQ((*fresh)->reporting().Counts()->subjects, 1);
}

TEST_P(StoreContractTest, WritersQueueAcrossThreads) {
  constexpr int kThreads = 4, kPerThread = 25;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto w = store_->BeginWrite();
        ASSERT_TRUE(w) << w.error().ToString();
        char a[16];
        std::snprintf(a, sizeof a, "1%02d%06d", t, i);
        ASSERT_TRUE((*w)->custody().InsertSubject(MakeSubject(a)));
        ASSERT_TRUE((*w)->Commit());
      }
    });
  }
  for (auto& th : threads) th.join();
  auto r = store_->BeginRead();
  EXPECT_EQ((*r)->reporting().Counts()->subjects, kThreads * kPerThread);
}

TEST_P(StoreContractTest, CommitEndsTheTransaction) {
  auto w = store_->BeginWrite();
  ASSERT_TRUE((*w)->Commit());
  auto again = (*w)->Commit();
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), ErrorCode::kInternal);
  EXPECT_FALSE((*w)->custody().PutFacility(Adelanto()));
  // The store is still writable afterwards.
  w->reset();
  auto next = store_->BeginWrite();
  ASSERT_TRUE(next);
  ASSERT_TRUE((*next)->custody().PutFacility(Adelanto()));
  ASSERT_TRUE((*next)->Commit());
}

// A change committed by another process (here a second store opened on the
// same database) reaches a follower of this one: through its subscription
// when the backend has them (called soon, never for a rollback), and in
// every backend through the change log a follower reads to catch up.
TEST_P(StoreContractTest, AnotherProcesssCommitReachesAFollower) {
  auto other = GetParam().open(dir_.path().string());
  ASSERT_TRUE(other) << other.error().ToString();
  std::atomic<int> heard{0};
  auto subscription = store_->Subscribe(StoreTopic::kSubjects, [&] { ++heard; });
  auto settle = [&](int at_least) {
    for (int i = 0; i < 250 && heard.load() < at_least; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  };
  if (subscription) settle(1);  // a backend may call once when it starts hearing
  const int before = heard.load();
  const int64_t seen = *(*store_->BeginRead())->custody().LatestSubjectChange();
  {
    auto w = (*other)->BeginWrite();
    ASSERT_TRUE(w);
    ASSERT_TRUE((*w)->custody().InsertSubject(MakeSubject("012345671")));
  }  // rolled back
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(heard.load(), before) << "a rollback was heard";
  {
    auto w = (*other)->BeginWrite();
    ASSERT_TRUE(w);
    ASSERT_TRUE((*w)->custody().InsertSubject(MakeSubject("012345672")));
    ASSERT_TRUE((*w)->Commit());
  }
  if (subscription) {
    settle(before + 1);
    EXPECT_GT(heard.load(), before) << "a commit elsewhere was not heard";
  } else {
    EXPECT_EQ(heard.load(), 0) << "no subscription, yet called";
  }
  auto changes = (*store_->BeginRead())->custody().SubjectChangesSince(seen, 10);
  ASSERT_TRUE(changes);
  EXPECT_EQ(changes->size(), 1u);
}

}  // namespace
}  // namespace vigil
