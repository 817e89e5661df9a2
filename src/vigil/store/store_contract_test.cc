#include "vigil/store/store_contract_test.h"

#include <thread>

namespace vigil {
namespace {

Timestamp T(const char* text) { return *ParseRfc3339(text); }

Facility Adelanto() {
  return Facility{
      "ADL", "Adelanto ICE Processing Center", "10400 Rancho Rd", "Adelanto", "CA", "+17605550100"};
}

Subject MakeSubject(const char* a_number) {
  Subject s;
  s.a_number = *ANumber::Parse(a_number);
  s.given_names = "María del Carmen";
  s.family_names = "García López";
  s.aliases = {"Carmen García"};
  s.date_of_birth = *ParsePartialDate("1990-04");
  s.country_of_birth = "MX";
  s.custody_status = CustodyStatus::kInCustody;
  s.facility_id = "ADL";
  s.custody_basis = CustodyBasis::kCivilImmigration;
  s.protections.Add(Protection::kAsylum);
  s.last_event_at = T("2026-11-01T14:03:00Z");
  s.scheduled_release = T("2026-12-01T00:00:00Z");
  s.public_changed_at = T("2026-10-15T00:00:00Z");
  s.custody_since = T("2026-10-01T09:30:00Z");
  return s;
}

StoredEvent MakeEvent(int64_t subject_id, const char* id, const char* at) {
  StoredEvent s;
  s.subject_id = subject_id;
  s.event.source = "ice-ero";
  s.event.event_id = id;
  s.event.type = EventType::kBooked;
  s.event.occurred_at = T(at);
  SubjectRecord r;
  r.a_number = *ANumber::Parse("012345678");
  r.given_names = "José";
  r.family_names = "Núñez";
  r.country_of_birth = "GT";
  s.event.subject = r;
  s.event.facility_id = "ADL";
  s.event.custody_basis = CustodyBasis::kCriminalCharge;
  s.event.protections.Add(Protection::kSec1367);
  s.content_hash = std::string("\x01\x00\xff", 3);
  s.received_at = T("2026-11-02T00:00:00Z");
  return s;
}

TEST_P(StoreContractTest, EmptyStoreHasNothing) {
  auto r = store_->BeginRead();
  ASSERT_TRUE(r);
  auto counts = (*r)->reporting().Counts();
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->subjects, 0);
  EXPECT_EQ(counts->events, 0);
  EXPECT_FALSE((*r)->custody().GetFacility("ADL")->has_value());
  EXPECT_FALSE((*r)->custody().GetSubjectByANumber(*ANumber::Parse("012345678"))->has_value());
  EXPECT_FALSE((*r)->custody().GetEvent("ice-ero", "E1")->has_value());
}

TEST_P(StoreContractTest, CommittedWritesAreReadBackExactlyAndSurviveReopen) {
  int64_t subject_id = 0;
  StoredEvent event;
  {
    auto w = store_->BeginWrite();
    ASSERT_TRUE(w) << w.error().ToString();
    ASSERT_TRUE((*w)->custody().PutFacility(Adelanto()));
    auto id = (*w)->custody().InsertSubject(MakeSubject("012345678"));
    ASSERT_TRUE(id) << id.error().ToString();
    subject_id = *id;
    event = MakeEvent(subject_id, "E1", "2026-11-01T14:03:00Z");
    event.event.scheduled_release = T("2026-12-01T00:00:00Z");
    auto pk = (*w)->custody().InsertEvent(event);
    ASSERT_TRUE(pk) << pk.error().ToString();
    event.event_pk = *pk;
    ASSERT_TRUE((*w)->Commit());
  }
  Reopen();
  auto r = store_->BeginRead();
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)->custody().GetFacility("ADL")->value(), Adelanto());
  Subject expected = MakeSubject("012345678");
  expected.subject_id = subject_id;
  EXPECT_EQ((*r)->custody().GetSubjectByANumber(expected.a_number)->value(), expected);
  EXPECT_EQ((*r)->custody().GetSubject(subject_id)->value(), expected);
  EXPECT_EQ((*r)->custody().GetEvent("ice-ero", "E1")->value(), event);
  auto history = (*r)->custody().EventsOfSubject(subject_id);
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0], event);
}

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

