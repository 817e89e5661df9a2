// The agency API (issue 5): every route checks its key and scope; events go
// in as `vigil import` takes them; a protection set through the API takes
// effect on the very next request, everywhere.
#include "vigil/api/agency_routes.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "vigil/api/agency_keys.h"
#include "vigil/api/api_test_util.h"
#include "vigil/api/export.h"
#include "vigil/api/registration_routes.h"
#include "vigil/api/search_routes.h"
#include "vigil/api/web_pages.h"
#include "vigil/ingest/feed_importer.h"
#include "vigil/notify/dispatcher.h"
#include "vigil/notify/file_channel.h"
#include "vigil/search/index_follower.h"
#include "vigil/store/fault_injecting_store.h"
#include "vigil/testing/notify_fixture.h"
#include "vigil/testing/temp_dir.h"
#include "vigil/text/normalize.h"

namespace vigil::api {
namespace {

namespace bhttp = boost::beast::http;
using nlohmann::json;

const Timestamp kNow = *ParseRfc3339("2026-11-22T12:00:00Z");

class AgencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto faulty =
        std::make_unique<FaultInjectingStore>(std::move(*OpenStore("sqlite:" + dir_.File("v.db"))));
    faults_ = &faulty->plan();
    store_ = std::move(faulty);
    FeedImporter importer(store_.get(), &clock_);
    auto lines = importer.ImportText(
        "setup",
        std::string(testutil::kTwoFacilities) +
            testutil::CustodyEventLine("B1", "booked", "2026-11-01T00:00:00Z", "ADL") +
            testutil::CustodyEventLine("B2", "booked", "2026-11-01T00:00:00Z", "ADL", "100000002",
                                       "Marta", "Ixcot"),
        FeedFormat::kJsonLines, nullptr);
    ASSERT_TRUE(lines);
    normalizer_ = std::move(*text::NameNormalizer::Create());
    index_ = std::make_unique<search::NameIndex>(normalizer_.get());
    std::array<unsigned char, 32> key{};
    key.fill(3);
    refs_ = std::make_unique<policy::RefCodec>(std::move(*policy::RefCodec::Create(key)));
    vault_ = std::make_unique<notify::ContactVault>(std::move(*notify::ContactVault::Create(key)));
    policy_ =
        std::make_unique<policy::DisclosurePolicy>(&clock_, refs_.get(), policy::PolicyOptions{});
    search::IndexFollower follower(store_.get(), index_.get(),
                                   [this](const Subject& s) { return PublicListing(*policy_, s); });
    ASSERT_TRUE(follower.LoadAll());
    SearchDependencies search{store_.get(), index_.get(), policy_.get(), &clock_, nullptr, nullptr};
    AddSearchRoutes(router_, search);
    notify::RegistrarDependencies deps;
    deps.store = store_.get();
    deps.policy = policy_.get();
    deps.refs = refs_.get();
    deps.vault = vault_.get();
    deps.clock = &clock_;
    registrar_ = std::make_unique<notify::Registrar>(deps);
    intake_ = std::make_unique<notify::RegistrationIntake>(registrar_.get());
    AddRegistrationRoutes(router_, registrar_.get(), intake_.get(), nullptr);
    RegistrationPages pages{registrar_.get(), intake_.get(), nullptr, {}};
    AddWebPages(router_, search, &pages);
    audit_log_ = std::make_unique<audit::AuditLog>(std::move(*audit::AuditLog::Create(key)));
    audit_ = std::make_unique<audit::AuditWriter>(store_.get(), audit_log_.get(), &clock_);
    AddAgencyRoutes(router_, {store_.get(), &clock_, nullptr, audit_log_.get(), audit_.get(),
                              vault_.get(), policy_.get()});
  }

