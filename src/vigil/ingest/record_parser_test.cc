#include "vigil/ingest/record_parser.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "vigil/core/utf8.h"

namespace vigil {
namespace {

using nlohmann::json;

const Timestamp kNow = *ParseRfc3339("2026-11-22T12:00:00Z");

json GoodEvent() {
  return json::parse(R"({"record":"custody_event","source":"ice-ero","event_id":"E-1001",
    "type":"booked","occurred_at":"2026-11-01T14:03:00Z",
    "subject":{"a_number":"012345678","given_names":"María del Carmen",
               "family_names":"García López","aliases":[],"date_of_birth":"1990-04-12",
               "country_of_birth":"MX"},
    "facility_id":"ADL","custody_basis":"civil_immigration","protections":[]})");
}

json GoodFacility() {
  return json::parse(R"({"record":"facility","facility_id":"ADL",
    "name":"Adelanto ICE Processing Center","city":"Adelanto","state":"CA",
    "phone":"+17605550100"})");
}

TEST(RecordParser, AFacilityNamesItsTimeZoneOrGetsItsStates) {
  json el_paso = GoodFacility();
  el_paso["state"] = "TX";
  auto f = ParseJsonLine(el_paso.dump(), kNow);
  ASSERT_TRUE(f);
  EXPECT_EQ(std::get<Facility>(*f).time_zone, "America/Chicago");
  // El Paso keeps Mountain time, unlike the rest of Texas: the feed says so.
  el_paso["time_zone"] = "America/Denver";
  f = ParseJsonLine(el_paso.dump(), kNow);
  ASSERT_TRUE(f) << f.error().reason;
  EXPECT_EQ(std::get<Facility>(*f).time_zone, "America/Denver");
}

TEST(RecordParser, AcceptsTheDesignExamples) {
  auto facility = ParseJsonLine(GoodFacility().dump(), kNow);
  ASSERT_TRUE(facility) << facility.error().field << ": " << facility.error().reason;
  const auto& f = std::get<Facility>(*facility);
  EXPECT_EQ(f.facility_id, "ADL");
  EXPECT_EQ(f.state, "CA");
  EXPECT_EQ(f.phone, "+17605550100");
  EXPECT_EQ(f.time_zone, "America/Los_Angeles");  // the state's, when the feed is silent

  auto event = ParseJsonLine(GoodEvent().dump(), kNow);
  ASSERT_TRUE(event) << event.error().field << ": " << event.error().reason;
  const auto& e = std::get<CustodyEvent>(*event);
  EXPECT_EQ(e.type, EventType::kBooked);
  EXPECT_EQ(e.subject->a_number.digits(), "012345678");
  EXPECT_EQ(e.subject->given_names, "María del Carmen");
  EXPECT_EQ(e.subject->date_of_birth->ToString(), "1990-04-12");
  EXPECT_EQ(e.custody_basis, CustodyBasis::kCivilImmigration);
  EXPECT_TRUE(e.protections.empty());
}

TEST(RecordParser, NormalisesEquivalentSpellings) {
  json j = GoodEvent();
  j["subject"]["a_number"] = "A-12-345-678";
  j["subject"]["country_of_birth"] = "mx";
  j["occurred_at"] = "2026-11-01T09:03:00-05:00";
  j["subject"]["date_of_birth"] = nullptr;
  j["protections"] = {"asylum", "sec1367", "asylum"};
  j["scheduled_release"] = "2026-12-24";
  auto r = ParseJsonLine(j.dump(), kNow);
  ASSERT_TRUE(r) << r.error().reason;
  const auto& e = std::get<CustodyEvent>(*r);
  EXPECT_EQ(e.subject->a_number.digits(), "012345678");
  EXPECT_EQ(e.subject->country_of_birth, "MX");
  EXPECT_EQ(FormatRfc3339(e.occurred_at), "2026-11-01T14:03:00Z");
  EXPECT_FALSE(e.subject->date_of_birth.has_value());
  EXPECT_EQ(e.protections.Names(), (std::vector<std::string>{"sec1367", "asylum"}));
  EXPECT_EQ(FormatRfc3339(*e.scheduled_release), "2026-12-24T00:00:00Z");
}

