// Aggregate custody statistics for `vigil report` (DESIGN.md §3 report/): counts of bookings,
// transfers, releases and removals by custody basis, by month and by state, with small cells
// suppressed, rendered as CSV, JSON or a standalone HTML page with an SVG chart.
//
// Who may be counted is not decided here. Every count comes from a CountableEvent, which only
// policy::DisclosurePolicy can construct (§2.1); the policy leaves protected people and minors
// out, so this component never sees them.
//
// Suppression. A count under min_cell (default 0 to 10) could point at a person — a zero too:
// printed zeros let a reader narrow down when something happened — so it is withheld
// ("primary" suppression). Withholding it is not enough when it can be worked out from what is
// shown, so more entries are withheld ("complementary" suppression):
//   - A table is read as a grid: the interior cells, a column of row totals, a row of column
//     totals and the grand total. Every row and every column of that grid is an equation (the
//     entries add up to their total).
//   - Line rule: while some row or column has exactly one withheld entry, or shows its total
//     while its withheld cells add up to less than min_cell (a sum of 0 would give each of them
//     away), the smallest shown entry of that line is withheld too (an interior cell if there
//     is one, else the total).
//   - Cycle rule: with two or more withheld entries on every line, an entry can still be worked
//     out by adding equations together. Rows and columns are the vertices of a bipartite graph
//     and each withheld entry an edge; an entry is determined exactly when its edge is a bridge
//     (lies on no cycle). Each bridge is closed into a cycle along the cheapest path of shown
//     entries (cost: their values), which are withheld.
//   - Linked tables: tables that count the same events share their column totals and grand
//     total. A shared total withheld in one table is withheld in all, and in each table the
//     columns of withheld shared totals are joined by withheld entries that avoid the totals
//     row, so that any cycle through the totals in one table is matched in the others.
// Every withheld entry is rendered the same way, whether it was small or withheld to protect a
// small one (kSuppressedMarker), so a reader cannot tell which is which.
//
// Every report of the same data (DESIGN.md §9: two reports over overlapping periods must not
// recover a withheld count by subtraction). Reports cover whole calendar months or quarters
// that have ended. Suppression is decided once per calendar month, on that month's own tables
// (by basis and by state, linked), with the same rows whatever was asked; a report shows those
// monthly values, or sums of them, and a sum is withheld when any value it adds is. So every
// number any report shows is either a monthly value or a sum of shown monthly values, and no
// set of reports determines anything the monthly tables do not. What is guaranteed is that no
// withheld entry is determined by the linear equations of everything published; bounds (every
// count is at least 0) are only partly audited: no line with a shown total withholds entries
// that add up to less than min_cell.
//
// Thread safety: plain values and pure functions; thread-compatible.
#ifndef VIGIL_REPORT_REPORT_H_
#define VIGIL_REPORT_REPORT_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/error.h"
#include "vigil/core/vocabulary.h"

namespace vigil::policy {
class DisclosurePolicy;
}  // namespace vigil::policy

namespace vigil::report {

inline constexpr int kDefaultMinCell = 11;
// How every withheld entry is written in CSV and HTML (JSON writes null).
inline constexpr std::string_view kSuppressedMarker = "suppressed";
// Periods longer than this many calendar months are refused by BuildReport.
inline constexpr int kMaxMonths = 1200;

// One custody event of a person the disclosure policy allows to be counted. Only
// policy::DisclosurePolicy constructs one (§2.1): every report cell comes from a value only the
// policy can make.
class CountableEvent {
 public:
  enum class Measure { kBookings, kTransfers, kReleases, kRemovals };

  Measure measure() const { return measure_; }
  // "YYYY-MM", the UTC month the event occurred in.
  const std::string& month() const { return month_; }
  // USPS code of the facility, "" when unknown.
  const std::string& state() const { return state_; }
  CustodyBasis basis() const { return basis_; }

 private:
  friend class policy::DisclosurePolicy;
  CountableEvent(Measure measure, std::string month, std::string state, CustodyBasis basis);

  Measure measure_;
  std::string month_;
  std::string state_;
  CustodyBasis basis_;
};

inline constexpr int kMeasureCount = 4;
// "bookings", "transfers", "releases", "removals".
std::string_view Name(CountableEvent::Measure measure);
// The truthful label of a custody basis (§2.7): "civil immigration",
// "criminal charge (not convicted)", "criminal conviction".
std::string_view Label(CustodyBasis basis);

// The counts of one dimension. Column c is the measure with enum value c. All values are true
// counts (suppression only sets flags); the flags say what a renderer must not show.
struct Table {
  // A table of `counts` (one entry per row: missing entries count 0, extra ones are dropped) with
  // its totals computed and nothing suppressed.
  static Table FromCounts(std::string dimension, std::vector<std::string> rows,
                          std::vector<std::array<int64_t, kMeasureCount>> counts);

