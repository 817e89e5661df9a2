// The agency API: protections (the takedown), overrides, blocks, enrolment.
#include "vigil/api/agency_test_fixture.h"

namespace vigil::api::agency_test {
namespace {

// Takedown: a protection set through the agency API, with no
// delay, leaves nothing of the person in the search API, the HTML pages, a
// registration or the outbox; what was queued is cancelled.
// A protection whose transaction fails is refused as a whole: nothing is
// cancelled or suspended halfway, and the agency is told to try again.
TEST_F(AgencyTest, AProtectionThatFailsToCommitTakesNothingDownHalfway) {
  ASSERT_TRUE(testutil::SeedActiveRegistrations(store_.get(), *vault_, 1, 3, kNow));
  FeedImporter importer(store_.get(), &clock_);
  ASSERT_TRUE(importer.ImportText(
      "feed", testutil::CustodyEventLine("T1", "transferred", "2026-11-20T10:00:00Z", "OTR"),
      FeedFormat::kJsonLines, nullptr));
  ASSERT_EQ(CountState("created"), 3);
  const std::string key = Key("privacy-office", {"subjects:protect"});
  const std::string target = "/api/v1/agency/subjects/100000001/protections";
  const std::string body = R"({"protections":["sec1367"],"reason":"r","legal_basis":"b"})";
  for (const char* failing : {"CancelNotificationsOf", "SuspendRegistrationsOf", "Commit"}) {
    SCOPED_TRACE(failing);
    faults_->Clear();
    faults_->FailOperation(failing, 1);
    auto res = Send(bhttp::verb::put, target, body, key);
    EXPECT_EQ(res.result(), bhttp::status::service_unavailable) << res.body();
    EXPECT_EQ(CountState("created"), 3);
    auto r = store_->BeginRead();
    EXPECT_EQ((*(*r)->registrations().RegistrationsOf(1, RegistrationState::kActive)).size(), 3u);
    EXPECT_TRUE((**(*r)->custody().GetSubject(1)).protections.empty());
  }
  faults_->Clear();
  auto res = Send(bhttp::verb::put, target, body, key);
  ASSERT_EQ(res.result(), bhttp::status::ok) << res.body();
  EXPECT_EQ(json::parse(res.body())["suspended_registrations"], 3);
  EXPECT_EQ(CountState("cancelled"), 3);
}

TEST_F(AgencyTest, AProtectionTakesEffectOnTheNextRequestEverywhere) {
  // Rosa is findable and followed, with two notices queued.
  ASSERT_TRUE(testutil::SeedActiveRegistrations(store_.get(), *vault_, 1, 3, kNow));
  FeedImporter importer(store_.get(), &clock_);
  auto fed = importer.ImportText(
      "feed",
      testutil::CustodyEventLine("T1", "transferred", "2026-11-20T10:00:00Z", "OTR") +
          testutil::CustodyEventLine("T2", "transferred", "2026-11-21T10:00:00Z", "ADL"),
      FeedFormat::kJsonLines, nullptr);
  ASSERT_TRUE(fed);
  for (const auto& l : *fed) ASSERT_EQ(l.status, ApplyStatus::kAccepted) << l.error.reason;
  {
    auto r = store_->BeginRead();
    auto rosa = (*r)->custody().GetSubjectByANumber(*ANumber::Parse("100000001"));
    ASSERT_TRUE(rosa && *rosa);
    EXPECT_EQ((*rosa)->subject_id, 1);
    EXPECT_EQ((*(*r)->registrations().RegistrationsOf(1, RegistrationState::kActive)).size(), 3u);
  }
  ASSERT_EQ(CountState("created"), 6);
  const std::string by_a = "/api/v1/search?a_number=100000001&country_of_birth=GT";
  const std::string by_name =
      "/api/v1/search?given_name=Rosa&family_name=Quintanilla&country_of_birth=GT";
  const std::string page =
      "/search?given_name=Rosa&family_name=Quintanilla&country_of_birth=GT&lang=en";
  ASSERT_NE(Send(bhttp::verb::get, by_a).body().find("Rosa"), std::string::npos);
  ASSERT_NE(Send(bhttp::verb::get, page).body().find("Rosa"), std::string::npos);
  // Nobody by these names exists: what a search for them answers.
  const std::string nobody_a =
      Send(bhttp::verb::get, "/api/v1/search?a_number=100000009&country_of_birth=GT").body();
  const std::string nobody_page =
      Send(bhttp::verb::get,
           "/search?given_name=Rosalba&family_name=Quintero&country_of_birth=GT&lang=en")
          .body();

  std::string exporter = Key("partner", {"report:read"});
  auto exported = Send(bhttp::verb::get, "/api/v1/agency/export", "", exporter);
  ASSERT_EQ(exported.result(), bhttp::status::ok);
  ASSERT_NE(exported.body().find("Rosa Quintanilla"), std::string::npos) << exported.body();

  std::string key = Key("privacy-office", {"subjects:protect"});
  auto res = Send(
      bhttp::verb::put, "/api/v1/agency/subjects/100000001/protections",
      R"({"protections":["sec1367"],"reason":"U visa applicant","legal_basis":"8 U.S.C. 1367"})",
      key);
  ASSERT_EQ(res.result(), bhttp::status::ok) << res.body();
  auto body = json::parse(res.body());
  EXPECT_EQ(body["cancelled_notifications"], 6);
  EXPECT_EQ(body["suspended_registrations"], 3);

  // At once: the JSON API, by A-number and by name, answers as for nobody.
  EXPECT_EQ(Send(bhttp::verb::get, by_a).body(), nobody_a);
  EXPECT_EQ(Send(bhttp::verb::get, by_name).body(), R"({"results":[]})");
  // The results page reads like one for a person who does not exist.
  std::string after = Send(bhttp::verb::get, page).body();
  EXPECT_EQ(after.find("<h3>Rosa"), std::string::npos);  // (the form echoes the query)
  auto strip_query = [](std::string html) {
    return std::regex_replace(html, std::regex("(value|href)=\"[^\"]*\""), "$1=\"\"");
  };
  EXPECT_EQ(strip_query(after), strip_query(nobody_page));
  // The export: she is gone, her ref too; the line of the other person stays.
  exported = Send(bhttp::verb::get, "/api/v1/agency/export", "", exporter);
  EXPECT_EQ(exported.body().find("Rosa"), std::string::npos) << exported.body();
  EXPECT_EQ(exported.body().find(refs_->Encode(1)), std::string::npos);
  EXPECT_NE(exported.body().find("Marta Ixcot"), std::string::npos);
  EXPECT_EQ(std::count(exported.body().begin(), exported.body().end(), '\n'), 2);
  // The outbox: everything queued is cancelled, nothing goes out.
  EXPECT_EQ(CountState("created"), 0);
  EXPECT_EQ(CountState("cancelled"), 6);
  notify::FileChannel files(dir_.File("outbox"));
  notify::Dispatcher dispatcher(store_.get(), vault_.get(), policy_.get(), &clock_,
                                {{DeliveryChannel::kEmail, &files}}, notify::DispatcherOptions{});
  EXPECT_EQ(dispatcher.RunOnce()->claimed, 0);
  // Registering for her now is registering for nobody.
  auto fresh = Send(bhttp::verb::post, "/api/v1/registrations",
                    json{{"ref", refs_->Encode(1)}, {"contact", "new@example.org"}}.dump());
  auto ghost = Send(bhttp::verb::post, "/api/v1/registrations",
                    json{{"ref", refs_->Encode(999)}, {"contact", "new@example.org"}}.dump());
  EXPECT_EQ(fresh.body(), ghost.body());
  intake_->Flush();
  EXPECT_EQ(dispatcher.RunOnce()->claimed, 0);
  // The other person is untouched.
  EXPECT_NE(Send(bhttp::verb::get, "/api/v1/search?a_number=100000002&country_of_birth=GT")
                .body()
                .find("Marta"),
            std::string::npos);
  // Bad requests say what is wrong.
  auto unknown = Send(bhttp::verb::put, "/api/v1/agency/subjects/100000077/protections",
                      R"({"protections":["asylum"],"reason":"r","legal_basis":"b"})", key);
  EXPECT_EQ(unknown.result(), bhttp::status::not_found);
  auto no_reason = Send(bhttp::verb::put, "/api/v1/agency/subjects/100000002/protections",
                        R"({"protections":["asylum"]})", key);
  EXPECT_EQ(no_reason.result(), bhttp::status::bad_request);
  EXPECT_NE(no_reason.body().find("reason: required"), std::string::npos);
  auto bad_name = Send(bhttp::verb::put, "/api/v1/agency/subjects/100000002/protections",
                       R"({"protections":["secret"],"reason":"r","legal_basis":"b"})", key);
  EXPECT_EQ(bad_name.result(), bhttp::status::bad_request);
}

// A VINEWatch override sets the status by hand (and notifies); it is an
// event like any other, so a retraction withdraws it.
TEST_F(AgencyTest, AnOverrideSetsTheStatusAndNotifies) {
  ASSERT_TRUE(testutil::SeedActiveRegistrations(store_.get(), *vault_, 1, 2, kNow));
  std::string key = Key("watch", {"subjects:override", "feed:write"});
  const std::string target = "/api/v1/agency/subjects/100000001/overrides";
  auto res = Send(bhttp::verb::post, target,
                  R"({"custody_status":"released","effective_at":"2026-11-21T09:30:00Z",)"
                  R"("reason":"released on bond; feed delayed"})",
                  key);
  ASSERT_EQ(res.result(), bhttp::status::created) << res.body();
  auto body = json::parse(res.body());
  EXPECT_EQ(body["type"], "released");
  EXPECT_EQ(body["source"], "vigil-override");
  {
    auto r = store_->BeginRead();
    auto rosa = **(*r)->custody().GetSubject(1);
    EXPECT_EQ(rosa.custody_status, CustodyStatus::kReleased);
    EXPECT_EQ(rosa.released_at, *ParseRfc3339("2026-11-21T09:30:00Z"));
  }
  auto sent = Dispatch();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_NE(sent.begin()->second.find("has been released"), std::string::npos);
  // Back in custody, at a named facility; then withdrawn.
  res = Send(bhttp::verb::post, target,
             R"({"custody_status":"in_custody","effective_at":"2026-11-22T08:00:00Z",)"
             R"("facility_id":"OTR","reason":"re-arrested"})",
             key);
  ASSERT_EQ(res.result(), bhttp::status::created) << res.body();
  EXPECT_EQ(json::parse(res.body())["type"], "booked");
  std::string event_id = json::parse(res.body())["event_id"];
  res = Send(bhttp::verb::post, "/api/v1/agency/events/vigil-override/" + event_id + "/retraction",
             R"({"reason":"wrong person"})", key);
  ASSERT_EQ(res.result(), bhttp::status::ok) << res.body();
  {
    auto r = store_->BeginRead();
    EXPECT_EQ((**(*r)->custody().GetSubject(1)).custody_status, CustodyStatus::kReleased);
  }
  // Refusals say why.
  for (
      const auto& [bad, why] : std::vector<std::pair<std::string, std::string>>{
          {R"({"custody_status":"in_custody","effective_at":"2026-11-22T08:00:00Z","reason":"r"})",
           "facility_id: required"},
          {R"({"custody_status":"released","effective_at":"2026-11-22T08:00:00Z","facility_id":"OTR","reason":"r"})",
           "facility_id: only"},
          {R"({"custody_status":"released","effective_at":"2027-01-01T00:00:00Z","reason":"r"})",
           "in the future"},
          {R"({"custody_status":"paroled","effective_at":"2026-11-22T08:00:00Z","reason":"r"})",
           "custody_status"},
          {R"({"custody_status":"released","effective_at":"yesterday","reason":"r"})",
           "effective_at"},
          {R"({"custody_status":"released","effective_at":"2026-11-22T08:00:00Z"})",
           "reason: required"},
          {R"({"custody_status":"in_custody","effective_at":"2026-11-22T08:00:00Z","facility_id":"NOPE","reason":"r"})",
           "unknown facility"},
      }) {
    auto refused = Send(bhttp::verb::post, target, bad, key);
    EXPECT_EQ(refused.result(), bhttp::status::bad_request) << bad;
    EXPECT_NE(refused.body().find(why), std::string::npos) << refused.body();
  }
  // Saying what is already known, or what happened before it, is refused.
  auto same = Send(
      bhttp::verb::post, target,
      R"({"custody_status":"released","effective_at":"2026-11-22T09:00:00Z","reason":"r"})", key);
  EXPECT_EQ(same.result(), bhttp::status::conflict) << same.body();
  EXPECT_NE(same.body().find("already released"), std::string::npos) << same.body();
  auto earlier = Send(
      bhttp::verb::post, target,
      R"({"custody_status":"removed","effective_at":"2026-11-20T00:00:00Z","reason":"r"})", key);
  EXPECT_EQ(earlier.result(), bhttp::status::conflict) << earlier.body();
  EXPECT_NE(earlier.body().find("last event"), std::string::npos) << earlier.body();
  EXPECT_EQ(
      Send(bhttp::verb::post, "/api/v1/agency/subjects/100000077/overrides",
           R"({"custody_status":"released","effective_at":"2026-11-22T08:00:00Z","reason":"r"})",
           key)
          .result(),
      bhttp::status::not_found);
}

// A block stops messages about a person (queued ones too) but not the
// lookup; events while blocked are never notified, even after unblocking.
TEST_F(AgencyTest, ABlockHoldsBackNotificationsUntilLifted) {
  ASSERT_TRUE(testutil::SeedActiveRegistrations(store_.get(), *vault_, 1, 2, kNow));
  ASSERT_TRUE(
      Import(testutil::CustodyEventLine("T1", "transferred", "2026-11-20T10:00:00Z", "OTR")));
  ASSERT_EQ(CountState("created"), 2);
  // Someone is just registering: their confirmation message is not a notice.
  Send(bhttp::verb::post, "/api/v1/registrations",
       json{{"ref", refs_->Encode(1)}, {"contact", "new@example.org"}}.dump());
  intake_->Flush();
  ASSERT_EQ(CountState("created"), 3);
  std::string key = Key("watch", {"subjects:override"});
  const std::string target = "/api/v1/agency/subjects/100000001/block";
  auto res = Send(bhttp::verb::put, target, R"({"reason":"data under review"})", key);
  ASSERT_EQ(res.result(), bhttp::status::ok) << res.body();
  EXPECT_EQ(json::parse(res.body())["cancelled_notifications"], 2);
  EXPECT_EQ(CountState("created"), 1) << "the confirmation still goes";
  EXPECT_EQ(Dispatch().size(), 1u);
  ASSERT_TRUE(
      Import(testutil::CustodyEventLine("T2", "transferred", "2026-11-21T10:00:00Z", "ADL")));
  EXPECT_EQ(CountState("created"), 0) << "nothing queued while blocked";
  EXPECT_EQ(Dispatch().size(), 1u) << "only the confirmation, sent before";
  EXPECT_NE(Send(bhttp::verb::get, "/api/v1/search?a_number=100000001&country_of_birth=GT")
                .body()
                .find("Rosa"),
            std::string::npos)
      << "a block is not a takedown";
  res = Send(bhttp::verb::delete_, target, "", key);
  ASSERT_EQ(res.result(), bhttp::status::ok) << res.body();
  EXPECT_EQ(json::parse(res.body())["changed"], true);
  EXPECT_EQ(CountState("created"), 0) << "what happened while blocked stays untold";
  ASSERT_TRUE(Import(testutil::CustodyEventLine("R1", "released", "2026-11-22T10:00:00Z", "")));
  EXPECT_EQ(CountState("created"), 2);
  EXPECT_EQ(Dispatch().size(), 3u);
  EXPECT_EQ(Send(bhttp::verb::put, target, "{}", key).result(), bhttp::status::bad_request);
  EXPECT_EQ(
      Send(bhttp::verb::put, "/api/v1/agency/subjects/100000077/block", R"({"reason":"r"})", key)
          .result(),
      bhttp::status::not_found);
}

// The DOJ VNS model: an agency enrols a verified victim, who gets a victim
// id and a PIN, and advance notice of a scheduled release that nobody else
// (registrants of the public tier, the lookup) ever sees.
TEST_F(AgencyTest, AnEnrolledVictimAloneHearsOfAScheduledRelease) {
  ASSERT_TRUE(testutil::SeedActiveRegistrations(store_.get(), *vault_, 1, 2, kNow));
  std::string key = Key("victim-services", {"victims:enrol"});
  auto res = Send(
      bhttp::verb::post, "/api/v1/agency/victims",
      R"({"a_number":"A-100-000-001","channel":"email","contact":"Victim@Example.org","language":"es"})",
      key);
  ASSERT_EQ(res.result(), bhttp::status::created) << res.body();
  auto body = json::parse(res.body());
  std::string victim_id = body["victim_id"];
  EXPECT_TRUE(std::regex_match(victim_id, std::regex("V[0-9]{9}"))) << victim_id;
  EXPECT_TRUE(std::regex_match(body["pin"].get<std::string>(), std::regex("[0-9]{4}")));
  int64_t verified_id = 0;
  {
    auto r = store_->BeginRead();
    auto regs = (*r)->registrations().RegistrationsOf(1, RegistrationState::kActive);
    for (const Registration& reg : *regs) {
      if (reg.tier != RegistrationTier::kVerified) continue;
      verified_id = reg.registration_id;
      EXPECT_EQ(reg.victim_id, victim_id);
      EXPECT_EQ(reg.language, "es");
      EXPECT_EQ(reg.pin_hash, vault_->HashPin(body["pin"].get<std::string>()));
    }
  }
  ASSERT_NE(verified_id, 0);
  // The agency learns of a release date: only the verified registrant is told.
  std::string line = testutil::CustodyEventLine("U1", "updated", "2026-11-22T09:00:00Z", "ADL");
  line.insert(line.size() - 2, R"(,"scheduled_release":"2026-12-15T16:00:00Z")");
  ASSERT_TRUE(Import(line));
  auto notes = NotificationsOfRosa();
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes.begin()->second.kind, "scheduled_release");
  EXPECT_EQ(notes.begin()->second.registration_id, verified_id);
  auto sent = Dispatch();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_NE(sent.begin()->second.find("15 de diciembre de 2026, 08:00 PST"), std::string::npos)
      << sent.begin()->second;
  EXPECT_NE(sent.begin()->second.find("libertad"), std::string::npos) << "in Spanish";
  // The public lookup shows no date, and its "updated" did not move.
  std::string found =
      Send(bhttp::verb::get, "/api/v1/search?a_number=100000001&country_of_birth=GT").body();
  EXPECT_EQ(found.find("2026-12-15"), std::string::npos) << found;
  EXPECT_NE(found.find("2026-11-01"), std::string::npos) << found;
  // A transfer goes to everyone, as always.
  ASSERT_TRUE(
      Import(testutil::CustodyEventLine("T1", "transferred", "2026-11-22T10:00:00Z", "OTR")));
  EXPECT_EQ(CountState("created"), 3);

