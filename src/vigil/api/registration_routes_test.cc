// Registration → verification → custody notices, end to end against a real
// SMTP server (python3-aiosmtpd), with the takedown, outage and privacy
// properties expected of it.
#include "vigil/api/registration_routes.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "vigil/api/api_test_util.h"
#include "vigil/api/search_routes.h"
#include "vigil/api/web_pages.h"
#include "vigil/ingest/feed_importer.h"
#include "vigil/notify/dispatcher.h"
#include "vigil/notify/smtp_channel.h"
#include "vigil/store/fault_injecting_store.h"
#include "vigil/testing/notify_fixture.h"
#include "vigil/testing/smtp_sink.h"
#include "vigil/testing/temp_dir.h"

namespace vigil::api {
namespace {

namespace bhttp = boost::beast::http;
using nlohmann::json;

const Timestamp kNow = *ParseRfc3339("2026-11-22T12:00:00Z");

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
    // SQLite behind the fault wrapper, so tests can fail the store on purpose.
    auto faulty =
        std::make_unique<FaultInjectingStore>(std::move(*OpenStore("sqlite:" + dir_.File("v.db"))));
    faults_ = &faulty->plan();
    store_ = std::move(faulty);
    // Rosa may be followed; Guadalupe is protected; Brenda turns 18 tomorrow.
    Import(std::string(testutil::kTwoFacilities) +
           testutil::CustodyEventLine("B1", "booked", "2026-11-01T00:00:00Z", "ADL") +
           testutil::CustodyEventLine("B2", "booked", "2026-11-01T00:00:00Z", "ADL", "100000002",
                                      "Guadalupe", "Fuentes", R"(["sec1367"])") +
           testutil::CustodyEventLine("B3", "booked", "2026-11-01T00:00:00Z", "ADL", "100000003",
                                      "Brenda", "Solórzano", "[]", "2008-11-23"));
    std::array<unsigned char, 32> key{};
    key.fill(9);
    refs_ = std::make_unique<policy::RefCodec>(std::move(*policy::RefCodec::Create(key)));
    vault_ = std::make_unique<notify::ContactVault>(std::move(*notify::ContactVault::Create(key)));
    policy_ =
        std::make_unique<policy::DisclosurePolicy>(&clock_, refs_.get(), policy::PolicyOptions{});
    smtp_ = std::make_unique<notify::SmtpChannel>(
        notify::SmtpOptions{sink_.url(), "alerts@vigil.example.org"});
    notify::DispatcherOptions options;
    options.public_url = "http://127.0.0.1:8080";
    options.audit = [this](std::string kind, std::optional<int64_t>, std::string detail) {
      Audited(kind + ": " + detail);
    };
    dispatcher_ = std::make_unique<notify::Dispatcher>(
        store_.get(), vault_.get(), policy_.get(), &clock_,
        std::map<DeliveryChannel, notify::Channel*>{{DeliveryChannel::kEmail, smtp_.get()}}, options);
    recorder_ = std::make_unique<SuppressedMatchRecorder>(store_.get());
    notify::RegistrarDependencies deps;
    deps.store = store_.get();
    deps.policy = policy_.get();
    deps.refs = refs_.get();
    deps.vault = vault_.get();
    deps.clock = &clock_;
    deps.record_withheld = [this](const SuppressedMatch& m) { recorder_->Record(m); };
    deps.audit = [this](std::string kind, std::optional<int64_t>, std::string detail) {
      Audited(kind + ": " + detail);
    };
    registrar_ = std::make_unique<notify::Registrar>(deps);
    intake_ = std::make_unique<notify::RegistrationIntake>(registrar_.get());
    AddRegistrationRoutes(router_, registrar_.get(), intake_.get(), nullptr);
    RegistrationPages pages{registrar_.get(), intake_.get(), nullptr, {}, vault_.get()};
    AddWebPages(router_, SearchDependencies{store_.get(), nullptr, policy_.get(), &clock_}, &pages);
  }

  void Import(const std::string& feed) { testing::ImportFeed(store_.get(), &clock_, feed); }

  http::Response Send(bhttp::verb verb, const std::string& target, const std::string& body = "") {
    return testing::SendRequest(router_, verb, target, body);
  }

  std::string RefOf(int64_t subject_id) { return refs_->Encode(subject_id); }

