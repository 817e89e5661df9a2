#include "vigil/report/report.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <queue>
#include <utility>

#include "vigil/core/time_format.h"

namespace vigil::report {

CountableEvent::CountableEvent(Measure measure, std::string month, std::string state,
                               CustodyBasis basis)
    : measure_(measure), month_(std::move(month)), state_(std::move(state)), basis_(basis) {}

std::string_view Name(CountableEvent::Measure measure) {
  switch (measure) {
    case CountableEvent::Measure::kBookings:
      return "bookings";
    case CountableEvent::Measure::kTransfers:
      return "transfers";
    case CountableEvent::Measure::kReleases:
      return "releases";
    case CountableEvent::Measure::kRemovals:
      return "removals";
  }
  return "unknown";
}

std::string_view Label(CustodyBasis basis) {
  switch (basis) {
    case CustodyBasis::kCivilImmigration:
      return "civil immigration";
    case CustodyBasis::kCriminalCharge:
      return "criminal charge (not convicted)";
    case CustodyBasis::kCriminalConviction:
      return "criminal conviction";
  }
  return "unknown";
}

Table Table::FromCounts(std::string dimension, std::vector<std::string> rows,
                        std::vector<std::array<int64_t, kMeasureCount>> counts) {
  Table t;
  t.dimension = std::move(dimension);
  t.rows = std::move(rows);
  t.counts = std::move(counts);
  t.counts.resize(t.rows.size(), std::array<int64_t, kMeasureCount>{});
  t.row_totals.assign(t.rows.size(), 0);
  for (size_t r = 0; r < t.counts.size(); ++r) {
    for (int c = 0; c < kMeasureCount; ++c) {
      t.row_totals[r] += t.counts[r][c];
      t.column_totals[c] += t.counts[r][c];
    }
    t.grand_total += t.row_totals[r];
  }
  t.suppressed.assign(t.rows.size(), std::array<bool, kMeasureCount>{});
  t.row_total_suppressed.assign(t.rows.size(), false);
  return t;
}

namespace {

// The table as a grid of (rows + 1) x (kMeasureCount + 1) entries: the last column holds the row
// totals, the last row the column totals, the corner the grand total. Every grid row and column
// is one equation: its entries add up to its last entry.
constexpr int kColumns = kMeasureCount + 1;
constexpr int kTotalColumn = kMeasureCount;

struct Cell {
  int row;
  int col;
};

class Grid {
 public:
  explicit Grid(Table& table) : table_(table), rows_(static_cast<int>(table.counts.size()) + 1) {
    table_.suppressed.resize(table_.counts.size(), std::array<bool, kMeasureCount>{});
    table_.row_total_suppressed.resize(table_.counts.size(), false);
    table_.row_totals.resize(table_.counts.size(), 0);
  }

  int rows() const { return rows_; }
  int totals_row() const { return rows_ - 1; }

  int64_t value(Cell c) const {
    bool last_row = c.row == totals_row();
    if (c.col == kTotalColumn) return last_row ? table_.grand_total : table_.row_totals[c.row];
    return last_row ? table_.column_totals[c.col] : table_.counts[c.row][c.col];
  }
  bool suppressed(Cell c) const {
    bool last_row = c.row == totals_row();
    if (c.col == kTotalColumn) {
      return last_row ? table_.grand_total_suppressed : table_.row_total_suppressed[c.row];
    }
    return last_row ? table_.column_total_suppressed[c.col] : table_.suppressed[c.row][c.col];
  }
  void Suppress(Cell c) {
    bool last_row = c.row == totals_row();
    if (c.col == kTotalColumn) {
      if (last_row) {
        table_.grand_total_suppressed = true;
      } else {
        table_.row_total_suppressed[c.row] = true;
      }
    } else if (last_row) {
      table_.column_total_suppressed[c.col] = true;
    } else {
      table_.suppressed[c.row][c.col] = true;
    }
  }