  // Sends what is due through a file channel; returns the texts written,
  // by notification id.
  std::map<int64_t, std::string> Dispatch(int batch = 50) {
    notify::FileChannel files(dir_.File("outbox"));
    notify::DispatcherOptions options;
    options.batch = batch;
    notify::Dispatcher dispatcher(store_.get(), vault_.get(), policy_.get(), &clock_,
                                  {{Channel::kEmail, &files}}, options);
    auto counts = dispatcher.RunOnce();
    EXPECT_TRUE(counts);
    std::map<int64_t, std::string> out;
    std::filesystem::create_directories(dir_.File("outbox"));
    for (const auto& entry : std::filesystem::directory_iterator(dir_.File("outbox"))) {
      std::ifstream in(entry.path());
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      out[std::stoll(entry.path().stem().string())] = text;
    }
    return out;
  }

  // The notifications of every registration of subject 1, by id.
  std::map<int64_t, Notification> NotificationsOfRosa() {
    std::map<int64_t, Notification> out;
    auto r = store_->BeginRead();
    for (auto state : {RegistrationState::kActive, RegistrationState::kSuspended}) {
      auto regs = (*r)->registrations().RegistrationsOf(1, state);
      for (const Registration& reg : *regs) {
        auto ns = (*r)->outbox().NotificationsOfRegistration(reg.registration_id);
        for (const Notification& n : *ns) out[n.notification_id] = n;
      }
    }
    return out;
  }

  Result<void> Import(const std::string& lines) {
    FeedImporter importer(store_.get(), &clock_);
    auto fed = importer.ImportText("feed", lines, FeedFormat::kJsonLines, nullptr);
    if (!fed) return tl::unexpected(fed.error());
    for (const auto& l : *fed) {
      if (l.status != ApplyStatus::kAccepted) return InvalidArgument(l.error.reason);
    }
    return {};
  }

  // A key; one with feed:write is bound to the fixture feed's source "s"
  // unless `sources` says otherwise.
  std::string Key(const std::string& name, std::vector<std::string> scopes,
                  std::optional<std::vector<std::string>> sources = std::nullopt) {
    bool feed = std::find(scopes.begin(), scopes.end(), "feed:write") != scopes.end();
    auto k = MakeApiKey(
        name, std::move(scopes),
        sources.value_or(feed ? std::vector<std::string>{"s"} : std::vector<std::string>{}), kNow);
    EXPECT_TRUE(k) << k.error().message();
    auto w = store_->BeginWrite();
    EXPECT_TRUE((*w)->controls().InsertApiKey(k->stored));
    EXPECT_TRUE((*w)->Commit());
    return k->key;
  }

  http::Response Send(bhttp::verb verb, const std::string& target, const std::string& body = "",
                      const std::string& key = "", const std::string& type = "application/json") {
    return testing::SendRequest(router_, verb, target, body, key, type);
  }

  int64_t CountState(const std::string& state) {
    return testing::CountNotifications(*store_, state);
  }

  testutil::TempDir dir_;
  ManualClock clock_{kNow};
  std::unique_ptr<Store> store_;
  FaultPlan* faults_ = nullptr;  // the store fails as told
  std::unique_ptr<text::NameNormalizer> normalizer_;
  std::unique_ptr<search::NameIndex> index_;
  std::unique_ptr<policy::RefCodec> refs_;
  std::unique_ptr<notify::ContactVault> vault_;
  std::unique_ptr<policy::DisclosurePolicy> policy_;
  std::unique_ptr<notify::Registrar> registrar_;
  std::unique_ptr<notify::RegistrationIntake> intake_;
  std::unique_ptr<audit::AuditLog> audit_log_;
  std::unique_ptr<audit::AuditWriter> audit_;
  http::Router router_;
};