  void Audited(std::string line) {
    std::lock_guard<std::mutex> lock(audit_mu_);
    audited_.push_back(std::move(line));
  }
  std::string AuditTrail() {
    std::lock_guard<std::mutex> lock(audit_mu_);
    std::string all;
    for (const auto& l : audited_) all += l + "\n";
    return all;
  }
  std::mutex audit_mu_;
  std::vector<std::string> audited_;

  http::Response Register(const std::string& ref, const std::string& email = "ana@example.org",
                          const std::string& language = "es") {
    return Send(bhttp::verb::post, "/api/v1/registrations",
                json{{"ref", ref}, {"channel", "email"}, {"contact", email}, {"language", language}}
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
    std::string body = testutil::MailBody(mail.back());
    ASSERT_TRUE(std::regex_search(body, m, std::regex("/verify\\?token=([A-Za-z0-9._-]+)")))
        << body;
    auto res =
        Send(bhttp::verb::post, "/api/v1/registrations/verify", json{{"token", m[1].str()}}.dump());
    ASSERT_EQ(res.result(), bhttp::status::ok) << res.body();
  }

  int64_t CountState(const std::string& state) {
    return testing::CountNotifications(*store_, state);
  }

  testutil::TempDir dir_;
  testutil::SmtpSink sink_{VIGIL_PEERS_DIR, dir_.path().string()};
  ManualClock clock_{kNow};
  std::unique_ptr<Store> store_;
  FaultPlan* faults_ = nullptr;
  std::unique_ptr<policy::RefCodec> refs_;
  std::unique_ptr<notify::ContactVault> vault_;
  std::unique_ptr<policy::DisclosurePolicy> policy_;
  std::unique_ptr<notify::SmtpChannel> smtp_;
  std::unique_ptr<notify::Dispatcher> dispatcher_;
  std::unique_ptr<SuppressedMatchRecorder> recorder_;
  std::unique_ptr<notify::Registrar> registrar_;
  std::unique_ptr<notify::RegistrationIntake> intake_;
  http::Router router_;
};

TEST_F(RegistrationTest, RegisterVerifyThenTransferAndReleaseArriveByEmail) {
  RegisterAndVerify();
  auto verification = sink_.Messages().front();
  EXPECT_NE(Header(verification, "X-Envelope-To").find("ana@example.org"), std::string::npos);
  EXPECT_EQ(Header(verification, "Content-Language"), "es");

  clock_.Advance(std::chrono::hours(1));
  Import(testutil::CustodyEventLine("T1", "transferred", "2026-11-22T09:00:00Z", "OTR") +
         testutil::CustodyEventLine("R1", "released", "2026-11-22T10:00:00Z", ""));
  EXPECT_EQ(Dispatch().delivered, 2);
  auto mail = sink_.Messages();
  ASSERT_EQ(mail.size(), 3u);
  std::set<std::string> ids;
  for (const auto& m : mail) ids.insert(Header(m, "Message-ID"));
  EXPECT_EQ(ids.size(), 3u);
  // Both notices are rendered from the person's state when sent: released.
  for (size_t i = 1; i < 3; ++i) {
    std::string body = testutil::MailBody(mail[i]);
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
  // Each step is told to the audit log, with no contact data.
  std::string trail = AuditTrail();
  for (const char* step :
       {"registration: registration 1 by email: pending",
        "notification: notification 1 (verify, email, attempt 1): delivered",
        "verification: registration 1: confirmed", "(transferred, email, attempt 1): delivered",
        "unsubscribe: registration 1: unsubscribed"}) {
    EXPECT_NE(trail.find(step), std::string::npos) << step << " not in:\n" << trail;
  }
  EXPECT_EQ(trail.find("ana@"), std::string::npos);
  Import(testutil::CustodyEventLine("B9", "booked", "2026-11-22T11:30:00Z", "ADL"));
  EXPECT_EQ(Dispatch().claimed, 0);
  EXPECT_EQ(sink_.Messages().size(), 3u);
}

TEST_F(RegistrationTest, TheAnswerIsTheSameForProtectedUnknownAndMalformedRefs) {
  std::string visible = Register(RefOf(1)).body();
  EXPECT_EQ(Register(RefOf(2)).body(), visible);            // protected
  EXPECT_EQ(Register(RefOf(3)).body(), visible);            // a minor (18 tomorrow)
  EXPECT_EQ(Register(RefOf(999)).body(), visible);          // nobody
  EXPECT_EQ(Register("not-a-ref-at-all").body(), visible);  // forged
  EXPECT_EQ(Register(RefOf(2)).result(), bhttp::status::accepted);
  intake_->Flush();
  Dispatch();
  // Only the visible person's registration sent anything.
  EXPECT_EQ(sink_.Messages().size(), 1u);
  // The protected match is recorded for the stalking alert, by channel.
  recorder_->Flush();
  auto reader = store_->BeginRead();
  auto matches = (*reader)->controls().SuppressedMatchesOf(2);
  ASSERT_TRUE(matches);
  ASSERT_EQ(matches->size(), 2u);
  EXPECT_EQ((*matches)[0].sought_by, "registration");
  auto minor = (*reader)->controls().SuppressedMatchesOf(3);
  ASSERT_TRUE(minor);
  ASSERT_EQ(minor->size(), 1u);
  EXPECT_EQ((*minor)[0].reason, "minor");
  // Nothing was registered for either.
  EXPECT_EQ((*(*reader)->registrations().CountLiveRegistrationsOfSubject(2)), 0);
  EXPECT_EQ((*(*reader)->registrations().CountLiveRegistrationsOfSubject(3)), 0);
  // Bad input is refused for every ref alike, naming the field.
  auto bad = Register(RefOf(1), "not an address");
  EXPECT_EQ(bad.result(), bhttp::status::bad_request);
  EXPECT_NE(bad.body().find("contact"), std::string::npos);
  EXPECT_EQ(Register(RefOf(2), "not an address").body(), bad.body());
}

TEST_F(RegistrationTest, NotificationsWaitOutAnSmtpOutageAndNothingIsLost) {
  RegisterAndVerify();
  sink_.Stop();
  Import(testutil::CustodyEventLine("T1", "transferred", "2026-11-22T09:00:00Z", "OTR"));
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
  Import(testutil::CustodyEventLine("T1", "transferred", "2026-11-22T09:00:00Z", "OTR") +
         testutil::CustodyEventLine("T2", "transferred", "2026-11-22T10:00:00Z", "ADL"));
  EXPECT_EQ(CountState("created"), 2);
  Import(testutil::CustodyEventLine("P1", "updated", "2026-11-22T11:00:00Z", "", "100000001",
                                    "Rosa", "Quintanilla", R"(["asylum"])"));
  EXPECT_EQ(CountState("created"), 0);
  EXPECT_EQ(CountState("cancelled"), 2);
  EXPECT_EQ(Dispatch().claimed, 0);
  EXPECT_EQ(sink_.Messages().size(), 1u);  // the verification only
  auto reader = store_->BeginRead();
  auto suspended = (*reader)->registrations().RegistrationsOf(1, RegistrationState::kSuspended);
  ASSERT_TRUE(suspended);
  EXPECT_EQ(suspended->size(), 1u);
}

// The outbox when the store fails under the dispatcher: a failed claim
// sends nothing, and a send whose outcome cannot be recorded is sent again
// once its lease runs out — at least once, never lost.
TEST_F(RegistrationTest, AFailedClaimSendsNothingAndTheNextRunSendsItOnce) {
  RegisterAndVerify();
  Import(testutil::CustodyEventLine("T1", "transferred", "2026-11-22T09:00:00Z", "OTR"));
  faults_->FailNthCommit(1);
  auto failed = dispatcher_->RunOnce();
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(sink_.Messages().size(), 1u) << "the verification only";
  EXPECT_EQ(CountState("created"), 1);
  EXPECT_EQ(Dispatch().delivered, 1);
  EXPECT_EQ(sink_.Messages().size(), 2u);
  EXPECT_EQ(Dispatch().claimed, 0);
}

TEST_F(RegistrationTest, ASendWhoseOutcomeCannotBeRecordedIsSentAgainNotLost) {
  RegisterAndVerify();
  Import(testutil::CustodyEventLine("T1", "transferred", "2026-11-22T09:00:00Z", "OTR"));
  faults_->FailOperation("FinishNotification", 1);
  ASSERT_FALSE(dispatcher_->RunOnce());
  EXPECT_EQ(sink_.Messages().size(), 2u) << "the notice went out";
  EXPECT_EQ(CountState("sending"), 1) << "but its row could not say so";
  EXPECT_EQ(Dispatch().claimed, 0) << "still leased to the sender that failed";
  clock_.Advance(std::chrono::seconds(61));
  EXPECT_EQ(Dispatch().delivered, 1);
  EXPECT_EQ(sink_.Messages().size(), 3u);
  EXPECT_EQ(CountState("delivered"), 2);
}

// A protection whose transaction fails takes nothing down halfway: the
// notice stays queued and the registration active until a retry commits.
TEST_F(RegistrationTest, AProtectionThatFailsToCommitChangesNothingUntilRetried) {
  RegisterAndVerify();
  Import(testutil::CustodyEventLine("T1", "transferred", "2026-11-22T09:00:00Z", "OTR"));
  const std::string protection =
      testutil::CustodyEventLine("P1", "updated", "2026-11-22T11:00:00Z", "", "100000001", "Rosa",
                                 "Quintanilla", R"(["asylum"])");
  faults_->FailNthCommit(1);
  FeedImporter importer(store_.get(), &clock_);
  ASSERT_FALSE(importer.ImportText("test", protection, FeedFormat::kJsonLines, nullptr));
  EXPECT_EQ(CountState("created"), 1);
  EXPECT_EQ(
      (*(*store_->BeginRead())->registrations().RegistrationsOf(1, RegistrationState::kActive))
          .size(),
      1u);
  Import(protection);
  EXPECT_EQ(CountState("created"), 0);
  EXPECT_EQ(CountState("cancelled"), 1);
  EXPECT_EQ(Dispatch().claimed, 0);
}

TEST_F(RegistrationTest, ANoticeForSomeoneWithheldSinceItWasQueuedIsSuppressedNotSent) {
  RegisterAndVerify();
  Import(testutil::CustodyEventLine("T1", "transferred", "2026-11-22T09:00:00Z", "OTR"));
  ASSERT_EQ(CountState("created"), 1);
  // The person becomes undisclosable by a path that does not cancel the
  // outbox (a store edit): the dispatcher's own gate check must hold.
  {
    auto w = store_->BeginWrite();
    Subject s = **(*w)->custody().GetSubject(1);
    s.protections.Add(Protection::kSealed);
    ASSERT_TRUE((*w)->custody().UpdateSubject(s));
    ASSERT_TRUE((*w)->Commit());
  }
  auto counts = Dispatch();
  EXPECT_EQ(counts.suppressed, 1);
  EXPECT_EQ(counts.delivered, 0);
  EXPECT_EQ(sink_.Messages().size(), 1u);  // the verification only
  EXPECT_EQ(CountState("suppressed"), 1);
}

TEST_F(RegistrationTest, MalformedRegistrationsAreRefusedNamingTheProblem) {
  struct Case {
    std::string body, message;
  };
  std::string ref = RefOf(1);
  for (const Case& c : std::vector<Case>{
           {"not json", "must be a JSON object"},
           {"[1,2]", "must be a JSON object"},
           {R"({"ref":")" + ref + R"(","contact":"a@example.org","name":"x"})", "unknown field"},
           {R"({"ref":")" + ref + R"(","contact":7})", "contact must be a string"},
           {R"({"contact":"a@example.org"})", "ref is required"},
           {R"({"ref":")" + ref + R"(","contact":"a@example.org","language":"xx"})",
            "language must be"},
           {R"({"ref":")" + ref + R"(","contact":"a@example.org","channel":"fax"})",
            "channel must be email, sms or voice"},
           {R"({"ref":")" + ref + R"(","contact":"+15555550100","channel":"sms"})",
            "not offered by this server"},
           {R"({"ref":")" + ref + R"(","contact":"a@@example.org"})", "contact:"},
       }) {
    auto res = Send(bhttp::verb::post, "/api/v1/registrations", c.body);
    EXPECT_EQ(res.result(), bhttp::status::bad_request) << c.body;
    EXPECT_NE(res.body().find(c.message), std::string::npos) << c.body << " -> " << res.body();
  }
  // Nothing was queued by any of them.
  intake_->Flush();
  auto reader = store_->BeginRead();
  EXPECT_EQ((*(*reader)->registrations().CountLiveRegistrationsOfSubject(1)), 0);
}

TEST_F(RegistrationTest, VerificationSecretsAreSingleUseAndGuessesAreLimited) {
  ASSERT_EQ(Register(RefOf(1)).result(), bhttp::status::accepted);
  intake_->Flush();
  Dispatch();
  std::smatch m;
  std::string body = testutil::MailBody(sink_.Messages().back());
  ASSERT_TRUE(
      std::regex_search(body, m, std::regex("/verify\\?token=([0-9]+)\\.([A-Za-z0-9_-]+)")));
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

// `page` with every occurrence of `ref` (echoed in the form) replaced.
std::string WithoutRef(std::string page, const std::string& ref) {
  for (size_t at; (at = page.find(ref)) != std::string::npos;) page.replace(at, ref.size(), "REF");
  return page;
}

TEST_F(RegistrationTest, TheRegistrationPagesAnswerAlikeForEveryRef) {
  auto post = [&](const std::string& ref, const std::string& contact) {
    return Send(bhttp::verb::post, "/register",
                "ref=" + ref + "&channel=email&contact=" + contact + "&language=es&lang=en");
  };
  auto visible = post(RefOf(1), "ana%40example.org");
  EXPECT_EQ(visible.result(), bhttp::status::ok);
  EXPECT_NE(visible.body().find("Check your messages"), std::string::npos);
  for (const std::string& ref : {RefOf(2), RefOf(3), RefOf(999), std::string("forged-ref")}) {
    auto res = post(ref, "ana%40example.org");
    EXPECT_EQ(res.result(), visible.result()) << ref;
    EXPECT_EQ(res.body(), visible.body()) << ref;
    // The form for the ref says nothing of whom it names either.
    auto form = Send(bhttp::verb::get, "/register?ref=" + ref);
    auto form_visible = Send(bhttp::verb::get, "/register?ref=" + RefOf(1));
    EXPECT_EQ(form.result(), bhttp::status::ok);
    EXPECT_EQ(WithoutRef(form.body(), ref), WithoutRef(form_visible.body(), RefOf(1)));
  }
  // A bad address is refused for every ref alike, on the form, naming the problem.
  auto bad = post(RefOf(1), "not-an-address");
  EXPECT_EQ(bad.result(), bhttp::status::bad_request);
  EXPECT_NE(bad.body().find("Check the email address"), std::string::npos);
  EXPECT_NE(bad.body().find("aria-invalid=\"true\""), std::string::npos);
  auto bad_protected = post(RefOf(2), "not-an-address");
  EXPECT_EQ(WithoutRef(bad.body(), RefOf(1)), WithoutRef(bad_protected.body(), RefOf(2)));
  intake_->Flush();
  Dispatch();
  EXPECT_EQ(sink_.Messages().size(), 1u);  // Rosa's confirmation only
}

// The registrant's own page: reached with the reference and PIN shown when
// the registration was confirmed, or from the link in each notice; it lists
// the notices and how each went, changes their language, and offers the
// stop. A person the gate now withholds (protected, or a minor after all)
// is shown as no one: no name, no notices.
TEST_F(RegistrationTest, TheStatusPageShowsTheRegistrationAndNothingTheGateWithholds) {
  auto confirm = [&](int64_t subject, const std::string& email) {
    EXPECT_EQ(Register(RefOf(subject), email, "en").result(), bhttp::status::accepted);
    intake_->Flush();
    Dispatch();
    std::smatch m;
    std::string body;
    for (const std::string& mail : sink_.Messages()) {
      if (Header(mail, "To") == email) body = testutil::MailBody(mail);
    }
    EXPECT_TRUE(std::regex_search(body, m, std::regex("/verify\\?token=([A-Za-z0-9._-]+)")))
        << body;
    auto page = Send(bhttp::verb::post, "/verify?token=" + m[1].str() + "&lang=en");
    EXPECT_EQ(page.result(), bhttp::status::ok) << page.body();
    std::smatch keep;
    EXPECT_TRUE(std::regex_search(page.body(), keep,
                                  std::regex("Your reference is <strong>(R-[0-9]+)</strong> and "
                                             "your PIN is <strong>([0-9]{6})</strong>")))
        << page.body();
    return std::pair<std::string, std::string>(keep[1], keep[2]);
  };
  auto [reference, pin] = confirm(1, "rosa-watch@example.org");
  auto status = [&](const std::string& ref, const std::string& p) {
    return Send(bhttp::verb::post, "/status?lang=en", "reference=" + ref + "&pin=" + p);
  };
  auto page = status(reference, pin);
  ASSERT_EQ(page.result(), bhttp::status::ok) << page.body();
  EXPECT_NE(page.body().find("Notices about Rosa Quintanilla"), std::string::npos);
  EXPECT_NE(page.body().find("r•••@example.org"), std::string::npos) << "the contact, masked";
  EXPECT_EQ(page.body().find("rosa-watch"), std::string::npos);
  EXPECT_NE(page.body().find("<dd>Active</dd>"), std::string::npos);
  EXPECT_NE(page.body().find("No notices have been sent yet."), std::string::npos);
  // A wrong PIN, or another reference with this PIN, is the same refusal.
  auto wrong = status(reference, pin == "000000" ? "000001" : "000000");
  EXPECT_EQ(wrong.result(), bhttp::status::bad_request);
  EXPECT_NE(wrong.body().find("The reference or PIN is not right."), std::string::npos);
  EXPECT_EQ(status("R-999", pin).body(),
            wrong.body().replace(wrong.body().find(reference), reference.size(), "R-999"));

  // A notice arrives, with the way to this page; the page lists it.
  Import(testutil::CustodyEventLine("T1", "transferred", "2026-11-22T10:00:00Z", "OTR"));
  Dispatch();
  std::string notice = testutil::MailBody(sink_.Messages().back());
  std::smatch link;
  ASSERT_TRUE(std::regex_search(notice, link, std::regex("/status\\?token=([A-Za-z0-9._-]+)")))
      << notice;
  page = Send(bhttp::verb::get, "/status?token=" + link[1].str() + "&lang=en");
  ASSERT_EQ(page.result(), bhttp::status::ok);
  EXPECT_NE(page.body().find("<td>Transfer</td><td>Delivered</td>"), std::string::npos)
      << page.body();
  // The language of the notices changes from the page.
  page = Send(bhttp::verb::post, "/status/language?token=" + link[1].str() + "&lang=en",
              "language=vi");
  ASSERT_EQ(page.result(), bhttp::status::ok) << page.body();
  EXPECT_NE(page.body().find("The notices will now be in Tiếng Việt."), std::string::npos);
  {
    auto r = store_->BeginRead();
    auto regs = (*r)->registrations().RegistrationsOf(1, RegistrationState::kActive);
    ASSERT_EQ(regs->size(), 1u);
    EXPECT_EQ(regs->front().language, "vi");
  }
  Import(testutil::CustodyEventLine("T2", "transferred", "2026-11-22T11:00:00Z", "ADL"));
  Dispatch();
  EXPECT_EQ(Header(sink_.Messages().back(), "Content-Language"), "vi");

  // Rosa turns out to be a protected person; then, the protection lifted, a
  // minor after all: each time her registrant's page shows no one.
  auto withheld = [&](const std::string& why) -> std::string {
    page = status(reference, pin);
    EXPECT_EQ(page.result(), bhttp::status::ok);
    const std::string& body = page.body();
    for (const char* secret :
         {"Rosa", "Quintanilla", "Adelanto", "Otero", "Transfer", "2012", "1980"}) {
      EXPECT_EQ(body.find(secret), std::string::npos) << secret << " on the page (" << why << ")";
    }
    EXPECT_NE(body.find("A person we can no longer tell you about"), std::string::npos) << why;
    EXPECT_NE(body.find("No notices have been sent yet."), std::string::npos) << why;
    return body;
  };
  Import(testutil::CustodyEventLine("P1", "updated", "2026-11-22T11:30:00Z", "ADL", "100000001",
                                    "Rosa", "Quintanilla", R"(["sec1367"])"));
  std::string protected_page = withheld("protected");
  Import(testutil::CustodyEventLine("M1", "updated", "2026-11-22T11:40:00Z", "ADL", "100000001",
                                    "Rosa", "Quintanilla", "[]", "2012-01-01"));
  EXPECT_EQ(withheld("a minor"), protected_page) << "the two look alike";

  // Five tries an hour from an address (and for a reference, however it is
  // written): this address has had five, so the next, even with the right
  // PIN, waits; an hour later it is let in.
  std::string digits = reference.substr(2);
  auto guessed = status("r+" + digits, "123456");
  EXPECT_EQ(guessed.result(), bhttp::status::too_many_requests) << guessed.body();
  EXPECT_FALSE(guessed[bhttp::field::retry_after].empty());
  EXPECT_EQ(status(digits, pin).result(), bhttp::status::too_many_requests);
  clock_.Advance(std::chrono::hours(1));
  EXPECT_EQ(status(digits, pin).result(), bhttp::status::ok);
}

}  // namespace
}  // namespace vigil::api
