#include "vigil/custody/takedown.h"

#include <gtest/gtest.h>

#include "vigil/store/fault_injecting_store.h"
#include "vigil/testing/temp_dir.h"

namespace vigil::custody {
namespace {

const Timestamp kNow = *ParseRfc3339("2026-11-22T12:00:00Z");

class TakedownTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto inner = OpenStore("sqlite:" + dir_.File("v.db"));
    ASSERT_TRUE(inner) << inner.error().ToString();
    store_ = std::make_unique<FaultInjectingStore>(std::move(*inner));
    auto w = store_->BeginWrite();
    ASSERT_TRUE(w);
    // Person 1 has an active and a pending registration, a queued notice
    // and a queued verification; person 2 has an active registration.
    int64_t reg = 0;
    for (auto [subject, index, state] : {std::tuple{1, "a", RegistrationState::kActive},
                                         std::tuple{1, "b", RegistrationState::kPending},
                                         std::tuple{2, "c", RegistrationState::kActive}}) {
      Registration r;
      r.subject_id = subject;
      r.contact_sealed = "sealed";
      r.contact_index = index;
      r.state = state;
      r.created_at = kNow;
      auto id = (*w)->registrations().InsertRegistration(r);
      ASSERT_TRUE(id);
      if (reg == 0) reg = *id;
    }
    for (auto [event, kind] : {std::pair<std::optional<int64_t>, const char*>{7, "transferred"},
                               {std::nullopt, "verify"}}) {
      Notification n;
      n.event_pk = event;
      n.registration_id = reg;
      n.kind = kind;
      n.due_at = n.created_at = n.updated_at = kNow;
      ASSERT_TRUE((*w)->outbox().InsertNotification(n));
    }
    ASSERT_TRUE((*w)->Commit());
  }

  int64_t Live(int64_t subject) {
    return *(*store_->BeginRead())->registrations().CountLiveRegistrationsOfSubject(subject);
  }
  int64_t Queued() {
    auto reader = store_->BeginRead();
    const auto counts = *(*reader)->outbox().NotificationStateCounts();
    for (const auto& [state, n] : counts) {
      if (state == "created") return n;
    }
    return 0;
  }

  testutil::TempDir dir_;
  std::unique_ptr<FaultInjectingStore> store_;
};

TEST_F(TakedownTest, CancelsEverythingQueuedAndSuspendsEveryLiveRegistration) {
  auto w = store_->BeginWrite();
  auto counts = Takedown(**w, 1, kNow);
  ASSERT_TRUE(counts) << counts.error().ToString();
  EXPECT_EQ(counts->cancelled_notifications, 2) << "the verification too";
  EXPECT_EQ(counts->suspended_registrations, 2);
  ASSERT_TRUE((*w)->Commit());
  EXPECT_EQ(Live(1), 0);
  EXPECT_EQ(Live(2), 1) << "another person's registrations are untouched";
  EXPECT_EQ(Queued(), 0);
}

TEST_F(TakedownTest, AStoreFailureAtAnyStepLeavesEverythingAsItWas) {
  // Fail each of the takedown's writes in turn, then its commit.
  for (int step = 1; step <= 3; ++step) {
    SCOPED_TRACE(step);
    store_->plan().Clear();
    if (step < 3) {
      store_->plan().FailNthWrite(step);
    } else {
      store_->plan().FailNthCommit(1);
    }
    {
      auto w = store_->BeginWrite();
      ASSERT_TRUE(w);
      auto counts = Takedown(**w, 1, kNow);
      if (counts) {
        ASSERT_FALSE((*w)->Commit());
      } else {
        EXPECT_EQ(counts.error().code(), ErrorCode::kUnavailable);
      }
    }
    EXPECT_EQ(Live(1), 2);
    EXPECT_EQ(Queued(), 2);
  }
  store_->plan().Clear();
  auto w = store_->BeginWrite();
  ASSERT_TRUE(Takedown(**w, 1, kNow));
  ASSERT_TRUE((*w)->Commit());
  EXPECT_EQ(Live(1), 0);
}

}  // namespace
}  // namespace vigil::custody