TEST(RecordParser, AcceptsPartialBirthDatesAndRetractions) {
  for (const char* dob : {"1990", "1990-04"}) {
    json j = GoodEvent();
    j["subject"]["date_of_birth"] = dob;
    auto r = ParseJsonLine(j.dump(), kNow);
    ASSERT_TRUE(r) << dob << ": " << r.error().reason;
    EXPECT_EQ(std::get<CustodyEvent>(*r).subject->date_of_birth->ToString(), dob);
  }
  auto retraction = ParseJsonLine(
      R"({"record":"custody_event","source":"ice-ero","event_id":"E-2","type":"retracted",)"
      R"("occurred_at":"2026-11-02T00:00:00Z","retracts":"E-1001"})",
      kNow);
  ASSERT_TRUE(retraction) << retraction.error().reason;
  EXPECT_EQ(std::get<CustodyEvent>(*retraction).retracts, "E-1001");
  // Release events need not name a facility.
  json released = GoodEvent();
  released["type"] = "released";
  released.erase("facility_id");
  EXPECT_TRUE(ParseJsonLine(released.dump(), kNow));
}

// One row per rejection reason: how to break a good record, and the field and
// reason the rejection must name.
struct RejectCase {
  const char* name;
  std::function<std::string()> line;
  const char* field;
  const char* reason;  // a substring of the reason
};

std::function<std::string()> Event(std::function<void(json&)> mutate) {
  return [mutate] {
    json j = GoodEvent();
    mutate(j);
    return j.dump();
  };
}
std::function<std::string()> FacilityWith(std::function<void(json&)> mutate) {
  return [mutate] {
    json j = GoodFacility();
    mutate(j);
    return j.dump();
  };
}
std::function<std::string()> Raw(std::string text) {
  return [text] { return text; };
}

