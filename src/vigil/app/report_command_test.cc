// Report acceptance: a dataset in which naive counts would expose
// a protected person (and a minor) in a small cell; the report does not.
#include <gtest/gtest.h>

#include <random>

#include "vigil/app/commands.h"
#include "vigil/ingest/feed_importer.h"
#include "vigil/policy/ref_codec.h"
#include "vigil/report/assemble.h"
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
    ASSERT_TRUE((*r)->reporting().ForEachEventBetween(*ParseRfc3339("2026-10-01T00:00:00Z"),
                                                      *ParseRfc3339("2026-12-01T00:00:00Z"),
                                                      [&](const StoredEvent& e) {
                                                        naive_texas += e.event.facility_id == "TX1";
                                                        return true;
                                                      }));
  }
  ASSERT_EQ(naive_texas, 2);

  auto built = report::AssembleReport(*store_, *policy_, {"2026-10-01", "2026-11-30"});
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
  auto r = report::AssembleReport(*store_, *policy_, {"2026-13-01", "2026-11-30"});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("--from"), std::string::npos) << r.error().message();
  r = report::AssembleReport(*store_, *policy_, {"2026-11-30", "2026-11-01"});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("after"), std::string::npos) << r.error().message();
  r = report::AssembleReport(*store_, *policy_, {"2026-11-01", "2026-11"});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("--to"), std::string::npos);
  // The month that holds today has not ended: it is left out, and a period of nothing else
  // is refused.
  r = report::AssembleReport(
      *store_, *policy_, {"2026-11-05", "2026-11-20", report::Period::kMonth, 11, "2026-11-22"});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("has ended yet"), std::string::npos) << r.error().message();
  r = report::AssembleReport(
      *store_, *policy_, {"2026-10-05", "2026-11-20", report::Period::kMonth, 11, "2026-11-22"});
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->from, "2026-10-01");
  EXPECT_EQ(r->to, "2026-10-31");
  EXPECT_NE(r->adjusted.find("periods that have not ended are left out"), std::string::npos)
      << r->adjusted;
}

// --- The differencing attack ---------------------------------------------------------------

// Linear algebra modulo a 61-bit prime: a vector in the span of the published equations over
// the rationals is in it here too, so "not in the span here" proves "not determined".
class Span {
 public:
  static constexpr uint64_t kP = (uint64_t{1} << 61) - 1;
  explicit Span(size_t n) : n_(n) {}

  // Adds an equation (its coefficients; the value does not matter for what it determines).
  void Add(std::vector<uint64_t> row) {
    Reduce(row);
    for (size_t j = 0; j < n_; ++j) {
      if (row[j] == 0) continue;
      uint64_t inv = Inverse(row[j]);
      for (uint64_t& v : row) v = Mul(v, inv);
      pivots_.emplace_back(j, std::move(row));
      return;
    }
  }
  // Whether `v` is a combination of what was added: then its value is known.
  bool Contains(std::vector<uint64_t> v) const {
    Reduce(v);
    for (uint64_t x : v) {
      if (x != 0) return false;
    }
    return true;
  }

 private:
  static uint64_t Mul(uint64_t a, uint64_t b) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(a) * b) % kP);
  }
  static uint64_t Inverse(uint64_t a) {
    uint64_t result = 1, e = kP - 2;
    while (e) {
      if (e & 1) result = Mul(result, a);
      a = Mul(a, a);
      e >>= 1;
    }
    return result;
  }
  void Reduce(std::vector<uint64_t>& row) const {
    for (const auto& [j, pivot] : pivots_) {
      if (row[j] == 0) continue;
      uint64_t f = row[j];
      for (size_t k = 0; k < n_; ++k) {
        if (pivot[k] != 0) row[k] = (row[k] + kP - Mul(f, pivot[k])) % kP;
      }
    }
  }
  size_t n_;
  std::vector<std::pair<size_t, std::vector<uint64_t>>> pivots_;
};