// The route-table test of issue 5: walks the router, and every agency route
// refuses a missing, malformed, unknown, wrong-scope and revoked key.
TEST_F(AgencyTest, EveryAgencyRouteChecksItsKeyAndScope) {
  std::vector<std::string> all(kScopes.begin(), kScopes.end());
  std::string revoked = Key("revoked", all);
  {
    auto w = store_->BeginWrite();
    ASSERT_TRUE(*(*w)->controls().RevokeApiKey("revoked", kNow));
    ASSERT_TRUE((*w)->Commit());
  }
  std::set<std::string> served, tabled;
  for (const auto& [verb, pattern] : router_.Routes()) {
    if (pattern.rfind("/api/v1/agency/", 0) == 0) {
      served.insert(std::string(bhttp::to_string(verb)) + " " + pattern);
    }
  }
  for (const AgencyRoute& route : AgencyRouteTable()) {
    tabled.insert(std::string(bhttp::to_string(route.verb)) + " " + route.pattern);
  }
  ASSERT_FALSE(served.empty());
  EXPECT_EQ(served, tabled) << "every agency route must be in AgencyRouteTable with its scope";
  int i = 0;
  for (const AgencyRoute& route : AgencyRouteTable()) {
    std::string target =
        std::regex_replace(route.pattern, std::regex("\\{a_number\\}"), "100000001");
    target = std::regex_replace(target, std::regex("\\{source\\}/\\{event_id\\}"), "s/B1");
    std::vector<std::string> others;
    for (const auto& s : all) {
      if (s != route.scope) others.push_back(s);
    }
    std::string wrong_scope = Key("wrong-" + std::to_string(i), others);
    std::string right = Key("right-" + std::to_string(i++), {route.scope});
    std::string unknown = "vk.0123456789abcdef." + right.substr(20);
    std::string forged = right.substr(0, right.size() - 2) + "xx";
    for (const auto& [key, status] : std::vector<std::pair<std::string, bhttp::status>>{
             {"", bhttp::status::unauthorized},
             {"not-a-key", bhttp::status::unauthorized},
             {unknown, bhttp::status::unauthorized},
             {forged, bhttp::status::unauthorized},
             {revoked, bhttp::status::unauthorized},
             {wrong_scope, bhttp::status::forbidden},
         }) {
      auto res = Send(route.verb, target, "{}", key);
      EXPECT_EQ(res.result(), status) << route.pattern << " with key '" << key << "'";
      EXPECT_NE(res.body().find("\"request_id\""), std::string::npos) << res.body();
    }
    auto ok = Send(route.verb, target, "{}", right);
    EXPECT_NE(ok.result(), bhttp::status::unauthorized) << route.pattern;
    EXPECT_NE(ok.result(), bhttp::status::forbidden) << route.pattern;
  }
  // Keys are stored only as hashes.
  std::ifstream db(dir_.File("v.db"), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(db)), std::istreambuf_iterator<char>());
  std::ifstream wal(dir_.File("v.db-wal"), std::ios::binary);
  bytes.append((std::istreambuf_iterator<char>(wal)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes.find(revoked.substr(20)), std::string::npos);
}

// RFC 7235: the scheme is case-insensitive. Two Authorization headers are
// refused outright: which one a proxy and the server each honour differs.
TEST_F(AgencyTest, TheBearerSchemeIsCaseInsensitiveAndOneHeaderOnly) {
  std::string key = Key("reader", {"audit:read"});
  auto send = [&](std::vector<std::string> authorizations) {
    http::Request req{bhttp::verb::get, "/api/v1/agency/audit", 11};
    for (const auto& a : authorizations) req.insert(bhttp::field::authorization, a);
    req.prepare_payload();
    http::RequestContext ctx;
    ctx.request_id = "r";
    ctx.client_address = "127.0.0.1";
    return router_.Dispatch(req, ctx);
  };
  for (std::string scheme : {"Bearer ", "bearer ", "BEARER ", "bEaReR ", "Bearer   "}) {
    EXPECT_EQ(send({scheme + key}).result(), bhttp::status::ok) << scheme;
  }
  for (const std::string& wrong :
       std::vector<std::string>{"Basic " + key, "Bearer" + key, "Bearerx " + key, key, "Bearer "}) {
    EXPECT_EQ(send({wrong}).result(), bhttp::status::unauthorized) << wrong;
  }
  for (const auto& pair :
       std::vector<std::vector<std::string>>{{"Bearer " + key, "Bearer " + key},
                                             {"Bearer " + key, "Bearer vk.0123456789abcdef.xxxx"},
                                             {"Bearer vk.0123456789abcdef.xxxx", "Bearer " + key},
                                             {"Bearer " + key, ""}}) {
    auto res = send(pair);
    EXPECT_EQ(res.result(), bhttp::status::bad_request) << pair[0] << " / " << pair[1];
    EXPECT_NE(res.body().find("one Authorization header"), std::string::npos) << res.body();
  }
}

