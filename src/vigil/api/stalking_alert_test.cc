// Stalking alert: searches for a protected person by A-number, by
// exact name and by a variant of the name reach privacy officers as one
// email each (a real SMTP server, python3-aiosmtpd), saying which person and
// how they were sought, never the query text; later searches wait for the
// next alert; GET /api/v1/agency/alerts lists the same.
#include "vigil/notify/stalking_alert.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "vigil/api/agency_keys.h"
#include "vigil/api/agency_routes.h"
#include "vigil/api/search_routes.h"
#include "vigil/ingest/feed_importer.h"
#include "vigil/notify/smtp_channel.h"
#include "vigil/search/index_follower.h"
#include "vigil/testing/notify_fixture.h"
#include "vigil/testing/smtp_sink.h"
#include "vigil/testing/temp_dir.h"
#include "vigil/text/normalize.h"

namespace vigil::api {
namespace {

namespace bhttp = boost::beast::http;
const Timestamp kNow = *ParseRfc3339("2026-12-02T12:00:00Z");

TEST(StalkingAlert, FiresOnEveryWayOfSeekingAndNeverSaysTheQuery) {
  testutil::TempDir dir;
  testutil::SmtpSink sink(VIGIL_PEERS_DIR, dir.path().string());
  ASSERT_TRUE(sink.Start());
  ManualClock clock(kNow);
  auto store = std::move(*OpenStore("sqlite:" + dir.File("v.db")));
  FeedImporter importer(store.get(), &clock);
  ASSERT_TRUE(importer.ImportText(
      "setup",
      std::string(testutil::kTwoFacilities) +
          testutil::CustodyEventLine("B1", "booked", "2026-11-01T00:00:00Z", "ADL") +
          testutil::CustodyEventLine("B2", "booked", "2026-11-01T00:00:00Z", "ADL", "100000002",
                                     "Guadalupe", "Fuentes", R"(["sec1367"])"),
      FeedFormat::kJsonLines, nullptr));
  auto normalizer = text::NameNormalizer::Create();
  search::NameIndex index(normalizer->get());
  std::array<unsigned char, 32> key{};
  auto refs = policy::RefCodec::Create(key);
  policy::DisclosurePolicy policy(&clock, &*refs, policy::PolicyOptions{});
  search::IndexFollower follower(store.get(), &index,
                                 [&](const Subject& s) { return PublicListing(policy, s); });
  ASSERT_TRUE(follower.LoadAll());
  SuppressedMatchRecorder recorder(store.get(), &index);
  http::Router router;
  AddSearchRoutes(router, {store.get(), &index, &policy, &clock, nullptr, &recorder});
  AgencyDependencies agency{store.get(), &clock, nullptr};
  agency.policy = &policy;
  AddAgencyRoutes(router, agency);
  auto get = [&](const std::string& target, const std::string& bearer = "") {
    http::Request req{bhttp::verb::get, target, 11};
    if (!bearer.empty()) req.set(bhttp::field::authorization, "Bearer " + bearer);
    http::RequestContext ctx;
    return router.Dispatch(req, ctx);
  };
  notify::SmtpChannel email(notify::SmtpOptions{sink.url(), "alerts@vigil.example.org"});
  notify::StalkingAlerter alerter(
      store.get(), &policy, &email, &clock,
      {{"privacy@agency.example.gov", "counsel@agency.example.gov"}, std::chrono::minutes(60)});
  ASSERT_EQ(*alerter.RunOnce(), 0);  // nothing sought yet

  // By A-number, by her exact name, and by a misspelt variant of it.
  const std::vector<std::string> queries = {
      "/api/v1/search?a_number=A-100-000-002&country_of_birth=GT",
      "/api/v1/search?given_name=Guadalupe&family_name=Fuentes&country_of_birth=GT",
      "/api/v1/search?given_name=Guadalpe&family_name=Fuentez&country_of_birth=GT",
  };
  for (const auto& q : queries) ASSERT_EQ(get(q).body(), R"({"results":[]})") << q;
  recorder.Flush();
  ASSERT_EQ(*alerter.RunOnce(), 2);  // one email to each officer
  auto mail = sink.Messages();
  ASSERT_EQ(mail.size(), 2u);
  std::string body = testutil::MailBody(mail[0]);
  EXPECT_NE(body.find("A-number 100000002 (withheld: protected) was sought 3 times"),
            std::string::npos)
      << body;
  EXPECT_NE(body.find("by A-number 1, by name 2"), std::string::npos) << body;
  for (const auto& m : mail) {
    for (const char* secret : {"Guadalupe", "Guadalpe", "Fuentes", "Fuentez", "A-100-000-002",
                               "given_name", "search?"}) {
      EXPECT_EQ(m.find(secret), std::string::npos) << secret << " in the alert";
      EXPECT_EQ(testutil::MailBody(m).find(secret), std::string::npos) << secret << " in the alert";
    }
  }
  // Sought again within the hour: no second alert yet; after it, one.
  ASSERT_EQ(get(queries[0]).body(), R"({"results":[]})");
  recorder.Flush();
  EXPECT_EQ(*alerter.RunOnce(), 0);
  clock.Advance(std::chrono::minutes(60));
  EXPECT_EQ(*alerter.RunOnce(), 2);
  ASSERT_EQ(sink.Messages().size(), 4u);
  EXPECT_NE(testutil::MailBody(sink.Messages()[2]).find("was sought 1 time "), std::string::npos);
  // A visible person's search alerts no one.
  get("/api/v1/search?a_number=100000001&country_of_birth=GT");
  recorder.Flush();
  clock.Advance(std::chrono::minutes(120));
  EXPECT_EQ(*alerter.RunOnce(), 0);

  // The agency's view of the same.
  auto made = MakeApiKey("privacy", {"audit:read"}, {}, kNow);
  {
    auto w = store->BeginWrite();
    ASSERT_TRUE((*w)->controls().InsertApiKey(made->stored));
    ASSERT_TRUE((*w)->Commit());
  }
  auto alerts = get("/api/v1/agency/alerts", made->key);
  ASSERT_EQ(alerts.result(), bhttp::status::ok) << alerts.body();
  auto json = nlohmann::json::parse(alerts.body());
  ASSERT_EQ(json["alerts"].size(), 1u) << alerts.body();
  EXPECT_EQ(json["alerts"][0]["a_number"], "100000002");
  EXPECT_EQ(json["alerts"][0]["sought"], 4);
  EXPECT_EQ(json["alerts"][0]["by"]["a_number"], 2);
  EXPECT_EQ(json["alerts"][0]["by"]["name"], 2);
  EXPECT_EQ(alerts.body().find("Guadal"), std::string::npos);
}

}  // namespace
}  // namespace vigil::api
