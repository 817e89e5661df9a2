#include "vigil/store/store_contract_test.h"

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

}  // namespace
}  // namespace vigil