 private:
  Table& table_;
  int rows_;
};

void SuppressPrimary(Grid& g, int min_cell) {
  if (min_cell <= 1) return;  // nothing is small
  for (int r = 0; r < g.rows(); ++r) {
    for (int c = 0; c < kColumns; ++c) {
      if (g.value({r, c}) < min_cell) g.Suppress({r, c});
    }
  }
}

// Settles one line (its interior entries add up to `total`), withholding its smallest shown
// entry (the interior before the total) when
//   - exactly one entry is withheld (it would be the total minus the rest), or
//   - the total is shown and the withheld interior entries add up to less than `min_cell`: the
//     reader knows that sum, and a sum of 0 would give every one of them away.
// Returns whether it withheld one.
bool SettleLine(Grid& g, const std::vector<Cell>& interior, Cell total, int min_cell) {
  int withheld = g.suppressed(total) ? 1 : 0;
  int64_t withheld_sum = 0;
  for (Cell c : interior) {
    if (!g.suppressed(c)) continue;
    ++withheld;
    withheld_sum += g.value(c);
  }
  const bool lone = withheld == 1;
  const bool known_small_sum =
      !g.suppressed(total) && withheld > 0 && withheld_sum < min_cell;
  if (!lone && !known_small_sum) return false;
  std::optional<Cell> best;
  for (Cell c : interior) {
    if (g.suppressed(c)) continue;
    if (!best || g.value(c) < g.value(*best)) best = c;
  }
  if (!best && !g.suppressed(total)) best = total;
  // No candidate only when the line has nothing left to withhold.
  if (!best) return false;
  g.Suppress(*best);
  return true;
}

bool ApplyLineRule(Grid& g, int min_cell) {
  bool changed = false;
  std::vector<Cell> interior;
  for (int r = 0; r < g.rows(); ++r) {
    interior.clear();
    for (int c = 0; c < kTotalColumn; ++c) interior.push_back({r, c});
    changed |= SettleLine(g, interior, {r, kTotalColumn}, min_cell);
  }
  for (int c = 0; c < kColumns; ++c) {
    interior.clear();
    for (int r = 0; r < g.totals_row(); ++r) interior.push_back({r, c});
    changed |= SettleLine(g, interior, {g.totals_row(), c}, min_cell);
  }
  return changed;
}

// The grid as a bipartite graph: vertex r < rows() is grid row r, vertex rows() + c is grid
// column c, and each entry (r, c) is an edge. A withheld entry costs 0 to use, a shown one its
// value, plus `totals_row_penalty` when it is in the totals row (shared between linked tables,
// so withholding it costs a cell in each of them).
struct PathOptions {
  std::optional<Cell> skip;       // an entry the path may not use
  bool avoid_totals_row = false;  // the totals-row vertex may not be used
  int64_t totals_row_penalty = 0;
};

struct Path {
  int64_t cost = 0;
  std::vector<Cell> cells;
};

std::optional<Path> CheapestPath(const Grid& g, int from, int to, const PathOptions& options) {
  const int vertices = g.rows() + kColumns;
  constexpr int64_t kUnreached = std::numeric_limits<int64_t>::max();
  std::vector<int64_t> dist(vertices, kUnreached);
  std::vector<int> prev(vertices, -1);
  std::vector<Cell> via(vertices, Cell{-1, -1});
  using Item = std::pair<int64_t, int>;
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> queue;
  dist[from] = 0;
  queue.push({0, from});
  auto is_row = [&](int v) { return v < g.rows(); };
  while (!queue.empty()) {
    // Plain variables, not a structured binding: the lambda below captures
    // them, which C++20 allows but clang 14 (the fuzz build) refuses.
    const int64_t d = queue.top().first;
    const int v = queue.top().second;
    queue.pop();
    if (d != dist[v]) continue;
    if (v == to) break;
    auto relax = [&](Cell cell, int next) {
      if (options.skip && options.skip->row == cell.row && options.skip->col == cell.col) return;
      if (options.avoid_totals_row && cell.row == g.totals_row()) return;
      int64_t cost = 0;
      if (!g.suppressed(cell)) {
        // +1: a shown entry always costs something, so the cheapest path withholds as few
        // as it can.
        cost = g.value(cell) + 1 + (cell.row == g.totals_row() ? options.totals_row_penalty : 0);
      }
      if (d + cost < dist[next]) {
        dist[next] = d + cost;
        prev[next] = v;
        via[next] = cell;
        queue.push({dist[next], next});
      }
    };
    if (is_row(v)) {
      for (int c = 0; c < kColumns; ++c) relax({v, c}, g.rows() + c);
    } else {
      int c = v - g.rows();
      for (int r = 0; r < g.rows(); ++r) relax({r, c}, r);
    }
  }
  if (dist[to] == kUnreached) return std::nullopt;
  Path path;
  path.cost = dist[to];
  for (int v = to; v != from; v = prev[v]) path.cells.push_back(via[v]);
  return path;
}

bool SuppressPath(Grid& g, const Path& path) {
  bool changed = false;
  for (Cell c : path.cells) {
    if (!g.suppressed(c)) {
      g.Suppress(c);
      changed = true;
    }
  }
  return changed;
}

// Closes every withheld entry that lies on no cycle of withheld entries into one.
bool ApplyCycleRule(Grid& g, int64_t totals_row_penalty) {
  bool changed = false;
  for (int r = 0; r < g.rows(); ++r) {
    for (int c = 0; c < kColumns; ++c) {
      if (!g.suppressed({r, c})) continue;
      PathOptions options{.skip = Cell{r, c}, .totals_row_penalty = totals_row_penalty};
      std::optional<Path> path = CheapestPath(g, g.rows() + c, r, options);
      // No path only when the totals are not the sums of the counts.
      if (path && path->cost > 0) changed |= SuppressPath(g, *path);
    }
  }
  return changed;
}

// Joins the columns of the withheld totals-row entries by withheld entries outside that row.
bool JoinSharedTotals(Grid& g) {
  std::vector<int> columns;
  for (int c = 0; c < kColumns; ++c) {
    if (g.suppressed({g.totals_row(), c})) columns.push_back(c);
  }
  bool changed = false;
  for (size_t i = 1; i < columns.size(); ++i) {
    PathOptions options{.skip = std::nullopt, .avoid_totals_row = true};
    std::optional<Path> path =
        CheapestPath(g, g.rows() + columns[0], g.rows() + columns[i], options);
    if (path && path->cost > 0) changed |= SuppressPath(g, *path);
  }
  return changed;
}

// The line rule until it changes nothing, then the cycle rule; again until neither changes
// anything. Returns whether anything changed.
bool Settle(Grid& g, int64_t totals_row_penalty, int min_cell) {
  bool any = false;
  while (true) {
    while (ApplyLineRule(g, min_cell)) any = true;
    if (!ApplyCycleRule(g, totals_row_penalty)) return any;
    any = true;
  }
}

// The months "YYYY-MM" from `from` to `to` inclusive.
std::vector<std::string> MonthsBetween(const PartialDate& from, const PartialDate& to) {
  std::vector<std::string> months;
  int y = from.year, m = from.month;
  while (y < to.year || (y == to.year && m <= to.month)) {
    char key[16];
    std::snprintf(key, sizeof key, "%04d-%02d", y, m);
    months.push_back(key);
    if (++m > 12) {
      m = 1;
      ++y;
    }
  }
  return months;
}

Result<PartialDate> ParseDay(std::string_view what, std::string_view text) {
  Result<PartialDate> day = ParsePartialDate(text);
  if (!day || !day->is_complete()) {
    return InvalidArgument(std::string(what) + " must be a date YYYY-MM-DD");
  }
  return day;
}

}  // namespace

void SuppressSmallCells(Table& table, int min_cell) {
  Grid g(table);
  SuppressPrimary(g, min_cell);
  Settle(g, /*totals_row_penalty=*/0, min_cell);
}

void SuppressLinkedTables(std::vector<Table>& tables, int min_cell) {
  if (tables.empty()) return;
  // Withholding a shared total costs an entry in every table: take one only when nothing else
  // will do.
  int64_t penalty = 0;
  for (const Table& t : tables) penalty = std::max(penalty, t.grand_total);
  for (Table& t : tables) {
    Grid g(t);
    SuppressPrimary(g, min_cell);
  }
  bool changed = true;
  while (changed) {
    changed = false;
    for (Table& t : tables) {
      Grid g(t);
      changed |= Settle(g, penalty, min_cell);
    }
    // A shared total withheld in one table is withheld in all that hold the same value.
    for (const Table& t : tables) {
      for (int c = 0; c < kMeasureCount; ++c) {
        if (!t.column_total_suppressed[c]) continue;
        for (Table& other : tables) {
          if (other.column_totals[c] == t.column_totals[c] && !other.column_total_suppressed[c]) {
            other.column_total_suppressed[c] = true;
            changed = true;
          }
        }
      }
      if (t.grand_total_suppressed) {
        for (Table& other : tables) {
          if (other.grand_total == t.grand_total && !other.grand_total_suppressed) {
            other.grand_total_suppressed = true;
            changed = true;
          }
        }
      }
    }
    if (tables.size() > 1) {
      for (Table& t : tables) {
        Grid g(t);
        changed |= JoinSharedTotals(g);
      }
    }
  }
}

namespace {

using Row = std::array<int64_t, kMeasureCount>;

// A month's two tables, suppressed together (they share their totals row).
struct MonthTables {
  Table basis;
  Table state;
};

// "YYYY-MM" of the first month of the quarter holding `month` (1-12).
int QuarterStart(int month) { return (month - 1) / 3 * 3 + 1; }

std::string MonthKey(int year, int month) {
  char key[16];
  std::snprintf(key, sizeof key, "%04d-%02d", year, month);
  return key;
}

std::string DayText(const PartialDate& d) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", d.year, d.month, d.day);
  return text;
}

PartialDate LastDayOf(int year, int month) {
  const std::chrono::year_month_day_last end{std::chrono::year{year} /
                                             std::chrono::month{static_cast<unsigned>(month)} /
                                             std::chrono::last};
  return PartialDate{year, month, static_cast<int>(static_cast<unsigned>(end.day()))};
}

// Adds `from` into `into`, value by value; a value withheld in either is withheld in the sum.
void AddTable(Table& into, const Table& from) {
  for (size_t r = 0; r < into.rows.size(); ++r) {
    for (int c = 0; c < kMeasureCount; ++c) {
      into.counts[r][c] += from.counts[r][c];
      into.suppressed[r][c] = into.suppressed[r][c] || from.suppressed[r][c];
    }
    into.row_totals[r] += from.row_totals[r];
    into.row_total_suppressed[r] = into.row_total_suppressed[r] || from.row_total_suppressed[r];
  }
  for (int c = 0; c < kMeasureCount; ++c) {
    into.column_totals[c] += from.column_totals[c];
    into.column_total_suppressed[c] =
        into.column_total_suppressed[c] || from.column_total_suppressed[c];
  }
  into.grand_total += from.grand_total;
  into.grand_total_suppressed = into.grand_total_suppressed || from.grand_total_suppressed;
}

}  // namespace