TEST_F(AgencyTest, EventsGoInLikeAFeedWithPerLineResults) {
  std::string key = Key("feed", {"feed:write"});
  std::string one = testutil::CustodyEventLine("T1", "transferred", "2026-11-20T10:00:00Z", "OTR");
  auto res = Send(bhttp::verb::post, "/api/v1/agency/events", one, key);
  ASSERT_EQ(res.result(), bhttp::status::ok) << res.body();
  auto body = json::parse(res.body());
  EXPECT_EQ(body["accepted"], 1);
  std::string batch = one +
                      R"({"record":"custody_event","source":"s","event_id":"X"})"
                      "\n" +
                      testutil::CustodyEventLine("R1", "released", "2026-11-21T10:00:00Z", "");
  res = Send(bhttp::verb::post, "/api/v1/agency/events", batch, key, "application/x-ndjson");
  ASSERT_EQ(res.result(), bhttp::status::ok) << res.body();
  body = json::parse(res.body());
  EXPECT_EQ(body["accepted"], 1);
  EXPECT_EQ(body["duplicate"], 1);
  EXPECT_EQ(body["rejected"], 1);
  EXPECT_EQ(body["lines"][0]["status"], "duplicate");
  EXPECT_EQ(body["lines"][1]["line"], 2);
  EXPECT_EQ(body["lines"][1]["status"], "rejected");
  EXPECT_FALSE(body["lines"][1]["reason"].get<std::string>().empty());
  EXPECT_EQ(body["lines"][2]["status"], "accepted");
  auto reader = store_->BeginRead();
  EXPECT_EQ((**(*reader)->custody().GetSubject(1)).custody_status, CustodyStatus::kReleased);
  auto bad = Send(bhttp::verb::post, "/api/v1/agency/events", "[1,2]", key);
  EXPECT_EQ(bad.result(), bhttp::status::bad_request);
}

// Issue 5's takedown: a protection set through the agency API, with no
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
                                {{Channel::kEmail, &files}}, notify::DispatcherOptions{});
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

