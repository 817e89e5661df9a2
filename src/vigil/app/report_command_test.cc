// Issue 5's report acceptance: a dataset in which naive counts would expose
// a protected person (and a minor) in a small cell; the report does not.
#include <gtest/gtest.h>

#include "vigil/app/commands.h"
#include "vigil/ingest/feed_importer.h"
#include "vigil/policy/ref_codec.h"
#include "vigil/testing/temp_dir.h"

namespace vigil {
namespace {

std::string Event(int n, const std::string& type, const std::string& at,
                  const std::string& facility, const std::string& basis = "civil_immigration",
                  const std::string& protections = "[]", const std::string& dob = "1980-01-01") {
  char a_number[10];
  std::snprintf(a_number, sizeof a_number, "2%08d", n);
  return R"({"record":"custody_event","source":"s","event_id":")" + type + std::to_string(n) +
         R"(","type":")" + type + R"(","occurred_at":")" + at + R"(","subject":{"a_number":")" +
         a_number +
         R"(","given_names":"Ana","family_names":"Pérez","aliases":[],"date_of_birth":")" + dob +
         R"(","country_of_birth":"MX"},)" +
         (facility.empty() ? "" : R"("facility_id":")" + facility + R"(",)") +
         R"("custody_basis":")" + basis + R"(","protections":)" + protections + "}\n";
}

class ReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(*OpenStore("sqlite:" + dir_.File("v.db")));
    std::string feed =
        R"({"record":"facility","facility_id":"CA1","name":"A","city":"Adelanto","state":"CA","phone":""})"
        "\n"
        R"({"record":"facility","facility_id":"TX1","name":"B","city":"Conroe","state":"TX","phone":""})"
        "\n"
        R"({"record":"facility","facility_id":"NY1","name":"C","city":"Goshen","state":"NY","phone":""})"
        "\n";
    for (int i = 0; i < 12; ++i) feed += Event(i, "booked", "2026-10-05T10:00:00Z", "CA1");
    for (int i = 12; i < 24; ++i) feed += Event(i, "booked", "2026-11-05T10:00:00Z", "CA1");
    // Two of October's people are released in November: the release names
    // no facility, and counts where they were (CA).
    feed += Event(0, "released", "2026-11-10T10:00:00Z", "");
    feed += Event(1, "released", "2026-11-10T10:00:00Z", "");
    // Three in New York: a small cell.
    for (int i = 30; i < 33; ++i) feed += Event(i, "booked", "2026-11-06T10:00:00Z", "NY1");
    // The only people in Texas and the only conviction: a protected person
    // and a child. Counted naively, each would be a cell of one.
    feed +=
        Event(40, "booked", "2026-10-07T10:00:00Z", "TX1", "criminal_conviction", R"(["sec1367"])");
    feed += Event(41, "booked", "2026-10-07T11:00:00Z", "TX1", "criminal_conviction", "[]",
                  "2012-03-03");
    FeedImporter importer(store_.get(), &clock_);
    auto lines = importer.ImportText("feed", feed, FeedFormat::kJsonLines, nullptr);
    ASSERT_TRUE(lines);
    for (const auto& l : *lines) ASSERT_EQ(l.status, ApplyStatus::kAccepted) << l.error.reason;
    std::array<unsigned char, 32> key{};
    refs_ = std::make_unique<policy::RefCodec>(std::move(*policy::RefCodec::Create(key)));
    policy_ =
        std::make_unique<policy::DisclosurePolicy>(&clock_, refs_.get(), policy::PolicyOptions{});
  }

  const report::Table& TableOf(const report::Report& r, const std::string& dimension) {
    for (const auto& t : r.tables) {
      if (t.dimension == dimension) return t;
    }
    ADD_FAILURE() << "no table " << dimension;
    return r.tables.front();
  }

  testutil::TempDir dir_;
  ManualClock clock_{*ParseRfc3339("2026-11-22T12:00:00Z")};
  std::unique_ptr<Store> store_;
  std::unique_ptr<policy::RefCodec> refs_;
  std::unique_ptr<policy::DisclosurePolicy> policy_;
};

TEST_F(ReportTest, AProtectedPersonAndAChildAreNeverACell) {
  // Naively, Texas holds two bookings and "criminal conviction" two.
  int64_t naive_texas = 0;
  {
    auto r = store_->BeginRead();
    ASSERT_TRUE((*r)->ForEachEventBetween(*ParseRfc3339("2026-10-01T00:00:00Z"),
                                          *ParseRfc3339("2026-12-01T00:00:00Z"),
                                          [&](const StoredEvent& e) {
                                            naive_texas += e.event.facility_id == "TX1";
                                            return true;
                                          }));
  }
  ASSERT_EQ(naive_texas, 2);

  auto built = MakeReport(*store_, *policy_, "2026-10-01", "2026-11-30", 11);
  ASSERT_TRUE(built) << built.error().message();
  const report::Table& by_state = TableOf(*built, "state");
  for (size_t r = 0; r < by_state.rows.size(); ++r) {
    EXPECT_NE(by_state.rows[r], "TX") << "a state where only withheld people were held";
  }
  const report::Table& by_basis = TableOf(*built, "custody_basis");
  for (size_t r = 0; r < by_basis.rows.size(); ++r) {
    if (by_basis.rows[r] == "criminal_conviction") EXPECT_EQ(by_basis.row_totals[r], 0);
  }
  // Totals are consistent: 24 bookings in CA, 3 in NY, 2 releases; the same
  // in every table, and each the sum of its rows.
  for (const auto& t : built->tables) {
    EXPECT_EQ(t.grand_total, 29) << t.dimension;
    EXPECT_EQ(t.column_totals[0], 27) << t.dimension;
    EXPECT_EQ(t.column_totals[2], 2) << t.dimension;
    int64_t sum = 0;
    for (size_t r = 0; r < t.rows.size(); ++r) {
      sum += t.row_totals[r];
      for (int m = 0; m < report::kMeasureCount; ++m) {
        int64_t v = t.counts[r][m];
        if (v >= 1 && v < 11) EXPECT_TRUE(t.suppressed[r][m]) << t.dimension << " " << t.rows[r];
      }
    }
    EXPECT_EQ(sum, t.grand_total) << t.dimension;
  }
  // New York's three, and the two releases, are not printed.
  std::string csv = report::RenderCsv(*built);
  EXPECT_EQ(csv.find("TX"), std::string::npos) << csv;
  size_t ny = csv.find("state,NY,");
  ASSERT_NE(ny, std::string::npos) << csv;
  std::string ny_line = csv.substr(ny, csv.find('\n', ny) - ny);
  EXPECT_EQ(ny_line.find(",3"), std::string::npos) << ny_line;
  EXPECT_NE(ny_line.find(report::kSuppressedMarker), std::string::npos) << ny_line;
  std::string html = report::RenderHtml(*built);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_EQ(html.find("Pérez"), std::string::npos);
}

TEST_F(ReportTest, BadPeriodsAreRefusedWithTheReason) {
  auto r = MakeReport(*store_, *policy_, "2026-13-01", "2026-11-30", 11);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("--from"), std::string::npos) << r.error().message();
  r = MakeReport(*store_, *policy_, "2026-11-30", "2026-11-01", 11);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("before"), std::string::npos);
  r = MakeReport(*store_, *policy_, "2026-11-01", "2026-11", 11);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("--to"), std::string::npos);
}

}  // namespace
}  // namespace vigil