const std::vector<RejectCase>& RejectCases() {
  static const auto* cases = new std::vector<RejectCase>{
      {"not_json", Raw("{\"record\": facility"), "", "not valid JSON"},
      {"truncated_json", Raw(GoodEvent().dump().substr(0, 40)), "", "not valid JSON"},
      {"json_array", Raw("[1,2]"), "", "must be a JSON object"},
      {"json_string", Raw("\"custody_event\""), "", "must be a JSON object"},
      {"invalid_utf8", Raw("{\"record\":\"facility\",\"name\":\"Mar\xC3\x28\"}"), "",
       "not valid UTF-8 at byte"},
      {"overlong_utf8", Raw("{\"record\":\"\xC0\xAF\"}"), "", "not valid UTF-8"},
      {"too_long", Raw(std::string(kMaxFeedLineBytes + 1, ' ')), "", "line longer than"},
      {"duplicate_key", Raw(R"({"record":"facility","record":"facility"})"), "record",
       "more than once"},
      {"duplicate_protections",
       Raw(GoodEvent().dump().substr(0, GoodEvent().dump().size() - 1) + R"(,"protections":[]})"),
       "protections", "more than once"},
      {"missing_record", Raw(R"({"facility_id":"X"})"), "record", "missing"},
      {"record_not_string", Raw(R"({"record":1})"), "record", "must be a string"},
      {"unknown_record", Raw(R"({"record":"person"})"), "record", "unknown record kind"},
      {"unknown_field", Event([](json& j) { j["protection"] = json::array(); }), "protection",
       "unknown field"},
      {"unknown_subject_field", Event([](json& j) { j["subject"]["ssn"] = "1"; }), "subject.ssn",
       "unknown field"},
      {"missing_source", Event([](json& j) { j.erase("source"); }), "source", "missing"},
      {"empty_source", Event([](json& j) { j["source"] = " "; }), "source", "must not be empty"},
      {"source_chars", Event([](json& j) { j["source"] = "ice ero"; }), "source",
       "may contain only"},
      {"missing_event_id", Event([](json& j) { j.erase("event_id"); }), "event_id", "missing"},
      {"event_id_number", Event([](json& j) { j["event_id"] = 1001; }), "event_id",
       "must be a string, not a number"},
      {"event_id_too_long", Event([](json& j) { j["event_id"] = std::string(200, 'E'); }),
       "event_id", "longer than"},
      {"missing_type", Event([](json& j) { j.erase("type"); }), "type", "missing"},
      {"unknown_type", Event([](json& j) { j["type"] = "paroled"; }), "type", "unknown event type"},
      {"missing_occurred_at", Event([](json& j) { j.erase("occurred_at"); }), "occurred_at",
       "missing"},
      {"occurred_at_no_offset", Event([](json& j) { j["occurred_at"] = "2026-11-01T14:03:00"; }),
       "occurred_at", "RFC 3339"},
      {"occurred_at_date_only", Event([](json& j) { j["occurred_at"] = "2026-11-01"; }),
       "occurred_at", "RFC 3339"},
      {"occurred_at_impossible", Event([](json& j) { j["occurred_at"] = "2026-02-30T00:00:00Z"; }),
       "occurred_at", "no such calendar date"},
      {"occurred_at_future", Event([](json& j) { j["occurred_at"] = "2027-01-01T00:00:00Z"; }),
       "occurred_at", "in the future"},
      {"missing_subject", Event([](json& j) { j.erase("subject"); }), "subject", "missing"},
      {"subject_not_object", Event([](json& j) { j["subject"] = "María"; }), "subject",
       "must be an object"},
      {"missing_a_number", Event([](json& j) { j["subject"].erase("a_number"); }),
       "subject.a_number", "missing"},
      {"a_number_as_number", Event([](json& j) { j["subject"]["a_number"] = 12345678; }),
       "subject.a_number", "leading zeros"},
      {"a_number_short", Event([](json& j) { j["subject"]["a_number"] = "1234567"; }),
       "subject.a_number", "wrong number of digits"},
      {"a_number_letters", Event([](json& j) { j["subject"]["a_number"] = "A01234567X"; }),
       "subject.a_number", "not an A-number"},
      {"a_number_dashes", Event([](json& j) { j["subject"]["a_number"] = "A-0123-45678"; }),
       "subject.a_number", "misplaced dashes"},
      {"no_names", Event([](json& j) {
         j["subject"]["given_names"] = "";
         j["subject"]["family_names"] = "";
       }),
       "subject.family_names", "needs given_names or family_names"},
      {"name_control_chars", Event([](json& j) { j["subject"]["given_names"] = "Mar\x01ia"; }),
       "subject.given_names", "control characters"},
      {"name_nul", Event([](json& j) { j["subject"]["family_names"] = std::string("Gar\0c", 5); }),
       "subject.family_names", "control characters"},
      {"name_c1_control", Event([](json& j) { j["subject"]["given_names"] = "Ana\xC2\x85"; }),
       "subject.given_names", "control characters"},
      {"name_bidi_override",
       Event([](json& j) { j["subject"]["family_names"] = "Ana\xE2\x80\xAE"; }),
       "subject.family_names", "control characters"},
      {"alias_control_chars", Event([](json& j) {
         j["subject"]["aliases"] = {"Pepe", "Jo\x1bse"};
       }),
       "subject.aliases", "control characters"},
      {"name_too_long",
       Event([](json& j) { j["subject"]["family_names"] = std::string(300, 'a'); }),
       "subject.family_names", "longer than"},
      {"aliases_not_array", Event([](json& j) { j["subject"]["aliases"] = "Pepe"; }),
       "subject.aliases", "must be an array"},
      {"alias_empty", Event([](json& j) {
         j["subject"]["aliases"] = {"Pepe", ""};
       }),
       "subject.aliases[1]", "must not be empty"},
      {"too_many_aliases",
       Event([](json& j) { j["subject"]["aliases"] = std::vector<std::string>(21, "x"); }),
       "subject.aliases", "more than 20"},
      {"dob_format", Event([](json& j) { j["subject"]["date_of_birth"] = "12/04/1990"; }),
       "subject.date_of_birth", "not a date"},
      {"dob_impossible", Event([](json& j) { j["subject"]["date_of_birth"] = "1990-02-30"; }),
       "subject.date_of_birth", "no such calendar date"},
      {"dob_not_string", Event([](json& j) { j["subject"]["date_of_birth"] = 1990; }),
       "subject.date_of_birth", "must be a string or null"},
      {"dob_after_event", Event([](json& j) { j["subject"]["date_of_birth"] = "2026-12"; }),
       "subject.date_of_birth", "after occurred_at"},
      {"missing_country", Event([](json& j) { j["subject"].erase("country_of_birth"); }),
       "subject.country_of_birth", "missing"},
      {"country_alpha3", Event([](json& j) { j["subject"]["country_of_birth"] = "MEX"; }),
       "subject.country_of_birth", "ISO 3166-1"},
      {"country_unassigned", Event([](json& j) { j["subject"]["country_of_birth"] = "XX"; }),
       "subject.country_of_birth", "ISO 3166-1"},
      {"booked_without_facility", Event([](json& j) { j.erase("facility_id"); }), "facility_id",
       "required for a booked event"},
      {"transferred_empty_facility", Event([](json& j) {
         j["type"] = "transferred";
         j["facility_id"] = "";
       }),
       "facility_id", "required for a transferred event"},
      {"facility_id_chars", Event([](json& j) { j["facility_id"] = "A D L"; }), "facility_id",
       "may contain only"},
      {"missing_basis", Event([](json& j) { j.erase("custody_basis"); }), "custody_basis",
       "missing"},
      {"unknown_basis", Event([](json& j) { j["custody_basis"] = "criminal"; }), "custody_basis",
       "unknown custody basis"},
      {"missing_protections", Event([](json& j) { j.erase("protections"); }), "protections",
       "use [] for none"},
      {"protections_not_array", Event([](json& j) { j["protections"] = "sec1367"; }), "protections",
       "must be an array"},
      {"unknown_protection", Event([](json& j) { j["protections"] = {"vawa"}; }), "protections[0]",
       "unknown protection"},
      {"protection_not_string", Event([](json& j) { j["protections"] = {1}; }), "protections[0]",
       "must be a string"},
      {"scheduled_release_bad", Event([](json& j) { j["scheduled_release"] = "soon"; }),
       "scheduled_release", "not an RFC 3339"},
      {"retracts_on_booking", Event([](json& j) { j["retracts"] = "E-1"; }), "retracts",
       "only on a retracted event"},
      {"retraction_without_target",
       Raw(R"({"record":"custody_event","source":"s","event_id":"E-2","type":"retracted",)"
           R"("occurred_at":"2026-11-02T00:00:00Z"})"),
       "retracts", "missing"},
      {"retraction_of_itself",
       Raw(R"({"record":"custody_event","source":"s","event_id":"E-2","type":"retracted",)"
           R"("occurred_at":"2026-11-02T00:00:00Z","retracts":"E-2"})"),
       "retracts", "cannot retract itself"},
      {"retraction_with_subject",
       Raw(R"({"record":"custody_event","source":"s","event_id":"E-2","type":"retracted",)"
           R"("occurred_at":"2026-11-02T00:00:00Z","retracts":"E-1","subject":{}})"),
       "subject", "not allowed on a retracted event"},
      {"facility_missing_name", FacilityWith([](json& j) { j.erase("name"); }), "name", "missing"},
      {"facility_missing_city", FacilityWith([](json& j) { j.erase("city"); }), "city", "missing"},
      {"facility_bad_state", FacilityWith([](json& j) { j["state"] = "California"; }), "state",
       "US state code"},
      {"facility_bad_phone", FacilityWith([](json& j) { j["phone"] = "760-555-0100"; }), "phone",
       "E.164"},
      {"facility_bad_time_zone", FacilityWith([](json& j) { j["time_zone"] = "Pacific Time"; }),
       "time_zone", "not an IANA time zone"},
      {"facility_misspelt_time_zone",
       FacilityWith([](json& j) { j["time_zone"] = "America/Los_Angles"; }), "time_zone",
       "not an IANA time zone"},
      {"facility_offset_time_zone", FacilityWith([](json& j) { j["time_zone"] = "GMT-8"; }),
       "time_zone", "not an IANA time zone"},
      {"facility_unknown_field", FacilityWith([](json& j) { j["capacity"] = "1900"; }), "capacity",
       "unknown field"},
  };
  return *cases;
}

