// Notices by phone call, end to end against a Twilio-shaped provider that
// plays each call out as the callee would (tests/peers/twilio_fake.py):
// register a number with a PIN → a call reads the code → verify → a
// transfer and a release are called in: the PIN is asked before anything
// about the person is said; calls not acknowledged with the PIN are made
// again (sooner when nobody answered) until the PIN comes or the day ends.
#include "vigil/api/voice_routes.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <nlohmann/json.hpp>
#include <functional>
#include <regex>
#include <thread>

#include "vigil/api/api_test_util.h"
#include "vigil/api/registration_routes.h"
#include "vigil/http/server.h"
#include "vigil/ingest/feed_importer.h"
#include "vigil/notify/dispatcher.h"
#include "vigil/notify/twilio_channel.h"
#include "vigil/testing/notify_fixture.h"
#include "vigil/testing/temp_dir.h"
#include "vigil/testing/twilio_fake.h"

namespace vigil::api {
namespace {

namespace bhttp = boost::beast::http;
using nlohmann::json;

const Timestamp kNow = *ParseRfc3339("2026-11-22T12:00:00Z");
constexpr char kPhone[] = "+12025550177";
constexpr auto kWait = std::chrono::seconds(20);

class VoiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(*OpenStore("sqlite:" + dir_.File("v.db")));
    Import(std::string(testutil::kTwoFacilities) +
           testutil::CustodyEventLine("B1", "booked", "2026-11-01T00:00:00Z", "ADL"));
    std::array<unsigned char, 32> key{};
    key.fill(5);
    refs_ = std::make_unique<policy::RefCodec>(std::move(*policy::RefCodec::Create(key)));
    vault_ = std::make_unique<notify::ContactVault>(std::move(*notify::ContactVault::Create(key)));
    policy_ = std::make_unique<policy::DisclosurePolicy>(&clock_, refs_.get(),
                                                         policy::PolicyOptions{});
    notify::RegistrarDependencies deps;
    deps.store = store_.get();
    deps.policy = policy_.get();
    deps.refs = refs_.get();
    deps.vault = vault_.get();
    deps.clock = &clock_;
    registrar_ = std::make_unique<notify::Registrar>(deps);
    intake_ = std::make_unique<notify::RegistrationIntake>(registrar_.get());
    AddRegistrationRoutes(router_, registrar_.get(), intake_.get(), nullptr,
                          RegistrationRouteOptions{.voice = true});

    http::ServerOptions options;
    options.port = 0;
    options.shutdown_grace = std::chrono::seconds(1);
    server_ = std::move(*http::Server::Create(options, &router_, nullptr));
    server_thread_ = std::thread([this] { server_->Run(); });
    base_ = "http://127.0.0.1:" + std::to_string(server_->port());
    VoiceRouteDependencies voice{store_.get(), vault_.get(),   policy_.get(),
                                 registrar_.get(), &clock_,     testutil::TwilioFake::kAuthToken,
                                 base_};
    AddVoiceRoutes(router_, voice);

    ASSERT_TRUE(twilio_.Start()) << "the Twilio-shaped peer did not start";
    notify::TwilioOptions twilio;
    twilio.api_base = twilio_.api_base();
    twilio.account_sid = testutil::TwilioFake::kAccountSid;
    twilio.auth_token = testutil::TwilioFake::kAuthToken;
    twilio.from = "+12025550100";
    twilio.public_url = base_;
    calls_ = std::make_unique<notify::TwilioChannel>(twilio, vault_.get(), DeliveryChannel::kVoice);
    dispatcher_ = std::make_unique<notify::Dispatcher>(
        store_.get(), vault_.get(), policy_.get(), &clock_,
        std::map<DeliveryChannel, notify::Channel*>{{DeliveryChannel::kVoice, calls_.get()}},
        notify::DispatcherOptions{});
  }

  void TearDown() override {
    twilio_.Stop();
    if (server_) server_->Stop();
    if (server_thread_.joinable()) server_thread_.join();
  }

  void Import(const std::string& feed) { testing::ImportFeed(store_.get(), &clock_, feed); }

  http::Response Post(const std::string& target, const std::string& body) {
    return testing::SendRequest(router_, bhttp::verb::post, target, body);
  }

  notify::DispatchCounts Dispatch() {
    auto r = dispatcher_->RunOnce();
    EXPECT_TRUE(r) << r.error().ToString();
    return r.value_or(notify::DispatchCounts{});
  }

  Notification Latest() {
    auto reader = store_->BeginRead();
    auto regs = (*reader)->registrations().RegistrationsByContact(DeliveryChannel::kVoice,
                                                  vault_->BlindIndex(DeliveryChannel::kVoice, kPhone));
    auto all = (*reader)->outbox().NotificationsOfRegistration(regs->front().registration_id);
    return all->back();
  }

