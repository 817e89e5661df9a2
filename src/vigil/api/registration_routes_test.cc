// Registration → verification → custody notices, end to end against a real
// SMTP server (python3-aiosmtpd), with the takedown, outage and privacy
// properties of issue 4.
#include "vigil/api/registration_routes.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <regex>

#include "vigil/ingest/feed_importer.h"
#include "vigil/notify/smtp_channel.h"
#include "vigil/testing/smtp_sink.h"
#include "vigil/testing/temp_dir.h"

namespace vigil::api {
namespace {

namespace bhttp = boost::beast::http;
using nlohmann::json;

const Timestamp kNow = *ParseRfc3339("2026-11-22T12:00:00Z");

std::string Event(const std::string& id, const std::string& type, const std::string& at,
                  const std::string& a_number, const std::string& given, const std::string& family,
                  const std::string& facility, const std::string& protections = "[]") {
  return R"({"record":"custody_event","source":"s","event_id":")" + id + R"(","type":")" + type +
         R"(","occurred_at":")" + at + R"(","subject":{"a_number":")" + a_number +
         R"(","given_names":")" + given + R"(","family_names":")" + family +
         R"(","aliases":[],"date_of_birth":"1980-05-05","country_of_birth":"GT"},)" +
         (facility.empty() ? "" : R"("facility_id":")" + facility + R"(",)") +
         R"("custody_basis":"civil_immigration","protections":)" + protections + "}\n";
}

// The decoded text body of a message as the SMTP server received it.
std::string Body(const std::string& mail) {
  size_t start = mail.find("\r\n\r\n");
  std::string b64;
  for (char c : mail.substr(start + 4)) {
    if (c != '\r' && c != '\n') b64 += c;
  }
  std::string out(b64.size(), '\0');
  size_t len = 0;
  sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), b64.c_str(),
                    b64.size(), nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL);
  out.resize(len);
  return out;
}

std::string Header(const std::string& mail, const std::string& name) {
  size_t at = mail.find("\r\n" + name + ": ");
  if (at == std::string::npos) return "";
  at += name.size() + 4;
  return mail.substr(at, mail.find("\r\n", at) - at);
}

class RegistrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(sink_.Start()) << "aiosmtpd did not start";
    store_ = std::move(*OpenStore("sqlite:" + dir_.File("v.db")));
    Import(R"({"record":"facility","facility_id":"ADL","name":"Adelanto ICE Processing Center","city":"Adelanto","state":"CA","phone":"+17605550100"})"
           "\n"
           R"({"record":"facility","facility_id":"OTR","name":"Otero County Processing Center","city":"Chaparral","state":"NM"})"
           "\n" +
           Event("B1", "booked", "2026-11-01T00:00:00Z", "100000001", "Rosa", "Quintanilla",
                 "ADL") +
           Event("B2", "booked", "2026-11-01T00:00:00Z", "100000002", "Guadalupe", "Fuentes",
                 "ADL", R"(["sec1367"])"));
    std::array<unsigned char, 32> key{};
    key.fill(9);
    refs_ = std::make_unique<policy::RefCodec>(std::move(*policy::RefCodec::Create(key)));
    vault_ = std::make_unique<notify::ContactVault>(std::move(*notify::ContactVault::Create(key)));
    policy_ = std::make_unique<policy::DisclosurePolicy>(&clock_, refs_.get(),
                                                         policy::PolicyOptions{});
    smtp_ = std::make_unique<notify::SmtpChannel>(
        notify::SmtpOptions{sink_.url(), "alerts@vigil.example.org"});
    notify::DispatcherOptions options;
    options.public_url = "http://127.0.0.1:8080";
    dispatcher_ = std::make_unique<notify::Dispatcher>(
        store_.get(), vault_.get(), policy_.get(), &clock_,
        std::map<Channel, notify::Channel*>{{Channel::kEmail, smtp_.get()}}, options);
    recorder_ = std::make_unique<SuppressedMatchRecorder>(store_.get());
    deps_ = {store_.get(), policy_.get(), refs_.get(), vault_.get(), &clock_, nullptr,
             recorder_.get(), nullptr};
    intake_ = std::make_unique<RegistrationIntake>(deps_);
    AddRegistrationRoutes(router_, intake_.get(), deps_);
  }

  void Import(const std::string& feed) {
    FeedImporter importer(store_.get(), &clock_);
    auto lines = importer.ImportText("test", feed, FeedFormat::kJsonLines, nullptr);
    ASSERT_TRUE(lines);
    for (const auto& l : *lines) ASSERT_EQ(l.status, ApplyStatus::kAccepted) << l.error.reason;
  }

  http::Response Send(bhttp::verb verb, const std::string& target, const std::string& body = "") {
    http::Request req{verb, target, 11};
    req.body() = body;
    req.prepare_payload();
    http::RequestContext ctx;
    ctx.request_id = "r";
    ctx.client_address = "127.0.0.1";
    return router_.Dispatch(req, ctx);
  }

  std::string RefOf(int64_t subject_id) { return refs_->Encode(subject_id); }

  http::Response Register(const std::string& ref, const std::string& email = "ana@example.org",
                          const std::string& language = "es") {
    return Send(bhttp::verb::post, "/api/v1/registrations",
                json{{"ref", ref}, {"channel", "email"}, {"contact", email},
                     {"language", language}}
                    .dump());
  }

  notify::DispatchCounts Dispatch() {
    auto r = dispatcher_->RunOnce();
    EXPECT_TRUE(r) << r.error().ToString();
    return r.value_or(notify::DispatchCounts{});
  }

  // Registers and confirms Rosa (subject 1); returns the mail count after.
  void RegisterAndVerify() {
    ASSERT_EQ(Register(RefOf(1)).result(), bhttp::status::accepted);
    intake_->Flush();
    ASSERT_EQ(Dispatch().delivered, 1);
    auto mail = sink_.Messages();
    ASSERT_FALSE(mail.empty());
    std::smatch m;
    std::string body = Body(mail.back());
    ASSERT_TRUE(std::regex_search(body, m, std::regex("/verify\\?token=([A-Za-z0-9._-]+)")))
        << body;
    auto res = Send(bhttp::verb::post, "/api/v1/registrations/verify",
                    json{{"token", m[1].str()}}.dump());
    ASSERT_EQ(res.result(), bhttp::status::ok) << res.body();
  }

  int64_t CountState(const std::string& state) {
    auto reader = store_->BeginRead();
    auto counts = (*reader)->NotificationStateCounts();
    EXPECT_TRUE(counts);
    for (const auto& [name, n] : *counts) {
      if (name == state) return n;
    }
    return 0;
  }

  testutil::TempDir dir_;
  testutil::SmtpSink sink_{VIGIL_PEERS_DIR, dir_.path().string()};
  ManualClock clock_{kNow};
  std::unique_ptr<Store> store_;
  std::unique_ptr<policy::RefCodec> refs_;
  std::unique_ptr<notify::ContactVault> vault_;
  std::unique_ptr<policy::DisclosurePolicy> policy_;
  std::unique_ptr<notify::SmtpChannel> smtp_;
  std::unique_ptr<notify::Dispatcher> dispatcher_;
  std::unique_ptr<SuppressedMatchRecorder> recorder_;
  RegistrationDependencies deps_;
  std::unique_ptr<RegistrationIntake> intake_;
  http::Router router_;
};

