#include "vigil/report/report.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <sstream>
#include <tuple>

namespace vigil::report {
namespace {

using Counts = std::vector<std::array<int64_t, kMeasureCount>>;

// The table as the grid the suppression rules read: rows() + 1 grid rows (the last is the
// column totals) and kMeasureCount + 1 grid columns (the last is the row totals).
constexpr int kGridColumns = kMeasureCount + 1;
int GridRows(const Table& t) { return static_cast<int>(t.rows.size()) + 1; }

int64_t Value(const Table& t, int r, int c) {
  bool last = r == GridRows(t) - 1;
  if (c == kMeasureCount) return last ? t.grand_total : t.row_totals[r];
  return last ? t.column_totals[c] : t.counts[r][c];
}

bool Withheld(const Table& t, int r, int c) {
  bool last = r == GridRows(t) - 1;
  if (c == kMeasureCount) return last ? t.grand_total_suppressed : t.row_total_suppressed[r];
  return last ? t.column_total_suppressed[c] : t.suppressed[r][c];
}

std::string EntryName(const Table& t, int r, int c) {
  std::string row = r == GridRows(t) - 1 ? "total" : t.rows[r];
  std::string col = c == kMeasureCount ? "total" : std::string(Name(CountableEvent::Measure(c)));
  return t.dimension + "[" + row + "][" + col + "]";
}

// The withheld entries that the published numbers determine exactly. Independent of the
// suppression code: Gaussian elimination over every equation a reader can write (each grid row
// and column of each table adds up to its last entry). With `linked`, the column totals and
// grand total are one set of unknowns shared by all tables (they count the same events).
std::vector<std::string> DeterminedEntries(const std::vector<Table>& tables, bool linked) {
  using Key = std::tuple<int, int, int>;
  auto key = [&](int k, int r, int c) {
    if (linked && r == GridRows(tables[k]) - 1) return Key{-1, -1, c};
    return Key{k, r, c};
  };
  std::map<Key, int> index;
  std::vector<std::string> names;
  for (int k = 0; k < static_cast<int>(tables.size()); ++k) {
    for (int r = 0; r < GridRows(tables[k]); ++r) {
      for (int c = 0; c < kGridColumns; ++c) {
        if (Withheld(tables[k], r, c) && index.emplace(key(k, r, c), names.size()).second) {
          names.push_back(EntryName(tables[k], r, c));
        }
      }
    }
  }
  const size_t n = names.size();
  std::vector<std::vector<double>> rows;
  auto add = [&](const std::vector<std::pair<Key, double>>& terms) {
    std::vector<double> row(n, 0.0);
    bool any = false;
    for (const auto& [k, coef] : terms) {
      auto it = index.find(k);
      if (it == index.end()) continue;
      row[it->second] += coef;
      any = true;
    }
    if (any) rows.push_back(std::move(row));
  };
  for (int k = 0; k < static_cast<int>(tables.size()); ++k) {
    const int last = GridRows(tables[k]) - 1;
    for (int r = 0; r <= last; ++r) {
      if (linked && r == last && k > 0) continue;  // the shared totals row: one equation
      std::vector<std::pair<Key, double>> terms;
      for (int c = 0; c < kMeasureCount; ++c) terms.push_back({key(k, r, c), 1.0});
      terms.push_back({key(k, r, kMeasureCount), -1.0});
      add(terms);
    }
    for (int c = 0; c < kGridColumns; ++c) {
      std::vector<std::pair<Key, double>> terms;
      for (int r = 0; r < last; ++r) terms.push_back({key(k, r, c), 1.0});
      terms.push_back({key(k, last, c), -1.0});
      add(terms);
    }
  }
  // Reduced row echelon form.
  constexpr double kEps = 1e-9;
  std::vector<int> pivot_of_row;
  std::vector<bool> is_pivot(n, false);
  size_t rank = 0;
  for (size_t col = 0; col < n && rank < rows.size(); ++col) {
    size_t best = rank;
    for (size_t r = rank; r < rows.size(); ++r) {
      if (std::fabs(rows[r][col]) > std::fabs(rows[best][col])) best = r;
    }
    if (std::fabs(rows[best][col]) < kEps) continue;
    std::swap(rows[rank], rows[best]);
    double p = rows[rank][col];
    for (double& v : rows[rank]) v /= p;
    for (size_t r = 0; r < rows.size(); ++r) {
      if (r == rank || std::fabs(rows[r][col]) < kEps) continue;
      double f = rows[r][col];
      for (size_t j = 0; j < n; ++j) rows[r][j] -= f * rows[rank][j];
    }
    pivot_of_row.push_back(static_cast<int>(col));
    is_pivot[col] = true;
    ++rank;
  }
  // A pivot unknown is determined when no free unknown enters its row.
  std::vector<std::string> determined;
  for (size_t r = 0; r < rank; ++r) {
    bool free_term = false;
    for (size_t j = 0; j < n; ++j) {
      if (!is_pivot[j] && std::fabs(rows[r][j]) > kEps) free_term = true;
    }
    if (!free_term) determined.push_back(names[pivot_of_row[r]]);
  }
  return determined;
}

// Checks what must hold of any suppressed table; `where` names the case in failures.
void ExpectWellSuppressed(const Table& t, int min_cell, const std::string& where) {
  SCOPED_TRACE(where);
  // True values untouched and consistent.
  std::array<int64_t, kMeasureCount> columns{};
  int64_t grand = 0;
  for (size_t r = 0; r < t.rows.size(); ++r) {
    int64_t row = 0;
    for (int c = 0; c < kMeasureCount; ++c) {
      row += t.counts[r][c];
      columns[c] += t.counts[r][c];
    }
    EXPECT_EQ(t.row_totals[r], row);
    grand += row;
  }
  EXPECT_EQ(t.column_totals, columns);
  EXPECT_EQ(t.grand_total, grand);
  for (int r = 0; r < GridRows(t); ++r) {
    for (int c = 0; c < kGridColumns; ++c) {
      int64_t v = Value(t, r, c);
      if (min_cell > 1 && v < min_cell) {
        EXPECT_TRUE(Withheld(t, r, c)) << EntryName(t, r, c) << " = " << v << " is shown";
      }
    }
  }
  // Every grid row and column: none or at least two withheld; and where the total is shown,
  // the withheld entries it sums add up to min_cell or more (a reader knows that sum).
  const int last_row = GridRows(t) - 1;
  for (int r = 0; r < GridRows(t); ++r) {
    int n = 0;
    int64_t sum = 0;
    for (int c = 0; c < kGridColumns; ++c) {
      n += Withheld(t, r, c);
      if (c < kMeasureCount && Withheld(t, r, c)) sum += Value(t, r, c);
    }
    EXPECT_NE(n, 1) << "grid row " << r << " has one withheld entry";
    if (n > 0 && !Withheld(t, r, kMeasureCount)) {
      EXPECT_GE(sum, min_cell) << "grid row " << r << " gives away that its withheld entries are small";
    }
  }
  for (int c = 0; c < kGridColumns; ++c) {
    int n = 0;
    int64_t sum = 0;
    for (int r = 0; r < GridRows(t); ++r) {
      n += Withheld(t, r, c);
      if (r < last_row && Withheld(t, r, c)) sum += Value(t, r, c);
    }
    EXPECT_NE(n, 1) << "grid column " << c << " has one withheld entry";
    if (n > 0 && !Withheld(t, last_row, c)) {
      EXPECT_GE(sum, min_cell) << "grid column " << c
                               << " gives away that its withheld entries are small";
    }
  }
}

int CountWithheld(const Table& t) {
  int n = 0;
  for (int r = 0; r < GridRows(t); ++r) {
    for (int c = 0; c < kGridColumns; ++c) n += Withheld(t, r, c);
  }
  return n;
}

// A zero is a small count like any other: printed zeros tell when nothing happened, and
// with the counts around them, when something did.
TEST(SuppressSmallCells, WithholdsZeroToTenShowsEleven) {
  Table t = Table::FromCounts("state", {"AZ", "CA"}, {{0, 1, 10, 11}, {12, 13, 14, 15}});
  SuppressSmallCells(t, 11);
  EXPECT_TRUE(t.suppressed[0][0]) << "zero";
  EXPECT_TRUE(t.suppressed[0][1]) << "1";
  EXPECT_TRUE(t.suppressed[0][2]) << "10";
  EXPECT_FALSE(t.suppressed[0][3]) << "11";
  // Columns 0 to 2 each had one withheld cell: CA's 12, 13 and 14 complete them.
  EXPECT_TRUE(t.suppressed[1][0]);
  EXPECT_TRUE(t.suppressed[1][1]);
  EXPECT_TRUE(t.suppressed[1][2]);
  EXPECT_FALSE(t.suppressed[1][3]);
  EXPECT_FALSE(t.row_total_suppressed[0]);
  EXPECT_FALSE(t.grand_total_suppressed);
  ExpectWellSuppressed(t, 11, "hand table");
  EXPECT_TRUE(DeterminedEntries({t}, false).empty());
}

TEST(SuppressSmallCells, MinCellIsTheThreshold) {
  Table t =
      Table::FromCounts("state", {"AZ", "CA", "NY"}, {{4, 6, 7, 8}, {4, 9, 9, 9}, {5, 9, 9, 9}});
  SuppressSmallCells(t, 5);
  EXPECT_TRUE(t.suppressed[0][0]);
  EXPECT_TRUE(t.suppressed[1][0]);
  EXPECT_FALSE(t.suppressed[2][0]) << "5 is not under 5";
  EXPECT_FALSE(t.row_total_suppressed[2]);
  ExpectWellSuppressed(t, 5, "min_cell 5");
  Table none = Table::FromCounts("state", {"AZ"}, {{1, 2, 3, 0}});
  SuppressSmallCells(none, 1);
  EXPECT_EQ(CountWithheld(none), 0);
}

TEST(SuppressSmallCells, WithholdsSmallMargins) {
  // AZ's 3 bookings are all the bookings: the column total is as small as the cell.
  Table t = Table::FromCounts("state", {"AZ", "CA"}, {{3, 20, 0, 0}, {0, 40, 0, 0}});
  SuppressSmallCells(t, 11);
  EXPECT_TRUE(t.suppressed[0][0]);
  EXPECT_TRUE(t.column_total_suppressed[0]) << "column total 3";
  ExpectWellSuppressed(t, 11, "small column total");

  Table one = Table::FromCounts("month", {"2026-01"}, {{0, 0, 1, 0}});
  SuppressSmallCells(one, 11);
  EXPECT_TRUE(one.suppressed[0][2]);
  EXPECT_TRUE(one.row_total_suppressed[0]);
  EXPECT_TRUE(one.column_total_suppressed[2]);
  EXPECT_TRUE(one.grand_total_suppressed);
  ExpectWellSuppressed(one, 11, "one event");
}

// The case from the issue: the only booking in a state is one person. Withholding the 1 alone
// would let anyone recover it from the state's total.
TEST(SuppressSmallCells, LoneOneCannotBeRecoveredFromTotals) {
  Table t = Table::FromCounts("state", {"CA", "NY", "TX"},
                              {{1, 40, 25, 30}, {50, 20, 33, 60}, {70, 45, 12, 80}});
  SuppressSmallCells(t, 11);
  ASSERT_TRUE(t.suppressed[0][0]);
  int withheld_in_row = t.row_total_suppressed[0];
  for (bool s : t.suppressed[0]) withheld_in_row += s;
  EXPECT_GE(withheld_in_row, 2) << "CA's total minus its shown cells would give the 1";
  EXPECT_TRUE(t.suppressed[0][2]) << "the smallest other CA cell (25) completes the row";
  int withheld_in_column = t.column_total_suppressed[0];
  for (const auto& row : t.suppressed) withheld_in_column += row[0];
  EXPECT_GE(withheld_in_column, 2) << "the bookings total minus NY and TX would give the 1";
  ExpectWellSuppressed(t, 11, "issue case");
  EXPECT_TRUE(DeterminedEntries({t}, false).empty());
}

// Withheld zeros must not be told apart by their sum: where a line shows its total, what it
// withholds adds up to min_cell or more, so that the withheld entries could each be anything
// from 0 to that sum.
TEST(SuppressSmallCells, WithheldZerosDoNotAddUpToAGiveaway) {
  Table t = Table::FromCounts("state", {"CA", "NY"}, {{1, 0, 0, 50}, {30, 0, 0, 20}});
  SuppressSmallCells(t, 11);
  EXPECT_TRUE(t.suppressed[0][1]);
  EXPECT_TRUE(t.suppressed[0][2]);
  EXPECT_TRUE(t.suppressed[0][3]) << "1 + 0 + 0 would be a known 1: 50 joins them";
  ExpectWellSuppressed(t, 11, "zeros");
  EXPECT_TRUE(DeterminedEntries({t}, false).empty());
}

TEST(SuppressSmallCells, FallsBackToTheTotalWhenTheLineHasNoOtherCell) {
  // One month: its 3 bookings (and their total) are small; the row is completed by the 50
  // transfers, and the transfers column then holds no other cell, so its total is withheld.
  Table t = Table::FromCounts("month", {"2026-01"}, {{3, 50, 60, 70}});
  SuppressSmallCells(t, 11);
  EXPECT_TRUE(t.suppressed[0][0]);
  EXPECT_TRUE(t.column_total_suppressed[0]);
  EXPECT_TRUE(t.suppressed[0][1]);
  EXPECT_TRUE(t.column_total_suppressed[1]);
  EXPECT_FALSE(t.suppressed[0][2]);
  EXPECT_FALSE(t.row_total_suppressed[0]);
  ExpectWellSuppressed(t, 11, "total fallback");
  EXPECT_TRUE(DeterminedEntries({t}, false).empty());
}

// Two withheld entries on every line is not enough: here AZ's transfers are the only link
// between two closed groups, and adding AZ+CA rows minus the bookings and transfers columns
// gives its value. The cycle rule must close it.
TEST(SuppressSmallCells, ClosesEntriesThatSumsOfLinesWouldGiveAway) {
  Table t = Table::FromCounts("state", {"AZ", "CA", "NY", "TX"},
                              {{5, 5, 20, 0}, {5, 5, 0, 0}, {0, 0, 7, 7}, {0, 0, 7, 7}});
  for (auto [r, c] : std::vector<std::pair<int, int>>{
           {0, 0}, {0, 1}, {1, 0}, {1, 1}, {2, 2}, {2, 3}, {3, 2}, {3, 3}, {0, 2}}) {
    t.suppressed[r][c] = true;
  }
  std::vector<std::string> before = DeterminedEntries({t}, false);
  ASSERT_EQ(before, std::vector<std::string>{"state[AZ][releases]"}) << "the audit must see it";
  SuppressSmallCells(t, 1);  // no primary suppression: only the flags set above
  ExpectWellSuppressed(t, 1, "bridge");
  EXPECT_TRUE(DeterminedEntries({t}, false).empty());
  EXPECT_TRUE(t.suppressed[0][2]) << "flags already set are kept";
}

TEST(SuppressSmallCells, RandomTablesLeaveNothingDetermined) {
  std::mt19937 rng(20261123);
  for (int round = 0; round < 500; ++round) {
    int rows = 1 + static_cast<int>(rng() % 6);
    std::vector<std::string> keys;
    Counts counts(rows);
    for (int r = 0; r < rows; ++r) {
      keys.push_back("r" + std::to_string(r));
      for (auto& v : counts[r]) v = rng() % 3 == 0 ? 0 : static_cast<int64_t>(rng() % 25);
    }
    Table t = Table::FromCounts("state", keys, counts);
    SuppressSmallCells(t, 11);
    std::string where = "round " + std::to_string(round);
    ExpectWellSuppressed(t, 11, where);
    EXPECT_EQ(DeterminedEntries({t}, false), std::vector<std::string>{}) << where;
    if (testing::Test::HasFailure()) return;
  }
}

// Three tables of the same random events, as BuildReport makes them.
std::vector<Table> RandomLinkedTables(std::mt19937& rng) {
  int months = 1 + static_cast<int>(rng() % 4);
  int states = 1 + static_cast<int>(rng() % 5);
  Counts basis(3), month(months), state(states);
  auto add = [&](int n) {
    int m = static_cast<int>(rng() % kMeasureCount);
    int mo = static_cast<int>(rng() % months);
    int st = static_cast<int>(rng() % states);
    int b = static_cast<int>(rng() % 3);
    basis[b][m] += n;
    month[mo][m] += n;
    state[st][m] += n;
  };
  int events = static_cast<int>(rng() % 70);
  for (int i = 0; i < events; ++i) add(1);
  if (rng() % 3 == 0) add(15 + static_cast<int>(rng() % 20));
  std::vector<std::string> basis_keys = {"civil_immigration", "criminal_charge",
                                         "criminal_conviction"};
  std::vector<std::string> month_keys, state_keys;
  for (int i = 0; i < months; ++i) month_keys.push_back("2026-0" + std::to_string(i + 1));
  for (int i = 0; i < states; ++i) state_keys.push_back("S" + std::to_string(i));
  return {Table::FromCounts("custody_basis", basis_keys, basis),
          Table::FromCounts("month", month_keys, month),
          Table::FromCounts("state", state_keys, state)};
}

TEST(SuppressLinkedTables, RandomReportsLeaveNothingDeterminedAcrossTables) {
  std::mt19937 rng(1367);
  for (int round = 0; round < 500; ++round) {
    std::vector<Table> tables = RandomLinkedTables(rng);
    SuppressLinkedTables(tables, 11);
    std::string where = "round " + std::to_string(round);
    for (const Table& t : tables) {
      ExpectWellSuppressed(t, 11, where + " " + t.dimension);
      EXPECT_EQ(t.column_total_suppressed, tables[0].column_total_suppressed) << where;
      EXPECT_EQ(t.grand_total_suppressed, tables[0].grand_total_suppressed) << where;
    }
    EXPECT_EQ(DeterminedEntries(tables, true), std::vector<std::string>{}) << where;
    if (testing::Test::HasFailure()) return;
  }
}

// Each table alone is safe, but each pairs the four withheld column totals differently, and
// together the three tables pin them all (and then every cell). The same 40 events: 10 of each
// measure, each measure in its own basis, month and state combination.
TEST(SuppressLinkedTables, JoinsWithheldSharedTotalsInEveryTable) {
  std::vector<Table> tables = {
      Table::FromCounts("custody_basis", {"X", "Y"}, {{10, 10, 0, 0}, {0, 0, 10, 10}}),
      Table::FromCounts("month", {"2026-01", "2026-02"}, {{10, 0, 10, 0}, {0, 10, 0, 10}}),
      Table::FromCounts("state", {"AZ", "CA"}, {{10, 0, 0, 10}, {0, 10, 10, 0}})};
  for (Table& t : tables) {
    for (size_t r = 0; r < t.rows.size(); ++r) {
      for (int c = 0; c < kMeasureCount; ++c) t.suppressed[r][c] = t.counts[r][c] > 0;
    }
    t.column_total_suppressed = {true, true, true, true};
    ASSERT_TRUE(DeterminedEntries({t}, false).empty()) << t.dimension << " alone is safe";
  }
  ASSERT_EQ(DeterminedEntries(tables, true).size(), 16u) << "together they give everything away";
  SuppressLinkedTables(tables, 1);
  for (const Table& t : tables) ExpectWellSuppressed(t, 1, t.dimension);
  EXPECT_EQ(DeterminedEntries(tables, true), std::vector<std::string>{});
}

TEST(BuildReport, ListsEveryMonthAndAllBases) {
  Result<Report> report = BuildReport({}, "2025-11-15", "2026-02-01");
  ASSERT_TRUE(report) << report.error().ToString();
  ASSERT_EQ(report->tables.size(), 3u);
  EXPECT_EQ(report->tables[0].dimension, "custody_basis");
  EXPECT_EQ(
      report->tables[0].rows,
      (std::vector<std::string>{"civil_immigration", "criminal_charge", "criminal_conviction"}));
  EXPECT_EQ(report->tables[1].rows,
            (std::vector<std::string>{"2025-11", "2025-12", "2026-01", "2026-02"}));
  EXPECT_TRUE(report->tables[2].rows.empty());
  EXPECT_EQ(report->min_cell, 11);
  EXPECT_EQ(report->from, "2025-11-01");
  EXPECT_EQ(report->to, "2026-02-28");
  EXPECT_NE(report->adjusted.find("whole calendar months"), std::string::npos);
  // Nothing happened: every count is a zero, and every zero is withheld.
  for (const Table& t : report->tables) EXPECT_EQ(CountWithheld(t), GridRows(t) * kGridColumns);
}

TEST(BuildReport, RefusesBadPeriods) {
  for (auto [from, to] :
       std::vector<std::pair<std::string, std::string>>{{"2026-01", "2026-02-01"},
                                                        {"2026-02-30", "2026-03-01"},
                                                        {"yesterday", "2026-03-01"},
                                                        {"2026-03-02", "2026-03-01"},
                                                        {"1900-01-01", "2026-01-01"}}) {
    Result<Report> report = BuildReport({}, from, to);
    ASSERT_FALSE(report) << from << " " << to;
    EXPECT_EQ(report.error().code(), ErrorCode::kInvalidArgument);
  }
  EXPECT_FALSE(BuildReport({}, "2026-01-01", "2026-01-31", 0));
  EXPECT_TRUE(BuildReport({}, "2026-01-31", "2026-01-31"));
}

// A report with withheld cells, a basis table, a month table and a hostile row key.
Report HandReport() {
  Report report;
  report.from = "2026-01-01";
  report.to = "2026-03-31";
  report.min_cell = 11;
  report.tables.push_back(Table::FromCounts(
      "custody_basis", {"civil_immigration", "criminal_charge", "criminal_conviction"},
      {{120, 40, 33, 51}, {3, 22, 17, 0}, {45, 12, 30, 14}}));
  report.tables.push_back(Table::FromCounts("month", {"2026-01", "2026-02", "2026-03"},
                                            {{60, 30, 2, 20}, {50, 24, 38, 25}, {58, 20, 40, 20}}));
  report.tables.push_back(
      Table::FromCounts("state", {"<script>alert(1)</script>", "=HYPERLINK(\"x\",\"y\")", "CA"},
                        {{5, 30, 30, 30}, {30, 30, 30, 30}, {133, 14, 20, 25}}));
  for (Table& t : report.tables) SuppressSmallCells(t, report.min_cell);
  return report;
}

std::vector<std::string> SplitCsvLine(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(field);
      field.clear();
    } else {
      field += c;
    }
  }
  fields.push_back(field);
  return fields;
}

