#include "vigil/app/demo_data.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "vigil/core/time_format.h"

namespace vigil {
namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;
using std::chrono::sys_days;

const sys_days kAsOf = sys_days(std::chrono::year(2026) / 3 / 1);

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<std::string> Lines(const fs::path& path) {
  std::vector<std::string> lines;
  std::ifstream in(path, std::ios::binary);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

std::vector<std::string> Keys(const ordered_json& object) {
  std::vector<std::string> keys;
  for (auto it = object.begin(); it != object.end(); ++it) keys.push_back(it.key());
  return keys;
}

// Age in whole years on `on` of someone born on `birth`.
int AgeOn(std::chrono::year_month_day birth, std::chrono::year_month_day on) {
  int age = static_cast<int>(on.year()) - static_cast<int>(birth.year());
  if (std::chrono::month_day(on.month(), on.day()) <
      std::chrono::month_day(birth.month(), birth.day())) {
    --age;
  }
  return age;
}

// True if `s` contains a Cyrillic, Arabic or CJK character.
bool HasNonLatinScript(const std::string& s) {
  for (unsigned char c : s) {
    // Lead bytes of U+0400-U+06FF (Cyrillic, Arabic) and of U+4E00-U+9FFF (CJK).
    if ((c >= 0xD0 && c <= 0xDB) || (c >= 0xE4 && c <= 0xE9)) return true;
  }
  return false;
}

class DemoDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "vigil_demo_data_test.XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr) << pattern;
    root_ = pattern;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  DemoOptions Options(int subjects, uint64_t seed, const std::string& sub_dir) const {
    DemoOptions options;
    options.subjects = subjects;
    options.seed = seed;
    options.out_dir = (root_ / sub_dir).string();
    options.as_of = kAsOf;
    return options;
  }

  fs::path root_;
};

TEST_F(DemoDataTest, SameOptionsGiveByteIdenticalFiles) {
  DemoOptions a = Options(2000, 7, "a");
  DemoOptions b = Options(2000, 7, "b/nested");  // also: parents are created
  ASSERT_TRUE(WriteDemoFeed(a));
  ASSERT_TRUE(WriteDemoFeed(b));
  std::string events_a = ReadFile(fs::path(a.out_dir) / "events.jsonl");
  ASSERT_FALSE(events_a.empty());
  EXPECT_EQ(events_a, ReadFile(fs::path(b.out_dir) / "events.jsonl"));
  std::string facilities_a = ReadFile(fs::path(a.out_dir) / "facilities.jsonl");
  ASSERT_FALSE(facilities_a.empty());
  EXPECT_EQ(facilities_a, ReadFile(fs::path(b.out_dir) / "facilities.jsonl"));

  // Writing again over existing files gives the same bytes and no leftovers.
  ASSERT_TRUE(WriteDemoFeed(a));
  EXPECT_EQ(events_a, ReadFile(fs::path(a.out_dir) / "events.jsonl"));
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(a.out_dir)) {
    names.insert(entry.path().filename().string());
  }
  EXPECT_EQ(names, (std::set<std::string>{"events.jsonl", "facilities.jsonl"}));
}

TEST_F(DemoDataTest, DifferentSeedGivesDifferentOutput) {
  DemoOptions a = Options(500, 1, "a");
  DemoOptions b = Options(500, 2, "b");
  ASSERT_TRUE(WriteDemoFeed(a));
  ASSERT_TRUE(WriteDemoFeed(b));
  EXPECT_NE(ReadFile(fs::path(a.out_dir) / "events.jsonl"),
            ReadFile(fs::path(b.out_dir) / "events.jsonl"));
  EXPECT_NE(ReadFile(fs::path(a.out_dir) / "facilities.jsonl"),
            ReadFile(fs::path(b.out_dir) / "facilities.jsonl"));
}