std::string_view Name(Period period) { return period == Period::kQuarter ? "quarter" : "month"; }

Result<Report> BuildReport(const std::vector<CountableEvent>& events,
                           const ReportRequest& request) {
  Result<PartialDate> from_day = ParseDay("--from", request.from);
  if (!from_day) return tl::unexpected(from_day.error());
  Result<PartialDate> to_day = ParseDay("--to", request.to);
  if (!to_day) return tl::unexpected(to_day.error());
  if (*to_day < *from_day) return InvalidArgument("--from must not be after --to");
  if (request.min_cell < 1) return InvalidArgument("min_cell must be at least 1");
  const bool quarters = request.period == Period::kQuarter;

  // Whole periods only: out to the first day of --from's period and the last day of --to's;
  // back to the end of the last period that has ended by `today`.
  PartialDate first{from_day->year, quarters ? QuarterStart(from_day->month) : from_day->month, 1};
  int last_month = quarters ? QuarterStart(to_day->month) + 2 : to_day->month;
  PartialDate last = LastDayOf(to_day->year, last_month);
  std::string why_not_today;
  if (!request.today.empty()) {
    Result<PartialDate> today = ParseDay("today", request.today);
    if (!today) return tl::unexpected(today.error());
    if (!(last < *today)) {
      // The period holding `today` has not ended; the one before it has.
      int y = today->year, m = quarters ? QuarterStart(today->month) : today->month;
      if (--m < 1) {
        m = 12;
        --y;
      }
      last = LastDayOf(y, m);
      why_not_today = "; periods that have not ended are left out";
    }
  }
  if (last < first) {
    return InvalidArgument(std::string("no whole ") + std::string(Name(request.period)) +
                           " from " + request.from + " to " + request.to +
                           " has ended yet: reports cover whole calendar " +
                           (quarters ? "quarters" : "months") + " only");
  }
  int64_t span = (int64_t{last.year} - first.year) * 12 + (last.month - first.month) + 1;
  if (span > kMaxMonths) {
    return InvalidArgument("the period may span at most " + std::to_string(kMaxMonths) + " months");
  }

  Report report;
  report.from = DayText(first);
  report.to = DayText(last);
  report.min_cell = request.min_cell;
  report.period = request.period;
  if (report.from != request.from || report.to != request.to) {
    report.adjusted = "the period " + request.from + " to " + request.to + " became " +
                      report.from + " to " + report.to + ": reports cover whole calendar " +
                      (quarters ? "quarters" : "months") + why_not_today;
  }

  // The canonical tables: every month of the period, each suppressed on its own with the same
  // rows whatever was asked (every basis; every state the events name), so that every report
  // of the same data withholds the same cells of every month.
  std::map<std::string, size_t, std::less<>> state_row;
  bool any_unknown_state = false;
  for (const CountableEvent& e : events) {
    if (e.state().empty()) {
      any_unknown_state = true;
    } else {
      state_row.emplace(e.state(), 0);
    }
  }
  std::vector<std::string> basis_rows, state_rows;
  for (CustodyBasis b : {CustodyBasis::kCivilImmigration, CustodyBasis::kCriminalCharge,
                         CustodyBasis::kCriminalConviction}) {
    basis_rows.emplace_back(Name(b));
  }
  for (auto& [state, row] : state_row) {
    row = state_rows.size();
    state_rows.push_back(state);
  }
  if (any_unknown_state) state_rows.emplace_back("unknown");

  std::vector<std::string> months = MonthsBetween(first, last);
  std::map<std::string, size_t, std::less<>> month_index;
  for (size_t i = 0; i < months.size(); ++i) month_index[months[i]] = i;
  std::vector<std::vector<Row>> basis_counts(months.size(), std::vector<Row>(3, Row{}));
  std::vector<std::vector<Row>> state_counts(months.size(),
                                             std::vector<Row>(state_rows.size(), Row{}));
  for (const CountableEvent& e : events) {
    auto month = month_index.find(e.month());
    if (month == month_index.end()) continue;
    const int m = static_cast<int>(e.measure());
    basis_counts[month->second][static_cast<size_t>(e.basis())][m] += 1;
    size_t s = e.state().empty() ? state_rows.size() - 1 : state_row.at(e.state());
    state_counts[month->second][s][m] += 1;
  }
  std::vector<MonthTables> canonical;
  canonical.reserve(months.size());
  for (size_t i = 0; i < months.size(); ++i) {
    std::vector<Table> linked = {
        Table::FromCounts("custody_basis", basis_rows, std::move(basis_counts[i])),
        Table::FromCounts("state", state_rows, std::move(state_counts[i]))};
    SuppressLinkedTables(linked, request.min_cell);
    canonical.push_back({std::move(linked[0]), std::move(linked[1])});
  }

  // What is published: sums of canonical values, each withheld when any value it adds is.
  // A published number is then either a canonical value or a sum of shown ones: no set of
  // reports tells more than the canonical months do.
  std::vector<std::string> period_rows;
  std::vector<size_t> period_of(months.size());
  for (size_t i = 0; i < months.size(); ++i) {
    int y = std::stoi(months[i].substr(0, 4)), m = std::stoi(months[i].substr(5, 2));
    std::string key = quarters ? MonthKey(y, QuarterStart(m)).substr(0, 5) + "Q" +
                                     std::to_string((m - 1) / 3 + 1)
                               : months[i];
    if (period_rows.empty() || period_rows.back() != key) period_rows.push_back(key);
    period_of[i] = period_rows.size() - 1;
  }
  Table by_basis = Table::FromCounts("custody_basis", basis_rows, {});
  Table by_period = Table::FromCounts(quarters ? "quarter" : "month", period_rows, {});
  Table by_state = Table::FromCounts("state", state_rows, {});
  for (size_t i = 0; i < canonical.size(); ++i) {
    const MonthTables& c = canonical[i];
    AddTable(by_basis, c.basis);
    AddTable(by_state, c.state);
    // The month's row of the period table is its shared totals row.
    Table row = Table::FromCounts(by_period.dimension, period_rows, {});
    const size_t p = period_of[i];
    row.counts[p] = c.basis.column_totals;
    row.suppressed[p] = c.basis.column_total_suppressed;
    row.row_totals[p] = c.basis.grand_total;
    row.row_total_suppressed[p] = c.basis.grand_total_suppressed;
    row.column_totals = c.basis.column_totals;
    row.column_total_suppressed = c.basis.column_total_suppressed;
    row.grand_total = c.basis.grand_total;
    row.grand_total_suppressed = c.basis.grand_total_suppressed;
    AddTable(by_period, row);
  }
  report.tables = {std::move(by_basis), std::move(by_period), std::move(by_state)};
  return report;
}

Result<Report> BuildReport(const std::vector<CountableEvent>& events, std::string from,
                           std::string to, int min_cell) {
  return BuildReport(events, ReportRequest{std::move(from), std::move(to), Period::kMonth,
                                           min_cell, ""});
}

}  // namespace vigil::report