  bool WaitForCalls(size_t n) {
    return testutil::WaitFor([&] { return twilio_.Calls().size() >= n; }, kWait);
  }
  // Waits until the latest notification leaves 'sending'/'sent'.
  bool WaitForSettled() {
    return testutil::WaitFor(
        [&] {
          auto s = Latest().state;
          return s != NotificationState::kSending && s != NotificationState::kSent;
        },
        kWait);
  }

  std::string Joined(const testutil::FakeCall& call) {
    std::string all;
    for (const auto& s : call.said) all += s + " | ";
    return all;
  }

  void RegisterAndVerify() {
    auto res = Post("/api/v1/registrations",
                    json{{"ref", refs_->Encode(1)}, {"channel", "voice"},
                         {"contact", "(202) 555-0177"}, {"language", "en"}, {"pin", "4321"}}
                        .dump());
    ASSERT_EQ(res.result(), bhttp::status::accepted) << res.body();
    intake_->Flush();
    twilio_.Expect({"answer"});
    ASSERT_EQ(Dispatch().claimed, 1);
    ASSERT_TRUE(WaitForCalls(1));
    ASSERT_TRUE(WaitForSettled());
    auto call = twilio_.Calls().back();
    EXPECT_EQ(call.to, kPhone);
    std::smatch m;
    std::string said = Joined(call);
    ASSERT_TRUE(std::regex_search(said, m, std::regex(
                                               "Your code is: (\\d), (\\d), (\\d), (\\d), (\\d), (\\d)")))
        << said;
    EXPECT_EQ(Latest().state, NotificationState::kDelivered);
    std::string code;
    for (int i = 1; i <= 6; ++i) code += m[i].str();
    auto verified = Post("/api/v1/registrations/verify",
                         json{{"channel", "voice"}, {"contact", kPhone}, {"code", code}}.dump());
    ASSERT_EQ(verified.result(), bhttp::status::ok) << verified.body();
  }

  testutil::TempDir dir_;
  ManualClock clock_{kNow};
  std::unique_ptr<Store> store_;
  std::unique_ptr<policy::RefCodec> refs_;
  std::unique_ptr<notify::ContactVault> vault_;
  std::unique_ptr<policy::DisclosurePolicy> policy_;
  std::unique_ptr<notify::Registrar> registrar_;
  std::unique_ptr<notify::RegistrationIntake> intake_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  std::thread server_thread_;
  std::string base_;
  testutil::TwilioFake twilio_{VIGIL_PEERS_DIR, dir_.path().string()};
  std::unique_ptr<notify::TwilioChannel> calls_;
  std::unique_ptr<notify::Dispatcher> dispatcher_;
};

TEST_F(VoiceTest, ThePinComesBeforeAnythingAboutThePerson) {
  RegisterAndVerify();
  clock_.Advance(std::chrono::hours(1));
  Import(testutil::CustodyEventLine("T1", "transferred", "2026-11-22T09:00:00Z", "OTR"));
  // A wrong PIN, then the right one.
  twilio_.Expect({"answer-pin 1111 4321 9"});
  ASSERT_EQ(Dispatch().claimed, 1);
  ASSERT_TRUE(WaitForCalls(2));
  ASSERT_TRUE(WaitForSettled());
  auto call = twilio_.Calls().back();
  ASSERT_GE(call.said.size(), 4u) << Joined(call);
  EXPECT_EQ(call.said[0], "This is vigil, with a message for you. Please enter your four-digit PIN.");
  EXPECT_EQ(call.said[1], "That PIN is not right. Please enter your four-digit PIN.");
  // Nothing about Rosa before the right PIN; then the notice, then the menu.
  EXPECT_EQ(call.said[0].find("Rosa"), std::string::npos);
  EXPECT_EQ(call.said[1].find("Rosa"), std::string::npos);
  EXPECT_NE(call.said[2].find("Rosa Quintanilla is in custody, at Otero County Processing Center"),
            std::string::npos)
      << call.said[2];
  EXPECT_NE(call.said[2].find("civil immigration"), std::string::npos);
  EXPECT_NE(call.said[2].find("9 1 1"), std::string::npos);
  EXPECT_EQ(call.said[3], "To hear this again, press 1. To stop these calls, press 9.");
  EXPECT_EQ(Latest().state, NotificationState::kAcknowledged);
  // Every callback was signed and answered 200.
  for (int status : call.statuses) EXPECT_EQ(status, 200);
  // 9 at the menu stopped the calls: a release calls no one.
  EXPECT_EQ(call.said.back(), "You will get no more calls from vigil. Goodbye.");
  Import(testutil::CustodyEventLine("R1", "released", "2026-11-22T10:00:00Z", ""));
  EXPECT_EQ(Dispatch().claimed, 0);
}