TEST_F(DemoDataTest, FacilitiesAreWellFormed) {
  DemoOptions options = Options(10, 3, "out");
  Result<DemoSummary> summary = WriteDemoFeed(options);
  ASSERT_TRUE(summary) << summary.error().ToString();
  std::vector<std::string> lines = Lines(fs::path(options.out_dir) / "facilities.jsonl");
  EXPECT_EQ(static_cast<int>(lines.size()), summary->facilities);
  EXPECT_GE(lines.size(), 150u);
  EXPECT_LE(lines.size(), 250u);

  const std::regex phone(R"(\+1[2-9][0-9]{2}55501[0-9]{2})");
  const std::regex state("[A-Z]{2}");
  std::set<std::string> ids, names;
  std::map<std::string, int> per_state;
  for (size_t i = 0; i < lines.size(); ++i) {
    ordered_json f = ordered_json::parse(lines[i]);
    EXPECT_EQ(Keys(f), (std::vector<std::string>{"record", "facility_id", "name", "address", "city",
                                                 "state", "phone"}))
        << lines[i];
    EXPECT_EQ(f["record"], "facility");
    char expected_id[32];
    std::snprintf(expected_id, sizeof expected_id, "F%03zu", i + 1);
    EXPECT_EQ(f["facility_id"], expected_id);
    EXPECT_TRUE(std::regex_match(f["phone"].get<std::string>(), phone)) << lines[i];
    EXPECT_TRUE(std::regex_match(f["state"].get<std::string>(), state)) << lines[i];
    EXPECT_FALSE(f["address"].get<std::string>().empty());
    EXPECT_FALSE(f["city"].get<std::string>().empty());
    ids.insert(f["facility_id"].get<std::string>());
    EXPECT_TRUE(names.insert(f["name"].get<std::string>()).second)
        << "duplicate name " << f["name"];
    ++per_state[f["state"].get<std::string>()];
  }
  EXPECT_EQ(ids.size(), lines.size());
  // Weighted toward Texas.
  for (const auto& [code, count] : per_state) {
    if (code != "TX") {
      EXPECT_LT(count, per_state["TX"]) << code;
    }
  }
}

TEST_F(DemoDataTest, EveryEventIsValidAndConsistent) {
  DemoOptions options = Options(3000, 11, "out");
  Result<DemoSummary> summary = WriteDemoFeed(options);
  ASSERT_TRUE(summary) << summary.error().ToString();
  EXPECT_EQ(summary->subjects, 3000);

  std::set<std::string> facility_ids;
  for (const std::string& line : Lines(fs::path(options.out_dir) / "facilities.jsonl")) {
    facility_ids.insert(ordered_json::parse(line)["facility_id"].get<std::string>());
  }

  const std::set<std::string> kTypes = {"booked",  "transferred", "released", "removed",
                                        "escaped", "returned",    "deceased", "updated"};
  const std::set<std::string> kBases = {"civil_immigration", "criminal_charge",
                                        "criminal_conviction"};
  const std::set<std::string> kProtections = {"sec1367", "asylum", "juvenile"};
  const std::vector<std::string> kSubjectKeys = {"a_number", "given_names",   "family_names",
                                                 "aliases",  "date_of_birth", "country_of_birth"};
  const std::regex a_number(R"([0-9]{9}|A[0-9]{9}|A-[0-9]{3}-[0-9]{3}-[0-9]{3})");
  const std::regex country("[A-Z]{2}");
  const Timestamp as_of(
      std::chrono::duration_cast<std::chrono::microseconds>(kAsOf.time_since_epoch()));
  const Timestamp window_start = as_of - std::chrono::days(730);

  struct Person {
    std::string subject;
    std::string protections;
    Timestamp last;
  };
  std::map<std::string, Person> people;  // by the nine digits
  std::vector<std::string> lines = Lines(fs::path(options.out_dir) / "events.jsonl");
  ASSERT_EQ(static_cast<int64_t>(lines.size()), summary->events);
  Timestamp previous = window_start;
  for (size_t i = 0; i < lines.size(); ++i) {
    SCOPED_TRACE(lines[i]);
    ordered_json e = ordered_json::parse(lines[i]);  // throws on invalid JSON or UTF-8
    std::vector<std::string> keys = Keys(e);
    std::vector<std::string> expected_keys = {"record",      "source",        "event_id",
                                              "type",        "occurred_at",   "subject",
                                              "facility_id", "custody_basis", "protections"};
    if (e.contains("scheduled_release")) {
      expected_keys.push_back("scheduled_release");
      EXPECT_EQ(e["type"], "booked");
      EXPECT_TRUE(ParseRfc3339(e["scheduled_release"].get<std::string>()));
    }
    ASSERT_EQ(keys, expected_keys);
    EXPECT_EQ(e["record"], "custody_event");
    EXPECT_EQ(e["source"], "ice-ero");
    char expected_id[32];
    std::snprintf(expected_id, sizeof expected_id, "E-%08zu", i + 1);
    EXPECT_EQ(e["event_id"], expected_id);
    EXPECT_TRUE(kTypes.count(e["type"].get<std::string>()));
    EXPECT_TRUE(kBases.count(e["custody_basis"].get<std::string>()));
    EXPECT_TRUE(facility_ids.count(e["facility_id"].get<std::string>()));
    for (const auto& p : e["protections"]) EXPECT_TRUE(kProtections.count(p.get<std::string>()));

    Result<Timestamp> at = ParseRfc3339(e["occurred_at"].get<std::string>());
    ASSERT_TRUE(at) << at.error().ToString();
    EXPECT_EQ(FormatRfc3339(*at), e["occurred_at"].get<std::string>());
    EXPECT_LT(*at, as_of);
    EXPECT_GE(*at, window_start);
    EXPECT_GE(*at, previous);  // global order
    previous = *at;

    const ordered_json& s = e["subject"];
    ASSERT_EQ(Keys(s), kSubjectKeys);
    std::string a = s["a_number"].get<std::string>();
    EXPECT_TRUE(std::regex_match(a, a_number));
    EXPECT_TRUE(std::regex_match(s["country_of_birth"].get<std::string>(), country));
    EXPECT_FALSE(s["given_names"].get<std::string>().empty());
    EXPECT_FALSE(s["family_names"].get<std::string>().empty());
    EXPECT_TRUE(s["aliases"].is_array());
    if (!s["date_of_birth"].is_null()) {
      Result<PartialDate> dob = ParsePartialDate(s["date_of_birth"].get<std::string>());
      EXPECT_TRUE(dob) << dob.error().ToString();
    }

    std::string digits;
    for (char c : a) {
      if (c >= '0' && c <= '9') digits += c;
    }
    auto [it, first] = people.try_emplace(digits);
    Person& person = it->second;
    if (first) {
      EXPECT_EQ(e["type"], "booked") << "a person's first event is a booking";
      person.subject = s.dump();
      person.protections = e["protections"].dump();
    } else {
      EXPECT_EQ(s.dump(), person.subject) << "identity is stable";
      EXPECT_EQ(e["protections"].dump(), person.protections);
      EXPECT_GT(*at, person.last) << "times strictly increase per person";
    }
    person.last = *at;
  }
  EXPECT_EQ(people.size(), 3000u) << "A-numbers are unique per person";
}

