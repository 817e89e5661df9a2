// The three renderings of a Report. Each reads only the flags and values of the tables, and
// writes no withheld value in any form.
#include <algorithm>
#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "vigil/core/markup.h"
#include "vigil/report/report.h"

namespace vigil::report {
namespace {

constexpr std::array<CountableEvent::Measure, kMeasureCount> kMeasures = {
    CountableEvent::Measure::kBookings, CountableEvent::Measure::kTransfers,
    CountableEvent::Measure::kReleases, CountableEvent::Measure::kRemovals};

// Bar colours, in measure order. Each has a contrast ratio of at least 4.5:1 against the white
// background (WCAG 2.1 1.4.11 asks 3:1 of graphics), and bars also keep a fixed order.
constexpr std::array<std::string_view, kMeasureCount> kColours = {"#1f4e79", "#8c510a", "#1b7837",
                                                                  "#762a83"};

// The label a reader sees for a row key: the truthful basis label, "State unknown", or the key.
std::string RowLabel(const Table& table, const std::string& key) {
  if (table.dimension == "custody_basis") {
    Result<CustodyBasis> basis = ParseCustodyBasis(key);
    if (basis) return std::string(Label(*basis));
  }
  if (table.dimension == "state" && key == "unknown") return "state unknown";
  return key;
}

std::string_view DimensionTitle(const Table& table) {
  if (table.dimension == "custody_basis") return "custody basis";
  if (table.dimension == "month") return "month";
  if (table.dimension == "quarter") return "quarter";
  if (table.dimension == "state") return "state";
  return table.dimension;
}

// The sentences every rendering carries about what is and is not counted.
std::string SuppressionRule(int min_cell) {
  if (min_cell <= 1) return "No counts are withheld.";
  return "Counts from 0 to " + std::to_string(min_cell - 1) +
         " are withheld, and so are other counts that would let a withheld count be worked out "
         "from the totals or from other reports; every withheld count is shown as \"" +
         std::string(kSuppressedMarker) + "\".";
}
constexpr std::string_view kCoverageNote = "Protected people and minors are not counted.";

// ---- CSV ----

std::string CsvField(std::string_view text) {
  std::string field(text);
  // A spreadsheet runs a cell starting with one of these as a formula.
  if (!field.empty() && std::string_view("=+-@\t\r").find(field[0]) != std::string_view::npos) {
    field.insert(field.begin(), '\'');
  }
  if (field.find_first_of(",\"\n\r") == std::string::npos) return field;
  std::string quoted = "\"";
  for (char c : field) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

// `text` with control characters replaced by spaces, so it cannot end a comment line.
std::string OneLine(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return out;
}

std::string CsvValue(int64_t value, bool suppressed) {
  return suppressed ? std::string(kSuppressedMarker) : std::to_string(value);
}

// ---- JSON ----

nlohmann::ordered_json JsonValue(int64_t value, bool suppressed) {
  return suppressed ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(value);
}

nlohmann::ordered_json JsonLine(const std::array<int64_t, kMeasureCount>& values,
                                const std::array<bool, kMeasureCount>& suppressed, int64_t total,
                                bool total_suppressed) {
  nlohmann::ordered_json counts = nlohmann::ordered_json::object();
  nlohmann::ordered_json flags = nlohmann::ordered_json::object();
  for (int c = 0; c < kMeasureCount; ++c) {
    std::string name(Name(kMeasures[c]));
    counts[name] = JsonValue(values[c], suppressed[c]);
    flags[name] = suppressed[c];
  }
  counts["total"] = JsonValue(total, total_suppressed);
  flags["total"] = total_suppressed;
  return {{"counts", std::move(counts)}, {"suppressed", std::move(flags)}};
}

// ---- HTML ----

std::string Capitalised(std::string_view text) {
  std::string out(text);
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 32);
  return out;
}

std::string HtmlCell(int64_t value, bool suppressed) {
  if (suppressed) return "<td class=\"withheld\">" + std::string(kSuppressedMarker) + "</td>";
  return "<td>" + std::to_string(value) + "</td>";
}

std::string HtmlTable(const Report& report, const Table& table) {
  std::string title = Capitalised(DimensionTitle(table));
  std::string out = "<table>\n<caption>Custody events by " + HtmlEscape(DimensionTitle(table)) +
                    ", " + HtmlEscape(report.from) + " to " + HtmlEscape(report.to) +
                    "</caption>\n";
  out += "<thead><tr><th scope=\"col\">" + HtmlEscape(title) + "</th>";
  for (CountableEvent::Measure m : kMeasures) {
    out += "<th scope=\"col\">" + Capitalised(Name(m)) + "</th>";
  }
  out += "<th scope=\"col\">Total</th></tr></thead>\n<tbody>\n";
  for (size_t r = 0; r < table.rows.size(); ++r) {
    out += "<tr><th scope=\"row\">" + HtmlEscape(RowLabel(table, table.rows[r])) + "</th>";
    for (int c = 0; c < kMeasureCount; ++c) {
      out += HtmlCell(table.counts[r][c], table.suppressed[r][c]);
    }
    out += HtmlCell(table.row_totals[r], table.row_total_suppressed[r]) + "</tr>\n";
  }
  out += "</tbody>\n<tfoot><tr><th scope=\"row\">Total</th>";
  for (int c = 0; c < kMeasureCount; ++c) {
    out += HtmlCell(table.column_totals[c], table.column_total_suppressed[c]);
  }
  out += HtmlCell(table.grand_total, table.grand_total_suppressed) + "</tr></tfoot>\n</table>\n";
  return out;
}

// A step of 1, 2 or 5 times a power of ten giving about five ticks up to `max`.
int64_t TickStep(int64_t max) {
  int64_t step = 1;
  while (true) {
    for (int64_t f : {1, 2, 5}) {
      if (max / (step * f) <= 5) return step * f;
    }
    step *= 10;
  }
}

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// A grouped bar chart of the month table: per month, one bar per measure in measure order.
std::string MonthChart(const Report& report, const Table& table) {
  constexpr double kLeft = 72, kRight = 16, kTop = 48, kPlot = 200, kBar = 14, kGap = 16;
  constexpr double kGroup = kMeasureCount * kBar + kGap;
  const size_t n = table.rows.size();
  constexpr double kLegendItem = 110;
  // Wide enough for the legend however few months there are.
  const double width =
      std::max(kLeft + std::max<size_t>(n, 1) * kGroup, kLeft + kMeasureCount * kLegendItem) +
      kRight;
  const double height = kTop + kPlot + 64;
  const double base = kTop + kPlot;

  int64_t max = 0;
  for (size_t r = 0; r < n; ++r) {
    for (int c = 0; c < kMeasureCount; ++c) {
      if (!table.suppressed[r][c]) max = std::max(max, table.counts[r][c]);
    }
  }
  const int64_t step = TickStep(std::max<int64_t>(max, 1));
  const int64_t top = std::max<int64_t>((max + step - 1) / step, 1) * step;
  auto y_of = [&](int64_t v) { return base - kPlot * static_cast<double>(v) / top; };

  std::string first = n ? table.rows.front() : report.from;
  std::string last = n ? table.rows.back() : report.to;
  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"" + Num(width) +
                    "\" height=\"" + Num(height) + "\" viewBox=\"0 0 " + Num(width) + " " +
                    Num(height) +
                    "\" aria-labelledby=\"chart-title chart-desc\" font-family=\"sans-serif\">\n";
  out += "<title id=\"chart-title\">Custody events per " + std::string(DimensionTitle(table)) +
         ", " + HtmlEscape(first) + " to " +
         HtmlEscape(last) + "</title>\n";
  out +=
      "<desc id=\"chart-desc\">Bar chart. For each month, four bars in this order: bookings, "
      "transfers, releases, removals. Withheld counts are not drawn; they are marked \"" +
      std::string(kSuppressedMarker) +
      "\". The same numbers are in the table of custody events by month.</desc>\n";

  // Legend.
  double lx = kLeft;
  for (int c = 0; c < kMeasureCount; ++c) {
    out += "<rect x=\"" + Num(lx) + "\" y=\"12\" width=\"14\" height=\"14\" fill=\"" +
           std::string(kColours[c]) + "\"/>";
    out += "<text x=\"" + Num(lx + 20) + "\" y=\"24\" font-size=\"13\" fill=\"#000000\">" +
           Capitalised(Name(kMeasures[c])) + "</text>\n";
    lx += kLegendItem;
  }

  // Axes, grid and tick labels.
  for (int64_t v = 0; v <= top; v += step) {
    double y = y_of(v);
    out += "<line x1=\"" + Num(kLeft) + "\" x2=\"" + Num(width - kRight) + "\" y1=\"" + Num(y) +
           "\" y2=\"" + Num(y) + "\" stroke=\"#d0d0d0\"/>";
    out += "<text x=\"" + Num(kLeft - 6) + "\" y=\"" + Num(y + 4) +
           "\" font-size=\"12\" text-anchor=\"end\" fill=\"#000000\">" + std::to_string(v) +
           "</text>\n";
  }
  out += "<line x1=\"" + Num(kLeft) + "\" x2=\"" + Num(kLeft) + "\" y1=\"" + Num(kTop) +
         "\" y2=\"" + Num(base) + "\" stroke=\"#000000\"/>";
  out += "<line x1=\"" + Num(kLeft) + "\" x2=\"" + Num(width - kRight) + "\" y1=\"" + Num(base) +
         "\" y2=\"" + Num(base) + "\" stroke=\"#000000\"/>\n";
  out += "<text x=\"16\" y=\"" + Num(kTop + kPlot / 2) + "\" transform=\"rotate(-90 16 " +
         Num(kTop + kPlot / 2) +
         ")\" font-size=\"13\" text-anchor=\"middle\" fill=\"#000000\">Number of events</text>\n";
  out += "<text x=\"" + Num(kLeft + (width - kLeft - kRight) / 2) + "\" y=\"" + Num(height - 8) +
         "\" font-size=\"13\" text-anchor=\"middle\" fill=\"#000000\">"
         "Month</text>\n";

  // Bars.
  for (size_t r = 0; r < n; ++r) {
    double gx = kLeft + kGap / 2 + r * kGroup;
    for (int c = 0; c < kMeasureCount; ++c) {
      double x = gx + c * kBar;
      std::string what = Capitalised(Name(kMeasures[c])) + ", " + HtmlEscape(table.rows[r]);
      if (table.suppressed[r][c]) {
        double tx = x + kBar / 2 + 4;
        out += "<text x=\"" + Num(tx) + "\" y=\"" + Num(base - 4) + "\" transform=\"rotate(-90 " +
               Num(tx) + " " + Num(base - 4) + ")\" font-size=\"10\" fill=\"#000000\">" +
               std::string(kSuppressedMarker) + "<title>" + what + ": " +
               std::string(kSuppressedMarker) + "</title></text>\n";
        continue;
      }
      int64_t v = table.counts[r][c];
      if (v <= 0) continue;
      double y = y_of(v);
      out += "<rect x=\"" + Num(x) + "\" y=\"" + Num(y) + "\" width=\"" + Num(kBar) +
             "\" height=\"" + Num(base - y) + "\" fill=\"" + std::string(kColours[c]) +
             "\"><title>" + what + ": " + std::to_string(v) + "</title></rect>\n";
    }
    out += "<text x=\"" + Num(gx + kMeasureCount * kBar / 2) + "\" y=\"" + Num(base + 18) +
           "\" font-size=\"12\" text-anchor=\"middle\" fill=\"#000000\">" +
           HtmlEscape(table.rows[r]) + "</text>\n";
  }
  out += "</svg>\n";
  return out;
}

}  // namespace

std::string RenderCsvNotes(const Report& report) {
  std::string out = "vigil report: custody events from " + OneLine(report.from) + " to " +
                    OneLine(report.to) + " (both inclusive)\n";
  if (!report.adjusted.empty()) out += OneLine(report.adjusted) + "\n";
  out += SuppressionRule(report.min_cell) + "\n";
  out += std::string(kCoverageNote) + "\n";
  return out;
}

std::string RenderCsv(const Report& report) {
  std::string out = "table,row,bookings,transfers,releases,removals,total\r\n";
  for (const Table& t : report.tables) {
    for (size_t r = 0; r < t.rows.size(); ++r) {
      // Basis rows carry their truthful label (§2.7); other rows their key.
      std::string row = t.dimension == "custody_basis" ? RowLabel(t, t.rows[r]) : t.rows[r];
      out += CsvField(t.dimension) + "," + CsvField(row);
      for (int c = 0; c < kMeasureCount; ++c) {
        out += "," + CsvValue(t.counts[r][c], t.suppressed[r][c]);
      }
      out += "," + CsvValue(t.row_totals[r], t.row_total_suppressed[r]) + "\r\n";
    }
    out += CsvField(t.dimension) + ",total";
    for (int c = 0; c < kMeasureCount; ++c) {
      out += "," + CsvValue(t.column_totals[c], t.column_total_suppressed[c]);
    }
    out += "," + CsvValue(t.grand_total, t.grand_total_suppressed) + "\r\n";
  }
  return out;
}

std::string RenderJson(const Report& report) {
  nlohmann::ordered_json tables = nlohmann::ordered_json::array();
  for (const Table& t : report.tables) {
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    for (size_t r = 0; r < t.rows.size(); ++r) {
      nlohmann::ordered_json row = {{"key", t.rows[r]}, {"label", RowLabel(t, t.rows[r])}};
      row.update(
          JsonLine(t.counts[r], t.suppressed[r], t.row_totals[r], t.row_total_suppressed[r]));
      rows.push_back(std::move(row));
    }
    tables.push_back({{"dimension", t.dimension},
                      {"rows", std::move(rows)},
                      {"totals", JsonLine(t.column_totals, t.column_total_suppressed, t.grand_total,
                                          t.grand_total_suppressed)}});
  }
  nlohmann::ordered_json doc = {{"from", report.from},
                                {"to", report.to},
                                {"min_cell", report.min_cell},
                                {"period", Name(report.period)},
                                {"adjusted", report.adjusted},
                                {"note", kCoverageNote},
                                {"suppression", SuppressionRule(report.min_cell)},
                                {"tables", std::move(tables)}};
  return doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

std::string RenderHtml(const Report& report) {
  std::string period = HtmlEscape(report.from) + " to " + HtmlEscape(report.to);
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>Custody events, " +
      period +
      " - vigil report</title>\n<style>\n"
      "body{font-family:sans-serif;color:#000;background:#fff;margin:1rem;line-height:1.4}\n"
      "main{max-width:72rem}\n"
      "table{border-collapse:collapse;margin:1rem 0 2rem}\n"
      "caption{text-align:left;font-weight:bold;padding:.25rem 0}\n"
      "th,td{border:1px solid #595959;padding:.25rem .5rem}\n"
      "td{text-align:right;font-variant-numeric:tabular-nums}\n"
      "td.withheld{font-style:italic}\n"
      "thead th,tfoot th,tfoot td{background:#f0f0f0}\n"
      "tbody th,tfoot th{text-align:left}\n"
      ".chart{overflow-x:auto}\n"
      // The chart scales to the page: on a 320 px phone it shrinks, it does not scroll.
      ".chart svg{display:block;max-width:100%;height:auto}\n"
      "body{overflow-wrap:anywhere}\n"
      ".chart:focus{outline:3px solid #1f4e79}\n"
      "</style>\n</head>\n<body>\n<main>\n<h1>Custody events, " +
      period + "</h1>\n";
  out += "<p>Bookings, transfers, releases and removals recorded from " + period +
         " (both days included), by custody basis, by " + std::string(Name(report.period)) +
         " and by state.</p>\n";
  if (!report.adjusted.empty()) out += "<p>" + HtmlEscape(Capitalised(report.adjusted)) + ".</p>\n";
  out += "<ul>\n<li>" + HtmlEscape(SuppressionRule(report.min_cell)) + "</li>\n<li>" +
         HtmlEscape(kCoverageNote) +
         "</li>\n<li>Custody basis is stated as recorded: civil immigration (a civil matter, not "
         "a criminal charge), "
         "criminal charge (not convicted), or criminal conviction.</li>\n</ul>\n";
  int section = 0;
  for (const Table& t : report.tables) {
    std::string id = "section-" + std::to_string(section++);
    out += "<section aria-labelledby=\"" + id + "\">\n<h2 id=\"" + id + "\">By " +
           HtmlEscape(DimensionTitle(t)) + "</h2>\n";
    if (t.dimension == "month" || t.dimension == "quarter") {
      out +=
          "<div class=\"chart\" tabindex=\"0\" role=\"region\" "
          "aria-label=\"Chart of custody events per " + std::string(DimensionTitle(t)) + "\">\n" +
          MonthChart(report, t) + "</div>\n";
    }
    out += HtmlTable(report, t) + "</section>\n";
  }
  out += "</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace vigil::report