TEST_F(VoiceTest, CallsRepeatUntilThePinComesOrTheDayEnds) {
  RegisterAndVerify();
  Import(testutil::CustodyEventLine("R1", "released", "2026-11-22T10:00:00Z", ""));
  // Nobody answers: called again in 30 minutes.
  twilio_.Expect({"no-answer"});
  ASSERT_EQ(Dispatch().claimed, 1);
  ASSERT_TRUE(WaitForCalls(2));
  ASSERT_TRUE(WaitForSettled());
  Notification n = Latest();
  EXPECT_EQ(n.state, NotificationState::kTemporaryFailure);
  EXPECT_EQ(n.due_at, kNow + std::chrono::minutes(30));
  EXPECT_TRUE(twilio_.Calls().back().said.empty());
  clock_.Advance(std::chrono::minutes(29));
  EXPECT_EQ(Dispatch().claimed, 0);
  // Answered, but no PIN: nothing said about her, called again in 2 hours.
  clock_.Advance(std::chrono::minutes(1));
  twilio_.Expect({"answer"});
  ASSERT_EQ(Dispatch().claimed, 1);
  ASSERT_TRUE(WaitForCalls(3));
  ASSERT_TRUE(WaitForSettled());
  auto call = twilio_.Calls().back();
  EXPECT_EQ(Joined(call).find("Rosa"), std::string::npos) << Joined(call);
  EXPECT_EQ(call.said.back(), "We did not receive your PIN. We will call again later. Goodbye.");
  n = Latest();
  EXPECT_EQ(n.state, NotificationState::kTemporaryFailure);
  EXPECT_EQ(n.due_at, kNow + std::chrono::minutes(30) + std::chrono::hours(2));
  // The PIN at last.
  clock_.Advance(std::chrono::hours(2));
  twilio_.Expect({"answer-pin 4321"});
  ASSERT_EQ(Dispatch().claimed, 1);
  ASSERT_TRUE(WaitForCalls(4));
  ASSERT_TRUE(WaitForSettled());
  EXPECT_EQ(Latest().state, NotificationState::kAcknowledged);
  EXPECT_NE(Joined(twilio_.Calls().back()).find("Rosa Quintanilla has been released"),
            std::string::npos);

  // Another notice that nobody ever acknowledges ends after 24 hours.
  Import(testutil::CustodyEventLine("B2", "booked", "2026-11-22T11:00:00Z", "ADL"));
  twilio_.Expect({"busy"});
  ASSERT_EQ(Dispatch().claimed, 1);
  ASSERT_TRUE(WaitForCalls(5));
  ASSERT_TRUE(WaitForSettled());
  clock_.Advance(std::chrono::hours(25));
  twilio_.Expect({"answer"});
  ASSERT_EQ(Dispatch().claimed, 1);
  ASSERT_TRUE(WaitForCalls(6));
  ASSERT_TRUE(WaitForSettled());
  EXPECT_EQ(Latest().state, NotificationState::kPermanentFailure);
  EXPECT_NE(Latest().last_error.find("no PIN within 24 hours"), std::string::npos);
}

TEST_F(VoiceTest, CallbacksWithoutAValidSignatureAreRefused) {
  RegisterAndVerify();
  int64_t id = Latest().notification_id;
  std::string target =
      "/api/v1/voice/answer?n=" + std::to_string(id) + "&k=" + vault_->ReceiptToken(id);
  auto unsigned_call = Post(target, "CallSid=CA1&CallStatus=in-progress");
  EXPECT_EQ(unsigned_call.result(), bhttp::status::forbidden);
  // Signed with the right token, but for another URL: refused.
  http::Request req{bhttp::verb::post, target, 11};
  req.body() = "CallSid=CA1&CallStatus=in-progress";
  req.set("X-Twilio-Signature",
          notify::TwilioSignature(testutil::TwilioFake::kAuthToken, base_ + "/elsewhere",
                                  {{"CallSid", "CA1"}, {"CallStatus", "in-progress"}}));
  req.prepare_payload();
  http::RequestContext ctx;
  EXPECT_EQ(router_.Dispatch(req, ctx).result(), bhttp::status::forbidden);
  // Rightly signed, but with a MAC for another notification: refused.
  std::string other = "/api/v1/voice/answer?n=" + std::to_string(id) + "&k=" +
                      vault_->ReceiptToken(id + 1);
  http::Request forged{bhttp::verb::post, other, 11};
  forged.body() = "CallSid=CA1";
  forged.set("X-Twilio-Signature", notify::TwilioSignature(testutil::TwilioFake::kAuthToken,
                                                           base_ + other, {{"CallSid", "CA1"}}));
  forged.prepare_payload();
  EXPECT_EQ(router_.Dispatch(forged, ctx).result(), bhttp::status::forbidden);
  // A voice registration needs a 4-digit PIN.
  auto no_pin = Post("/api/v1/registrations",
                     json{{"ref", refs_->Encode(1)}, {"channel", "voice"}, {"contact", kPhone}}
                         .dump());
  EXPECT_EQ(no_pin.result(), bhttp::status::bad_request);
  EXPECT_NE(no_pin.body().find("pin: choose 4 digits"), std::string::npos);
}

