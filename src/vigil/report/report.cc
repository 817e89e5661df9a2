#include "vigil/report/report.h"

#include <algorithm>
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
  for (int r = 0; r < g.rows(); ++r) {
    for (int c = 0; c < kColumns; ++c) {
      int64_t v = g.value({r, c});
      if (v >= 1 && v < min_cell) g.Suppress({r, c});
    }
  }
}

// In a line with exactly one withheld entry, withholds the smallest non-zero shown entry,
// preferring the interior of the line to its total. Returns whether it withheld one.
bool SettleLine(Grid& g, const std::vector<Cell>& interior, Cell total) {
  int withheld = g.suppressed(total) ? 1 : 0;
  for (Cell c : interior) withheld += g.suppressed(c) ? 1 : 0;
  if (withheld != 1) return false;
  std::optional<Cell> best;
  for (Cell c : interior) {
    if (g.suppressed(c) || g.value(c) <= 0) continue;
    if (!best || g.value(c) < g.value(*best)) best = c;
  }
  if (!best && !g.suppressed(total) && g.value(total) > 0) best = total;
  // No candidate only when the totals are not the sums of the counts.
  if (!best) return false;
  g.Suppress(*best);
  return true;
}

bool ApplyLineRule(Grid& g) {
  bool changed = false;
  std::vector<Cell> interior;
  for (int r = 0; r < g.rows(); ++r) {
    interior.clear();
    for (int c = 0; c < kTotalColumn; ++c) interior.push_back({r, c});
    changed |= SettleLine(g, interior, {r, kTotalColumn});
  }
  for (int c = 0; c < kColumns; ++c) {
    interior.clear();
    for (int r = 0; r < g.totals_row(); ++r) interior.push_back({r, c});
    changed |= SettleLine(g, interior, {g.totals_row(), c});
  }
  return changed;
}

// The grid as a bipartite graph: vertex r < rows() is grid row r, vertex rows() + c is grid
// column c, and each non-zero entry (r, c) is an edge. A withheld entry costs 0 to use, a shown
// one its value, plus `totals_row_penalty` when it is in the totals row (shared between linked
// tables, so withholding it costs a cell in each of them).
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
      int64_t value = g.value(cell);
      if (value <= 0) return;
      int64_t cost = 0;
      if (!g.suppressed(cell)) {
        cost = value + (cell.row == g.totals_row() ? options.totals_row_penalty : 0);
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
bool Settle(Grid& g, int64_t totals_row_penalty) {
  bool any = false;
  while (true) {
    while (ApplyLineRule(g)) any = true;
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
  Settle(g, /*totals_row_penalty=*/0);
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
      changed |= Settle(g, penalty);
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

Result<Report> BuildReport(const std::vector<CountableEvent>& events, std::string from,
                           std::string to, int min_cell) {
  Result<PartialDate> from_day = ParseDay("--from", from);
  if (!from_day) return tl::unexpected(from_day.error());
  Result<PartialDate> to_day = ParseDay("--to", to);
  if (!to_day) return tl::unexpected(to_day.error());
  if (*to_day < *from_day) return InvalidArgument("--from must not be after --to");
  int64_t span = (int64_t{to_day->year} - from_day->year) * 12 + (to_day->month - from_day->month);
  if (span + 1 > kMaxMonths) {
    return InvalidArgument("the period may span at most " + std::to_string(kMaxMonths) + " months");
  }
  if (min_cell < 1) return InvalidArgument("min_cell must be at least 1");

  std::vector<std::string> months = MonthsBetween(*from_day, *to_day);
  std::map<std::string, size_t, std::less<>> month_row;
  for (size_t i = 0; i < months.size(); ++i) month_row[months[i]] = i;

  using Row = std::array<int64_t, kMeasureCount>;
  std::vector<Row> by_basis(3, Row{}), by_month(months.size(), Row{});
  std::map<std::string, Row, std::less<>> by_state;
  Row unknown_state{};
  bool any_unknown_state = false;
  for (const CountableEvent& e : events) {
    auto month = month_row.find(e.month());
    if (month == month_row.end()) continue;
    int m = static_cast<int>(e.measure());
    by_basis[static_cast<size_t>(e.basis())][m] += 1;
    by_month[month->second][m] += 1;
    if (e.state().empty()) {
      unknown_state[m] += 1;
      any_unknown_state = true;
    } else {
      by_state[e.state()][m] += 1;
    }
  }

  std::vector<std::string> basis_rows;
  for (CustodyBasis b : {CustodyBasis::kCivilImmigration, CustodyBasis::kCriminalCharge,
                         CustodyBasis::kCriminalConviction}) {
    basis_rows.emplace_back(Name(b));
  }
  std::vector<std::string> state_rows;
  std::vector<Row> state_counts;
  for (auto& [state, row] : by_state) {
    state_rows.push_back(state);
    state_counts.push_back(row);
  }
  if (any_unknown_state) {
    state_rows.emplace_back("unknown");
    state_counts.push_back(unknown_state);
  }

  Report report;
  report.from = std::move(from);
  report.to = std::move(to);
  report.min_cell = min_cell;
  report.tables.push_back(
      Table::FromCounts("custody_basis", std::move(basis_rows), std::move(by_basis)));
  report.tables.push_back(Table::FromCounts("month", std::move(months), std::move(by_month)));
  report.tables.push_back(
      Table::FromCounts("state", std::move(state_rows), std::move(state_counts)));
  SuppressLinkedTables(report.tables, min_cell);
  return report;
}

}  // namespace vigil::report