TEST(RenderCsv, WritesTheMarkerWhereverAValueIsWithheld) {
  Report report = HandReport();
  std::string csv = RenderCsv(report);
  std::istringstream in(csv);
  std::string line;
  std::vector<std::vector<std::string>> records;
  bool header_seen = false;
  while (std::getline(in, line)) {
    // RFC 4180: every record ends in CRLF, and there is nothing but records.
    ASSERT_FALSE(line.empty());
    EXPECT_EQ(line.back(), '\r') << line;
    line.pop_back();
    EXPECT_NE(line.rfind("#", 0), 0u) << "no comment lines: " << line;
    if (!header_seen) {
      EXPECT_EQ(line, "table,row,bookings,transfers,releases,removals,total");
      header_seen = true;
      continue;
    }
    records.push_back(SplitCsvLine(line));
  }
  std::string notes = RenderCsvNotes(report);
  EXPECT_NE(notes.find("2026-01-01 to 2026-03-31"), std::string::npos) << notes;
  EXPECT_NE(notes.find("minors are not counted"), std::string::npos) << notes;
  size_t i = 0;
  int markers = 0;
  for (const Table& t : report.tables) {
    for (int r = 0; r < GridRows(t); ++r, ++i) {
      ASSERT_LT(i, records.size());
      const std::vector<std::string>& rec = records[i];
      ASSERT_EQ(rec.size(), 7u) << "line " << i;
      EXPECT_EQ(rec[0], t.dimension);
      for (int c = 0; c < kGridColumns; ++c) {
        if (Withheld(t, r, c)) {
          EXPECT_EQ(rec[2 + c], kSuppressedMarker) << EntryName(t, r, c);
          ++markers;
        } else {
          EXPECT_EQ(rec[2 + c], std::to_string(Value(t, r, c))) << EntryName(t, r, c);
        }
      }
    }
  }
  EXPECT_EQ(i, records.size());
  EXPECT_GT(markers, 0);
  EXPECT_EQ(records[1][1], "criminal charge (not convicted)") << "the truthful label";
  EXPECT_EQ(records[3][1], "total");
  EXPECT_EQ(records[9][1], "'=HYPERLINK(\"x\",\"y\")") << "not run as a formula";
}