TEST_P(StoreContractTest, DuplicateKeysConflict) {
  auto w = store_->BeginWrite();
  ASSERT_TRUE(w);
  auto id = (*w)->custody().InsertSubject(MakeSubject("012345678"));
  ASSERT_TRUE(id);
  auto again = (*w)->custody().InsertSubject(MakeSubject("012345678"));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), ErrorCode::kConflict);
  ASSERT_TRUE((*w)->custody().InsertEvent(MakeEvent(*id, "E1", "2026-11-01T00:00:00Z")));
  auto dup = (*w)->custody().InsertEvent(MakeEvent(*id, "E1", "2026-11-02T00:00:00Z"));
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code(), ErrorCode::kConflict);
  // The transaction is still usable after a refused statement.
  ASSERT_TRUE((*w)->custody().InsertEvent(MakeEvent(*id, "E2", "2026-11-02T00:00:00Z")));
  ASSERT_TRUE((*w)->Commit());
}

TEST_P(StoreContractTest, HistoryIsInFoldOrderAndRetractionsAreFound) {
  auto w = store_->BeginWrite();
  ASSERT_TRUE(w);
  auto id = *(*w)->custody().InsertSubject(MakeSubject("012345678"));
  ASSERT_TRUE((*w)->custody().InsertEvent(MakeEvent(id, "E3", "2026-11-03T00:00:00Z")));
  ASSERT_TRUE((*w)->custody().InsertEvent(MakeEvent(id, "E1", "2026-11-01T00:00:00Z")));
  ASSERT_TRUE((*w)->custody().InsertEvent(MakeEvent(id, "E2b", "2026-11-02T00:00:00Z")));
  ASSERT_TRUE((*w)->custody().InsertEvent(MakeEvent(id, "E2a", "2026-11-02T00:00:00Z")));
  StoredEvent retraction;
  retraction.event.source = "ice-ero";
  retraction.event.event_id = "R1";
  retraction.event.type = EventType::kRetracted;
  retraction.event.occurred_at = T("2026-11-04T00:00:00Z");
  retraction.event.retracts = "E3";
  retraction.content_hash = "h";
  retraction.received_at = T("2026-11-04T00:00:00Z");
  ASSERT_TRUE((*w)->custody().InsertEvent(retraction));
  ASSERT_TRUE((*w)->custody().SetRetractedBy("ice-ero", "E3", "R1"));
  auto missing = (*w)->custody().SetRetractedBy("ice-ero", "nope", "R1");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);

  EXPECT_FALSE((*w)->custody().HasUnmatchedRetractions().value()) << "R1's target is present";
  StoredEvent early = retraction;
  early.event.event_id = "R9";
  early.event.retracts = "E-not-yet";
  ASSERT_TRUE((*w)->custody().InsertEvent(early));
  EXPECT_TRUE((*w)->custody().HasUnmatchedRetractions().value());
  ASSERT_TRUE((*w)->Commit());

  auto r = store_->BeginRead();
  auto history = (*r)->custody().EventsOfSubject(id);
  ASSERT_TRUE(history);
  std::vector<std::string> ids;
  for (const auto& e : *history) ids.push_back(e.event.event_id);
  EXPECT_EQ(ids, (std::vector<std::string>{"E1", "E2a", "E2b", "E3"}));
  EXPECT_EQ(history->back().retracted_by, "R1");
  EXPECT_EQ((*r)->custody().FindRetractionOf("ice-ero", "E3")->value_or(""), "R1");
  EXPECT_FALSE((*r)->custody().FindRetractionOf("ice-ero", "E1")->has_value());
  EXPECT_FALSE((*r)->custody().FindRetractionOf("other", "E3")->has_value());
}

