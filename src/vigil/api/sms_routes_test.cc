// SMS notices end to end against a real Kannel (bearerbox + smsbox) and the
// fake SMSC of kannel-extras: register a number → the code arrives by text →
// verify → a transfer and a release arrive as texts → Kannel's delivery
// reports mark them delivered → STOP ends it, START resumes it; and texts
// wait out a gateway outage.
#include "vigil/api/sms_routes.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "vigil/api/api_test_util.h"
#include "vigil/api/registration_routes.h"
#include "vigil/http/server.h"
#include "vigil/ingest/feed_importer.h"
#include "vigil/notify/dispatcher.h"
#include "vigil/notify/kannel_channel.h"
#include "vigil/notify/sms_text.h"
#include "vigil/testing/kannel_gateway.h"
#include "vigil/testing/notify_fixture.h"
#include "vigil/testing/temp_dir.h"

namespace vigil::api {
namespace {

namespace bhttp = boost::beast::http;
using nlohmann::json;

const Timestamp kNow = *ParseRfc3339("2026-11-22T12:00:00Z");
constexpr char kPhone[] = "+12025550143";
constexpr char kInboundToken[] = "inbound-test-token";
constexpr auto kWait = std::chrono::seconds(20);

class SmsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(*OpenStore("sqlite:" + dir_.File("v.db")));
    Import(std::string(testutil::kTwoFacilities) +
           testutil::CustodyEventLine("B1", "booked", "2026-11-01T00:00:00Z", "ADL") +
           testutil::CustodyEventLine("B2", "booked", "2026-11-01T00:00:00Z", "ADL", "100000002",
                                      "Guadalupe", "Fuentes", R"(["sec1367"])"));
    std::array<unsigned char, 32> key{};
    key.fill(7);
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
                          RegistrationRouteOptions{.sms = true, .default_region = "US"});
    std::array<unsigned char, 32> audit_key{};
    audit_key.fill(9);
    audit_log_ = std::make_unique<audit::AuditLog>(std::move(*audit::AuditLog::Create(audit_key)));
    audit_ = std::make_unique<audit::AuditWriter>(store_.get(), audit_log_.get(), &clock_);
    AddSmsRoutes(router_, SmsRouteDependencies{store_.get(), vault_.get(), registrar_.get(),
                                               &clock_, kInboundToken, "US", audit_.get()});
    // Our HTTP server, for Kannel's callbacks.
    http::ServerOptions options;
    options.port = 0;
    options.shutdown_grace = std::chrono::seconds(1);
    server_ = std::move(*http::Server::Create(options, &router_, nullptr));
    server_thread_ = std::thread([this] { server_->Run(); });
    std::string base = "http://127.0.0.1:" + std::to_string(server_->port());

    gateway_ = std::make_unique<testutil::KannelGateway>(
        dir_.path().string(),
        base + "/api/v1/sms/inbound?from=%p&text=%a&token=" + kInboundToken);
    ASSERT_TRUE(gateway_->Start()) << "Kannel did not start";
    notify::KannelOptions kannel;
    kannel.sendsms_url = gateway_->sendsms_url();
    kannel.username = gateway_->username();
    kannel.password = gateway_->password();
    kannel.from = testutil::KannelGateway::kShortCode;
    kannel.receipt_url = base + "/api/v1/sms/receipt";
    sms_ = std::make_unique<notify::KannelChannel>(kannel, vault_.get());
    notify::DispatcherOptions dispatch;
    dispatch.public_url = "http://127.0.0.1:8080";
    dispatcher_ = std::make_unique<notify::Dispatcher>(
        store_.get(), vault_.get(), policy_.get(), &clock_,
        std::map<DeliveryChannel, notify::Channel*>{{DeliveryChannel::kSms, sms_.get()}}, dispatch);
  }

  void TearDown() override {
    gateway_.reset();
    if (server_) server_->Stop();
    if (server_thread_.joinable()) server_thread_.join();
  }

  void Import(const std::string& feed) { testing::ImportFeed(store_.get(), &clock_, feed); }

  http::Response Send(bhttp::verb verb, const std::string& target, const std::string& body = "") {
    return testing::SendRequest(router_, verb, target, body);
  }

  http::Response Register(int64_t subject_id, const std::string& number = "(202) 555-0143") {
    return Send(bhttp::verb::post, "/api/v1/registrations",
                json{{"ref", refs_->Encode(subject_id)}, {"channel", "sms"}, {"contact", number},
                     {"language", "en"}}
                    .dump());
  }

  notify::DispatchCounts Dispatch() {
    auto r = dispatcher_->RunOnce();
    EXPECT_TRUE(r) << r.error().ToString();
    return r.value_or(notify::DispatchCounts{});
  }

  int64_t CountState(const std::string& state) {
    return testing::CountNotifications(*store_, state);
  }

  bool WaitForTexts(size_t n) {
    return testutil::WaitFor([&] { return gateway_->Received().size() >= n; }, kWait);
  }
  bool WaitForDelivered(int64_t n) {
    return testutil::WaitFor([&] { return CountState("delivered") >= n; }, kWait);
  }

  // Registers Rosa (subject 1) by SMS, reads the texted code, verifies it.
  void RegisterAndVerify() {
    ASSERT_EQ(Register(1).result(), bhttp::status::accepted);
    intake_->Flush();
    ASSERT_EQ(Dispatch().claimed, 1);
    ASSERT_TRUE(WaitForTexts(1)) << "no verification text";
    auto text = gateway_->Received().back();
    EXPECT_EQ(text.to, kPhone);
    EXPECT_EQ(text.from, testutil::KannelGateway::kShortCode);
    std::smatch m;
    ASSERT_TRUE(std::regex_search(text.text, m, std::regex("your code is ([0-9]{6})"))) << text.text;
    auto res = Send(bhttp::verb::post, "/api/v1/registrations/verify",
                    json{{"channel", "sms"}, {"contact", "202-555-0143"}, {"code", m[1].str()}}
                        .dump());
    ASSERT_EQ(res.result(), bhttp::status::ok) << res.body();
  }

  std::vector<Registration> RegistrationsOfPhone() {
    auto reader = store_->BeginRead();
    return *(*reader)->registrations().RegistrationsByContact(DeliveryChannel::kSms,
                                              vault_->BlindIndex(DeliveryChannel::kSms, kPhone));
  }

  testutil::TempDir dir_;
  ManualClock clock_{kNow};
  std::unique_ptr<Store> store_;
  std::unique_ptr<policy::RefCodec> refs_;
  std::unique_ptr<notify::ContactVault> vault_;
  std::unique_ptr<policy::DisclosurePolicy> policy_;
  std::unique_ptr<notify::Registrar> registrar_;
  std::unique_ptr<notify::RegistrationIntake> intake_;
  std::unique_ptr<audit::AuditLog> audit_log_;
  std::unique_ptr<audit::AuditWriter> audit_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  std::thread server_thread_;
  std::unique_ptr<testutil::KannelGateway> gateway_;
  std::unique_ptr<notify::KannelChannel> sms_;
  std::unique_ptr<notify::Dispatcher> dispatcher_;
};

