// End to end through the real binary: `vigil serve` configured for
// SMTP (python3-aiosmtpd), Kannel (bearerbox + smsbox + the fake SMSC of
// kannel-extras) and a Twilio-shaped voice provider (tests/peers/
// twilio_fake.py). A person is found by search and registered by email,
// text and call; each registration is confirmed with what its channel
// delivered; a transfer and a release are imported with `vigil import`;
// each peer then holds exactly the expected messages; Kannel's delivery
// reports mark the texts delivered; the PIN is asked before each call
// speaks; STOP ends the texts and nothing else.
#include <gtest/gtest.h>

#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "vigil/store/store.h"
#include "vigil/testing/kannel_gateway.h"
#include "vigil/testing/notify_fixture.h"
#include "vigil/testing/process.h"
#include "vigil/testing/smtp_sink.h"
#include "vigil/testing/temp_dir.h"
#include "vigil/testing/twilio_fake.h"

namespace vigil {
namespace {

using nlohmann::json;
constexpr auto kWait = std::chrono::seconds(30);
constexpr char kInboundToken[] = "e2e-inbound-token";

// RFC 3339 for `ago` before now (the server checks feeds against its clock).
std::string Ago(std::chrono::minutes ago) {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() - ago);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::map<std::string, int64_t> StateCounts(const std::string& db) {
  std::map<std::string, int64_t> out;
  auto store = OpenStore("sqlite:" + db);
  if (!store) return out;
  auto reader = (*store)->BeginRead();
  if (!reader) return out;
  auto counts = (*reader)->outbox().NotificationStateCounts();
  if (!counts) return out;
  for (const auto& [state, n] : *counts) out[state] = n;
  return out;
}

class NotifyEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.File("v.db");
    testutil::InitVigil(dir_.path().string(), db_);
    port_ = testutil::FreePort();
    base_ = "http://127.0.0.1:" + std::to_string(port_);
    ASSERT_TRUE(sink_.Start());
    gateway_ = std::make_unique<testutil::KannelGateway>(
        dir_.path().string(), base_ + "/api/v1/sms/inbound?from=%p&text=%a&token=" + kInboundToken);
    ASSERT_TRUE(gateway_->Start());
    ASSERT_TRUE(twilio_.Start());
    Import("setup.jsonl",
           std::string(testutil::kTwoFacilities) +
               testutil::CustodyEventLine("B1", "booked", Ago(std::chrono::hours(72)), "ADL"));
    serve_ = std::make_unique<testutil::Child>(
        std::vector<std::string>{
            "/usr/bin/env",
            "VIGIL_SERVER_LISTEN=127.0.0.1:" + std::to_string(port_),
            "VIGIL_SERVER_PUBLIC_URL=" + base_,
            "VIGIL_SECRETS_KEY_FILE=" + dir_.File("var/secret.key"),
            "VIGIL_LIMITS_REGISTRATIONS_PER_HOUR=6000",
            "VIGIL_NOTIFY_EMAIL=smtp",
            "VIGIL_SMTP_URL=" + sink_.url(),
            "VIGIL_SMTP_FROM=alerts@vigil.example.org",
            "VIGIL_NOTIFY_SMS=kannel",
            "VIGIL_KANNEL_SENDSMS_URL=" + gateway_->sendsms_url(),
            "VIGIL_KANNEL_USERNAME=" + testutil::KannelGateway::username(),
            "VIGIL_KANNEL_PASSWORD=" + testutil::KannelGateway::password(),
            "VIGIL_KANNEL_FROM=" + std::string(testutil::KannelGateway::kShortCode),
            "VIGIL_KANNEL_INBOUND_TOKEN=" + std::string(kInboundToken),
            "VIGIL_NOTIFY_VOICE=twilio",
            "VIGIL_TWILIO_API_BASE=" + twilio_.api_base(),
            "VIGIL_TWILIO_ACCOUNT_SID=" + std::string(testutil::TwilioFake::kAccountSid),
            "VIGIL_TWILIO_AUTH_TOKEN=" + std::string(testutil::TwilioFake::kAuthToken),
            "VIGIL_TWILIO_FROM=+12025550100",
            testutil::VigilBinary(),
            "--db",
            db_,
            "serve"},
        dir_.path().string());
    ASSERT_TRUE(testutil::WaitFor(
        [&] { return testutil::HttpGet(port_, "/healthz").find(" 200 ") != std::string::npos; },
        kWait))
        << serve_->Stderr();
  }