// Issue 5: a retraction sends a correction to those who received the
// withdrawn notice, and to nobody else; what was not yet sent is not sent.
TEST_F(AgencyTest, RetractionCorrectsOnlyThoseWhoReceivedTheNotice) {
  ASSERT_TRUE(testutil::SeedActiveRegistrations(store_.get(), *vault_, 1, 2, kNow));
  ASSERT_TRUE(
      Import(testutil::CustodyEventLine("T1", "transferred", "2026-11-20T10:00:00Z", "OTR")));
  auto queued = NotificationsOfRosa();
  ASSERT_EQ(queued.size(), 2u);
  // Only the first registrant's notice goes out before the retraction.
  auto sent = Dispatch(/*batch=*/1);
  ASSERT_EQ(sent.size(), 1u);
  int64_t told = sent.begin()->first;
  int64_t told_registration = queued.at(told).registration_id;
  ASSERT_NE(sent.begin()->second.find("Otero"), std::string::npos) << sent.begin()->second;
  // A third registrant arrives after the notice: never told, never corrected.
  {
    auto w = store_->BeginWrite();
    Registration late;
    late.subject_id = 1;
    late.contact_sealed = vault_->Seal("late@example.org");
    late.contact_index = vault_->BlindIndex(Channel::kEmail, "late@example.org");
    late.state = RegistrationState::kActive;
    late.created_at = kNow;
    ASSERT_TRUE((*w)->registrations().InsertRegistration(late));
    ASSERT_TRUE((*w)->Commit());
  }

  std::string key = Key("ice-ero", {"feed:write"});
  auto res = Send(bhttp::verb::post, "/api/v1/agency/events/s/T1/retraction",
                  R"({"reason":"keyed to the wrong person"})", key);
  ASSERT_EQ(res.result(), bhttp::status::ok) << res.body();
  EXPECT_EQ(json::parse(res.body())["status"], "accepted");
  {
    auto r = store_->BeginRead();
    EXPECT_EQ((**(*r)->custody().GetSubject(1)).facility_id, "ADL") << "state refolded without T1";
  }
  int corrections = 0;
  for (const auto& [id, n] : NotificationsOfRosa()) {
    if (n.kind == "correction") {
      ++corrections;
      EXPECT_EQ(n.registration_id, told_registration);
      EXPECT_EQ(n.state, NotificationState::kCreated);
    } else if (id != told) {
      EXPECT_EQ(n.state, NotificationState::kCancelled) << "the untold notice is not sent";
    }
  }
  EXPECT_EQ(corrections, 1);
  auto after = Dispatch();
  ASSERT_EQ(after.size(), 2u);
  std::string correction = after.rbegin()->second;
  EXPECT_NE(correction.find("Correction"), std::string::npos) << correction;
  EXPECT_NE(correction.find("in error"), std::string::npos) << correction;
  EXPECT_NE(correction.find("Adelanto"), std::string::npos) << "the current state" << correction;

  // Again: a duplicate, nothing more owed.
  res = Send(bhttp::verb::post, "/api/v1/agency/events/s/T1/retraction", R"({"reason":"again"})",
             key);
  ASSERT_EQ(res.result(), bhttp::status::ok) << res.body();
  EXPECT_EQ(json::parse(res.body())["status"], "duplicate");
  EXPECT_EQ(NotificationsOfRosa().size(), 3u);
  EXPECT_EQ(
      Send(bhttp::verb::post, "/api/v1/agency/events/s/NOPE/retraction", R"({"reason":"r"})", key)
          .result(),
      bhttp::status::not_found);
  EXPECT_EQ(Send(bhttp::verb::post, "/api/v1/agency/events/s/retraction-of-T1/retraction",
                 R"({"reason":"r"})", key)
                .result(),
            bhttp::status::conflict);
  EXPECT_EQ(Send(bhttp::verb::post, "/api/v1/agency/events/s/B1/retraction", "{}", key).result(),
            bhttp::status::bad_request);
}