TEST(RenderJson, WithheldValuesAreNullAndFlagged) {
  Report report = HandReport();
  nlohmann::json doc = nlohmann::json::parse(RenderJson(report));
  EXPECT_EQ(doc["from"], "2026-01-01");
  EXPECT_EQ(doc["to"], "2026-03-31");
  EXPECT_EQ(doc["min_cell"], 11);
  EXPECT_NE(doc["note"].get<std::string>().find("minors"), std::string::npos);
  ASSERT_EQ(doc["tables"].size(), report.tables.size());
  int nulls = 0;
  const char* kNames[] = {"bookings", "transfers", "releases", "removals", "total"};
  for (size_t k = 0; k < report.tables.size(); ++k) {
    const Table& t = report.tables[k];
    const nlohmann::json& jt = doc["tables"][k];
    EXPECT_EQ(jt["dimension"], t.dimension);
    ASSERT_EQ(jt["rows"].size(), t.rows.size());
    for (int r = 0; r < GridRows(t); ++r) {
      bool last = r == GridRows(t) - 1;
      const nlohmann::json& line = last ? jt["totals"] : jt["rows"][r];
      if (!last) {
        EXPECT_EQ(line["key"], t.rows[r]);
      }
      for (int c = 0; c < kGridColumns; ++c) {
        const nlohmann::json& v = line["counts"][kNames[c]];
        EXPECT_EQ(line["suppressed"][kNames[c]].get<bool>(), Withheld(t, r, c));
        if (Withheld(t, r, c)) {
          EXPECT_TRUE(v.is_null()) << EntryName(t, r, c);
          ++nulls;
        } else {
          EXPECT_EQ(v.get<int64_t>(), Value(t, r, c)) << EntryName(t, r, c);
        }
      }
    }
  }
  EXPECT_GT(nulls, 0);
  EXPECT_EQ(doc["tables"][0]["rows"][1]["label"], "criminal charge (not convicted)");
}