class RejectTest : public testing::TestWithParam<RejectCase> {};

TEST_P(RejectTest, NamesFieldAndReason) {
  const RejectCase& c = GetParam();
  auto r = ParseJsonLine(c.line(), kNow);
  ASSERT_FALSE(r) << "accepted: " << c.line().substr(0, 300);
  EXPECT_EQ(r.error().field, c.field) << r.error().reason;
  EXPECT_NE(r.error().reason.find(c.reason), std::string::npos)
      << "reason was: " << r.error().reason;
  // Reasons are logged and stored: they must not carry a person's name.
  EXPECT_EQ(r.error().reason.find("García"), std::string::npos);
  EXPECT_EQ(r.error().reason.find("María"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(EveryReason, RejectTest, testing::ValuesIn(RejectCases()),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(CsvSplitter, HandlesQuotesNewlinesCrLfAndBom) {
  CsvSplitter s;
  s.Push("\xEF\xBB\xBF" "a,b,c\r\n1,\"x, \"\"y\"\"\",3\r\n");
  s.Push("4,\"multi\nline\",6\n\n7,8,");
  s.Finish();
  CsvSplitter::Record r;
  ASSERT_TRUE(s.Next(&r));
  EXPECT_EQ(r.cells, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(r.line, 1);
  ASSERT_TRUE(s.Next(&r));
  EXPECT_EQ(r.cells, (std::vector<std::string>{"1", "x, \"y\"", "3"}));
  EXPECT_EQ(r.line, 2);
  ASSERT_TRUE(s.Next(&r));
  EXPECT_EQ(r.cells, (std::vector<std::string>{"4", "multi\nline", "6"}));
  EXPECT_EQ(r.line, 3);
  ASSERT_TRUE(s.Next(&r));
  EXPECT_EQ(r.cells, (std::vector<std::string>{"7", "8", ""}));
  EXPECT_EQ(r.line, 6);
  EXPECT_FALSE(s.Next(&r));
}

TEST(CsvSplitter, ReportsMalformedRecords) {
  CsvSplitter s;
  s.Push("a,b\"c\n1,\"open");
  s.Finish();
  CsvSplitter::Record r;
  ASSERT_TRUE(s.Next(&r));
  EXPECT_NE(r.error.find("quote inside an unquoted cell"), std::string::npos);
  ASSERT_TRUE(s.Next(&r));
  EXPECT_NE(r.error.find("not closed"), std::string::npos);
}

TEST(CsvRow, FlattenedColumnsGiveTheSameRecordAsJson) {
  std::vector<std::string> header = {
      "record", "source", "event_id", "type", "occurred_at", "subject.a_number",
      "subject.given_names", "subject.family_names", "subject.aliases", "subject.date_of_birth",
      "subject.country_of_birth", "facility_id", "custody_basis", "protections", "retracts"};
  std::vector<std::string> row = {"custody_event", "ice-ero", "E-1001", "booked",
                                  "2026-11-01T14:03:00Z", "012345678", "María del Carmen",
                                  "García López", "", "1990-04-12", "MX", "ADL",
                                  "civil_immigration", "", ""};
  auto csv = ParseCsvRow(header, row, kNow);
  ASSERT_TRUE(csv) << csv.error().field << ": " << csv.error().reason;
  auto jsonl = ParseJsonLine(GoodEvent().dump(), kNow);
  EXPECT_EQ(std::get<CustodyEvent>(*csv), std::get<CustodyEvent>(*jsonl));

  row[13] = "sec1367|asylum";
  row[8] = "Carmen García | Mari García";
  auto listed = ParseCsvRow(header, row, kNow);
  ASSERT_TRUE(listed);
  EXPECT_EQ(std::get<CustodyEvent>(*listed).protections.Names(),
            (std::vector<std::string>{"sec1367", "asylum"}));
  EXPECT_EQ(std::get<CustodyEvent>(*listed).subject->aliases.size(), 2u);

  std::vector<std::string> retraction = {"custody_event", "ice-ero", "E-2", "retracted",
                                         "2026-11-02T00:00:00Z", "", "", "", "", "", "", "", "",
                                         "", "E-1001"};
  auto r = ParseCsvRow(header, retraction, kNow);
  ASSERT_TRUE(r) << r.error().field << ": " << r.error().reason;
  EXPECT_EQ(std::get<CustodyEvent>(*r).retracts, "E-1001");
}

TEST(CsvRow, RejectsShapeProblems) {
  std::vector<std::string> header = {"record", "facility_id", "name"};
  auto short_row = ParseCsvRow(header, {"facility", "ADL"}, kNow);
  ASSERT_FALSE(short_row);
  EXPECT_NE(short_row.error().reason.find("2 cells but the header has 3"), std::string::npos);
  auto dup = ParseCsvRow({"record", "record"}, {"facility", "facility"}, kNow);
  ASSERT_FALSE(dup);
  EXPECT_NE(dup.error().reason.find("more than once"), std::string::npos);
  auto bad_utf8 = ParseCsvRow(header, {"facility", "ADL", "Ad\xFF"}, kNow);
  ASSERT_FALSE(bad_utf8);
  EXPECT_EQ(bad_utf8.error().field, "name");
  // A column name that is not UTF-8 is refused like any other problem.
  auto bad_column = ParseCsvRow({"record", "facility_id", "na\xFFme"}, {"facility", "ADL", "x"},
                                kNow);
  ASSERT_FALSE(bad_column);
  EXPECT_EQ(FindInvalidUtf8(bad_column.error().field), std::string::npos);
}

}  // namespace
}  // namespace vigil