  void TearDown() override {
    if (serve_) {
      serve_->Signal(SIGTERM);
      serve_->Wait();
    }
    gateway_.reset();
  }

  void Import(const std::string& name, const std::string& feed) {
    std::ofstream(dir_.File(name)) << feed;
    auto r =
        testutil::Run({testutil::VigilBinary(), "--db", db_, "import", "--quiet", dir_.File(name)},
                      dir_.path().string());
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  }

  std::string Post(const std::string& target, const json& body) {
    return testutil::HttpRequest(port_, "POST", target, body.dump());
  }

  testutil::TempDir dir_;
  std::string db_, base_;
  int port_ = 0;
  testutil::SmtpSink sink_{VIGIL_PEERS_DIR, dir_.path().string()};
  std::unique_ptr<testutil::KannelGateway> gateway_;
  testutil::TwilioFake twilio_{VIGIL_PEERS_DIR, dir_.path().string()};
  std::unique_ptr<testutil::Child> serve_;
};

TEST_F(NotifyEndToEnd, EmailTextAndCallEachGetExactlyTheirNotices) {
  // Found by search, as a person would find her.
  auto found = json::parse(testutil::HttpBody(testutil::HttpGet(
      port_, "/api/v1/search?given_name=Rosa&family_name=Quintanilla&country_of_birth=GT")));
  ASSERT_EQ(found["results"].size(), 1u) << found.dump();
  std::string ref = found["results"][0]["ref"];

  twilio_.Expect({"answer", "answer-pin 4321", "answer-pin 4321", "answer-pin 4321"});
  for (const json& r : {
           json{{"ref", ref},
                {"channel", "email"},
                {"contact", "ana@example.org"},
                {"language", "en"}},
           json{
               {"ref", ref}, {"channel", "sms"}, {"contact", "(202) 555-0143"}, {"language", "es"}},
           json{{"ref", ref},
                {"channel", "voice"},
                {"contact", "202 555 0177"},
                {"language", "en"},
                {"pin", "4321"}},
       }) {
    std::string res = Post("/api/v1/registrations", r);
    ASSERT_NE(res.find(" 202 "), std::string::npos) << res;
  }
  // Each confirmation arrives by its own channel, and confirms.
  ASSERT_TRUE(testutil::WaitFor([&] { return sink_.Messages().size() == 1; }, kWait));
  ASSERT_TRUE(testutil::WaitFor([&] { return gateway_->Received().size() == 1; }, kWait));
  ASSERT_TRUE(testutil::WaitFor([&] { return twilio_.Calls().size() == 1; }, kWait));
  std::smatch m;
  std::string mail = testutil::MailBody(sink_.Messages()[0]);
  ASSERT_TRUE(std::regex_search(mail, m, std::regex("/verify\\?token=([\\w.-]+)"))) << mail;
  EXPECT_NE(Post("/api/v1/registrations/verify", {{"token", m[1].str()}}).find(" 200 "),
            std::string::npos);
  std::string text = gateway_->Received()[0].text;
  ASSERT_TRUE(std::regex_search(text, m, std::regex("código es ([0-9]{6})"))) << text;
  EXPECT_NE(Post("/api/v1/registrations/verify",
                 {{"channel", "sms"}, {"contact", "+12025550143"}, {"code", m[1].str()}})
                .find(" 200 "),
            std::string::npos);
  std::string said = twilio_.Calls()[0].said.at(0);
  ASSERT_TRUE(std::regex_search(said, m, std::regex("(\\d), (\\d), (\\d), (\\d), (\\d), (\\d)")))
      << said;
  std::string code;
  for (int i = 1; i <= 6; ++i) code += m[i].str();
  EXPECT_NE(Post("/api/v1/registrations/verify",
                 {{"channel", "voice"}, {"contact", "+12025550177"}, {"code", code}})
                .find(" 200 "),
            std::string::npos);

  // A transfer and a release.
  Import("moves.jsonl",
         testutil::CustodyEventLine("T1", "transferred", Ago(std::chrono::minutes(120)), "OTR") +
             testutil::CustodyEventLine("R1", "released", Ago(std::chrono::minutes(60)), ""));
  ASSERT_TRUE(testutil::WaitFor(
      [&] {
        return sink_.Messages().size() >= 3 && gateway_->Received().size() >= 3 &&
               twilio_.Calls().size() >= 3;
      },
      kWait))
      << serve_->Stderr();
  // Every notice settled: emails delivered, texts delivered by Kannel's
  // reports, calls acknowledged with the PIN.
  ASSERT_TRUE(testutil::WaitFor(
      [&] {
        auto c = StateCounts(db_);
        return c["delivered"] == 7 && c["acknowledged"] == 2;
      },
      kWait));
  EXPECT_EQ(sink_.Messages().size(), 3u);
  EXPECT_EQ(gateway_->Received().size(), 3u);
  EXPECT_EQ(twilio_.Calls().size(), 3u);
  auto calls = twilio_.Calls();
  // Every provider request names its send attempt: notification id and
  // attempt, the same on a repeat of that attempt.
  std::set<std::string> tokens;
  for (const auto& call : calls) {
    EXPECT_TRUE(std::regex_match(call.idempotency_token, std::regex("vigil-[0-9]+-[0-9]+")))
        << call.idempotency_token;
    tokens.insert(call.idempotency_token);
  }
  EXPECT_EQ(tokens.size(), calls.size());
  for (const std::string& mail : sink_.Messages()) {
    EXPECT_TRUE(
        std::regex_search(mail, std::regex("\r\nX-Vigil-Idempotency-Key: vigil-[0-9]+-1\r\n")))
        << mail.substr(0, 400);
  }
  for (int i = 1; i < 3; ++i) {
    EXPECT_NE(testutil::MailBody(sink_.Messages()[i]).find("Rosa Quintanilla has been released"),
              std::string::npos);
    EXPECT_EQ(gateway_->Received()[i].to, "+12025550143");
    EXPECT_NE(gateway_->Received()[i].text.find("Rosa Quintanilla fue puesto en libertad"),
              std::string::npos)
        << gateway_->Received()[i].text;
    const auto& call = calls[i];
    ASSERT_GE(call.said.size(), 2u);
    EXPECT_EQ(call.said[0].find("Rosa"), std::string::npos) << "spoke before the PIN";
    EXPECT_NE(call.said[1].find("Rosa Quintanilla has been released"), std::string::npos);
  }

  // STOP by text: confirmed; the next change reaches email and phone only.
  ASSERT_TRUE(gateway_->SendFromPhone("+12025550143", "STOP"));
  ASSERT_TRUE(testutil::WaitFor([&] { return gateway_->Received().size() == 4; }, kWait));
  EXPECT_NE(gateway_->Received()[3].text.find("no recibirá más mensajes"), std::string::npos)
      << gateway_->Received()[3].text;
  Import("again.jsonl",
         testutil::CustodyEventLine("B2", "booked", Ago(std::chrono::minutes(30)), "ADL"));
  ASSERT_TRUE(testutil::WaitFor(
      [&] { return sink_.Messages().size() == 4 && twilio_.Calls().size() == 4; }, kWait));
  ASSERT_TRUE(testutil::WaitFor(
      [&] {
        auto c = StateCounts(db_);
        return c["delivered"] == 8 && c["acknowledged"] == 3;
      },
      kWait));
  EXPECT_EQ(gateway_->Received().size(), 4u) << "a text after STOP";
  auto counts = StateCounts(db_);
  EXPECT_EQ(counts.size(), 2u) << "every notice settled";
}

}  // namespace
}  // namespace vigil