// Tried as an attacker would: every report of eight months of data over every range of whole
// months, by month and by quarter (overlapping ranges, neighbouring periods, each range's
// totals minus its shown cells), as equations over the true monthly counts. No count withheld
// in a month's own report is determined by all of them together; and the same reports made the
// old way, each range suppressed on its own, give counts away.
TEST_F(ReportTest, NoSetOfReportsRecoversAWithheldCount) {
  std::string feed =
      R"({"record":"facility","facility_id":"AZ1","name":"D","city":"Florence","state":"AZ","phone":""})"
      "\n";
  std::mt19937 rng(20261203);
  const char* facilities[] = {"CA1", "TX1", "NY1", "AZ1"};
  const char* types[] = {"booked", "transferred", "released", "removed"};
  const int caps[] = {30, 8, 14, 5};
  const char* bases[] = {"civil_immigration", "civil_immigration", "criminal_charge",
                         "criminal_conviction"};
  int n = 1000;
  for (int month = 1; month <= 8; ++month) {
    for (const char* facility : facilities) {
      for (int t = 0; t < 4; ++t) {
        int count = static_cast<int>(rng() % caps[t]);
        for (int i = 0; i < count; ++i) {
          char at[32];
          std::snprintf(at, sizeof at, "2025-%02d-%02dT10:00:00Z", month,
                        1 + static_cast<int>(rng() % 28));
          feed += Event(++n, types[t], at, facility, bases[rng() % 4]);
        }
      }
    }
  }
  FeedImporter importer(store_.get(), &clock_);
  auto lines = importer.ImportText("random", feed, FeedFormat::kJsonLines, nullptr);
  ASSERT_TRUE(lines);
  for (const auto& l : *lines) ASSERT_EQ(l.status, ApplyStatus::kAccepted) << l.error.reason;

  const int kMonths = 8;
  auto month_day = [](int m, bool last) {
    char d[16];
    std::snprintf(d, sizeof d, "2025-%02d-%02d", m, last ? 28 : 1);
    return std::string(d);
  };
  // The canonical months, from one-month reports.
  std::vector<report::Report> single;
  for (int m = 1; m <= kMonths; ++m) {
    auto r = report::AssembleReport(*store_, *policy_, {month_day(m, false), month_day(m, true)});
    ASSERT_TRUE(r) << r.error().message();
    single.push_back(std::move(*r));
  }
  const size_t states = single[0].tables[2].rows.size();
  ASSERT_EQ(states, 4u) << "AZ, CA, NY, TX";
  // Unknowns: each month's counts by basis and measure, and by state and measure.
  const size_t per_month = 3 * report::kMeasureCount + states * report::kMeasureCount;
  const size_t unknowns = kMonths * per_month;
  auto var = [&](int m, int table, size_t row, int measure) {
    return static_cast<size_t>(m) * per_month + (table == 0 ? 0 : 3 * report::kMeasureCount) +
           row * report::kMeasureCount + static_cast<size_t>(measure);
  };
  using Vec = std::vector<uint64_t>;
  // The coefficients of entry (row, col) of a table over `months` (row -1: the totals row;
  // col kMeasureCount: the row totals). The period table's rows are sums of the basis rows.
  auto entry = [&](const std::vector<int>& months, int table, int row, int col, size_t rows) {
    Vec v(unknowns, 0);
    for (int m : months) {
      for (size_t r = 0; r < rows; ++r) {
        if (row >= 0 && static_cast<size_t>(row) != r) continue;
        for (int c = 0; c < report::kMeasureCount; ++c) {
          if (col < report::kMeasureCount && col != c) continue;
          v[var(m, table, r, c)] += 1;
        }
      }
    }
    return v;
  };
  // Every shown number of `r` over the months `months` (indexes from 0), as equations.
  auto publish = [&](Span& span, const report::Report& r, const std::vector<int>& months,
                     const std::vector<std::vector<int>>& period_months) {
    for (int k : {0, 2}) {
      const report::Table& t = r.tables[static_cast<size_t>(k)];
      const int table = k == 0 ? 0 : 1;
      for (size_t row = 0; row < t.rows.size(); ++row) {
        for (int c = 0; c <= report::kMeasureCount; ++c) {
          bool shown =
              c < report::kMeasureCount ? !t.suppressed[row][c] : !t.row_total_suppressed[row];
          if (shown) span.Add(entry(months, table, static_cast<int>(row), c, t.rows.size()));
        }
      }
      for (int c = 0; c <= report::kMeasureCount; ++c) {
        bool shown =
            c < report::kMeasureCount ? !t.column_total_suppressed[c] : !t.grand_total_suppressed;
        if (shown) span.Add(entry(months, table, -1, c, t.rows.size()));
      }
    }
    const report::Table& by_period = r.tables[1];
    for (size_t p = 0; p < by_period.rows.size(); ++p) {
      for (int c = 0; c <= report::kMeasureCount; ++c) {
        bool shown = c < report::kMeasureCount ? !by_period.suppressed[p][c]
                                               : !by_period.row_total_suppressed[p];
        if (shown) span.Add(entry(period_months[p], 0, -1, c, 3));
      }
    }
  };
  // What a reader knows without any report: each month's two tables count the same events.
  auto identities = [&](Span& span) {
    for (int m = 0; m < kMonths; ++m) {
      for (int c = 0; c < report::kMeasureCount; ++c) {
        Vec v(unknowns, 0);
        for (size_t b = 0; b < 3; ++b) v[var(m, 0, b, c)] = 1;
        for (size_t s = 0; s < states; ++s) v[var(m, 1, s, c)] = Span::kP - 1;
        span.Add(std::move(v));
      }
    }
  };
  // The withheld entries of each month's own report, as vectors.
  std::vector<std::pair<std::string, Vec>> secrets;
  int small_secrets = 0;
  for (int m = 0; m < kMonths; ++m) {
    for (int k : {0, 2}) {
      const report::Table& t = single[static_cast<size_t>(m)].tables[static_cast<size_t>(k)];
      for (size_t row = 0; row <= t.rows.size(); ++row) {
        for (int c = 0; c <= report::kMeasureCount; ++c) {
          bool last = row == t.rows.size();
          bool withheld = last ? (c < report::kMeasureCount ? t.column_total_suppressed[c]
                                                            : t.grand_total_suppressed)
                               : (c < report::kMeasureCount ? t.suppressed[row][c]
                                                            : t.row_total_suppressed[row]);
          if (!withheld) continue;
          int64_t value = last ? (c < report::kMeasureCount ? t.column_totals[c] : t.grand_total)
                               : (c < report::kMeasureCount ? t.counts[row][c] : t.row_totals[row]);
          small_secrets += value < 11;
          secrets.push_back(
              {"month " + std::to_string(m + 1) + " " + t.dimension + "[" +
                   (last ? "total" : t.rows[row]) + "][" + std::to_string(c) + "]",
               entry({m}, k == 0 ? 0 : 1, last ? -1 : static_cast<int>(row), c, t.rows.size())});
        }
      }
    }
  }
  ASSERT_GT(small_secrets, 50) << "the data must hold small counts for the test to mean anything";

  std::vector<std::pair<int, int>> ranges;
  for (int a = 1; a <= kMonths; ++a) {
    for (int b = a; b <= kMonths; ++b) ranges.push_back({a, b});
  }
  Span span(unknowns);
  identities(span);
  int reports = 0;
  for (auto [a, b] : ranges) {
    for (auto period : {report::Period::kMonth, report::Period::kQuarter}) {
      // Days inside the months: the report snaps them out to whole periods.
      auto r = report::AssembleReport(
          *store_, *policy_,
          {month_day(a, false).substr(0, 8) + "05", month_day(b, false).substr(0, 8) + "20", period,
           11, "2026-11-22"});
      ASSERT_TRUE(r) << r.error().message();
      // The months the (snapped) report covers, and each period's months.
      int first = std::stoi(r->from.substr(5, 2)), last = std::stoi(r->to.substr(5, 2));
      std::vector<int> months;
      std::vector<std::vector<int>> period_months;
      for (int m = first; m <= last; ++m) {
        if (m > kMonths) continue;  // quarters past the data: zeros, all withheld
        months.push_back(m - 1);
        size_t p = period == report::Period::kQuarter ? static_cast<size_t>((m - first) / 3)
                                                      : static_cast<size_t>(m - first);
        if (period_months.size() <= p) period_months.resize(p + 1);
        period_months[p].push_back(m - 1);
      }
      publish(span, *r, months, period_months);
      ++reports;
    }
  }
  EXPECT_EQ(reports, 72);
  int leaked = 0;
  for (const auto& [name, v] : secrets) {
    bool known = span.Contains(v);
    leaked += known;
    EXPECT_FALSE(known) << name << " is recovered from the " << reports << " reports";
  }

  // The same ranges suppressed one by one, as reports were made before: the attack works.
  Span naive(unknowns);
  identities(naive);
  for (auto [a, b] : ranges) {
    std::vector<int> months;
    for (int m = a; m <= b; ++m) months.push_back(m - 1);
    std::vector<std::array<int64_t, report::kMeasureCount>> basis(3), state(states), month;
    for (int m : months) {
      month.push_back(single[static_cast<size_t>(m)].tables[0].column_totals);
      for (size_t r = 0; r < 3; ++r) {
        for (int c = 0; c < report::kMeasureCount; ++c) {
          basis[r][c] += single[static_cast<size_t>(m)].tables[0].counts[r][c];
        }
      }
      for (size_t r = 0; r < states; ++r) {
        for (int c = 0; c < report::kMeasureCount; ++c) {
          state[r][c] += single[static_cast<size_t>(m)].tables[2].counts[r][c];
        }
      }
    }
    std::vector<std::string> month_rows(months.size(), "m");
    std::vector<report::Table> tables = {
        report::Table::FromCounts("custody_basis", single[0].tables[0].rows, basis),
        report::Table::FromCounts("month", month_rows, month),
        report::Table::FromCounts("state", single[0].tables[2].rows, state)};
    report::SuppressLinkedTables(tables, 11);
    report::Report old;
    old.tables = std::move(tables);
    std::vector<std::vector<int>> period_months;
    for (int m : months) period_months.push_back({m});
    publish(naive, old, months, period_months);
  }
  int recovered = 0;
  for (const auto& [name, v] : secrets) recovered += naive.Contains(v);
  EXPECT_GT(recovered, 0) << "per-report suppression should have leaked; the audit sees nothing";
  std::printf(
      "%zu withheld monthly counts (%d under 11); %d recovered from the reports; "
      "%d recovered when each report is suppressed on its own\n",
      secrets.size(), small_secrets, leaked, recovered);
}

}  // namespace
}  // namespace vigil