TEST(RenderJson, InvalidUtf8DoesNotThrow) {
  Report report = HandReport();
  report.tables[2].rows[2] = "C\xff";
  EXPECT_NO_THROW(nlohmann::json::parse(RenderJson(report)));
}

double Luminance(const std::string& hex) {
  double channels[3];
  for (int i = 0; i < 3; ++i) {
    double c = std::stoi(hex.substr(1 + 2 * i, 2), nullptr, 16) / 255.0;
    channels[i] = c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
  }
  return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
}

TEST(RenderHtml, IsAStandaloneAccessiblePage) {
  Report report = HandReport();
  std::string html = RenderHtml(report);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  for (const char* part : {"<html lang=\"en\">", "<title>", "<main>", "<h1>", "<caption>",
                           "<th scope=\"col\">", "<th scope=\"row\">", "</html>"}) {
    EXPECT_NE(html.find(part), std::string::npos) << part;
  }
  EXPECT_NE(html.find("criminal charge (not convicted)"), std::string::npos);
  EXPECT_EQ(html.find("http://"), html.find("http://www.w3.org/2000/svg")) << "no external links";
  EXPECT_EQ(html.find("src="), std::string::npos);
}

TEST(RenderHtml, EscapesEverythingFromTheData) {
  std::string html = RenderHtml(HandReport());
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("=HYPERLINK(&quot;x&quot;,&quot;y&quot;)"), std::string::npos);
}

