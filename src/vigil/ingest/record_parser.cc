#include "vigil/ingest/record_parser.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "vigil/core/json_document.h"
#include "vigil/core/utf8.h"
#include "vigil/i18n/local_time.h"

namespace vigil {
namespace {

using nlohmann::json;
using JsonValue = JsonDocument::Value;

constexpr size_t kMaxNameBytes = 200;
constexpr size_t kMaxIdBytes = 128;
constexpr size_t kMaxAliases = 20;
// Clocks at agencies drift; an event may not claim to be further ahead than this.
constexpr auto kFutureSkew = std::chrono::minutes(10);

tl::unexpected<FieldError> Bad(std::string field, std::string reason) {
  return tl::unexpected<FieldError>(FieldError{std::move(field), std::move(reason)});
}

const char* TypeName(const JsonValue& v) {
  switch (v.type()) {
    case JsonDocument::Type::kNull:
      return "null";
    case JsonDocument::Type::kFalse:
    case JsonDocument::Type::kTrue:
      return "a boolean";
    case JsonDocument::Type::kString:
      return "a string";
    case JsonDocument::Type::kArray:
      return "an array";
    case JsonDocument::Type::kObject:
      return "an object";
    case JsonDocument::Type::kNumber:
      break;
  }
  return "a number";
}

std::string_view TrimAscii(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool HasControlChars(std::string_view s) {
  return FindControlCharacter(s) != std::string_view::npos;
}

// Reads the fields of one JSON object, remembering which were consumed so
// that any left over can be reported as unknown.
class Fields {
 public:
  Fields(const JsonValue& object, std::string prefix) : object_(object), prefix_(std::move(prefix)) {}

  std::string Path(std::string_view key) const { return prefix_ + std::string(key); }

  // nullptr if absent.
  const JsonValue* Get(std::string_view key) {
    seen_.emplace_back(key);
    return object_.Find(key);
  }

  // A required, non-empty string (after trimming), at most `max` bytes, no
  // control characters.
  tl::expected<std::string, FieldError> RequiredString(std::string_view key, size_t max) {
    const JsonValue* v = Get(key);
    if (v == nullptr) return Bad(Path(key), "required field is missing");
    return StringValue(key, *v, max, /*allow_empty=*/false);
  }

  // An optional string; absent or null give "".
  tl::expected<std::string, FieldError> OptionalString(std::string_view key, size_t max) {
    const JsonValue* v = Get(key);
    if (v == nullptr || v->is_null()) return std::string();
    return StringValue(key, *v, max, /*allow_empty=*/true);
  }

  tl::expected<std::string, FieldError> StringValue(std::string_view key, const JsonValue& v,
                                                    size_t max, bool allow_empty) {
    if (!v.is_string()) {
      return Bad(Path(key), std::string("must be a string, not ") + TypeName(v));
    }
    std::string_view s = TrimAscii(v.text());
    if (s.empty() && !allow_empty) return Bad(Path(key), "must not be empty");
    if (s.size() > max) {
      return Bad(Path(key), "longer than " + std::to_string(max) + " bytes");
    }
    if (HasControlChars(s)) return Bad(Path(key), "contains control characters");
    return std::string(s);
  }

  // Fails on the first key that no Get() asked for.
  tl::expected<void, FieldError> RejectUnknown() const {
    for (size_t i = 0; i < object_.size(); ++i) {
      std::string_view key = object_.key(i);
      if (std::find(seen_.begin(), seen_.end(), key) == seen_.end()) {
        return Bad(Path(key.substr(0, 40)), "unknown field");
      }
    }
    return {};
  }

  // Fails if `key` is present (it may not appear on this kind of record).
  tl::expected<void, FieldError> Forbid(std::string_view key, std::string_view why) {
    if (Get(key) != nullptr) return Bad(Path(key), std::string(why));
    return {};
  }

 private:
  const JsonValue& object_;
  std::string prefix_;
  std::vector<std::string_view> seen_;  // the keys asked for (literals)
};

// Converts a vigil Error from a core parser into a FieldError for `field`.
tl::unexpected<FieldError> FromError(std::string field, const Error& e) {
  return Bad(std::move(field), e.message());
}

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '_' || c == '.' || c == ':' || c == '/';
}

tl::expected<std::string, FieldError> Identifier(Fields& f, std::string_view key) {
  auto s = f.RequiredString(key, kMaxIdBytes);
  if (!s) return s;
  if (!std::all_of(s->begin(), s->end(), IsIdChar)) {
    return Bad(f.Path(key), "may contain only letters, digits and - _ . : /");
  }
  return s;
}

ParsedRecord ParseFacility(const JsonValue& object) {
  Fields f(object, "");
  f.Get("record");
  Facility out;
  auto id = Identifier(f, "facility_id");
  if (!id) return tl::unexpected(id.error());
  out.facility_id = *id;
  auto name = f.RequiredString("name", kMaxNameBytes);
  if (!name) return tl::unexpected(name.error());
  out.name = *name;
  auto address = f.OptionalString("address", kMaxNameBytes);
  if (!address) return tl::unexpected(address.error());
  out.address = *address;
  auto city = f.RequiredString("city", kMaxNameBytes);
  if (!city) return tl::unexpected(city.error());
  out.city = *city;
  auto state = f.RequiredString("state", 64);
  if (!state) return tl::unexpected(state.error());
  auto code = ParseUsStateCode(*state);
  if (!code) return FromError("state", code.error());
  out.state = *code;
  auto phone = f.OptionalString("phone", 32);
  if (!phone) return tl::unexpected(phone.error());
  if (!phone->empty()) {
    auto e164 = ParseE164(*phone);
    if (!e164) return FromError("phone", e164.error());
    out.phone = *e164;
  }
  auto zone = f.OptionalString("time_zone", 64);
  if (!zone) return tl::unexpected(zone.error());
  if (zone->empty()) {
    out.time_zone = std::string(i18n::TimeZoneOfState(out.state));
  } else if (!i18n::IsTimeZone(*zone)) {
    return Bad(f.Path("time_zone"), "is not an IANA time zone name such as America/Chicago");
  } else {
    out.time_zone = *zone;
  }
  if (auto unknown = f.RejectUnknown(); !unknown) return tl::unexpected(unknown.error());
  return out;
}

tl::expected<SubjectRecord, FieldError> ParseSubject(const JsonValue& v, Timestamp occurred_at) {
  if (!v.is_object()) {
    return Bad("subject", std::string("must be an object, not ") + TypeName(v));
  }
  Fields f(v, "subject.");
  SubjectRecord out;
  const JsonValue* a = f.Get("a_number");
  if (a == nullptr) return Bad("subject.a_number", "required field is missing");
  if (!a->is_string()) {
    return Bad("subject.a_number",
               std::string("must be a string (leading zeros matter), not ") + TypeName(*a));
  }
  auto a_number = ANumber::Parse(a->text());
  if (!a_number) return FromError("subject.a_number", a_number.error());
  out.a_number = *a_number;
  auto given = f.OptionalString("given_names", kMaxNameBytes);
  if (!given) return tl::unexpected(given.error());
  out.given_names = *given;
  auto family = f.OptionalString("family_names", kMaxNameBytes);
  if (!family) return tl::unexpected(family.error());
  out.family_names = *family;
  if (out.given_names.empty() && out.family_names.empty()) {
    return Bad("subject.family_names", "a subject needs given_names or family_names");
  }
  if (const JsonValue* aliases = f.Get("aliases"); aliases != nullptr && !aliases->is_null()) {
    if (!aliases->is_array()) {
      return Bad("subject.aliases", std::string("must be an array, not ") + TypeName(*aliases));
    }
    if (aliases->size() > kMaxAliases) {
      return Bad("subject.aliases", "more than " + std::to_string(kMaxAliases) + " aliases");
    }
    for (size_t i = 0; i < aliases->size(); ++i) {
      auto alias = f.StringValue("aliases[" + std::to_string(i) + "]", (*aliases)[i],
                                 kMaxNameBytes, /*allow_empty=*/false);
      if (!alias) return tl::unexpected(alias.error());
      out.aliases.push_back(*alias);
    }
  }
  if (const JsonValue* dob = f.Get("date_of_birth"); dob != nullptr && !dob->is_null()) {
    if (!dob->is_string()) {
      return Bad("subject.date_of_birth",
                 std::string("must be a string or null, not ") + TypeName(*dob));
    }
    std::string_view text = dob->text();
    if (!text.empty()) {
      auto date = ParsePartialDate(text);
      if (!date) return FromError("subject.date_of_birth", date.error());
      auto event_day = UtcDay(occurred_at);
      PartialDate day{static_cast<int>(event_day.year()),
                      static_cast<int>(static_cast<unsigned>(event_day.month())),
                      static_cast<int>(static_cast<unsigned>(event_day.day()))};
      PartialDate earliest = *date;  // the first day the partial date could mean
      if (earliest.month == 0) earliest.month = 1;
      if (earliest.day == 0) earliest.day = 1;
      if (earliest > day) return Bad("subject.date_of_birth", "is after occurred_at");
      out.date_of_birth = *date;
    }
  }
  auto country = f.RequiredString("country_of_birth", 64);
  if (!country) return tl::unexpected(country.error());
  auto code = ParseCountryCode(*country);
  if (!code) return FromError("subject.country_of_birth", code.error());
  out.country_of_birth = *code;
  if (auto unknown = f.RejectUnknown(); !unknown) return tl::unexpected(unknown.error());
  return out;
}

tl::expected<Timestamp, FieldError> TimeField(Fields& f, std::string_view key) {
  auto text = f.RequiredString(key, 64);
  if (!text) return tl::unexpected(text.error());
  auto t = ParseRfc3339(*text);
  if (!t) return FromError(f.Path(key), t.error());
  return *t;
}

ParsedRecord ParseCustodyEvent(const JsonValue& object, Timestamp now) {
  Fields f(object, "");
  f.Get("record");
  CustodyEvent out;
  auto source = Identifier(f, "source");
  if (!source) return tl::unexpected(source.error());
  out.source = *source;
  auto event_id = Identifier(f, "event_id");
  if (!event_id) return tl::unexpected(event_id.error());
  out.event_id = *event_id;
  auto type_text = f.RequiredString("type", 32);
  if (!type_text) return tl::unexpected(type_text.error());
  auto type = ParseEventType(*type_text);
  if (!type) return FromError("type", type.error());
  out.type = *type;
  auto occurred = TimeField(f, "occurred_at");
  if (!occurred) return tl::unexpected(occurred.error());
  if (*occurred > now + kFutureSkew) return Bad("occurred_at", "is in the future");
  out.occurred_at = *occurred;

  if (out.type == EventType::kRetracted) {
    auto retracts = Identifier(f, "retracts");
    if (!retracts) return tl::unexpected(retracts.error());
    if (*retracts == out.event_id) return Bad("retracts", "an event cannot retract itself");
    out.retracts = *retracts;
    for (const char* key :
         {"subject", "facility_id", "custody_basis", "protections", "scheduled_release"}) {
      if (auto r = f.Forbid(key, "not allowed on a retracted event"); !r) {
        return tl::unexpected(r.error());
      }
    }
    if (auto unknown = f.RejectUnknown(); !unknown) return tl::unexpected(unknown.error());
    return out;
  }

  if (auto r = f.Forbid("retracts", "allowed only on a retracted event"); !r) {
    return tl::unexpected(r.error());
  }
  const JsonValue* subject = f.Get("subject");
  if (subject == nullptr) return Bad("subject", "required field is missing");
  auto record = ParseSubject(*subject, out.occurred_at);
  if (!record) return tl::unexpected(record.error());
  out.subject = std::move(*record);

  bool places_person = out.type == EventType::kBooked || out.type == EventType::kTransferred ||
                       out.type == EventType::kReturned;
  const JsonValue* facility = f.Get("facility_id");
  if (facility == nullptr || facility->is_null() ||
      (facility->is_string() && facility->text().empty())) {
    if (places_person) {
      return Bad("facility_id",
                 "required for a " + std::string(Name(out.type)) + " event");
    }
  } else {
    auto id = Identifier(f, "facility_id");
    if (!id) return tl::unexpected(id.error());
    out.facility_id = *id;
  }

  auto basis_text = f.RequiredString("custody_basis", 32);
  if (!basis_text) return tl::unexpected(basis_text.error());
  auto basis = ParseCustodyBasis(*basis_text);
  if (!basis) return FromError("custody_basis", basis.error());
  out.custody_basis = *basis;

  // Protections must be stated, even as []: an unstated protection status is
  // not the same as "none" (fail closed, DESIGN.md §2.2).
  const JsonValue* protections = f.Get("protections");
  if (protections == nullptr) return Bad("protections", "required field is missing (use [] for none)");
  if (!protections->is_array()) {
    return Bad("protections", std::string("must be an array, not ") + TypeName(*protections));
  }
  for (size_t i = 0; i < protections->size(); ++i) {
    const JsonValue& p = (*protections)[i];
    std::string path = "protections[" + std::to_string(i) + "]";
    if (!p.is_string()) return Bad(path, std::string("must be a string, not ") + TypeName(p));
    auto protection = ParseProtection(p.text());
    if (!protection) return FromError(path, protection.error());
    out.protections.Add(*protection);
  }

  if (const JsonValue* release = f.Get("scheduled_release"); release != nullptr && !release->is_null()) {
    if (!release->is_string()) {
      return Bad("scheduled_release", std::string("must be a string, not ") + TypeName(*release));
    }
    std::string_view text = release->text();
    auto t = ParseRfc3339(text);
    if (!t) {
      // A plain date means the start of that day, UTC.
      auto day = ParsePartialDate(text);
      if (!day || !day->is_complete()) {
        return Bad("scheduled_release", "not an RFC 3339 date-time or a YYYY-MM-DD date");
      }
      std::chrono::year_month_day ymd{std::chrono::year(day->year),
                                      std::chrono::month(static_cast<unsigned>(day->month)),
                                      std::chrono::day(static_cast<unsigned>(day->day))};
      t = Timestamp(std::chrono::sys_days(ymd));
    }
    out.scheduled_release = *t;
  }
  if (auto unknown = f.RejectUnknown(); !unknown) return tl::unexpected(unknown.error());
  return out;
}

ParsedRecord RecordFromValue(const JsonValue& object, Timestamp now) {
  if (!object.is_object()) {
    return Bad("", std::string("a record must be a JSON object, not ") + TypeName(object));
  }
  const JsonValue* kind_value = object.Find("record");
  if (kind_value == nullptr) return Bad("record", "required field is missing");
  if (!kind_value->is_string()) {
    return Bad("record", std::string("must be a string, not ") + TypeName(*kind_value));
  }
  std::string_view kind = kind_value->text();
  if (kind == "facility") return ParseFacility(object);
  if (kind == "custody_event") return ParseCustodyEvent(object, now);
  return Bad("record", "unknown record kind \"" + std::string(kind.substr(0, 40)) +
                           "\" (expected facility or custody_event)");
}

ParsedRecord ParseRecordText(std::string_view text, Timestamp now) {
  // Each thread keeps a document between lines so that its buffers are
  // reused; an unusually long line gets one of its own, which is freed.
  thread_local JsonDocument reused;
  JsonDocument own;
  JsonDocument& doc = text.size() <= 64 * 1024 ? reused : own;
  // A CSV row written out as JSON can be longer than the row (escapes).
  if (!doc.Parse(text, 2 * kMaxFeedLineBytes)) {
    const JsonDocument::Error& e = doc.error();
    if (e.duplicate) return Bad(e.duplicate_key, "field appears more than once");
    if (e.control) return Bad(e.path, "contains control characters");
    return Bad("", JsonDocument::Describe(e));
  }
  return RecordFromValue(doc.root(), now);
}

}  // namespace

ParsedRecord RecordFromJson(const nlohmann::json& object, Timestamp now) {
  // One validator for every way a record arrives: the object is read the
  // way a feed line is.
  // Invalid UTF-8 (a CSV header cell, say) becomes U+FFFD rather than an
  // exception; the field is then refused by name like any other.
  return ParseRecordText(object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                         now);
}

ParsedRecord ParseJsonLine(std::string_view line, Timestamp now) {
  if (line.size() > kMaxFeedLineBytes) {
    return Bad("", "line longer than " + std::to_string(kMaxFeedLineBytes) + " bytes");
  }
  return ParseRecordText(line, now);
}

void CsvSplitter::Push(std::string_view bytes) {
  for (char c : bytes) {
    if (!skipped_bom_) {
      // Skip a UTF-8 byte order mark at the very start of the input.
      static constexpr std::string_view kBom = "\xEF\xBB\xBF";
      if (c == kBom[bom_pos_]) {
        if (++bom_pos_ == kBom.size()) skipped_bom_ = true;
        continue;
      }
      skipped_bom_ = true;
      if (bom_pos_ > 0) Push(kBom.substr(0, bom_pos_));  // it was data after all
    }
    if (!record_started_) {
      record_started_ = true;
      current_.line = line_;
    }
    if (++record_bytes_ > kMaxFeedLineBytes && current_.error.empty()) {
      current_.error = "record longer than " + std::to_string(kMaxFeedLineBytes) + " bytes";
    }
    if (c == '\n') ++line_;
    if (in_quotes_) {
      if (after_quote_) {
        after_quote_ = false;
        if (c == '"') {
          cell_.push_back('"');
          continue;
        }
        in_quotes_ = false;  // the quote closed the cell; handle c below
      } else if (c == '"') {
        after_quote_ = true;
        continue;
      } else {
        if (current_.error.empty()) cell_.push_back(c);
        continue;
      }
    }
    if (c == ',') {
      EndCell();
    } else if (c == '\n') {
      EndRecord();
    } else if (c == '\r') {
      // Part of a CRLF line ending (or stray); never data outside quotes.
    } else if (c == '"') {
      if (cell_started_) {
        if (current_.error.empty()) current_.error = "quote inside an unquoted cell";
      } else {
        in_quotes_ = true;
        cell_started_ = true;
      }
    } else {
      if (current_.error.empty()) cell_.push_back(c);
      cell_started_ = true;
    }
  }
}

void CsvSplitter::EndCell() {
  if (current_.error.empty()) current_.cells.push_back(std::move(cell_));
  cell_.clear();
  cell_started_ = false;
}

void CsvSplitter::EndRecord() {
  EndCell();
  bool blank = current_.cells.size() == 1 && current_.cells[0].empty() && current_.error.empty();
  if (!blank) ready_.push_back(std::move(current_));
  current_ = Record();
  record_bytes_ = 0;
  record_started_ = false;
}

void CsvSplitter::Finish() {
  if (in_quotes_ && !after_quote_) {
    if (current_.error.empty()) current_.error = "quoted cell not closed before end of file";
    in_quotes_ = false;
  }
  in_quotes_ = false;
  after_quote_ = false;
  if (record_started_) EndRecord();
}

bool CsvSplitter::Next(Record* out) {
  if (ready_pos_ >= ready_.size()) {
    ready_.clear();
    ready_pos_ = 0;
    return false;
  }
  *out = std::move(ready_[ready_pos_++]);
  return true;
}

namespace {

// Columns whose cells hold lists, '|'-separated.
bool IsListColumn(std::string_view name) {
  return name == "protections" || name == "subject.aliases";
}

}  // namespace

tl::expected<json, FieldError> CsvRowToJson(const std::vector<std::string>& header,
                                            const std::vector<std::string>& row) {
  if (row.size() != header.size()) {
    return Bad("", "has " + std::to_string(row.size()) + " cells but the header has " +
                       std::to_string(header.size()));
  }
  json object = json::object();
  for (size_t i = 0; i < header.size(); ++i) {
    const std::string& name = header[i];
    if (size_t bad = FindInvalidUtf8(row[i]); bad != std::string_view::npos) {
      return Bad(name, "not valid UTF-8 at byte " + std::to_string(bad + 1) + " of the cell");
    }
    std::string_view cell = TrimAscii(row[i]);
    json value;
    if (IsListColumn(name)) {
      value = json::array();
      size_t start = 0;
      while (start <= cell.size() && !cell.empty()) {
        size_t bar = cell.find('|', start);
        if (bar == std::string_view::npos) bar = cell.size();
        std::string_view item = TrimAscii(cell.substr(start, bar - start));
        if (!item.empty()) value.push_back(std::string(item));
        start = bar + 1;
      }
    } else if (cell.empty()) {
      // An empty cell is an absent field (a null date of birth is unknown).
      if (name != "subject.date_of_birth") continue;
      value = nullptr;
    } else {
      value = std::string(cell);
    }
    size_t dot = name.find('.');
    if (dot == std::string::npos) {
      if (object.contains(name)) return Bad(name, "column appears more than once");
      object[name] = std::move(value);
    } else {
      std::string outer = name.substr(0, dot), inner = name.substr(dot + 1);
      json& nested = object[outer];
      if (nested.is_null()) nested = json::object();
      if (!nested.is_object() || inner.empty() || inner.find('.') != std::string::npos) {
        return Bad(name, "unknown column");
      }
      if (nested.contains(inner)) return Bad(name, "column appears more than once");
      nested[inner] = std::move(value);
    }
  }
  // A CSV file carries every column on every row. A row leaves blank the
  // columns that do not apply to its kind; drop those blanks (an empty list,
  // a subject with nothing in it) so they do not count as fields. A filled
  // cell that does not apply is still an error.
  auto blank = [](const json& v) {
    auto empty = [](const json& x) { return x.is_null() || (x.is_array() && x.empty()); };
    return empty(v) || (v.is_object() && std::all_of(v.begin(), v.end(), empty));
  };
  auto kind = object.find("record");
  auto type = object.find("type");
  bool facility = kind != object.end() && *kind == "facility";
  bool retraction = kind != object.end() && *kind == "custody_event" && type != object.end() &&
                    *type == "retracted";
  if (facility || retraction) {
    for (const char* key : {"subject", "protections"}) {
      auto it = object.find(key);
      if (it != object.end() && blank(*it)) object.erase(it);
    }
  }
  return object;
}

ParsedRecord ParseCsvRow(const std::vector<std::string>& header,
                         const std::vector<std::string>& row, Timestamp now) {
  auto object = CsvRowToJson(header, row);
  if (!object) return tl::unexpected(object.error());
  return RecordFromJson(*object, now);
}

}  // namespace vigil