TEST_F(RegistrationTest, RegisterVerifyThenTransferAndReleaseArriveByEmail) {
  RegisterAndVerify();
  auto verification = sink_.Messages().front();
  EXPECT_NE(Header(verification, "X-Envelope-To").find("ana@example.org"), std::string::npos);
  EXPECT_EQ(Header(verification, "Content-Language"), "es");

  clock_.Advance(std::chrono::hours(1));
  Import(Event("T1", "transferred", "2026-11-22T09:00:00Z", "100000001", "Rosa", "Quintanilla",
               "OTR") +
         Event("R1", "released", "2026-11-22T10:00:00Z", "100000001", "Rosa", "Quintanilla", ""));
  EXPECT_EQ(Dispatch().delivered, 2);
  auto mail = sink_.Messages();
  ASSERT_EQ(mail.size(), 3u);
  std::set<std::string> ids;
  for (const auto& m : mail) ids.insert(Header(m, "Message-ID"));
  EXPECT_EQ(ids.size(), 3u);
  // Both notices are rendered from the person's state when sent: released.
  for (size_t i = 1; i < 3; ++i) {
    std::string body = Body(mail[i]);
    EXPECT_NE(body.find("Rosa Quintanilla fue puesto en libertad"), std::string::npos) << body;
    EXPECT_NE(body.find("asunto migratorio civil"), std::string::npos);
    EXPECT_NE(body.find("911"), std::string::npos);
    EXPECT_EQ(Header(mail[i], "List-Unsubscribe-Post"), "List-Unsubscribe=One-Click");
  }
  // Nothing is sent twice.
  EXPECT_EQ(Dispatch().claimed, 0);
  EXPECT_EQ(CountState("delivered"), 3);

  // One-click unsubscribe (RFC 8058) ends it.
  std::string unsubscribe = Header(mail[2], "List-Unsubscribe");
  std::string target = unsubscribe.substr(unsubscribe.find("/unsubscribe"));
  target.pop_back();  // '>'
  auto res = Send(bhttp::verb::post, target, "List-Unsubscribe=One-Click");
  EXPECT_EQ(res.result(), bhttp::status::ok);
  Import(Event("B9", "booked", "2026-11-22T11:30:00Z", "100000001", "Rosa", "Quintanilla", "ADL"));
  EXPECT_EQ(Dispatch().claimed, 0);
  EXPECT_EQ(sink_.Messages().size(), 3u);
}