TEST_P(StoreContractTest, UpdateSubjectReplacesStateAndUnknownIdIsNotFound) {
  auto w = store_->BeginWrite();
  Subject s = MakeSubject("012345678");
  s.subject_id = *(*w)->custody().InsertSubject(s);
  s.custody_status = CustodyStatus::kReleased;
  s.released_at = T("2026-11-05T00:00:00Z");
  s.date_of_birth.reset();
  s.custody_basis.reset();
  s.protections = ProtectionSet();
  ASSERT_TRUE((*w)->custody().UpdateSubject(s));
  Subject ghost = s;
  ghost.subject_id = s.subject_id + 100;
  EXPECT_EQ((*w)->custody().UpdateSubject(ghost).error().code(), ErrorCode::kNotFound);
  ASSERT_TRUE((*w)->Commit());
  auto r = store_->BeginRead();
  EXPECT_EQ((*r)->custody().GetSubject(s.subject_id)->value(), s);
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

TEST_P(StoreContractTest, ForEachSubjectVisitsAllInIdOrderAndStopsEarly) {
  auto w = store_->BeginWrite();
  for (const char* a : {"111111111", "222222222", "333333333"}) {
    ASSERT_TRUE((*w)->custody().InsertSubject(MakeSubject(a)));
  }
  ASSERT_TRUE((*w)->Commit());
  auto r = store_->BeginRead();
  std::vector<std::string> seen;
  ASSERT_TRUE((*r)->custody().ForEachSubject([&](const Subject& s) {
    seen.push_back(s.a_number.digits());
    return true;
  }));
  EXPECT_EQ(seen, (std::vector<std::string>{"111111111", "222222222", "333333333"}));
  int calls = 0;
  ASSERT_TRUE((*r)->custody().ForEachSubject([&](const Subject&) { return ++calls < 2; }));
  EXPECT_EQ(calls, 2);
}

TEST_P(StoreContractTest, SubjectWritesAreLoggedAsChangesInOrder) {
  int64_t first = 0, second = 0;
  {
    auto w = store_->BeginWrite();
    EXPECT_EQ((*w)->custody().LatestSubjectChange().value(), 0);
    first = *(*w)->custody().InsertSubject(MakeSubject("111111111"));
    second = *(*w)->custody().InsertSubject(MakeSubject("222222222"));
    Subject s = *(*(*w)->custody().GetSubject(first));
    s.custody_status = CustodyStatus::kReleased;
    ASSERT_TRUE((*w)->custody().UpdateSubject(s));
    ASSERT_TRUE((*w)->Commit());
  }
  auto r = store_->BeginRead();
  auto all = (*r)->custody().SubjectChangesSince(0, 100);
  ASSERT_TRUE(all) << all.error().ToString();
  std::vector<int64_t> ids;
  for (auto [seq, id] : *all) ids.push_back(id);
  EXPECT_EQ(ids, (std::vector<int64_t>{first, second, first}));
  int64_t latest = (*r)->custody().LatestSubjectChange().value();
  EXPECT_EQ(latest, all->back().first);
  EXPECT_TRUE((*r)->custody().SubjectChangesSince(latest, 100)->empty());
  EXPECT_EQ((*r)->custody().SubjectChangesSince((*all)[0].first, 1)->size(), 1u);
}

TEST_P(StoreContractTest, SuppressedMatchesAreKeptPerSubject) {
  auto w = store_->BeginWrite();
  ASSERT_TRUE(
      (*w)->controls().RecordSuppressedMatch({5, T("2026-11-02T00:00:00Z"), "name", "protected"}));
  ASSERT_TRUE(
      (*w)->controls().RecordSuppressedMatch({5, T("2026-11-01T00:00:00Z"), "a_number", "minor"}));
  ASSERT_TRUE(
      (*w)->controls().RecordSuppressedMatch({6, T("2026-11-01T00:00:00Z"), "name", "protected"}));
  ASSERT_TRUE((*w)->Commit());
  auto r = store_->BeginRead();
  auto matches = (*r)->controls().SuppressedMatchesOf(5);
  ASSERT_TRUE(matches);
  ASSERT_EQ(matches->size(), 2u);
  EXPECT_EQ((*matches)[0].channel, "a_number");
  EXPECT_EQ((*matches)[1].reason, "protected");
}

TEST_P(StoreContractTest, TheNewestAuditCheckpointIsFoundWithoutReadingAll) {
  {
    auto r = store_->BeginRead();
    auto none = (*r)->audit().LastAuditCheckpointSeq();
    ASSERT_TRUE(none);
    EXPECT_FALSE(*none);
  }
  auto w = store_->BeginWrite();
  for (int64_t seq : {9, 5, 12}) {
    ASSERT_TRUE((*w)->audit().InsertAuditCheckpoint({seq, T("2026-11-01T00:00:00Z"), "h", "s"}));
  }
  ASSERT_TRUE((*w)->Commit());
  auto r = store_->BeginRead();
  auto last = (*r)->audit().LastAuditCheckpointSeq();
  ASSERT_TRUE(last && *last);
  EXPECT_EQ(**last, 12);
  EXPECT_EQ((*r)->audit().AuditCheckpoints()->size(), 3u);
}

TEST_P(StoreContractTest, RejectsAreKeptNewestFirst) {
  auto w = store_->BeginWrite();
  ASSERT_TRUE(
      (*w)->custody().InsertReject({0, T("2026-11-01T00:00:00Z"), "a.jsonl", 3, "type", "bad"}));
  ASSERT_TRUE(
      (*w)->custody().InsertReject({0, T("2026-11-01T00:00:00Z"), "a.jsonl", 7, "", "worse"}));
  ASSERT_TRUE((*w)->Commit());
  auto r = store_->BeginRead();
  auto rejects = (*r)->custody().RecentRejects(10);
  ASSERT_TRUE(rejects);
  ASSERT_EQ(rejects->size(), 2u);
  EXPECT_EQ((*rejects)[0].line, 7);
  EXPECT_EQ((*rejects)[1].field, "type");
  EXPECT_EQ((*r)->custody().RecentRejects(1)->size(), 1u);
}

TEST_P(StoreContractTest, TheSameRejectIsKeptOnce) {
  auto w = store_->BeginWrite();
  RejectRecord reject{0, T("2026-11-01T00:00:00Z"), "a.jsonl", 3, "type", "bad"};
  EXPECT_GT((*w)->custody().InsertReject(reject).value(), 0);
  reject.received_at = T("2026-11-02T00:00:00Z");
  EXPECT_EQ((*w)->custody().InsertReject(reject).value(), 0);
  ASSERT_TRUE((*w)->Commit());
  EXPECT_EQ((*(*store_->BeginRead())->reporting().Counts()).rejects, 1);
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

// The outbox state machine for a gateway that reports delivery later:
// only a 'sent' row takes a receipt; one whose receipt never comes settles.
TEST_P(StoreContractTest, ReceiptsChangeOnlySentNotificationsAndStaleOnesSettle) {
  const Timestamp t0 = *ParseRfc3339("2026-11-22T12:00:00Z");
  auto w = store_->BeginWrite();
  ASSERT_TRUE(w);
  Registration r;
  r.subject_id = 1;
  r.channel = Channel::kSms;
  r.contact_sealed = "sealed";
  r.contact_index = "index-1";
  r.state = RegistrationState::kActive;
  r.created_at = t0;
  auto reg = (*w)->registrations().InsertRegistration(r);
  ASSERT_TRUE(reg) << reg.error().ToString();
  std::vector<int64_t> ids;
  for (int64_t event = 1; event <= 3; ++event) {
    Notification n;
    n.event_pk = event;
    n.registration_id = *reg;
    n.kind = "transferred";
    n.due_at = t0;
    n.created_at = t0;
    auto id = (*w)->outbox().InsertNotification(n);
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
TEST_P(StoreContractTest, AReceiptThatOutrunsTheSenderWins) {
  const Timestamp t0 = *ParseRfc3339("2026-11-22T12:00:00Z");
  auto w = store_->BeginWrite();
  ASSERT_TRUE(w);
  Registration r;
  r.subject_id = 1;
  r.channel = Channel::kVoice;
  r.contact_sealed = "sealed";
  r.contact_index = "index-1";
  r.state = RegistrationState::kActive;
  r.pin_hash = "pin-hash";
  r.created_at = t0;
  auto reg = (*w)->registrations().InsertRegistration(r);
  ASSERT_TRUE(reg);
  EXPECT_EQ((**(*w)->registrations().GetRegistration(*reg)).pin_hash, "pin-hash");
  Notification n;
  n.event_pk = 1;
  n.registration_id = *reg;
  n.kind = "released";
  n.due_at = t0;
  n.created_at = t0;
  int64_t id = **(*w)->outbox().InsertNotification(n);
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

// Retention: contacts of registrations ended long enough ago are deleted;
// a STOP's blind index stays, so that the STOP keeps being honoured.
TEST_P(StoreContractTest, PurgeDeletesOldContactsButKeepsStopsHonoured) {
  const Timestamp t0 = *ParseRfc3339("2026-11-01T12:00:00Z");
  auto w = store_->BeginWrite();
  ASSERT_TRUE(w);
  auto add = [&](std::string index, RegistrationState state, std::optional<Timestamp> ended,
                 bool opted_out) {
    Registration r;
    r.subject_id = 1;
    r.channel = Channel::kSms;
    r.contact_sealed = "sealed-" + index;
    r.contact_index = index;
    r.state = state;
    r.created_at = t0;
    r.ended_at = ended;
    r.opted_out = opted_out;
    return *(*w)->registrations().InsertRegistration(r);
  };
  int64_t old_unsub = add("a", RegistrationState::kUnsubscribed, t0, false);
  int64_t old_stop = add("b", RegistrationState::kUnsubscribed, t0, true);
  int64_t old_unsub2 = add("c", RegistrationState::kUnsubscribed, t0, false);
  int64_t recent =
      add("d", RegistrationState::kUnsubscribed, t0 + std::chrono::hours(24 * 20), false);
  int64_t active = add("e", RegistrationState::kActive, std::nullopt, false);
  auto counts = (*w)->registrations().Purge(t0 + std::chrono::hours(24 * 10), t0);
  ASSERT_TRUE(counts) << counts.error().ToString();
  EXPECT_EQ(counts->first, 3);
  auto get = [&](int64_t id) { return **(*w)->registrations().GetRegistration(id); };
  EXPECT_EQ(get(old_unsub).contact_sealed, "");
  EXPECT_NE(get(old_unsub).contact_index, "a");
  EXPECT_NE(get(old_unsub).contact_index, get(old_unsub2).contact_index);
  EXPECT_EQ(get(old_stop).contact_sealed, "");
  EXPECT_EQ(get(old_stop).contact_index, "b") << "a STOP keeps being honoured";
  EXPECT_EQ(get(recent).contact_sealed, "sealed-d");
  EXPECT_EQ(get(active).contact_sealed, "sealed-e");
  EXPECT_EQ((*w)->registrations().Purge(t0 + std::chrono::hours(24 * 10), t0)->first, 0)
      << "idempotent";
  ASSERT_TRUE((*w)->Commit());
}

// SMS STOP ends a number's registrations; START brings back only the ones
// STOP ended while active; a takedown suspends opted-out ones too.
TEST_P(StoreContractTest, OptOutAndOptInFollowTheContact) {
  const Timestamp t0 = *ParseRfc3339("2026-11-22T12:00:00Z");
  auto w = store_->BeginWrite();
  ASSERT_TRUE(w);
  auto add = [&](int64_t subject, std::string index, RegistrationState state, Channel channel) {
    Registration r;
    r.subject_id = subject;
    r.channel = channel;
    r.contact_sealed = "sealed";
    r.contact_index = std::move(index);
    r.state = state;
    r.created_at = t0;
    return *(*w)->registrations().InsertRegistration(r);
  };
  int64_t active = add(1, "phone", RegistrationState::kActive, Channel::kSms);
  int64_t pending = add(2, "phone", RegistrationState::kPending, Channel::kSms);
  int64_t protected_one = add(3, "phone", RegistrationState::kActive, Channel::kSms);
  int64_t other = add(1, "other", RegistrationState::kActive, Channel::kSms);
  int64_t voice = add(1, "phone", RegistrationState::kActive, Channel::kVoice);
  EXPECT_EQ(*(*w)->registrations().OptOut(Channel::kSms, "phone", t0), 3);
  auto get = [&](int64_t id) { return **(*w)->registrations().GetRegistration(id); };
  EXPECT_EQ(get(active).state, RegistrationState::kUnsubscribed);
  EXPECT_TRUE(get(active).opted_out);
  EXPECT_EQ(get(active).ended_at, t0);
  EXPECT_EQ(get(pending).state, RegistrationState::kUnsubscribed);
  EXPECT_FALSE(get(pending).opted_out);
  EXPECT_EQ(get(other).state, RegistrationState::kActive);
  EXPECT_EQ(get(voice).state, RegistrationState::kActive);
  EXPECT_EQ((*(*w)->registrations().RegistrationsByContact(Channel::kSms, "phone")).size(), 3u);
  // Subject 3 becomes protected while the number is opted out.
  EXPECT_EQ(*(*w)->registrations().SuspendRegistrationsOf(3), 1);
  EXPECT_EQ(*(*w)->registrations().OptIn(Channel::kSms, "phone"), 1);
  EXPECT_EQ(get(active).state, RegistrationState::kActive);
  EXPECT_FALSE(get(active).opted_out);
  EXPECT_FALSE(get(active).ended_at.has_value());
  EXPECT_EQ(get(pending).state, RegistrationState::kUnsubscribed);
  EXPECT_EQ(get(protected_one).state, RegistrationState::kSuspended);
  ASSERT_TRUE((*w)->Commit());
}

TEST_P(StoreContractTest, ApiKeysKeepTheirScopesAndSourcesAndAreRevokedByNameOrId) {
  ApiKey feed{"00000000000000a1",
              "ice-feed",
              {"feed:write"},
              {"cbp", "ice-ero"},
              std::string(32, '\x07'),
              T("2026-11-01T00:00:00Z"),
              std::nullopt};
  ApiKey audit{"00000000000000a2",
               "audit",
               {"audit:read", "report:read"},
               {},
               std::string(32, '\x08'),
               T("2026-11-02T00:00:00Z"),
               std::nullopt};
  {
    auto w = store_->BeginWrite();
    ASSERT_TRUE((*w)->controls().InsertApiKey(feed));
    ASSERT_TRUE((*w)->controls().InsertApiKey(audit));
    ApiKey same_name = audit;
    same_name.key_id = "00000000000000a3";
    auto taken = (*w)->controls().InsertApiKey(same_name);
    ASSERT_FALSE(taken);
    EXPECT_EQ(taken.error().code(), ErrorCode::kConflict);
    ASSERT_TRUE((*w)->Commit());
  }
  {
    auto r = store_->BeginRead();
    EXPECT_EQ(**(*r)->controls().GetApiKey("00000000000000a1"), feed);
    EXPECT_EQ(**(*r)->controls().GetApiKey("00000000000000a2"), audit);
    EXPECT_FALSE(*(*r)->controls().GetApiKey("00000000000000ff"));
    EXPECT_EQ(*(*r)->controls().ListApiKeys(), (std::vector<ApiKey>{audit, feed}));  // by name
  }
  auto w = store_->BeginWrite();
  EXPECT_TRUE(*(*w)->controls().SetApiKeySources("ice-feed", {"ice-ero"}));
  EXPECT_TRUE(*(*w)->controls().SetApiKeySources("00000000000000a1", {"ice-ero", "ice-ero-2"}));
  EXPECT_FALSE(*(*w)->controls().SetApiKeySources("nobody", {"x"}));
  EXPECT_EQ((**(*w)->controls().GetApiKey("00000000000000a1")).sources,
            (std::vector<std::string>{"ice-ero", "ice-ero-2"}));
  EXPECT_TRUE(*(*w)->controls().RevokeApiKey("00000000000000a1", T("2026-11-03T00:00:00Z")));
  EXPECT_FALSE(*(*w)->controls().RevokeApiKey("ice-feed", T("2026-11-04T00:00:00Z")));
  EXPECT_FALSE(*(*w)->controls().SetApiKeySources("ice-feed", {"x"}))
      << "a revoked key changes no more";
  EXPECT_EQ((**(*w)->controls().GetApiKey("00000000000000a1")).revoked_at,
            T("2026-11-03T00:00:00Z"));
  ASSERT_TRUE((*w)->Commit());
}

}  // namespace
}  // namespace vigil
