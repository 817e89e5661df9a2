#include "vigil/store/store_contract_test.h"

namespace vigil {
namespace {

using namespace contract;  // NOLINT: the suites' shared fixtures

// The outbox state machine for a gateway that reports delivery later:
// only a 'sent' row takes a receipt; one whose receipt never comes settles.
TEST_P(OutboxContractTest, ReceiptsChangeOnlySentNotificationsAndStaleOnesSettle) {
  const Timestamp t0 = *ParseRfc3339("2026-11-22T12:00:00Z");
  auto w = store_->BeginWrite();
  ASSERT_TRUE(w);
  auto reg = (*w)->registrations().InsertRegistration(
      MakeRegistration(1, "index-1", RegistrationState::kActive));
  ASSERT_TRUE(reg) << reg.error().ToString();
  std::vector<int64_t> ids;
  for (int64_t event = 1; event <= 3; ++event) {
    auto id = (*w)->outbox().InsertNotification(MakeNotification(event, *reg, "transferred", t0));
    ASSERT_TRUE(id && *id);
    ids.push_back(**id);
  }
  auto claimed = (*w)->outbox().ClaimDueNotifications(t0, t0 + std::chrono::minutes(1), 10);
  ASSERT_TRUE(claimed);
  ASSERT_EQ(claimed->size(), 3u);
  for (int64_t id : ids) {
    ASSERT_TRUE(
        *(*w)->outbox().FinishNotification(id, 1, NotificationState::kSent, t0, t0, "taken"));
  }
  // 'sent' is neither due nor cancellable: it is out of our hands.
  EXPECT_TRUE((*w)->outbox().ClaimDueNotifications(t0 + std::chrono::hours(1), t0, 10)->empty());
  EXPECT_EQ(*(*w)->outbox().CancelNotificationsOf(1, t0, true), 0);
  EXPECT_TRUE(
      *(*w)->outbox().RecordReceipt(ids[0], NotificationState::kDelivered, t0, t0, "handset"));
  EXPECT_FALSE(
      *(*w)->outbox().RecordReceipt(ids[0], NotificationState::kPermanentFailure, t0, t0, "late"));
  EXPECT_TRUE(*(*w)->outbox().RecordReceipt(ids[1], NotificationState::kTemporaryFailure, t0,
                                            t0 + std::chrono::minutes(5), "smsc"));
  EXPECT_FALSE((*w)->outbox().RecordReceipt(ids[2], NotificationState::kSending, t0, t0, "x"));
  // The third never hears back; a sweep after the timeout settles it.
  EXPECT_EQ(*(*w)->outbox().SettleUnreceipted(t0, t0, "no report"), 0);  // not older than t0
  EXPECT_EQ(*(*w)->outbox().SettleUnreceipted(t0 + std::chrono::seconds(1), t0, "no report"), 1);
  EXPECT_EQ((*(*w)->outbox().GetNotification(ids[0]))->state, NotificationState::kDelivered);
  EXPECT_EQ((*(*w)->outbox().GetNotification(ids[1]))->state, NotificationState::kTemporaryFailure);
  auto third = *(*w)->outbox().GetNotification(ids[2]);
  EXPECT_EQ(third->state, NotificationState::kDelivered);
  EXPECT_EQ(third->last_error, "no report");
  // The retried one is due again after its delay.
  EXPECT_EQ((*w)->outbox()
                .ClaimDueNotifications(t0 + std::chrono::minutes(5), t0 + std::chrono::hours(1), 10)
                ->size(),
            1u);
  ASSERT_TRUE((*w)->Commit());
}

// A report can outrun the sender's own record of the send: it settles the
// row, and the sender's FinishNotification then finds it settled.
TEST_P(OutboxContractTest, AReceiptThatOutrunsTheSenderWins) {
  const Timestamp t0 = *ParseRfc3339("2026-11-22T12:00:00Z");
  auto w = store_->BeginWrite();
  ASSERT_TRUE(w);
  Registration r =
      MakeRegistration(1, "index-1", RegistrationState::kActive, DeliveryChannel::kVoice);
  r.pin_hash = "pin-hash";
  auto reg = (*w)->registrations().InsertRegistration(r);
  ASSERT_TRUE(reg);
  EXPECT_EQ((**(*w)->registrations().GetRegistration(*reg)).pin_hash, "pin-hash");
  int64_t id = **(*w)->outbox().InsertNotification(MakeNotification(1, *reg, "released", t0));
  ASSERT_EQ((*w)->outbox().ClaimDueNotifications(t0, t0 + std::chrono::minutes(1), 10)->size(), 1u);
  EXPECT_TRUE(
      *(*w)->outbox().RecordReceipt(id, NotificationState::kAcknowledged, t0, t0, "PIN entered"));
  EXPECT_FALSE(
      *(*w)->outbox().FinishNotification(id, 1, NotificationState::kSent, t0, t0, "taken"));
  auto row = **(*w)->outbox().GetNotification(id);
  EXPECT_EQ(row.state, NotificationState::kAcknowledged);
  EXPECT_FALSE(row.lease_until.has_value());
  ASSERT_TRUE((*w)->Commit());
}

TEST_P(OutboxContractTest, AnEventQueuesOneNoticePerActiveRegistrationOnce) {
  const Timestamp t0 = T("2026-11-22T12:00:00Z");
  auto w = Write();
  auto& regs = w->registrations();
  const int64_t a = *regs.InsertRegistration(MakeRegistration(1, "a", RegistrationState::kActive));
  ASSERT_TRUE(regs.InsertRegistration(MakeRegistration(1, "b", RegistrationState::kPending)));
  Registration verified = MakeRegistration(1, "c", RegistrationState::kActive);
  verified.tier = RegistrationTier::kVerified;
  const int64_t c = *regs.InsertRegistration(verified);
  ASSERT_TRUE(regs.InsertRegistration(MakeRegistration(2, "d", RegistrationState::kActive)));
  auto& outbox = w->outbox();
  EXPECT_EQ(*outbox.QueueNotificationsForEvent(1, 100, "released", t0, false), 2);
  EXPECT_EQ(*outbox.QueueNotificationsForEvent(1, 100, "released", t0, false), 0) << "once";
  EXPECT_EQ(*outbox.QueueNotificationsForEvent(1, 101, "scheduled_release", t0, true), 1)
      << "advance notice only to verified registrants";
  ASSERT_TRUE(*w->controls().SetNotificationBlock(2, "court order", t0));
  EXPECT_EQ(*outbox.QueueNotificationsForEvent(2, 100, "released", t0, false), 0)
      << "nothing is queued about a blocked person";
  auto of_a = *outbox.NotificationsOfRegistration(a);
  ASSERT_EQ(of_a.size(), 1u);
  EXPECT_EQ(of_a[0].event_pk, 100);
  EXPECT_EQ(of_a[0].kind, "released");
  EXPECT_EQ(of_a[0].state, NotificationState::kCreated);
  EXPECT_EQ(of_a[0].due_at, t0);
  EXPECT_EQ(outbox.NotificationsOfRegistration(c)->size(), 2u);
  EXPECT_EQ(*outbox.NotificationStateCounts(),
            (std::vector<std::pair<std::string, int64_t>>{{"created", 3}}));
  auto depth = *outbox.NotificationDepth();  // all by text (MakeRegistration's default)
  ASSERT_EQ(depth.size(), 1u);
  EXPECT_EQ(depth[0].state, "created");
  EXPECT_EQ(depth[0].channel, "sms");
  EXPECT_EQ(depth[0].count, 3);
  auto n = MakeNotification(100, a, "released", t0);
  auto dup = outbox.InsertNotification(n);
  ASSERT_TRUE(dup);
  EXPECT_FALSE(dup->has_value()) << "one row per (event, registration)";
  ASSERT_TRUE(w->Commit());
}

TEST_P(OutboxContractTest, AClaimIsLeasedAndAnExpiredLeaseIsClaimedAgain) {
  const Timestamp t0 = T("2026-11-22T12:00:00Z");
  const auto minutes = [](int m) { return std::chrono::minutes(m); };
  auto w = Write();
  const int64_t reg =
      *w->registrations().InsertRegistration(MakeRegistration(1, "a", RegistrationState::kActive));
  auto& outbox = w->outbox();
  const int64_t id = **outbox.InsertNotification(MakeNotification(1, reg, "booked", t0));
  EXPECT_TRUE(outbox.ClaimDueNotifications(t0 - minutes(1), t0, 10)->empty()) << "not yet due";
  auto claimed = *outbox.ClaimDueNotifications(t0, t0 + minutes(1), 10);
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(claimed[0].notification_id, id);
  EXPECT_EQ(claimed[0].state, NotificationState::kSending);
  EXPECT_EQ(claimed[0].attempts, 1);
  EXPECT_EQ(claimed[0].lease_until, t0 + minutes(1));
  EXPECT_TRUE(outbox.ClaimDueNotifications(t0 + std::chrono::seconds(30), t0, 10)->empty())
      << "leased";
  claimed = *outbox.ClaimDueNotifications(t0 + minutes(2), t0 + minutes(3), 10);
  ASSERT_EQ(claimed.size(), 1u) << "its sender died: the lease expired";
  EXPECT_EQ(claimed[0].attempts, 2);
  EXPECT_FALSE(*outbox.FinishNotification(id, 1, NotificationState::kDelivered, t0, t0, ""))
      << "the first sender's record comes too late";
  EXPECT_TRUE(*outbox.FinishNotification(id, 2, NotificationState::kTemporaryFailure,
                                         t0 + minutes(2), t0 + minutes(10), "busy"));
  auto row = **outbox.GetNotification(id);
  EXPECT_EQ(row.state, NotificationState::kTemporaryFailure);
  EXPECT_EQ(row.last_error, "busy");
  EXPECT_EQ(row.due_at, t0 + minutes(10));
  EXPECT_TRUE(outbox.ClaimDueNotifications(t0 + minutes(5), t0 + minutes(6), 10)->empty());
  for (int i = 2; i <= 4; ++i) {
    ASSERT_TRUE(outbox.InsertNotification(MakeNotification(i, reg, "booked", t0)));
  }
  EXPECT_EQ(outbox.ClaimDueNotifications(t0 + minutes(10), t0 + minutes(11), 2)->size(), 2u)
      << "at most the limit";
  EXPECT_FALSE(outbox.GetNotification(id + 100)->has_value());
  ASSERT_TRUE(w->Commit());
}

TEST_P(OutboxContractTest, CancellingStopsWhatWasNotHandedOver) {
  const Timestamp t0 = T("2026-11-22T12:00:00Z");
  auto w = Write();
  const int64_t reg =
      *w->registrations().InsertRegistration(MakeRegistration(1, "a", RegistrationState::kActive));
  auto& outbox = w->outbox();
  const int64_t sent = **outbox.InsertNotification(MakeNotification(3, reg, "booked", t0));
  ASSERT_EQ(outbox.ClaimDueNotifications(t0, t0 + std::chrono::minutes(1), 10)->size(), 1u);
  ASSERT_TRUE(*outbox.FinishNotification(sent, 1, NotificationState::kSent, t0, t0, ""));
  const int64_t notice = **outbox.InsertNotification(MakeNotification(1, reg, "released", t0));
  const int64_t verify =
      **outbox.InsertNotification(MakeNotification(std::nullopt, reg, "verify", t0));
  EXPECT_EQ(*outbox.CancelNotificationsOf(1, t0, /*verifications=*/false), 1);
  EXPECT_EQ((**outbox.GetNotification(notice)).state, NotificationState::kCancelled);
  EXPECT_EQ((**outbox.GetNotification(verify)).state, NotificationState::kCreated);
  EXPECT_EQ(*outbox.CancelNotificationsOf(1, t0, /*verifications=*/true), 1);
  EXPECT_EQ((**outbox.GetNotification(verify)).state, NotificationState::kCancelled);
  EXPECT_EQ((**outbox.GetNotification(sent)).state, NotificationState::kSent)
      << "a peer has it already";
  EXPECT_TRUE(outbox.ClaimDueNotifications(t0 + std::chrono::hours(1), t0, 10)->empty());
  EXPECT_EQ(*outbox.CancelNotificationsOf(2, t0, true), 0) << "another person's";
  ASSERT_TRUE(w->Commit());
}

TEST_P(OutboxContractTest, ARetractionCancelsUnsentNoticesAndCorrectsSentOnes) {
  const Timestamp t0 = T("2026-11-22T12:00:00Z");
  auto w = Write();
  auto& regs = w->registrations();
  const int64_t sms =
      *regs.InsertRegistration(MakeRegistration(1, "s", RegistrationState::kActive));
  const int64_t voice = *regs.InsertRegistration(
      MakeRegistration(1, "v", RegistrationState::kActive, DeliveryChannel::kVoice));
  const int64_t email = *regs.InsertRegistration(
      MakeRegistration(1, "e", RegistrationState::kActive, DeliveryChannel::kEmail));
  auto& outbox = w->outbox();
  ASSERT_EQ(*outbox.QueueNotificationsForEvent(1, 10, "released", t0, false), 3);
  const auto claimed = *outbox.ClaimDueNotifications(t0, t0 + std::chrono::minutes(1), 10);
  for (const auto& n : claimed) {
    const auto to = n.registration_id == sms     ? NotificationState::kDelivered
                    : n.registration_id == voice ? NotificationState::kSent
                                                 : NotificationState::kTemporaryFailure;
    ASSERT_TRUE(*outbox.FinishNotification(n.notification_id, 1, to, t0, t0, ""));
  }
  auto counts = outbox.QueueCorrections(10, 11, t0);
  ASSERT_TRUE(counts) << counts.error().ToString();
  EXPECT_EQ(counts->first, 1) << "the email not yet sent is cancelled";
  EXPECT_EQ(counts->second, 1) << "the delivered text is corrected; a call said nothing yet";
  auto of_sms = *outbox.NotificationsOfRegistration(sms);
  ASSERT_EQ(of_sms.size(), 2u);
  EXPECT_EQ(of_sms[1].kind, "correction");
  EXPECT_EQ(of_sms[1].event_pk, 11);
  EXPECT_EQ((*outbox.NotificationsOfRegistration(email))[0].state, NotificationState::kCancelled);
  EXPECT_EQ(outbox.NotificationsOfRegistration(voice)->size(), 1u);
  EXPECT_EQ(*outbox.QueueCorrections(10, 11, t0), (std::pair<int64_t, int64_t>{0, 0}))
      << "idempotent";
  ASSERT_TRUE(w->Commit());
}
}  // namespace
}  // namespace vigil