TEST_F(SmsTest, CodeNoticesDeliveryReportsStopAndStart) {
  RegisterAndVerify();
  // Kannel's delivery report settled the verification text.
  ASSERT_TRUE(WaitForDelivered(1)) << "no delivery report";
  EXPECT_EQ(CountState("sent"), 0);

  clock_.Advance(std::chrono::hours(1));
  Import(testutil::CustodyEventLine("T1", "transferred", "2026-11-22T09:00:00Z", "OTR") +
         testutil::CustodyEventLine("R1", "released", "2026-11-22T10:00:00Z", ""));
  EXPECT_EQ(Dispatch().claimed, 2);
  ASSERT_TRUE(WaitForTexts(3));
  auto texts = gateway_->Received();
  ASSERT_EQ(texts.size(), 3u);
  for (size_t i = 1; i < 3; ++i) {
    EXPECT_EQ(texts[i].to, kPhone);
    EXPECT_NE(texts[i].text.find("Rosa Quintanilla has been released"), std::string::npos)
        << texts[i].text;
    EXPECT_NE(texts[i].text.find("civil immigration"), std::string::npos);
    EXPECT_NE(texts[i].text.find("911"), std::string::npos);
    EXPECT_NE(texts[i].text.find("Reply STOP"), std::string::npos);
    EXPECT_LE(notify::CountSmsSegments(texts[i].text).parts, 2);
  }
  ASSERT_TRUE(WaitForDelivered(3)) << "delivery reports did not mark the notices delivered";
  EXPECT_EQ(Dispatch().claimed, 0);  // nothing is sent twice
  // Each report that settled a text is in the audit log, without the number.
  audit_->Flush();
  {
    auto reader = store_->BeginRead();
    auto entries = (*reader)->audit().AuditEntriesAfter(0, 1000);
    ASSERT_TRUE(entries);
    int reports = 0;
    for (const AuditEntry& e : *entries) {
      if (e.actor != "gateway:kannel") continue;
      ++reports;
      EXPECT_EQ(e.kind, "notification");
      EXPECT_NE(e.detail.find("delivered"), std::string::npos) << e.detail;
      EXPECT_EQ(e.detail.find("5550"), std::string::npos) << e.detail;
    }
    EXPECT_EQ(reports, 3);
  }

  // A late or repeated report changes nothing; a forged one is refused.
  int64_t id = 0;
  {
    auto reader = store_->BeginRead();
    auto sent = (*reader)->outbox().NotificationsOfRegistration(RegistrationsOfPhone().front().registration_id);
    id = sent->back().notification_id;
  }
  auto late = Send(bhttp::verb::get, "/api/v1/sms/receipt?n=" + std::to_string(id) +
                                         "&k=" + vault_->ReceiptToken(id) + "&type=2");
  EXPECT_EQ(late.result(), bhttp::status::ok);
  EXPECT_EQ(late.body(), "ignored\n");
  EXPECT_EQ(CountState("delivered"), 3);
  auto forged = Send(bhttp::verb::get,
                     "/api/v1/sms/receipt?n=" + std::to_string(id) + "&k=AAAAAAAAAAAAAAAAAAAAAA&type=2");
  EXPECT_EQ(forged.result(), bhttp::status::forbidden);

  // STOP from the phone: confirmed by text, and nothing more is sent.
  ASSERT_TRUE(gateway_->SendFromPhone(kPhone, "Stop"));
  ASSERT_TRUE(WaitForTexts(4)) << "no STOP confirmation";
  EXPECT_EQ(gateway_->Received().back().to, kPhone);
  EXPECT_NE(gateway_->Received().back().text.find("no more messages"), std::string::npos);
  ASSERT_TRUE(testutil::WaitFor(
      [&] { return RegistrationsOfPhone().front().state == RegistrationState::kUnsubscribed; },
      kWait));
  EXPECT_TRUE(RegistrationsOfPhone().front().opted_out);
  Import(testutil::CustodyEventLine("B9", "booked", "2026-11-22T11:00:00Z", "ADL"));
  EXPECT_EQ(Dispatch().claimed, 0);
  // Registering the number again sends nothing while it is opted out.
  ASSERT_EQ(Register(1).result(), bhttp::status::accepted);
  intake_->Flush();
  EXPECT_EQ(Dispatch().claimed, 0);

  // START resumes; HELP answers; neither names anyone.
  ASSERT_TRUE(gateway_->SendFromPhone(kPhone, "START"));
  ASSERT_TRUE(WaitForTexts(5));
  EXPECT_NE(gateway_->Received().back().text.find("will resume"), std::string::npos);
  EXPECT_EQ(RegistrationsOfPhone().front().state, RegistrationState::kActive);
  ASSERT_TRUE(gateway_->SendFromPhone(kPhone, "help"));
  ASSERT_TRUE(WaitForTexts(6));
  std::string help = gateway_->Received().back().text;
  EXPECT_NE(help.find("Reply STOP"), std::string::npos);
  auto replies = gateway_->Received();
  for (size_t i = 3; i < replies.size(); ++i) {
    EXPECT_EQ(replies[i].text.find("Rosa"), std::string::npos) << replies[i].text;
  }
  Import(testutil::CustodyEventLine("X1", "transferred", "2026-11-22T11:30:00Z", "OTR"));
  EXPECT_EQ(Dispatch().claimed, 1);
  ASSERT_TRUE(WaitForTexts(7));
}