TEST_F(DemoDataTest, ProportionsRoughlyHold) {
  DemoOptions options = Options(5000, 5, "out");
  Result<DemoSummary> summary = WriteDemoFeed(options);
  ASSERT_TRUE(summary) << summary.error().ToString();

  struct Person {
    ordered_json subject;
    ordered_json protections;
    std::vector<std::string> types;
  };
  std::map<std::string, Person> people;
  std::map<std::string, int> bases;
  for (const std::string& line : Lines(fs::path(options.out_dir) / "events.jsonl")) {
    ordered_json e = ordered_json::parse(line);
    Person& p = people[e["subject"]["a_number"].get<std::string>()];
    p.subject = e["subject"];
    p.protections = e["protections"];
    p.types.push_back(e["type"].get<std::string>());
    ++bases[e["custody_basis"].get<std::string>()];
  }
  ASSERT_EQ(people.size(), 5000u);
  const double n = 5000;

  int protected_people = 0, mx = 0, null_dob = 0, partial_dob = 0, minors = 0;
  int juvenile = 0, minors_unprotected = 0, with_alias = 0, non_latin = 0, ended = 0;
  int rebooked = 0, a_prefixed = 0;
  const std::chrono::year_month_day today(kAsOf);
  for (const auto& [a_number, p] : people) {
    if (!p.protections.empty()) ++protected_people;
    for (const auto& x : p.protections) juvenile += x == "juvenile";
    if (p.subject["country_of_birth"] == "MX") ++mx;
    if (!p.subject["aliases"].empty()) ++with_alias;
    if (HasNonLatinScript(p.subject["given_names"].get<std::string>() +
                          p.subject["family_names"].get<std::string>())) {
      ++non_latin;
    }
    if (a_number[0] == 'A') ++a_prefixed;
    const ordered_json& dob = p.subject["date_of_birth"];
    if (dob.is_null()) {
      ++null_dob;
    } else if (dob.get<std::string>().size() < 10) {
      ++partial_dob;
    } else {
      Result<PartialDate> d = ParsePartialDate(dob.get<std::string>());
      ASSERT_TRUE(d);
      std::chrono::year_month_day birth{std::chrono::year(d->year),
                                        std::chrono::month(static_cast<unsigned>(d->month)),
                                        std::chrono::day(static_cast<unsigned>(d->day))};
      int age = AgeOn(birth, today);
      EXPECT_GE(age, 0);
      EXPECT_LE(age, 90);
      if (age < 18) {
        ++minors;
        if (p.protections.empty()) ++minors_unprotected;
      }
    }
    const std::string& last = p.types.back();
    if (last == "released" || last == "removed" || last == "deceased") ++ended;
    int bookings = 0;
    for (const auto& t : p.types) bookings += t == "booked";
    if (bookings > 1) ++rebooked;
  }

  EXPECT_GE(protected_people / n, 0.01);
  EXPECT_LE(protected_people / n, 0.04);
  EXPECT_GE(mx / n, 0.30);
  EXPECT_LE(mx / n, 0.50);
  EXPECT_GT(null_dob, 0);
  EXPECT_LT(null_dob / n, 0.05);
  EXPECT_GT(partial_dob, 0);
  EXPECT_GT(minors, 0);
  EXPECT_LT(minors / n, 0.04);
  EXPECT_GT(juvenile, 0);
  EXPECT_GT(minors_unprotected, 0) << "some minors carry no protection";
  EXPECT_GE(with_alias / n, 0.05);
  EXPECT_LE(with_alias / n, 0.15);
  EXPECT_GT(non_latin, 0);
  EXPECT_GT(a_prefixed, 0);
  EXPECT_GE(ended / n, 0.45);
  EXPECT_LE(ended / n, 0.70);
  EXPECT_GT(rebooked, 0);
  double events = static_cast<double>(summary->events);
  EXPECT_GE(bases["civil_immigration"] / events, 0.55);
  EXPECT_LE(bases["civil_immigration"] / events, 0.75);
  EXPECT_GT(bases["criminal_charge"], 0);
  EXPECT_GT(bases["criminal_conviction"], 0);
}

