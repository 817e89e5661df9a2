#include "vigil/store/store_contract_test.h"

namespace vigil {
namespace {

using namespace contract;  // NOLINT: the suites' shared fixtures

// Retention: contacts of registrations ended long enough ago are deleted;
// a STOP's blind index stays, so that the STOP keeps being honoured.
TEST_P(RegistrationContractTest, PurgeDeletesOldContactsButKeepsStopsHonoured) {
  const Timestamp t0 = *ParseRfc3339("2026-11-01T12:00:00Z");
  auto w = store_->BeginWrite();
  ASSERT_TRUE(w);
  auto add = [&](std::string index, RegistrationState state, std::optional<Timestamp> ended,
                 bool opted_out) {
    Registration r = MakeRegistration(1, std::move(index), state);
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
TEST_P(RegistrationContractTest, OptOutAndOptInFollowTheContact) {
  const Timestamp t0 = *ParseRfc3339("2026-11-22T12:00:00Z");
  auto w = store_->BeginWrite();
  ASSERT_TRUE(w);
  auto add = [&](int64_t subject, std::string index, RegistrationState state,
                 DeliveryChannel channel) {
    return *(*w)->registrations().InsertRegistration(
        MakeRegistration(subject, std::move(index), state, channel));
  };
  int64_t active = add(1, "phone", RegistrationState::kActive, DeliveryChannel::kSms);
  int64_t pending = add(2, "phone", RegistrationState::kPending, DeliveryChannel::kSms);
  int64_t protected_one = add(3, "phone", RegistrationState::kActive, DeliveryChannel::kSms);
  int64_t other = add(1, "other", RegistrationState::kActive, DeliveryChannel::kSms);
  int64_t voice = add(1, "phone", RegistrationState::kActive, DeliveryChannel::kVoice);
  EXPECT_EQ(*(*w)->registrations().OptOut(DeliveryChannel::kSms, "phone", t0), 3);
  auto get = [&](int64_t id) { return **(*w)->registrations().GetRegistration(id); };
  EXPECT_EQ(get(active).state, RegistrationState::kUnsubscribed);
  EXPECT_TRUE(get(active).opted_out);
  EXPECT_EQ(get(active).ended_at, t0);
  EXPECT_EQ(get(pending).state, RegistrationState::kUnsubscribed);
  EXPECT_FALSE(get(pending).opted_out);
  EXPECT_EQ(get(other).state, RegistrationState::kActive);
  EXPECT_EQ(get(voice).state, RegistrationState::kActive);
  EXPECT_EQ((*(*w)->registrations().RegistrationsByContact(DeliveryChannel::kSms, "phone")).size(),
            3u);
  // Subject 3 becomes protected while the number is opted out.
  EXPECT_EQ(*(*w)->registrations().SuspendRegistrationsOf(3), 1);
  EXPECT_EQ(*(*w)->registrations().OptIn(DeliveryChannel::kSms, "phone"), 1);
  EXPECT_EQ(get(active).state, RegistrationState::kActive);
  EXPECT_FALSE(get(active).opted_out);
  EXPECT_FALSE(get(active).ended_at.has_value());
  EXPECT_EQ(get(pending).state, RegistrationState::kUnsubscribed);
  EXPECT_EQ(get(protected_one).state, RegistrationState::kSuspended);
  ASSERT_TRUE((*w)->Commit());
}

TEST_P(RegistrationContractTest, RegistrationsAreFoundBySubjectContactAndState) {
  auto w = Write();
  auto& regs = w->registrations();
  const int64_t a = *regs.InsertRegistration(MakeRegistration(1, "x", RegistrationState::kActive));
  const int64_t b = *regs.InsertRegistration(MakeRegistration(1, "y", RegistrationState::kPending));
  const int64_t c = *regs.InsertRegistration(
      MakeRegistration(2, "x", RegistrationState::kActive, DeliveryChannel::kEmail));
  ASSERT_TRUE(regs.InsertRegistration(MakeRegistration(1, "z", RegistrationState::kUnsubscribed)));
  auto dup = regs.InsertRegistration(MakeRegistration(1, "x", RegistrationState::kPending));
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code(), ErrorCode::kConflict);

  EXPECT_EQ(regs.FindRegistration(1, DeliveryChannel::kSms, "x")->value().registration_id, a);
  EXPECT_FALSE(regs.FindRegistration(1, DeliveryChannel::kEmail, "x")->has_value());
  EXPECT_EQ(regs.FindRegistration(2, DeliveryChannel::kEmail, "x")->value().registration_id, c);
  auto ids = [](const Result<std::vector<Registration>>& rs) {
    std::vector<int64_t> out;
    for (const auto& r : *rs) out.push_back(r.registration_id);
    return out;
  };
  EXPECT_EQ(ids(regs.RegistrationsOf(1, RegistrationState::kActive)), std::vector<int64_t>{a});
  EXPECT_EQ(ids(regs.RegistrationsOf(1, RegistrationState::kPending)), std::vector<int64_t>{b});
  EXPECT_EQ(ids(regs.RegistrationsByContact(DeliveryChannel::kSms, "x")), std::vector<int64_t>{a});
  EXPECT_EQ(ids(regs.RegistrationsByContact(DeliveryChannel::kEmail, "x")),
            std::vector<int64_t>{c});
  EXPECT_EQ(*regs.CountLiveRegistrationsByContact("x"), 2) << "live on any channel";
  EXPECT_EQ(*regs.CountLiveRegistrationsByContact("z"), 0) << "ended ones do not count";
  EXPECT_EQ(*regs.CountLiveRegistrationsOfSubject(1), 2);
  EXPECT_EQ(*regs.CountLiveRegistrationsOfSubject(2), 1);
  EXPECT_EQ(*regs.CountLiveRegistrationsOfSubject(3), 0);
  ASSERT_TRUE(w->Commit());
}

TEST_P(RegistrationContractTest, UpdateReplacesAllButIdentity) {
  auto w = Write();
  auto& regs = w->registrations();
  Registration r = MakeRegistration(1, "x", RegistrationState::kPending, DeliveryChannel::kVoice);
  r.registration_id = *regs.InsertRegistration(r);
  EXPECT_EQ(regs.GetRegistration(r.registration_id)->value(), r);
  r.state = RegistrationState::kActive;
  r.tier = RegistrationTier::kVerified;
  r.language = "es";
  r.secret_hash = "hash";
  r.secret_expires_at = T("2026-11-23T00:00:00Z");
  r.secret_attempts = 2;
  r.pin_hash = "pin";
  r.victim_id = "V-0001";
  Registration moved = r;
  moved.subject_id = 9;
  moved.channel = DeliveryChannel::kSms;
  moved.contact_index = "other";
  ASSERT_TRUE(regs.UpdateRegistration(moved));
  EXPECT_EQ(regs.GetRegistration(r.registration_id)->value(), r)
      << "subject, channel and contact are the registration's identity";
  Registration ghost = r;
  ghost.registration_id += 100;
  EXPECT_EQ(regs.UpdateRegistration(ghost).error().code(), ErrorCode::kNotFound);
  EXPECT_FALSE(regs.GetRegistration(ghost.registration_id)->has_value());
  ASSERT_TRUE(w->Commit());
}

TEST_P(RegistrationContractTest, AnyActiveRegistrationsFollowsTheStates) {
  auto w = Write();
  auto& regs = w->registrations();
  EXPECT_FALSE(*regs.AnyActiveRegistrations());
  Registration r = MakeRegistration(1, "x", RegistrationState::kPending);
  r.registration_id = *regs.InsertRegistration(r);
  EXPECT_FALSE(*regs.AnyActiveRegistrations()) << "pending is not active";
  r.state = RegistrationState::kActive;
  ASSERT_TRUE(regs.UpdateRegistration(r));
  EXPECT_TRUE(*regs.AnyActiveRegistrations());
  EXPECT_EQ(*regs.SuspendRegistrationsOf(1), 1);
  EXPECT_EQ(regs.GetRegistration(r.registration_id)->value().state, RegistrationState::kSuspended);
  EXPECT_FALSE(*regs.AnyActiveRegistrations());
  EXPECT_EQ(*regs.SuspendRegistrationsOf(1), 0);
  ASSERT_TRUE(w->Commit());
}
TEST_P(RegistrationContractTest, VoicemailsAreKeptNewestFirstAndPurgedWithContacts) {
  const Timestamp t0 = T("2026-11-01T00:00:00Z");
  auto w = Write();
  Voicemail old{0, t0, std::string("\x01sealed\0caller", 14), "https://provider/rec/1", 42, "es"};
  Voicemail fresh = old;
  fresh.received_at = t0 + std::chrono::hours(24 * 20);
  fresh.recording_url = "https://provider/rec/2";
  fresh.language = "en";
  old.voicemail_id = *w->registrations().InsertVoicemail(old);
  fresh.voicemail_id = *w->registrations().InsertVoicemail(fresh);
  EXPECT_GT(fresh.voicemail_id, old.voicemail_id);
  EXPECT_EQ(*w->registrations().Voicemails(10), (std::vector<Voicemail>{fresh, old}));
  EXPECT_EQ(*w->registrations().Voicemails(1), (std::vector<Voicemail>{fresh}));
  auto counts = w->registrations().Purge(t0 + std::chrono::hours(24 * 10), t0);
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->first, 1) << "the old voicemail is deleted";
  EXPECT_EQ(*w->registrations().Voicemails(10), (std::vector<Voicemail>{fresh}));
  ASSERT_TRUE(w->Commit());
}

TEST_P(RegistrationContractTest, ProtectionRequestsRoundTripAndAreDecidedOnce) {
  const Timestamp t0 = T("2026-11-01T00:00:00Z");
  auto w = Write();
  ProtectionRequest queued{0,
                           "A100000001",
                           1,
                           "vawa",
                           "shelter resident",
                           std::string("\x02sealed\0contact", 15),
                           "public",
                           "queued",
                           t0,
                           t0 + std::chrono::hours(24),
                           "",
                           std::nullopt,
                           ""};
  ProtectionRequest provisional = queued;
  provisional.identifier = "999999999";
  provisional.subject_id = 0;  // names nobody: kept all the same
  provisional.contact_sealed.clear();
  provisional.requested_by = "advocate:clinic";
  provisional.state = "provisional";
  provisional.language = "ht";
  queued.request_id = *w->registrations().InsertProtectionRequest(queued);
  provisional.request_id = *w->registrations().InsertProtectionRequest(provisional);
  EXPECT_GT(provisional.request_id, queued.request_id);
  EXPECT_EQ(**w->registrations().GetProtectionRequest(queued.request_id), queued);
  EXPECT_FALSE(*w->registrations().GetProtectionRequest(provisional.request_id + 1));
  EXPECT_EQ(*w->registrations().ProtectionRequests("", 10),
            (std::vector<ProtectionRequest>{queued, provisional}));  // oldest first
  EXPECT_EQ(*w->registrations().ProtectionRequests("provisional", 10),
            (std::vector<ProtectionRequest>{provisional}));
  EXPECT_EQ(w->registrations().ProtectionRequests("", 1)->size(), 1u);
  ProtectionRequest decided = queued;
  decided.state = "confirmed";
  decided.decided_by = "staff:ana";
  decided.decided_at = t0 + std::chrono::hours(2);
  decided.decision_note = "checked with the clinic";
  decided.outcome_sent = t0 + std::chrono::hours(3);
  decided.reason = "other";  // not replaced: only the decision is
  decided.language = "fr";   // nor this
  EXPECT_TRUE(*w->registrations().UpdateProtectionRequest(decided));
  decided.reason = queued.reason;
  decided.language = queued.language;
  EXPECT_EQ(**w->registrations().GetProtectionRequest(queued.request_id), decided);
  ProtectionRequest missing = decided;
  missing.request_id = 999;
  EXPECT_FALSE(*w->registrations().UpdateProtectionRequest(missing));
  EXPECT_TRUE(w->registrations().ProtectionRequests("queued", 10)->empty());
  // Retention forgets the contact of a decided request, and keeps the rest.
  auto counts = w->registrations().Purge(t0 + std::chrono::hours(24 * 10), t0);
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->first, 1);
  decided.contact_sealed.clear();
  EXPECT_EQ(**w->registrations().GetProtectionRequest(queued.request_id), decided);
  ASSERT_TRUE(w->Commit());
}

}  // namespace
}  // namespace vigil
