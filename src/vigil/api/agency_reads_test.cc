// The agency API: the audit listing and the export.
#include "vigil/api/agency_test_fixture.h"

namespace vigil::api::agency_test {
namespace {

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

}  // namespace
}  // namespace vigil::api::agency_test
