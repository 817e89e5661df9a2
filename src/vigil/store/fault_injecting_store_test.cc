#include "vigil/store/fault_injecting_store.h"

#include <gtest/gtest.h>

#include <chrono>

#include "vigil/store/store_contract_test.h"
#include "vigil/testing/temp_dir.h"

namespace vigil {
namespace {

using namespace contract;  // NOLINT: the suites' shared fixtures

class FaultInjectingStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto inner = OpenStore("sqlite:" + dir_.File("v.db"));
    ASSERT_TRUE(inner) << inner.error().ToString();
    store_ = std::make_unique<FaultInjectingStore>(std::move(*inner));
  }
  int64_t Subjects() { return (*store_->BeginRead())->reporting().Counts()->subjects; }

  testutil::TempDir dir_;
  std::unique_ptr<FaultInjectingStore> store_;
};

TEST_F(FaultInjectingStoreTest, TheNthWriteFailsAndOnlyIt) {
  store_->plan().FailNthWrite(2);
  auto w = store_->BeginWrite();
  ASSERT_TRUE(w);
  ASSERT_TRUE((*w)->custody().InsertSubject(MakeSubject("111111111")));
  auto second = (*w)->custody().InsertSubject(MakeSubject("222222222"));
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code(), ErrorCode::kUnavailable);
  EXPECT_NE(second.error().message().find("injected fault: InsertSubject"), std::string::npos);
  ASSERT_TRUE((*w)->custody().InsertSubject(MakeSubject("333333333")));
  ASSERT_TRUE((*w)->Commit());
  EXPECT_EQ(Subjects(), 2);
  EXPECT_EQ(store_->plan().writes(), 3);
  EXPECT_EQ(store_->plan().injected(), 1);
}

TEST_F(FaultInjectingStoreTest, AFailedCommitRollsBack) {
  store_->plan().FailNthCommit(1);
  {
    auto w = store_->BeginWrite();
    ASSERT_TRUE((*w)->custody().InsertSubject(MakeSubject("111111111")));
    auto c = (*w)->Commit();
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().code(), ErrorCode::kUnavailable);
  }
  EXPECT_EQ(Subjects(), 0);
  auto w = store_->BeginWrite();
  ASSERT_TRUE(w) << "the store is writable after a failed commit";
  ASSERT_TRUE((*w)->custody().InsertSubject(MakeSubject("111111111")));
  ASSERT_TRUE((*w)->Commit());
  EXPECT_EQ(Subjects(), 1);
}

TEST_F(FaultInjectingStoreTest, ANamedOperationFailsAsManyTimesAsPlanned) {
  store_->plan().FailOperation("BeginRead", 2);
  EXPECT_FALSE(store_->BeginRead());
  EXPECT_FALSE(store_->BeginRead());
  ASSERT_TRUE(store_->BeginRead());
  store_->plan().FailOperation("GetSubjects");
  auto r = store_->BeginRead();
  for (int i = 0; i < 3; ++i) EXPECT_FALSE((*r)->custody().GetSubject(1));
  EXPECT_TRUE((*r)->custody().GetSubjectByANumber(*ANumber::Parse("111111111")));
  store_->plan().Clear();
  EXPECT_TRUE((*r)->custody().GetSubject(1));
  EXPECT_EQ(store_->plan().Calls("GetSubjects"), 4);
  EXPECT_EQ(store_->plan().Calls("BeginRead"), 4);
}

TEST_F(FaultInjectingStoreTest, LatencyIsAddedToEveryOperation) {
  store_->plan().SetLatency(std::chrono::milliseconds(20));
  auto r = store_->BeginRead();
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE((*r)->custody().GetSubject(1));
  ASSERT_TRUE((*r)->reporting().Counts());
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(40));
}

}  // namespace
}  // namespace vigil
