// Test-only: reads the peer CSV files in ../shared/testdata/name-vectors/,
// whose directory the build passes as VIGIL_NAME_VECTORS.
#ifndef VIGIL_TEXT_DETAIL_NAME_VECTORS_TEST_UTIL_H_
#define VIGIL_TEXT_DETAIL_NAME_VECTORS_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#ifndef VIGIL_NAME_VECTORS
#error "VIGIL_NAME_VECTORS must name the name-vectors directory"
#endif

namespace vigil::text::testing {

struct CsvRow {
  int line = 0;  // 1-based, for failure messages
  std::vector<std::string> fields;
};

// Splits RFC 4180 CSV: fields may be quoted, "" inside quotes is a quote.
// Quoted fields do not span lines in these files. Sets *ok = false on an
// unterminated quote.
inline std::vector<std::string> SplitCsvLine(const std::string& line, bool* ok) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back().push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back().push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back().push_back(c);
    }
  }
  *ok = !quoted;
  return fields;
}

// Reads every non-empty line of `file` (relative to the vectors directory),
// skipping the first line when `has_header`. Fails the calling test (ADD_FAILURE)
// when the file cannot be read, a line does not parse, or it has fewer than
// `min_fields` fields.
inline std::vector<CsvRow> ReadCsv(const std::string& file, bool has_header, size_t min_fields) {
  const std::string path = std::string(VIGIL_NAME_VECTORS) + "/" + file;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot open " << path;
    return {};
  }
  std::vector<CsvRow> rows;
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line_number == 1 && has_header) continue;
    if (line.empty()) continue;
    bool ok = false;
    CsvRow row{line_number, SplitCsvLine(line, &ok)};
    if (!ok || row.fields.size() < min_fields) {
      ADD_FAILURE() << path << ":" << line_number << ": cannot parse: " << line;
      continue;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

// Logs how many rows a golden test checked, in the output and the XML report.
inline void ReportRowsChecked(const std::string& file, int checked) {
  std::cout << "[ vectors  ] " << file << ": " << checked << " rows checked\n";
  ::testing::Test::RecordProperty(file, checked);
}

}  // namespace vigil::text::testing

#endif  // VIGIL_TEXT_DETAIL_NAME_VECTORS_TEST_UTIL_H_