// Tried as an attacker would: a feed:write key bound to one agency's source
// posts, and retracts, events of another source and the overrides' own. Every
// attempt is 403, changes nothing, and is in the audit log.
TEST_F(AgencyTest, AFeedKeyWritesAndRetractsOnlyItsOwnSources) {
  std::string cbp = Key("cbp-feed", {"feed:write"}, std::vector<std::string>{"cbp"});
  std::string own = Key("s-feed", {"feed:write"});  // bound to "s", the fixture feed's source
  auto subject = [&] {
    auto r = store_->BeginRead();
    return **(*r)->custody().GetSubject(1);
  };
  const Subject before = subject();
  std::string as_s = testutil::CustodyEventLine("X1", "released", "2026-11-20T10:00:00Z", "");
  std::string as_override =
      std::regex_replace(as_s, std::regex("\"source\":\"s\""), "\"source\":\"vigil-override\"");
  std::string as_cbp = std::regex_replace(
      testutil::CustodyEventLine("C1", "transferred", "2026-11-19T10:00:00Z", "OTR"),
      std::regex("\"source\":\"s\""), "\"source\":\"cbp\"");
  struct Attempt {
    std::string body, type;
  };
  for (const Attempt& a :
       {Attempt{as_s, "application/json"}, Attempt{as_override, "application/json"},
        // One line of its own source does not carry another's.
        Attempt{as_cbp + as_s, "application/x-ndjson"},
        Attempt{as_cbp + as_override, "application/x-ndjson"}}) {
    auto res = Send(bhttp::verb::post, "/api/v1/agency/events", a.body, cbp, a.type);
    EXPECT_EQ(res.result(), bhttp::status::forbidden) << a.body.substr(0, 80) << res.body();
    EXPECT_NE(res.body().find("permission_denied"), std::string::npos) << res.body();
  }
  // Nothing of any of those requests was written, not even the cbp line.
  EXPECT_EQ(subject(), before);
  {
    auto r = store_->BeginRead();
    EXPECT_FALSE(*(*r)->custody().GetEvent("s", "X1"));
    EXPECT_FALSE(*(*r)->custody().GetEvent("vigil-override", "X1"));
    EXPECT_FALSE(*(*r)->custody().GetEvent("cbp", "C1"));
  }
  // Retracting another source's event, or an override without the scope.
  auto retract = Send(bhttp::verb::post, "/api/v1/agency/events/s/B1/retraction",
                      R"({"reason":"not ours"})", cbp);
  EXPECT_EQ(retract.result(), bhttp::status::forbidden) << retract.body();
  std::string watch = Key("watch", {"subjects:override"});
  auto override = Send(bhttp::verb::post, "/api/v1/agency/subjects/100000001/overrides",
                       R"({"custody_status":"released","effective_at":"2026-11-21T09:30:00Z",)"
                       R"("reason":"bond"})",
                       watch);
  ASSERT_EQ(override.result(), bhttp::status::created) << override.body();
  std::string override_id = json::parse(override.body())["event_id"];
  EXPECT_EQ(
      Send(bhttp::verb::post, "/api/v1/agency/events/vigil-override/" + override_id + "/retraction",
           R"({"reason":"x"})", own)
          .result(),
      bhttp::status::forbidden);
  {
    auto r = store_->BeginRead();
    EXPECT_TRUE((**(*r)->custody().GetEvent("s", "B1")).retracted_by.empty());
    EXPECT_TRUE((**(*r)->custody().GetEvent("vigil-override", override_id)).retracted_by.empty());
  }
  // Each refusal is audited with the key's name.
  audit_->Flush();
  auto r = store_->BeginRead();
  auto entries = (*r)->audit().AuditEntriesAfter(0, 1000);
  ASSERT_TRUE(entries);
  int refused = 0;
  for (const AuditEntry& e : *entries) {
    if (e.kind != "write_refused") continue;
    ++refused;
    EXPECT_TRUE(e.actor == "api:cbp-feed" || e.actor == "api:s-feed") << e.actor;
  }
  EXPECT_EQ(refused, 6);
  r->reset();
  // What the keys are bound to still works.
  EXPECT_EQ(Send(bhttp::verb::post, "/api/v1/agency/events", as_s, own).result(),
            bhttp::status::ok);
  EXPECT_EQ(Send(bhttp::verb::post, "/api/v1/agency/events", as_cbp, cbp).result(),
            bhttp::status::ok);
  EXPECT_EQ(Send(bhttp::verb::post, "/api/v1/agency/events/s/X1/retraction",
                 R"({"reason":"sent in error"})", own)
                .result(),
            bhttp::status::ok);
  std::string both = Key("watch-feed", {"subjects:override", "feed:write"});
  EXPECT_EQ(
      Send(bhttp::verb::post, "/api/v1/agency/events/vigil-override/" + override_id + "/retraction",
           R"({"reason":"wrong person"})", both)
          .result(),
      bhttp::status::ok);
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
  EXPECT_NE(sent.begin()->second.find("2026-12-15 16:00"), std::string::npos)
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

// The audit log is readable by privacy officers, in order, without contact
// data; the key of every call is in it.
TEST_F(AgencyTest, TheAuditLogListsAgencyActions) {
  std::string key =
      Key("officer", {"audit:read", "subjects:override", "victims:enrol", "feed:write"});
  auto override = Send(bhttp::verb::post, "/api/v1/agency/subjects/100000002/overrides",
                       R"({"custody_status":"released","effective_at":"2026-11-22T08:00:00Z",)"
                       R"("reason":"bond"})",
                       key);
  ASSERT_EQ(override.result(), bhttp::status::created) << override.body();
  ASSERT_EQ(Send(bhttp::verb::post,
                 "/api/v1/agency/events/vigil-override/" +
                     json::parse(override.body())["event_id"].get<std::string>() + "/retraction",
                 R"({"reason":"wrong person"})", key)
                .result(),
            bhttp::status::ok);
  ASSERT_EQ(Send(bhttp::verb::put, "/api/v1/agency/subjects/100000001/block",
                 R"({"reason":"review"})", key)
                .result(),
            bhttp::status::ok);
  ASSERT_EQ(
      Send(bhttp::verb::post, "/api/v1/agency/victims",
           R"({"a_number":"100000002","channel":"email","contact":"secret-person@example.org"})",
           key)
          .result(),
      bhttp::status::created);
  audit_->Flush();
  auto res = Send(bhttp::verb::get, "/api/v1/agency/audit?after=0&limit=1000", "", key);
  ASSERT_EQ(res.result(), bhttp::status::ok) << res.body();
  auto body = json::parse(res.body());
  std::multiset<std::string> kinds;
  int64_t seq = 0;
  for (const auto& e : body["entries"]) {
    kinds.insert(e["kind"].get<std::string>());
    EXPECT_EQ(e["seq"].get<int64_t>(), ++seq);
    EXPECT_EQ(e["hash"].get<std::string>().size(), 64u);
  }
  EXPECT_EQ(kinds.count("block"), 1u);
  EXPECT_EQ(kinds.count("enrolment"), 1u);
  EXPECT_EQ(kinds.count("override"), 1u);
  EXPECT_EQ(kinds.count("retraction"), 1u);
  EXPECT_EQ(kinds.count("key_use"), 4u);
  EXPECT_EQ(res.body().find("secret-person"), std::string::npos);
  EXPECT_NE(res.body().find("100000001"), std::string::npos) << "entries name the person";
  auto page =
      json::parse(Send(bhttp::verb::get, "/api/v1/agency/audit?after=1&limit=1", "", key).body());
  ASSERT_EQ(page["entries"].size(), 1u);
  EXPECT_EQ(page["entries"][0]["seq"], 2);
  EXPECT_EQ(page["next_after"], 2);
  EXPECT_EQ(Send(bhttp::verb::get, "/api/v1/agency/audit?limit=0", "", key).result(),
            bhttp::status::bad_request);
  EXPECT_EQ(Send(bhttp::verb::get, "/api/v1/agency/audit?q=x", "", key).result(),
            bhttp::status::bad_request);
}

// The export is a public surface: a protected person, a minor (one who
// turns 18 tomorrow) and someone of unknown birth date leave it exactly as
// it was — byte for byte — as if they did not exist.
TEST_F(AgencyTest, TheExportWithholdsTheProtectedAndMinorsAsIfAbsent) {
  std::string key = Key("partner", {"report:read"});
  const std::string before = Send(bhttp::verb::get, "/api/v1/agency/export", "", key).body();
  ASSERT_NE(before.find("Rosa Quintanilla"), std::string::npos) << before;
  ASSERT_TRUE(
      Import(testutil::CustodyEventLine("W1", "booked", "2026-11-20T00:00:00Z", "ADL", "100000011",
                                        "Guadalupe", "Fuentes", R"(["sec1367"])") +
             testutil::CustodyEventLine("W2", "booked", "2026-11-20T00:00:00Z", "ADL", "100000012",
                                        "Brenda", "Solórzano", "[]", "2008-11-23") +
             testutil::CustodyEventLine("W3", "booked", "2026-11-20T00:00:00Z", "ADL", "100000013",
                                        "Ana", "Ixim", "[]", "")));
  EXPECT_EQ(Send(bhttp::verb::get, "/api/v1/agency/export", "", key).body(), before);
  // The day she turns 18 Brenda is still absent: she was booked at 17, and
  // appearing on her birthday would tell it.
  clock_.Set(*ParseRfc3339("2026-11-23T12:00:00Z"));
  EXPECT_EQ(Send(bhttp::verb::get, "/api/v1/agency/export", "", key).body(), before);
  // Released, then booked again as an adult: a new episode, public like anyone else.
  clock_.Set(*ParseRfc3339("2026-11-24T12:00:00Z"));
  ASSERT_TRUE(
      Import(testutil::CustodyEventLine("W4", "released", "2026-11-23T13:00:00Z", "", "100000012",
                                        "Brenda", "Solórzano", "[]", "2008-11-23") +
             testutil::CustodyEventLine("W5", "booked", "2026-11-23T14:00:00Z", "ADL", "100000012",
                                        "Brenda", "Solórzano", "[]", "2008-11-23")));
  EXPECT_NE(Send(bhttp::verb::get, "/api/v1/agency/export", "", key).body().find("Brenda"),
            std::string::npos);
}

TEST(CsvCell, QuotesAndDefusesFormulas) {
  EXPECT_EQ(CsvCell("plain"), "plain");
  EXPECT_EQ(CsvCell("García, María"), "\"García, María\"");
  EXPECT_EQ(CsvCell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvCell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
  EXPECT_EQ(CsvCell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvCell("+17605550100"), "+17605550100");
  EXPECT_EQ(CsvCell("-2+3"), "'-2+3");
}

TEST(MakeApiKey, RefusesBadNamesAndScopes) {
  EXPECT_FALSE(MakeApiKey("", {"feed:write"}, {"ice"}, kNow));
  EXPECT_FALSE(MakeApiKey("a b", {"feed:write"}, {"ice"}, kNow));
  EXPECT_FALSE(MakeApiKey("ok", {}, {}, kNow));
  auto bad = MakeApiKey("ok", {"feed:read"}, {}, kNow);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("unknown scope \"feed:read\""), std::string::npos);
  auto good = MakeApiKey("ice-ero", {"subjects:protect", "feed:write", "feed:write"},
                         {"ice-ero", "cbp", "ice-ero"}, kNow);
  ASSERT_TRUE(good);
  EXPECT_EQ(good->stored.scopes, (std::vector<std::string>{"feed:write", "subjects:protect"}));
  EXPECT_EQ(good->stored.sources, (std::vector<std::string>{"cbp", "ice-ero"}));
  EXPECT_TRUE(std::regex_match(good->key, std::regex("vk\\.[0-9a-f]{16}\\.[A-Za-z0-9_-]{43}")));
  EXPECT_EQ(good->key.find(good->stored.secret_hash), std::string::npos);
}

TEST(MakeApiKey, AFeedKeyIsBoundToTheSourcesItWritesAndNeverToTheOverrides) {
  auto unbound = MakeApiKey("feed", {"feed:write"}, {}, kNow);
  ASSERT_FALSE(unbound);
  EXPECT_NE(unbound.error().message().find("--source"), std::string::npos);
  EXPECT_FALSE(MakeApiKey("audit", {"audit:read"}, {"ice-ero"}, kNow));
  auto override_source = MakeApiKey("feed", {"feed:write"}, {"ice-ero", "vigil-override"}, kNow);
  ASSERT_FALSE(override_source);
  EXPECT_NE(override_source.error().message().find("overrides route"), std::string::npos);
  EXPECT_FALSE(MakeApiKey("feed", {"feed:write"}, {"ice ero"}, kNow));
  EXPECT_FALSE(MakeApiKey("feed", {"feed:write"}, {""}, kNow));
  EXPECT_FALSE(MakeApiKey("feed", {"feed:write"}, {std::string(129, 'a')}, kNow));
}

}  // namespace
}  // namespace vigil::api
