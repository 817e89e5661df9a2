// The agency API: keys and scopes, feed events, retractions, sources.
#include "vigil/api/agency_test_fixture.h"

namespace vigil::api::agency_test {
namespace {

// The route-table test: walks the router, and every agency route
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

// A retraction sends a correction to those who received the
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
    late.contact_index = vault_->BlindIndex(DeliveryChannel::kEmail, "late@example.org");
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
}  // namespace vigil::api::agency_test