TEST_F(SmsTest, TextsWaitOutAGatewayOutageAndNothingIsLost) {
  RegisterAndVerify();
  ASSERT_TRUE(WaitForDelivered(1));
  gateway_->Stop();
  Import(testutil::CustodyEventLine("T1", "transferred", "2026-11-22T09:00:00Z", "OTR"));
  EXPECT_EQ(Dispatch().retried, 1);
  EXPECT_EQ(CountState("temporary_failure"), 1);
  EXPECT_EQ(Dispatch().claimed, 0);  // backing off
  ASSERT_TRUE(gateway_->Start());
  clock_.Advance(std::chrono::minutes(5));
  EXPECT_EQ(Dispatch().claimed, 1);
  ASSERT_TRUE(WaitForTexts(2));
  EXPECT_NE(gateway_->Received().back().text.find("Rosa Quintanilla is in custody"),
            std::string::npos)
      << gateway_->Received().back().text;
  ASSERT_TRUE(WaitForDelivered(2));
}

TEST_F(SmsTest, CallbacksRefuseStrangersAndBadInput) {
  auto no_token = Send(bhttp::verb::get, "/api/v1/sms/inbound?from=%2B12025550143&text=STOP");
  EXPECT_EQ(no_token.result(), bhttp::status::forbidden);
  auto wrong = Send(bhttp::verb::get,
                    "/api/v1/sms/inbound?from=%2B12025550143&text=STOP&token=guess");
  EXPECT_EQ(wrong.result(), bhttp::status::forbidden);
  auto bad = Send(bhttp::verb::get, "/api/v1/sms/receipt?n=abc&k=x&type=1");
  EXPECT_EQ(bad.result(), bhttp::status::bad_request);
  EXPECT_NE(bad.body().find("notification id"), std::string::npos);
  // A landline cannot register for texts; the error names the field.
  auto landline = Register(1, "+1 800 555 0143");
  EXPECT_EQ(landline.result(), bhttp::status::bad_request);
  EXPECT_NE(landline.body().find("contact: this number cannot receive text messages"),
            std::string::npos);
  // A protected person's ref gets the same answer as Rosa's, and nothing is texted.
  EXPECT_EQ(Register(2).body(), Register(1).body());
  intake_->Flush();
  EXPECT_EQ(Dispatch().claimed, 1);  // Rosa's code only
  ASSERT_TRUE(WaitForTexts(1));
  auto bad_code = Send(bhttp::verb::post, "/api/v1/registrations/verify",
                       json{{"channel", "sms"}, {"contact", kPhone}, {"code", "000000"}}.dump());
  EXPECT_EQ(bad_code.result(), bhttp::status::bad_request);
}

}  // namespace
}  // namespace vigil::api