TEST(RenderHtml, ShowsNoWithheldValue) {
  Report report = HandReport();
  std::string html = RenderHtml(report);
  int withheld = 0;
  for (const Table& t : report.tables) withheld += CountWithheld(t);
  ASSERT_GT(withheld, 0);
  std::string cell = "<td class=\"withheld\">" + std::string(kSuppressedMarker) + "</td>";
  int cells = 0;
  for (size_t at = html.find(cell); at != std::string::npos; at = html.find(cell, at + 1)) {
    ++cells;
  }
  EXPECT_EQ(cells, withheld);
}

TEST(RenderHtml, ChartsTheMonthTableWithoutWithheldBars) {
  Report report = HandReport();
  const Table& months = report.tables[1];
  ASSERT_TRUE(months.suppressed[0][2]) << "January's 2 releases";
  std::string html = RenderHtml(report);
  size_t svg = html.find("<svg");
  ASSERT_NE(svg, std::string::npos);
  std::string chart = html.substr(svg, html.find("</svg>") - svg);
  EXPECT_NE(chart.find("role=\"img\""), std::string::npos);
  EXPECT_NE(chart.find("<title id="), std::string::npos);
  EXPECT_NE(chart.find("<desc id="), std::string::npos);
  EXPECT_NE(chart.find(">Number of events</text>"), std::string::npos) << "y axis label";
  EXPECT_NE(chart.find(">Month</text>"), std::string::npos) << "x axis label";
  EXPECT_NE(chart.find(">Removals</text>"), std::string::npos) << "legend";
  EXPECT_NE(chart.find("<title>Releases, 2026-01: suppressed</title>"), std::string::npos);
  EXPECT_EQ(chart.find("<title>Releases, 2026-01: 2</title>"), std::string::npos);
  EXPECT_NE(chart.find("<title>Bookings, 2026-02: 50</title>"), std::string::npos);
  int bars = 0;
  for (size_t at = chart.find("<rect"); at != std::string::npos; at = chart.find("<rect", at + 1)) {
    ++bars;
  }
  int shown = 0;
  for (size_t r = 0; r < months.rows.size(); ++r) {
    for (int c = 0; c < kMeasureCount; ++c)
      shown += !months.suppressed[r][c] && months.counts[r][c] > 0;
  }
  EXPECT_EQ(bars, shown + kMeasureCount) << "one bar per shown non-zero value, plus the legend";
  // Every colour on the white page reaches WCAG AA contrast.
  std::regex colour("(fill|stroke)=\"(#[0-9a-fA-F]{6})\"");
  int colours = 0;
  for (auto it = std::sregex_iterator(chart.begin(), chart.end(), colour);
       it != std::sregex_iterator(); ++it) {
    std::string hex = (*it)[2];
    if (hex == "#d0d0d0") continue;  // gridlines: decoration, not information
    EXPECT_GE(1.05 / (Luminance(hex) + 0.05), 4.5) << hex;
    ++colours;
  }
  EXPECT_GT(colours, 0);
}

}  // namespace
}  // namespace vigil::report
