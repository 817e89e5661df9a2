// Parsing and validation of feed records (DESIGN.md §6).
//
// Both feed formats go through one validator: a JSON Lines line is parsed to
// a JSON object, a CSV row is turned into the same JSON object (dotted column
// names nest, '|' separates list cells), and RecordFromJson checks every field
// the same way. Parsing never touches the store: whether a facility exists is
// the applier's question. Thread-safe (no shared state).
#ifndef VIGIL_INGEST_RECORD_PARSER_H_
#define VIGIL_INGEST_RECORD_PARSER_H_

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/clock.h"
#include "vigil/ingest/feed_record.h"

namespace vigil {

// The longest line (or CSV record) a feed may contain.
inline constexpr size_t kMaxFeedLineBytes = 1 << 20;

// Validates a record already decoded from JSON. `now` bounds times that may
// not lie in the future (occurred_at, date_of_birth).
ParsedRecord RecordFromJson(const nlohmann::json& object, Timestamp now);

// Parses and validates one JSON Lines line (without its newline): valid UTF-8,
// one JSON object, no duplicate keys, then RecordFromJson.
ParsedRecord ParseJsonLine(std::string_view line, Timestamp now);

// Splits CSV records (RFC 4180: quoted fields may hold commas, quotes as "",
// and newlines) incrementally. Feed it input in chunks with Push() and take
// finished records with Next(); Finish() at end of input.
class CsvSplitter {
 public:
  struct Record {
    std::vector<std::string> cells;
    int64_t line = 0;  // line number where the record starts (1-based)
    std::string error;  // non-empty: the record is malformed (cells undefined)
  };

  void Push(std::string_view bytes);
  void Finish();
  // Returns false when no complete record is available yet.
  bool Next(Record* out);

 private:
  void EndCell();
  void EndRecord();

  std::vector<Record> ready_;
  size_t ready_pos_ = 0;
  Record current_;
  std::string cell_;
  int64_t line_ = 1;
  size_t record_bytes_ = 0;
  bool in_quotes_ = false;
  bool after_quote_ = false;  // just saw a quote inside a quoted cell
  bool cell_started_ = false;
  bool record_started_ = false;
  bool skipped_bom_ = false;
  size_t bom_pos_ = 0;
};

// Turns a CSV data row into the JSON object RecordFromJson expects, given the
// header row. Returns a FieldError for a header problem (unknown or repeated
// column) or a row with the wrong number of cells.
tl::expected<nlohmann::json, FieldError> CsvRowToJson(const std::vector<std::string>& header,
                                                      const std::vector<std::string>& row);

// Parses and validates one CSV row: CsvRowToJson then RecordFromJson.
ParsedRecord ParseCsvRow(const std::vector<std::string>& header,
                         const std::vector<std::string>& row, Timestamp now);

}  // namespace vigil

#endif  // VIGIL_INGEST_RECORD_PARSER_H_
