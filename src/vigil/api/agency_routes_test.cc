// The agency API (issue 5): every route checks its key and scope; events go
// in as `vigil import` takes them; a protection set through the API takes
// effect on the very next request, everywhere.
#include "vigil/api/agency_routes.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <fstream>
#include <regex>

#include "vigil/api/api_test_util.h"
#include "vigil/api/agency_keys.h"
#include "vigil/api/registration_routes.h"
#include "vigil/api/search_routes.h"
#include "vigil/api/web_pages.h"
#include "vigil/ingest/feed_importer.h"
#include "vigil/notify/dispatcher.h"
#include "vigil/notify/file_channel.h"
#include "vigil/search/index_follower.h"
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
    store_ = std::move(*OpenStore("sqlite:" + dir_.File("v.db")));
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
    policy_ = std::make_unique<policy::DisclosurePolicy>(&clock_, refs_.get(),
                                                         policy::PolicyOptions{});
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
    AddAgencyRoutes(router_, {store_.get(), &clock_, nullptr});
  }

  std::string Key(const std::string& name, std::vector<std::string> scopes) {
    auto k = MakeApiKey(name, std::move(scopes), kNow);
    EXPECT_TRUE(k) << k.error().message();
    auto w = store_->BeginWrite();
    EXPECT_TRUE((*w)->InsertApiKey(k->stored));
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
  std::unique_ptr<text::NameNormalizer> normalizer_;
  std::unique_ptr<search::NameIndex> index_;
  std::unique_ptr<policy::RefCodec> refs_;
  std::unique_ptr<notify::ContactVault> vault_;
  std::unique_ptr<policy::DisclosurePolicy> policy_;
  std::unique_ptr<notify::Registrar> registrar_;
  std::unique_ptr<notify::RegistrationIntake> intake_;
  http::Router router_;
};

// The route-table test of issue 5: walks the router, and every agency route
// refuses a missing, malformed, unknown, wrong-scope and revoked key.
TEST_F(AgencyTest, EveryAgencyRouteChecksItsKeyAndScope) {
  std::vector<std::string> all(kScopes.begin(), kScopes.end());
  std::string revoked = Key("revoked", all);
  {
    auto w = store_->BeginWrite();
    ASSERT_TRUE(*(*w)->RevokeApiKey("revoked", kNow));
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
    std::string target = std::regex_replace(route.pattern, std::regex("\\{a_number\\}"), "100000001");
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

TEST_F(AgencyTest, EventsGoInLikeAFeedWithPerLineResults) {
  std::string key = Key("feed", {"feed:write"});
  std::string one = testutil::CustodyEventLine("T1", "transferred", "2026-11-20T10:00:00Z", "OTR");
  auto res = Send(bhttp::verb::post, "/api/v1/agency/events", one, key);
  ASSERT_EQ(res.result(), bhttp::status::ok) << res.body();
  auto body = json::parse(res.body());
  EXPECT_EQ(body["accepted"], 1);
  std::string batch = one + R"({"record":"custody_event","source":"s","event_id":"X"})" "\n" +
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
  EXPECT_EQ((**(*reader)->GetSubject(1)).custody_status, CustodyStatus::kReleased);
  auto bad = Send(bhttp::verb::post, "/api/v1/agency/events", "[1,2]", key);
  EXPECT_EQ(bad.result(), bhttp::status::bad_request);
}

// Issue 5's takedown: a protection set through the agency API, with no
// delay, leaves nothing of the person in the search API, the HTML pages, a
// registration or the outbox; what was queued is cancelled.
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
    auto rosa = (*r)->GetSubjectByANumber(*ANumber::Parse("100000001"));
    ASSERT_TRUE(rosa && *rosa);
    EXPECT_EQ((*rosa)->subject_id, 1);
    EXPECT_EQ((*(*r)->RegistrationsOf(1, RegistrationState::kActive)).size(), 3u);
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
  const std::string nobody_a = Send(bhttp::verb::get,
                                    "/api/v1/search?a_number=100000009&country_of_birth=GT")
                                   .body();
  const std::string nobody_page =
      Send(bhttp::verb::get,
           "/search?given_name=Rosalba&family_name=Quintero&country_of_birth=GT&lang=en")
          .body();

  std::string key = Key("privacy-office", {"subjects:protect"});
  auto res = Send(bhttp::verb::put, "/api/v1/agency/subjects/100000001/protections",
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
  EXPECT_NE(Send(bhttp::verb::get,
                 "/api/v1/search?a_number=100000002&country_of_birth=GT").body().find("Marta"),
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

TEST(MakeApiKey, RefusesBadNamesAndScopes) {
  EXPECT_FALSE(MakeApiKey("", {"feed:write"}, kNow));
  EXPECT_FALSE(MakeApiKey("a b", {"feed:write"}, kNow));
  EXPECT_FALSE(MakeApiKey("ok", {}, kNow));
  auto bad = MakeApiKey("ok", {"feed:read"}, kNow);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("unknown scope \"feed:read\""), std::string::npos);
  auto good = MakeApiKey("ice-ero", {"subjects:protect", "feed:write", "feed:write"}, kNow);
  ASSERT_TRUE(good);
  EXPECT_EQ(good->stored.scopes, (std::vector<std::string>{"feed:write", "subjects:protect"}));
  EXPECT_TRUE(std::regex_match(good->key, std::regex("vk\\.[0-9a-f]{16}\\.[A-Za-z0-9_-]{43}")));
  EXPECT_EQ(good->key.find(good->stored.secret_hash), std::string::npos);
}

}  // namespace
}  // namespace vigil::api