TEST_F(RegistrationTest, TheAnswerIsTheSameForProtectedUnknownAndMalformedRefs) {
  std::string visible = Register(RefOf(1)).body();
  EXPECT_EQ(Register(RefOf(2)).body(), visible);                 // protected
  EXPECT_EQ(Register(RefOf(999)).body(), visible);               // nobody
  EXPECT_EQ(Register("not-a-ref-at-all").body(), visible);       // forged
  EXPECT_EQ(Register(RefOf(2)).result(), bhttp::status::accepted);
  intake_->Flush();
  Dispatch();
  // Only the visible person's registration sent anything.
  EXPECT_EQ(sink_.Messages().size(), 1u);
  // The protected match is recorded for the stalking alert, by channel.
  recorder_->Flush();
  auto reader = store_->BeginRead();
  auto matches = (*reader)->SuppressedMatchesOf(2);
  ASSERT_TRUE(matches);
  ASSERT_EQ(matches->size(), 2u);
  EXPECT_EQ((*matches)[0].channel, "registration");
  // Bad input is refused for every ref alike, naming the field.
  auto bad = Register(RefOf(1), "not an address");
  EXPECT_EQ(bad.result(), bhttp::status::bad_request);
  EXPECT_NE(bad.body().find("contact"), std::string::npos);
  EXPECT_EQ(Register(RefOf(2), "not an address").body(), bad.body());
}

TEST_F(RegistrationTest, NotificationsWaitOutAnSmtpOutageAndNothingIsLost) {
  RegisterAndVerify();
  sink_.Stop();
  Import(Event("T1", "transferred", "2026-11-22T09:00:00Z", "100000001", "Rosa", "Quintanilla",
               "OTR"));
  auto first = Dispatch();
  EXPECT_EQ(first.retried, 1);
  EXPECT_EQ(CountState("temporary_failure"), 1);
  EXPECT_EQ(Dispatch().claimed, 0);  // backing off, not hammering
  ASSERT_TRUE(sink_.Start());
  clock_.Advance(std::chrono::minutes(5));
  EXPECT_EQ(Dispatch().delivered, 1);
  EXPECT_EQ(sink_.Messages().size(), 2u);
  EXPECT_EQ(CountState("delivered"), 2);
}

TEST_F(RegistrationTest, AProtectionCancelsQueuedNoticesInTheSameTransaction) {
  RegisterAndVerify();
  Import(Event("T1", "transferred", "2026-11-22T09:00:00Z", "100000001", "Rosa", "Quintanilla",
               "OTR") +
         Event("T2", "transferred", "2026-11-22T10:00:00Z", "100000001", "Rosa", "Quintanilla",
               "ADL"));
  EXPECT_EQ(CountState("created"), 2);
  Import(Event("P1", "updated", "2026-11-22T11:00:00Z", "100000001", "Rosa", "Quintanilla", "",
               R"(["asylum"])"));
  EXPECT_EQ(CountState("created"), 0);
  EXPECT_EQ(CountState("cancelled"), 2);
  EXPECT_EQ(Dispatch().claimed, 0);
  EXPECT_EQ(sink_.Messages().size(), 1u);  // the verification only
  auto reader = store_->BeginRead();
  auto suspended = (*reader)->RegistrationsOf(1, RegistrationState::kSuspended);
  ASSERT_TRUE(suspended);
  EXPECT_EQ(suspended->size(), 1u);
  // A notice already claimed when the protection lands is suppressed, not sent.
}

TEST_F(RegistrationTest, VerificationSecretsAreSingleUseAndGuessesAreLimited) {
  ASSERT_EQ(Register(RefOf(1)).result(), bhttp::status::accepted);
  intake_->Flush();
  Dispatch();
  std::smatch m;
  std::string body = Body(sink_.Messages().back());
  ASSERT_TRUE(std::regex_search(body, m, std::regex("/verify\\?token=([0-9]+)\\.([A-Za-z0-9_-]+)")));
  std::string id = m[1].str(), secret = m[2].str();
  auto verify = [&](const std::string& token) {
    return Send(bhttp::verb::post, "/api/v1/registrations/verify", json{{"token", token}}.dump());
  };
  auto wrong = verify(id + ".wrong");
  EXPECT_EQ(wrong.result(), bhttp::status::bad_request);
  EXPECT_EQ(verify("nonsense").body(), wrong.body());
  EXPECT_EQ(verify(id + "." + secret).result(), bhttp::status::ok);
  EXPECT_EQ(verify(id + "." + secret).result(), bhttp::status::bad_request);  // used
  // The database never holds the secret or the address in the clear.
  std::ifstream db(dir_.File("v.db"), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(db)), std::istreambuf_iterator<char>());
  std::ifstream wal(dir_.File("v.db-wal"), std::ios::binary);
  bytes.append((std::istreambuf_iterator<char>(wal)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes.find("ana@example.org"), std::string::npos);
  EXPECT_EQ(bytes.find(secret), std::string::npos);
}

}  // namespace
}  // namespace vigil::api