  // Enrolling again upgrades, not duplicates; refusals say why.
  res = Send(bhttp::verb::post, "/api/v1/agency/victims",
             R"({"a_number":"100000001","channel":"email","contact":"r0@example.org"})", key);
  ASSERT_EQ(res.result(), bhttp::status::created) << res.body();
  {
    auto r = store_->BeginRead();
    auto regs = (*r)->registrations().RegistrationsOf(1, RegistrationState::kActive);
    EXPECT_EQ(regs->size(), 3u);
    int verified = 0;
    for (const Registration& reg : *regs) {
      if (reg.tier != RegistrationTier::kVerified) continue;
      ++verified;
      if (reg.victim_id != victim_id) {
        EXPECT_EQ(reg.victim_id, json::parse(res.body())["victim_id"])
            << "the upgrade keeps its id";
      }
    }
    EXPECT_EQ(verified, 2);
  }
  // The same date again tells nobody twice; a new date does.
  std::string again = testutil::CustodyEventLine("U2", "updated", "2026-11-22T10:30:00Z", "OTR");
  again.insert(again.size() - 2, R"(,"scheduled_release":"2026-12-15T16:00:00Z")");
  ASSERT_TRUE(Import(again));
  EXPECT_EQ(CountState("created"), 3);
  std::string moved = testutil::CustodyEventLine("U3", "updated", "2026-11-22T10:40:00Z", "OTR");
  moved.insert(moved.size() - 2, R"(,"scheduled_release":"2026-12-20T16:00:00Z")");
  ASSERT_TRUE(Import(moved));
  EXPECT_EQ(CountState("created"), 5) << "both verified registrants";
  // A date-only release is told as that day, not as midnight UTC (the
  // evening before in the facility's zone).
  const auto before = Dispatch();
  std::string dated = testutil::CustodyEventLine("U4", "updated", "2026-11-22T10:50:00Z", "OTR");
  dated.insert(dated.size() - 2, R"(,"scheduled_release":"2026-12-24")");
  ASSERT_TRUE(Import(dated));
  int told = 0;
  for (const auto& [id, text] : Dispatch()) {
    if (before.count(id)) continue;
    ++told;
    EXPECT_TRUE(text.find("24 de diciembre de 2026.") != std::string::npos ||
                text.find("December 24, 2026.") != std::string::npos)
        << text;
    EXPECT_EQ(text.find("00:00"), std::string::npos) << text;
    EXPECT_EQ(text.find("23 de diciembre"), std::string::npos) << text;
    EXPECT_EQ(text.find("December 23"), std::string::npos) << text;
  }
  EXPECT_EQ(told, 2);
  EXPECT_EQ(Send(bhttp::verb::post, "/api/v1/agency/victims",
                 R"({"a_number":"100000077","channel":"email","contact":"a@example.org"})", key)
                .result(),
            bhttp::status::not_found);
  EXPECT_EQ(Send(bhttp::verb::post, "/api/v1/agency/victims",
                 R"({"a_number":"100000001","channel":"fax","contact":"a@example.org"})", key)
                .result(),
            bhttp::status::bad_request);
  EXPECT_EQ(Send(bhttp::verb::post, "/api/v1/agency/victims",
                 R"({"a_number":"100000001","channel":"email","contact":"not an address"})", key)
                .result(),
            bhttp::status::bad_request);
  // Marta is a minor's record now: nothing could be sent, and the agency is told so.
  ASSERT_TRUE(Import(testutil::CustodyEventLine("P1", "updated", "2026-11-22T11:00:00Z", "ADL",
                                                "100000002", "Marta", "Ixcot", R"(["juvenile"])")));
  res = Send(bhttp::verb::post, "/api/v1/agency/victims",
             R"({"a_number":"100000002","channel":"email","contact":"a@example.org"})", key);
  EXPECT_EQ(res.result(), bhttp::status::conflict) << res.body();
}

// A shelter where many share one address: the per-address limit stops the
// public, an advocate key does not, and every use of the key is audited.
// Each contact and each person has a limit of its own, and refusals say the
// wait in words.
TEST_F(AgencyTest, RegistrationLimitsArePerAddressContactAndPersonAndAdvocatesPassTheFirst) {
  http::RateLimiter per_address(2, &clock_, std::chrono::hours(1));
  http::RateLimiter per_contact(2, &clock_, std::chrono::hours(24));
  http::RateLimiter per_person(5, &clock_, std::chrono::hours(1));
  RegistrationLimits limits{&per_address, &per_contact, &per_person};
  http::Router router;
  AddRegistrationRoutes(router, registrar_.get(), intake_.get(), &limits,
                        {.key_store = store_.get(), .audit = audit_.get()});
  std::string rosa = refs_->Encode(1), marta = refs_->Encode(2);
  auto reg = [&](const std::string& ref, const std::string& email, const std::string& key = "") {
    return testing::SendRequest(router, bhttp::verb::post, "/api/v1/registrations",
                                json{{"ref", ref}, {"contact", email}, {"language", "vi"}}.dump(),
                                key);
  };
  EXPECT_EQ(reg(rosa, "a@example.org").result(), bhttp::status::accepted);
  EXPECT_EQ(reg(rosa, "b@example.org").result(), bhttp::status::accepted);
  auto refused = reg(rosa, "c@example.org");
  EXPECT_EQ(refused.result(), bhttp::status::too_many_requests);
  EXPECT_NE(refused.body().find("too many registrations from this address; try again in about 30 "
                                "minutes"),
            std::string::npos)
      << refused.body();
  EXPECT_EQ(refused[bhttp::field::retry_after], "1800");

  // The shelter's advocate key is not held to the address's limit...
  std::string advocate = Key("casa-esperanza", {"registrations:advocate"});
  EXPECT_EQ(reg(rosa, "c@example.org", advocate).result(), bhttp::status::accepted);
  EXPECT_EQ(reg(marta, "c@example.org", advocate).result(), bhttp::status::accepted);
  // ... but one inbox is not flooded, whoever asks ...
  auto flooded = reg(marta, "c@example.org", advocate);
  EXPECT_EQ(flooded.result(), bhttp::status::too_many_requests);
  EXPECT_NE(flooded.body().find("for this contact; try again in about 12 hours"), std::string::npos)
      << flooded.body();
  // ... and one person's ref is not farmed.
  EXPECT_EQ(reg(rosa, "d@example.org", advocate).result(), bhttp::status::accepted);
  EXPECT_EQ(reg(rosa, "e@example.org", advocate).result(), bhttp::status::accepted);
  auto farmed = reg(rosa, "f@example.org", advocate);
  EXPECT_EQ(farmed.result(), bhttp::status::too_many_requests);
  EXPECT_NE(farmed.body().find("for this person"), std::string::npos) << farmed.body();

  // A key without the scope, or a wrong key, is refused, not read as none.
  EXPECT_EQ(reg(marta, "g@example.org", Key("reports", {"report:read"})).result(),
            bhttp::status::forbidden);
  EXPECT_EQ(reg(marta, "g@example.org", "vk.0000000000000000.wrong").result(),
            bhttp::status::unauthorized);

  audit_->Flush();
  auto r = store_->BeginRead();
  auto entries = (*r)->audit().AuditEntriesAfter(0, 1000);
  ASSERT_TRUE(entries);
  int by_advocate = 0;
  for (const AuditEntry& e : *entries) {
    if (e.kind != "registration_by_advocate") continue;
    ++by_advocate;
    EXPECT_EQ(e.actor, "api:casa-esperanza");
    EXPECT_EQ(e.detail.find("@"), std::string::npos) << "no contact in the audit: " << e.detail;
  }
  EXPECT_EQ(by_advocate, 4) << "each accepted registration by the key";
}

}  // namespace
}  // namespace vigil::api::agency_test