// The PIN route asks the disclosure gate again: a person protected, or
// found to be a minor, after the call went out is never read out — the
// callee hears what anyone hears when there is nothing, and the notice ends
// 'suppressed'.
// What closes the gate (or ends what is owed) while a call is out: and the
// state the notice settles in when the callee then enters the PIN.
struct GateCase {
  const char* name;
  std::function<void(StoreTransaction&, Subject&)> change;
  NotificationState settles;
};

class VoiceGateTest : public VoiceTest, public ::testing::WithParamInterface<GateCase> {};

TEST_P(VoiceGateTest, ThePinRouteWithholdsWhoBecameUndisclosable) {
  RegisterAndVerify();
  Import(testutil::CustodyEventLine("T1", "transferred", "2026-11-22T09:00:00Z", "OTR"));
  twilio_.Expect({"busy"});
  ASSERT_EQ(Dispatch().claimed, 1);
  ASSERT_TRUE(WaitForCalls(2));
  ASSERT_TRUE(WaitForSettled());
  const int64_t id = Latest().notification_id;
  // The next call is out with the provider ('sent') when the gate closes:
  // by a store edit, which cancels nothing, so only the PIN route's own
  // check stands between the callee and her.
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(dir_.File("v.db").c_str(), &db), SQLITE_OK);
    std::string sql = "UPDATE notifications SET state = 'sent' WHERE notification_id = " +
                      std::to_string(id);
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
    auto w = store_->BeginWrite();
    Subject rosa = **(*w)->custody().GetSubject(1);
    GetParam().change(**w, rosa);
    ASSERT_TRUE((*w)->custody().UpdateSubject(rosa));
    ASSERT_TRUE((*w)->Commit());
  }
  std::string target = base_ + "/api/v1/voice/pin?n=" + std::to_string(id) +
                       "&k=" + vault_->ReceiptToken(id) + "&try=1";
  std::map<std::string, std::string> form = {{"CallSid", "CA9"}, {"Digits", "4321"}};
  http::Request req{bhttp::verb::post, target.substr(base_.size()), 11};
  req.body() = "CallSid=CA9&Digits=4321";
  req.set("X-Twilio-Signature",
          notify::TwilioSignature(testutil::TwilioFake::kAuthToken, target, form));
  req.prepare_payload();
  http::RequestContext ctx;
  auto res = router_.Dispatch(req, ctx);
  ASSERT_EQ(res.result(), bhttp::status::ok) << res.body();
  EXPECT_EQ(res.body().find("Rosa"), std::string::npos) << res.body();
  EXPECT_EQ(res.body().find("Otero"), std::string::npos) << res.body();
  EXPECT_NE(res.body().find("There is no message for you at this time."), std::string::npos);
  EXPECT_EQ(Latest().state, GetParam().settles);
}

INSTANTIATE_TEST_SUITE_P(
    WithheldBlockedOrWithdrawn, VoiceGateTest,
    ::testing::Values(
        GateCase{"Protected",
                 [](StoreTransaction&, Subject& s) { s.protections.Add(Protection::kSec1367); },
                 NotificationState::kSuppressed},
        GateCase{"Minor",
                 [](StoreTransaction&, Subject& s) {
                   s.date_of_birth = PartialDate{2010, 3, 1};  // 16 on 2026-11-22
                 },
                 NotificationState::kSuppressed},
        // An agency's block, and a retraction of the event the call is about.
        GateCase{"Blocked",
                 [](StoreTransaction& w, Subject& s) {
                   ASSERT_TRUE(w.controls().SetNotificationBlock(s.subject_id, "review", Timestamp{}));
                 },
                 NotificationState::kCancelled},
        GateCase{"Retracted",
                 [](StoreTransaction& w, Subject&) {
                   ASSERT_TRUE(w.custody().SetRetractedBy("s", "T1", "R1"));
                 },
                 NotificationState::kCancelled}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace vigil::api