  std::string dimension;          // "custody_basis", "month" or "state"
  std::vector<std::string> rows;  // row keys in display order: Name(basis), "2026-01", "CA"
  std::vector<std::array<int64_t, kMeasureCount>> counts;  // counts[row][measure]
  std::vector<int64_t> row_totals;
  std::array<int64_t, kMeasureCount> column_totals{};
  int64_t grand_total = 0;

  // Parallel to the values above: true when the value must not be shown.
  std::vector<std::array<bool, kMeasureCount>> suppressed;
  std::vector<bool> row_total_suppressed;
  std::array<bool, kMeasureCount> column_total_suppressed{};
  bool grand_total_suppressed = false;
};

// The rows of a report's period table.
enum class Period { kMonth, kQuarter };
// "month", "quarter".
std::string_view Name(Period period);

struct Report {
  std::string from, to;  // the period, YYYY-MM-DD, both inclusive: whole months or quarters
  int min_cell = kDefaultMinCell;
  Period period = Period::kMonth;
  // Why the period differs from the one asked for ("" when it does not): whole periods only,
  // and only those that have ended.
  std::string adjusted;
  std::vector<Table> tables;  // custody_basis, month (or quarter), state
};

struct ReportRequest {
  std::string from, to;  // YYYY-MM-DD, both inclusive; moved out to whole periods
  Period period = Period::kMonth;
  int min_cell = kDefaultMinCell;
  // YYYY-MM-DD, the day the report is made: a period that has not ended by then is left out
  // (it would tell day by day what happened in it). "" leaves nothing out (tests).
  std::string today;
};

// Counts `events` into three tables: custody_basis (always all three bases, in enum order),
// month or quarter (every period from `from` to `to`, ascending, empty ones included) and state
// (every state any of `events` names, in byte order, then "unknown" when an event names none),
// suppressed as described above. `events` must be every countable event of the data, whatever
// the period (the state rows, and so every month's suppression, depend on all of them); events
// outside the period are counted nowhere, so all three tables have the same totals. Returns
// kInvalidArgument when `from` or `to` is not a YYYY-MM-DD date, `from` is after `to`, no whole
// period in them has ended by `today`, the period spans more than kMaxMonths months, or
// min_cell < 1.
Result<Report> BuildReport(const std::vector<CountableEvent>& events, const ReportRequest& request);
// The same, by month, with nothing left out for having not ended.
Result<Report> BuildReport(const std::vector<CountableEvent>& events, std::string from,
                           std::string to, int min_cell = kDefaultMinCell);

// Suppresses one table on its own: primary suppression of every entry (interior cell, row total,
// column total, grand total) with value < min_cell, zeros included (none when min_cell is 1),
// then the line and cycle rules until nothing changes. Flags already set are kept, and protected like the others.
// Values are not changed. Assumes the totals are the sums of the counts (as
// FromCounts makes them); missing flag entries are added as false.
void SuppressSmallCells(Table& table, int min_cell);

// Suppresses tables that count the same events (equal column totals and grand totals): each as
// SuppressSmallCells does, plus the linked-table rules above, until nothing changes. A shared
// total whose value differs between tables is not linked.
void SuppressLinkedTables(std::vector<Table>& tables, int min_cell);

// Plain RFC 4180 CSV (lines end in CRLF; nothing but records): the header
// "table,row,bookings,transfers,releases,removals,total", one line per row
// and a "total" line per table. Withheld values are written as
// kSuppressedMarker. Basis rows carry their truthful label, other rows their
// key; a field that a spreadsheet would run as a formula is prefixed "'".
// What the numbers mean goes beside it: RenderCsvNotes.
std::string RenderCsv(const Report& report);
// The notes that go with a CSV report (`vigil report --out F` writes them
// to F.notes.txt): the period, any adjustment, the suppression rule, and
// who is not counted. Plain text, a line each.
std::string RenderCsvNotes(const Report& report);

// JSON: {"from","to","min_cell","note","suppression","tables":[{"dimension","rows":[{"key",
// "label","counts":{"bookings",...,"total"},"suppressed":{"bookings":bool,...,"total":bool}}],
// "totals":{"counts":{...},"suppressed":{...}}}]}. A withheld count is null and its "suppressed"
// flag true. Invalid UTF-8 in a key is replaced, never thrown.
std::string RenderJson(const Report& report);

// A complete standalone HTML5 page (no external resources): one table per dimension with a
// caption and row and column headers, and an inline SVG bar chart of the month table (role="img"
// with <title> and <desc>; withheld values are not drawn but labelled kSuppressedMarker).
// Everything taken from the report is HTML-escaped.
std::string RenderHtml(const Report& report);

}  // namespace vigil::report

#endif  // VIGIL_REPORT_REPORT_H_