TEST_F(DemoDataTest, ReportsProgress) {
  DemoOptions options = Options(10000, 1, "out");
  std::vector<int64_t> calls;
  Result<DemoSummary> summary =
      WriteDemoFeed(options, [&](int64_t written) { calls.push_back(written); });
  ASSERT_TRUE(summary) << summary.error().ToString();
  ASSERT_GE(calls.size(), 2u);
  for (size_t i = 1; i < calls.size(); ++i) EXPECT_GT(calls[i], calls[i - 1]);
  EXPECT_EQ(calls.front(), 10000);
  EXPECT_EQ(calls.back(), summary->events);
}

TEST_F(DemoDataTest, RejectsInvalidOptions) {
  DemoOptions options = Options(10, 1, "out");
  for (int subjects : {0, -1, kMaxDemoSubjects + 1}) {
    DemoOptions bad = options;
    bad.subjects = subjects;
    Result<DemoSummary> result = WriteDemoFeed(bad);
    ASSERT_FALSE(result) << subjects;
    EXPECT_EQ(result.error().code(), ErrorCode::kInvalidArgument);
  }
  DemoOptions no_dir = options;
  no_dir.out_dir.clear();
  Result<DemoSummary> result = WriteDemoFeed(no_dir);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), ErrorCode::kInvalidArgument);

  DemoOptions no_date = options;
  no_date.as_of = sys_days{};
  result = WriteDemoFeed(no_date);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), ErrorCode::kInvalidArgument);

  EXPECT_FALSE(fs::exists(options.out_dir)) << "nothing is written for bad options";
}

TEST_F(DemoDataTest, ReportsUnwritableDirectory) {
  fs::path file = root_ / "a-file";
  std::ofstream(file) << "not a directory";
  DemoOptions options = Options(10, 1, "unused");
  options.out_dir = (file / "out").string();
  Result<DemoSummary> result = WriteDemoFeed(options);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), ErrorCode::kUnavailable);
  EXPECT_NE(result.error().message().find(options.out_dir), std::string::npos)
      << result.error().message();

  options.out_dir = file.string();
  result = WriteDemoFeed(options);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), ErrorCode::kUnavailable);
  EXPECT_NE(result.error().message().find(file.string()), std::string::npos)
      << result.error().message();
}

}  // namespace
}  // namespace vigil
