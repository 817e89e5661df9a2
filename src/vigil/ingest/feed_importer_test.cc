#include "vigil/ingest/feed_importer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "vigil/ingest/record_parser.h"
#include "vigil/store/fault_injecting_store.h"
#include "vigil/store/sqlite_store.h"
#include "vigil/testing/temp_dir.h"

namespace vigil {
namespace {

const Timestamp kNow = *ParseRfc3339("2026-11-22T12:00:00Z");

constexpr char kFacilities[] =
    R"({"record":"facility","facility_id":"ADL","name":"Adelanto ICE Processing Center","city":"Adelanto","state":"CA","phone":"+17605550100"})"
    "\n"
    R"({"record":"facility","facility_id":"OTR","name":"Otero County Processing Center","city":"Chaparral","state":"NM"})"
    "\n";

std::string EventLine(const std::string& id, const std::string& type, const std::string& at,
                      const std::string& facility, const std::string& a_number = "012345678",
                      const std::string& protections = "[]") {
  std::string facility_field = facility.empty() ? "" : R"("facility_id":")" + facility + R"(",)";
  return R"({"record":"custody_event","source":"ice-ero","event_id":")" + id + R"(","type":")" +
         type + R"(","occurred_at":")" + at + R"(","subject":{"a_number":")" + a_number +
         R"(","given_names":"María del Carmen","family_names":"García López","aliases":[],"date_of_birth":"1990-04-12","country_of_birth":"MX"},)" +
         facility_field + R"("custody_basis":"civil_immigration","protections":)" + protections +
         "}\n";
}

std::string Retraction(const std::string& id, const std::string& target, const std::string& at) {
  return R"({"record":"custody_event","source":"ice-ero","event_id":")" + id +
         R"(","type":"retracted","occurred_at":")" + at + R"(","retracts":")" + target + "\"}\n";
}

class CollectingObserver : public ImportObserver {
 public:
  void OnReject(const RejectedLine& r) override { rejects.push_back(FormatReject(r)); }
  void OnProgress(std::string_view, int64_t done, int64_t total, const ImportCounts&) override {
    ++progress_calls;
    last_done = done;
    last_total = total;
  }
  std::vector<std::string> rejects;
  int progress_calls = 0;
  int64_t last_done = 0, last_total = 0;
};

class FeedImporterTest : public testing::Test {
 protected:
  void SetUp() override { store_ = OpenFresh("vigil.db"); }

  std::unique_ptr<Store> OpenFresh(const std::string& name) {
    auto s = OpenSqliteStore(dir_.File(name));
    EXPECT_TRUE(s) << s.error().ToString();
    return std::move(*s);
  }

  std::string Write(const std::string& name, const std::string& content) {
    std::string path = dir_.File(name);
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  ImportCounts Import(Store* store, const std::string& path, ImportOptions options = {}) {
    FeedImporter importer(store, &clock_, options);
    auto r = importer.ImportFile(path, &observer_);
    EXPECT_TRUE(r) << r.error().ToString();
    return r.value_or(ImportCounts{});
  }

  Subject SubjectOf(Store* store, const char* a_number = "012345678") {
    auto reader = store->BeginRead();
    auto s = (*reader)->custody().GetSubjectByANumber(*ANumber::Parse(a_number));
    EXPECT_TRUE(s && *s) << "no subject " << a_number;
    return s && *s ? **s : Subject{};
  }

  testutil::TempDir dir_;
  ManualClock clock_{kNow};
  CollectingObserver observer_;
  std::unique_ptr<Store> store_;
};

TEST_F(FeedImporterTest, MixedFileImportsItsGoodLinesAndReportsTheBadOnes) {
  std::string feed =
      std::string(kFacilities) + EventLine("E1", "booked", "2026-11-01T14:03:00Z", "ADL") +
      "this is not json\n" + EventLine("E2", "transferred", "2026-11-02T14:03:00Z", "NOPE") +
      "\n" +  // blank lines are skipped, not rejected
      EventLine("E3", "transferred", "2026-11-03T14:03:00Z", "OTR");
  std::string path = Write("mixed.jsonl", feed);
  ImportCounts counts = Import(store_.get(), path);
  EXPECT_EQ(counts, (ImportCounts{4, 0, 2}));
  ASSERT_EQ(observer_.rejects.size(), 2u);
  EXPECT_EQ(observer_.rejects[0], "mixed.jsonl:4: not valid JSON (error at byte 2)");
  EXPECT_NE(observer_.rejects[1].find("mixed.jsonl:5: facility_id: unknown facility \"NOPE\""),
            std::string::npos)
      << observer_.rejects[1];

  Subject s = SubjectOf(store_.get());
  EXPECT_EQ(s.facility_id, "OTR");
  EXPECT_EQ(s.custody_status, CustodyStatus::kInCustody);

  // The rejected line left nothing behind, and the rejects were stored.
  auto reader = *store_->BeginRead();
  EXPECT_FALSE((*reader->custody().GetEvent("ice-ero", "E2")).has_value());
  auto stored = *reader->custody().RecentRejects(10);
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].line, 5);
  EXPECT_EQ(stored[0].field, "facility_id");
  EXPECT_EQ(stored[0].origin, "mixed.jsonl");
}

TEST_F(FeedImporterTest, ReimportReportsEveryLineAsDuplicate) {
  std::string path =
      Write("feed.jsonl", std::string(kFacilities) +
                              EventLine("E1", "booked", "2026-11-01T14:03:00Z", "ADL") +
                              EventLine("E2", "released", "2026-11-05T10:00:00Z", ""));
  EXPECT_EQ(Import(store_.get(), path), (ImportCounts{4, 0, 0}));
  Subject before = SubjectOf(store_.get());
  EXPECT_EQ(Import(store_.get(), path), (ImportCounts{0, 4, 0}));
  EXPECT_EQ(SubjectOf(store_.get()), before);
  auto counts = *(*store_->BeginRead())->reporting().Counts();
  EXPECT_EQ(counts.events, 2);
}

TEST_F(FeedImporterTest, SameEventIdWithOtherContentIsAConflict) {
  std::string first =
      Write("a.jsonl",
            std::string(kFacilities) + EventLine("E1", "booked", "2026-11-01T14:03:00Z", "ADL"));
  Import(store_.get(), first);
  // Another spelling of the same A-number is the same event: a duplicate.
  std::string respelled = Write(
      "b.jsonl", EventLine("E1", "booked", "2026-11-01T09:03:00-05:00", "ADL", "A-012-345-678"));
  EXPECT_EQ(Import(store_.get(), respelled), (ImportCounts{0, 1, 0}));
  std::string changed = Write("c.jsonl", EventLine("E1", "booked", "2026-11-01T14:03:00Z", "OTR"));
  EXPECT_EQ(Import(store_.get(), changed), (ImportCounts{0, 0, 1}));
  EXPECT_NE(observer_.rejects.back().find("already imported with different content"),
            std::string::npos);
  EXPECT_EQ(SubjectOf(store_.get()).facility_id, "ADL");
}

TEST_F(FeedImporterTest, OutOfOrderDeliveryGivesTheSameStateAsInOrder) {
  std::vector<std::string> events = {
      EventLine("E1", "booked", "2026-10-01T00:00:00Z", "ADL"),
      EventLine("E2", "transferred", "2026-10-05T00:00:00Z", "OTR"),
      EventLine("E3", "released", "2026-10-09T00:00:00Z", ""),
      EventLine("E4", "booked", "2026-10-20T00:00:00Z", "ADL"),
      EventLine("E5", "updated", "2026-10-21T00:00:00Z", "", "012345678", R"(["asylum"])"),
  };
  std::string in_order = kFacilities;
  for (const auto& e : events) in_order += e;
  std::string reversed = kFacilities;
  for (auto it = events.rbegin(); it != events.rend(); ++it) reversed += *it;
  std::string shuffled =
      std::string(kFacilities) + events[2] + events[0] + events[4] + events[1] + events[3];

  Import(store_.get(), Write("in_order.jsonl", in_order));
  Subject expected = SubjectOf(store_.get());
  EXPECT_EQ(expected.custody_status, CustodyStatus::kInCustody);
  EXPECT_EQ(expected.facility_id, "ADL");
  EXPECT_TRUE(expected.protections.Has(Protection::kAsylum));

  int n = 0;
  for (const std::string* feed : {&reversed, &shuffled}) {
    auto other = OpenFresh("other" + std::to_string(n) + ".db");
    Import(other.get(), Write("feed" + std::to_string(n++) + ".jsonl", *feed));
    Subject got = SubjectOf(other.get());
    got.subject_id = expected.subject_id;
    EXPECT_EQ(got, expected);
  }
  // Even one event per batch (so each lands in its own transaction).
  auto one_by_one = OpenFresh("one.db");
  ImportOptions tiny;
  tiny.batch_lines = 1;
  Import(one_by_one.get(), Write("shuffled.jsonl", shuffled), tiny);
  Subject got = SubjectOf(one_by_one.get());
  got.subject_id = expected.subject_id;
  EXPECT_EQ(got, expected);
}

TEST_F(FeedImporterTest, RetractionRemovesTheEventAndRecomputesState) {
  Import(store_.get(),
         Write("a.jsonl", std::string(kFacilities) +
                              EventLine("E1", "booked", "2026-10-01T00:00:00Z", "ADL") +
                              EventLine("E2", "released", "2026-10-05T00:00:00Z", "")));
  EXPECT_EQ(SubjectOf(store_.get()).custody_status, CustodyStatus::kReleased);
  EXPECT_EQ(Import(store_.get(), Write("b.jsonl", Retraction("R1", "E2", "2026-10-06T00:00:00Z"))),
            (ImportCounts{1, 0, 0}));
  Subject s = SubjectOf(store_.get());
  EXPECT_EQ(s.custody_status, CustodyStatus::kInCustody);
  EXPECT_FALSE(s.released_at.has_value());
  // History is kept: the retracted event is still there, marked.
  auto reader = *store_->BeginRead();
  auto history = *reader->custody().EventsOfSubject(s.subject_id);
  ASSERT_EQ(history.size(), 3u);  // E1, E2 (retracted) and the retraction itself
  EXPECT_EQ((*reader->custody().GetEvent("ice-ero", "E2"))->retracted_by, "R1");

  // Retracting twice, or retracting a retraction, is refused.
  Import(store_.get(), Write("c.jsonl", Retraction("R2", "E2", "2026-10-07T00:00:00Z") +
                                            Retraction("R3", "R1", "2026-10-07T00:00:00Z")));
  ASSERT_GE(observer_.rejects.size(), 2u);
  EXPECT_NE(observer_.rejects[0].find("already retracted by R1"), std::string::npos);
  EXPECT_NE(observer_.rejects[1].find("is itself a retraction"), std::string::npos);
}

TEST_F(FeedImporterTest, ProtectionsSurviveRetractionAndLateEvents) {
  Import(store_.get(),
         Write("a.jsonl", std::string(kFacilities) +
                              EventLine("E1", "booked", "2026-10-01T00:00:00Z", "ADL") +
                              EventLine("E2", "updated", "2026-10-02T00:00:00Z", "", "012345678",
                                        R"(["sec1367"])")));
  ASSERT_TRUE(SubjectOf(store_.get()).protections.Has(Protection::kSec1367));
  // Neither withdrawing the event that carried it, nor a late event that
  // forces a refold, removes a protection: only an agency can.
  Import(store_.get(),
         Write("b.jsonl", Retraction("R1", "E2", "2026-10-03T00:00:00Z") +
                              EventLine("E0", "booked", "2026-09-01T00:00:00Z", "ADL")));
  EXPECT_TRUE(SubjectOf(store_.get()).protections.Has(Protection::kSec1367));
}

TEST_F(FeedImporterTest, ReimportingABadFileStoresItsRejectsOnce) {
  std::string path = Write("bad.jsonl", std::string(kFacilities) + "nope\n");
  Import(store_.get(), path);
  Import(store_.get(), path);
  EXPECT_EQ((*(*store_->BeginRead())->reporting().Counts()).rejects, 1);
}

TEST_F(FeedImporterTest, RejectReasonsDoNotRepeatPersonalValues) {
  std::string line = EventLine("E1", "booked", "2026-10-01T00:00:00Z", "ADL", "A98765432X");
  std::string dob = EventLine("E2", "booked", "2026-10-01T00:00:00Z", "ADL");
  dob.replace(dob.find("1990-04-12"), 10, "1990-02-31");
  Import(store_.get(), Write("a.jsonl", std::string(kFacilities) + line + dob));
  ASSERT_EQ(observer_.rejects.size(), 2u);
  for (const auto& r : observer_.rejects) {
    EXPECT_EQ(r.find("98765432"), std::string::npos) << r;
    EXPECT_EQ(r.find("1990-02-31"), std::string::npos) << r;
  }
}

TEST_F(FeedImporterTest, ByteOrderMarkDoesNotHideJsonLines) {
  std::string path = Write("feed.txt", "\xEF\xBB\xBF" + std::string(kFacilities));
  EXPECT_EQ(Import(store_.get(), path), (ImportCounts{2, 0, 0}));
}

TEST_F(FeedImporterTest, MalformedCsvHeaderRejectsEveryRow) {
  std::string csv = "record,fac\"ility_id\nfacility,ADL\nfacility,OTR\n";
  EXPECT_EQ(Import(store_.get(), Write("bad.csv", csv)), (ImportCounts{0, 0, 3}));
  EXPECT_NE(observer_.rejects[1].find("header row is malformed"), std::string::npos);
}

TEST_F(FeedImporterTest, RetractionBeforeItsEventStillWithdrawsIt) {
  std::string feed = std::string(kFacilities) + Retraction("R1", "E2", "2026-10-06T00:00:00Z") +
                     EventLine("E1", "booked", "2026-10-01T00:00:00Z", "ADL") +
                     EventLine("E2", "released", "2026-10-05T00:00:00Z", "");
  EXPECT_EQ(Import(store_.get(), Write("a.jsonl", feed)), (ImportCounts{5, 0, 0}));
  EXPECT_EQ(SubjectOf(store_.get()).custody_status, CustodyStatus::kInCustody);
}

TEST_F(FeedImporterTest, ProtectionOnAnEventRetractedBeforeItArrivesStillApplies) {
  // For a person the store already knows...
  Import(
      store_.get(),
      Write("a.jsonl", std::string(kFacilities) + Retraction("R1", "E2", "2026-10-06T00:00:00Z") +
                           EventLine("E1", "booked", "2026-10-01T00:00:00Z", "ADL") +
                           EventLine("E2", "updated", "2026-10-05T00:00:00Z", "", "012345678",
                                     R"(["asylum"])")));
  EXPECT_TRUE(SubjectOf(store_.get()).protections.Has(Protection::kAsylum));
  // ...and for one whose first event is the withdrawn one.
  Import(store_.get(), Write("b.jsonl", Retraction("R9", "E9", "2026-10-06T00:00:00Z") +
                                            EventLine("E9", "booked", "2026-10-05T00:00:00Z", "ADL",
                                                      "098765432", R"(["sec1367"])")));
  Subject late = SubjectOf(store_.get(), "098765432");
  EXPECT_TRUE(late.protections.Has(Protection::kSec1367));
  EXPECT_FALSE(late.custody_status.has_value());
}

TEST_F(FeedImporterTest, AnAdvanceReleaseDateAloneDoesNotMoveWhatThePublicSeesChange) {
  std::string release_only = EventLine("E2", "updated", "2026-10-07T00:00:00Z", "");
  release_only.replace(release_only.find(R"("custody_basis")"), 0,
                       R"("scheduled_release":"2026-12-01",)");
  Import(store_.get(),
         Write("a.jsonl", std::string(kFacilities) +
                              EventLine("E1", "booked", "2026-10-01T00:00:00Z", "ADL") +
                              release_only));
  Subject s = SubjectOf(store_.get());
  ASSERT_TRUE(s.scheduled_release.has_value());
  EXPECT_EQ(s.last_event_at, ParseRfc3339("2026-10-07T00:00:00Z").value());
  EXPECT_EQ(s.public_changed_at, ParseRfc3339("2026-10-01T00:00:00Z").value());
  // A transfer is something shown: it moves.
  Import(store_.get(),
         Write("b.jsonl", EventLine("E3", "transferred", "2026-10-09T00:00:00Z", "OTR")));
  EXPECT_EQ(SubjectOf(store_.get()).public_changed_at,
            ParseRfc3339("2026-10-09T00:00:00Z").value());
}

TEST_F(FeedImporterTest, RetractingEveryEventLeavesNoCustodyState) {
  Import(store_.get(),
         Write("a.jsonl", std::string(kFacilities) +
                              EventLine("E1", "booked", "2026-10-01T00:00:00Z", "ADL") +
                              Retraction("R1", "E1", "2026-10-02T00:00:00Z")));
  Subject s = SubjectOf(store_.get());
  EXPECT_FALSE(s.custody_status.has_value());
  EXPECT_FALSE(s.last_event_at.has_value());
}

// A name is one line of visible text: NUL, other C0 and C1 controls and the
// invisible bidirectional overrides are refused with the file's line number,
// whichever format and however they are written.
TEST_F(FeedImporterTest, NamesWithControlCharactersAreRefusedWithTheirLine) {
  auto with_name = [](const std::string& id, const std::string& a_number,
                      const std::string& given_json) {
    std::string line = EventLine(id, "booked", "2026-11-01T14:03:00Z", "ADL", a_number);
    size_t at = line.find("\"María del Carmen\"");
    return line.replace(at, std::string("\"María del Carmen\"").size(), given_json);
  };
  std::string feed = std::string(kFacilities) +                                  // lines 1-2
                     with_name("N1", "012345671", R"("Ana\u0000Luisa")") +       // 3
                     with_name("N2", "012345672", "\"Ana\xC2\x85Luisa\"") +      // 4: U+0085
                     with_name("N3", "012345673", "\"Ana\xE2\x80\xAELuisa\"") +  // 5: U+202E
                     with_name("N4", "012345674", R"("Ana Luisa")");             // 6: fine
  ImportCounts counts = Import(store_.get(), Write("names.jsonl", feed));
  EXPECT_EQ(counts, (ImportCounts{3, 0, 3}));
  ASSERT_EQ(observer_.rejects.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(observer_.rejects[i], "names.jsonl:" + std::to_string(3 + i) +
                                        ": subject.given_names: contains control characters");
  }
  std::string csv =
      "record,source,event_id,type,occurred_at,subject.a_number,subject.given_names,"
      "subject.family_names,subject.date_of_birth,subject.country_of_birth,facility_id,"
      "custody_basis\n"
      "custody_event,ice-ero,C1,booked,2026-11-01T14:03:00Z,012345675,\"An#a\",P,1990-01-01,MX,"
      "ADL,civil_immigration\n"
      "custody_event,ice-ero,C2,booked,2026-11-01T14:03:00Z,012345676,Ana,\"P\xE2\x81\xA6\","
      "1990-01-01,MX,ADL,civil_immigration\n";
  csv[csv.find("An#") + 2] = '\0';  // a real NUL byte in the file
  observer_.rejects.clear();
  EXPECT_EQ(Import(store_.get(), Write("names.csv", csv)), (ImportCounts{0, 0, 2}));
  ASSERT_EQ(observer_.rejects.size(), 2u);
  EXPECT_EQ(observer_.rejects[0], "names.csv:2: subject.given_names: contains control characters");
  EXPECT_EQ(observer_.rejects[1], "names.csv:3: subject.family_names: contains control characters");
}

TEST_F(FeedImporterTest, CsvImportsLikeJsonLines) {
  std::string csv =
      "record,facility_id,name,address,city,state,phone,source,event_id,type,occurred_at,"
      "subject.a_number,subject.given_names,subject.family_names,subject.aliases,"
      "subject.date_of_birth,subject.country_of_birth,custody_basis,protections,retracts\r\n"
      "facility,ADL,Adelanto ICE Processing Center,,Adelanto,CA,+17605550100,,,,,,,,,,,,,\r\n"
      "custody_event,ADL,,,,,,ice-ero,E1,booked,2026-11-01T14:03:00Z,012345678,María del Carmen,"
      "García López,,1990-04-12,MX,civil_immigration,,\r\n"
      "custody_event,,,,,,,ice-ero,E2,released,2026-11-05T00:00:00Z,012345678,\"María del "
      "Carmen\",García López,,1990-04-12,MX,civil_immigration,,\r\n"
      "custody_event,,,,,,,ice-ero,E3,retracted,2026-11-06T00:00:00Z,,,,,,,,,E2\r\n"
      "custody_event,,,,,,,ice-ero,E4,booked,2026-11-06T00:00:00Z,012345678,X,Y,,,MX,,,\r\n";
  ImportCounts counts = Import(store_.get(), Write("feed.csv", csv));
  EXPECT_EQ(counts, (ImportCounts{4, 0, 1}));
  ASSERT_EQ(observer_.rejects.size(), 1u);
  EXPECT_NE(observer_.rejects[0].find("feed.csv:6: facility_id: required"), std::string::npos)
      << observer_.rejects[0];

  auto json_store = OpenFresh("json.db");
  Import(json_store.get(),
         Write("feed.jsonl", std::string(kFacilities) +
                                 EventLine("E1", "booked", "2026-11-01T14:03:00Z", "ADL") +
                                 EventLine("E2", "released", "2026-11-05T00:00:00Z", "") +
                                 Retraction("E3", "E2", "2026-11-06T00:00:00Z")));
  Subject from_json = SubjectOf(json_store.get());
  Subject from_csv = SubjectOf(store_.get());
  from_csv.subject_id = from_json.subject_id;
  EXPECT_EQ(from_csv, from_json);
}

TEST_F(FeedImporterTest, OverlongLinesAreRejectedAndTheRestImports) {
  std::string huge = "{\"record\":\"facility\",\"name\":\"" + std::string(3 << 20, 'x') + "\"}\n";
  std::string feed =
      std::string(kFacilities) + huge + EventLine("E1", "booked", "2026-11-01T14:03:00Z", "ADL");
  EXPECT_EQ(Import(store_.get(), Write("big.jsonl", feed)), (ImportCounts{3, 0, 1}));
  EXPECT_EQ(observer_.rejects[0], "big.jsonl:3: line longer than 1048576 bytes");
}

TEST_F(FeedImporterTest, LastLineWithoutNewlineAndCrLfEndings) {
  std::string feed =
      std::string(kFacilities) + EventLine("E1", "booked", "2026-11-01T14:03:00Z", "ADL");
  feed.pop_back();
  std::string crlf;
  for (char c : feed) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  EXPECT_EQ(Import(store_.get(), Write("crlf.jsonl", crlf)), (ImportCounts{3, 0, 0}));
}

TEST_F(FeedImporterTest, MissingOrUnreadableFilesAreClearErrors) {
  FeedImporter importer(store_.get(), &clock_);
  auto missing = importer.ImportFile(dir_.File("nope.jsonl"), nullptr);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message().find("nope.jsonl"), std::string::npos);
  auto directory = importer.ImportFile(dir_.path().string(), nullptr);
  ASSERT_FALSE(directory);
  EXPECT_NE(directory.error().message().find("is a directory"), std::string::npos);
}

TEST_F(FeedImporterTest, ProgressIsReportedWithTotals) {
  std::string feed = kFacilities;
  for (int i = 0; i < 2000; ++i) {
    char a[16];
    std::snprintf(a, sizeof a, "1%08d", i);
    feed += EventLine("E" + std::to_string(i), "booked", "2026-11-01T14:03:00Z", "ADL", a);
  }
  std::string path = Write("many.jsonl", feed);
  ImportOptions small;
  small.batch_lines = 100;
  EXPECT_EQ(Import(store_.get(), path, small), (ImportCounts{2002, 0, 0}));
  EXPECT_GE(observer_.progress_calls, 1);
  EXPECT_EQ(observer_.last_done, static_cast<int64_t>(feed.size()));
  EXPECT_EQ(observer_.last_total, static_cast<int64_t>(feed.size()));
}

TEST_F(FeedImporterTest, ImportTextGivesPerLineResultsInOneTransaction) {
  FeedImporter importer(store_.get(), &clock_);
  std::string body =
      std::string(kFacilities) + "{\n" + EventLine("E1", "booked", "2026-11-01T14:03:00Z", "ADL");
  auto results = importer.ImportText("api", body, FeedFormat::kJsonLines, nullptr);
  ASSERT_TRUE(results) << results.error().ToString();
  ASSERT_EQ(results->size(), 4u);
  EXPECT_EQ((*results)[2].line, 3);
  EXPECT_EQ((*results)[2].status, ApplyStatus::kRejected);
  EXPECT_EQ((*results)[3].status, ApplyStatus::kAccepted);
}

// The applier keeps people it has written from one transaction to the next
// (an import's batches). It may use them only while nobody else has written
// a person: a protection set in between must survive the next event.
class ApplierCacheTest : public FeedImporterTest {
 protected:
  void SetUp() override {
    FeedImporterTest::SetUp();
    ASSERT_EQ(Import(store_.get(), Write("facilities.jsonl", kFacilities)).accepted, 2);
  }

  // Applies `line` in a transaction of its own; commits it if `commit`.
  void Apply(const std::string& line, bool commit = true) {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn) << txn.error().ToString();
    auto parsed = ParseJsonLine(line, kNow);
    ASSERT_TRUE(parsed) << parsed.error().reason;
    auto outcome = applier_.Apply(**txn, std::move(*parsed));
    ASSERT_TRUE(outcome) << outcome.error().ToString();
    EXPECT_EQ(outcome->status, ApplyStatus::kAccepted) << outcome->error.reason;
    ASSERT_TRUE(applier_.FlushSubjects(**txn));
    if (commit) ASSERT_TRUE((*txn)->Commit());
    txn->reset();  // rolls back when not committed
    applier_.EndTransaction(commit);
  }

  FeedApplier applier_{&clock_};
};

TEST_F(ApplierCacheTest, APersonWrittenByAnotherWriterIsReadAgain) {
  Apply(EventLine("E1", "booked", "2026-11-01T14:03:00Z", "ADL"));
  {
    // An agency protects the person between two batches of an import.
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn);
    auto stored = (*txn)->custody().GetSubjectByANumber(*ANumber::Parse("012345678"));
    ASSERT_TRUE(stored && *stored);
    Subject subject = **stored;
    subject.protections.Add(Protection::kSec1367);
    ASSERT_TRUE((*txn)->custody().UpdateSubject(subject));
    ASSERT_TRUE((*txn)->Commit());
  }
  Apply(EventLine("E2", "transferred", "2026-11-02T14:03:00Z", "OTR"));
  Subject after = SubjectOf(store_.get());
  EXPECT_TRUE(after.protections.Has(Protection::kSec1367));
  EXPECT_EQ(after.facility_id, "OTR");
  // With nobody else writing, the kept state carries on correctly.
  Apply(EventLine("E3", "transferred", "2026-11-03T14:03:00Z", "ADL"));
  after = SubjectOf(store_.get());
  EXPECT_TRUE(after.protections.Has(Protection::kSec1367));
  EXPECT_EQ(after.facility_id, "ADL");
}

// Into a store that never held a person the applier asks about nobody: the
// people it has not met are absent. Until someone else stores one.
TEST_F(ApplierCacheTest, APersonStoredByAnotherWriterIsFoundAfterTheStoreStartedEmpty) {
  Apply(EventLine("E1", "booked", "2026-11-01T14:03:00Z", "ADL", "012345678"));
  {
    // Between two batches, an agency's own write books someone else,
    // protected.
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn);
    Subject other = SubjectOf(store_.get(), "012345678");
    other.subject_id = *(*txn)->custody().AllocateSubjectId();
    other.a_number = *ANumber::Parse("087654321");
    other.protections.Add(Protection::kSec1367);
    ASSERT_TRUE((*txn)->custody().InsertSubject(other));
    ASSERT_TRUE((*txn)->Commit());
  }
  Apply(EventLine("E2", "transferred", "2026-11-02T14:03:00Z", "OTR", "087654321"));
  Subject after = SubjectOf(store_.get(), "087654321");
  EXPECT_TRUE(after.protections.Has(Protection::kSec1367)) << "the stored person, not a new one";
  EXPECT_EQ(after.facility_id, "OTR");
}

// The same when the applier's first transaction met nobody (its chunk was
// named ahead, then nothing in it applied): an empty cache is whole too,
// and is checked as much.
TEST_F(ApplierCacheTest, APersonStoredByAnotherWriterIsFoundAfterAnEmptyFirstBatch) {
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn);
    auto parsed = ParseJsonLine(EventLine("E1", "booked", "2026-11-01T14:03:00Z", "ADL"), kNow);
    ASSERT_TRUE(parsed);
    const CustodyEvent* named[] = {&std::get<CustodyEvent>(*parsed)};
    ASSERT_TRUE(applier_.Prefetch(**txn, named));
    ASSERT_TRUE(applier_.FlushSubjects(**txn));
    ASSERT_TRUE((*txn)->Commit());
    txn->reset();
    applier_.EndTransaction(true);
  }
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn);
    Subject other;
    other.subject_id = *(*txn)->custody().AllocateSubjectId();
    other.a_number = *ANumber::Parse("012345678");
    other.given_names = "Ana";
    other.family_names = "Lopez";
    other.country_of_birth = "MX";
    other.protections.Add(Protection::kSec1367);
    ASSERT_TRUE((*txn)->custody().InsertSubject(other));
    ASSERT_TRUE((*txn)->Commit());
  }
  Apply(EventLine("E2", "transferred", "2026-11-02T14:03:00Z", "OTR"));
  Subject after = SubjectOf(store_.get());
  EXPECT_TRUE(after.protections.Has(Protection::kSec1367)) << "the stored person, not a new one";
  EXPECT_EQ(after.facility_id, "OTR");
}

TEST_F(ApplierCacheTest, NothingOfARolledBackTransactionIsKept) {
  // A new person, flushed, then rolled back: the store never held them.
  Apply(EventLine("E1", "booked", "2026-11-01T14:03:00Z", "ADL", "087654321"), /*commit=*/false);
  Apply(EventLine("E1", "booked", "2026-11-01T14:03:00Z", "ADL", "087654321"));
  EXPECT_EQ(SubjectOf(store_.get(), "087654321").facility_id, "ADL");
  // A known person changed, then rolled back: the next event starts from the store.
  Apply(EventLine("E2", "transferred", "2026-11-02T14:03:00Z", "OTR", "087654321"),
        /*commit=*/false);
  Apply(EventLine("E3", "released", "2026-11-03T14:03:00Z", "", "087654321"));
  Subject after = SubjectOf(store_.get(), "087654321");
  EXPECT_EQ(after.facility_id, "ADL");
  EXPECT_EQ(after.custody_status, CustodyStatus::kReleased);
}

// The importer over a store that fails on purpose (fault_injecting_store.h):
// whatever fails, committed batches stay, the failed batch leaves nothing,
// and importing the same file again ends exactly where a clean import does.
class ImportFaultTest : public FeedImporterTest {
 protected:
  void SetUp() override {
    auto inner = OpenSqliteStore(dir_.File("faulty.db"));
    ASSERT_TRUE(inner) << inner.error().ToString();
    auto faulty = std::make_unique<FaultInjectingStore>(std::move(*inner));
    faults_ = &faulty->plan();
    store_ = std::move(faulty);
    std::string feed = kFacilities;
    for (int i = 0; i < 30; ++i) {
      char a_number[10];
      std::snprintf(a_number, sizeof a_number, "1000000%02d", i % 6);
      const std::string day = std::to_string(10 + i / 6);
      feed += EventLine("E" + std::to_string(i), i < 6 ? "booked" : "transferred",
                        "2026-11-" + day + "T12:00:00Z", i % 2 ? "OTR" : "ADL", a_number,
                        i == 13 ? R"(["sec1367"])" : "[]");
    }
    path_ = Write("feed.jsonl", feed);
    options_.batch_lines = 10;
  }

  // Every person and every event, as text, for comparing whole stores.
  static std::string Contents(Store* store) {
    auto r = store->BeginRead();
    std::string out;
    (*r)->custody().ForEachSubject([&](const Subject& s) {
      out += s.a_number.digits() + " " + s.facility_id + " " +
             std::to_string(s.protections.bits()) + " " +
             FormatRfc3339(s.last_event_at.value_or(Timestamp{})) + "\n";
      return true;
    });
    auto counts = (*r)->reporting().Counts();
    out += "events " + std::to_string(counts->events) + "\n";
    return out;
  }

  std::string Clean() {
    auto clean = OpenFresh("clean.db");
    FeedImporter importer(clean.get(), &clock_, options_);
    EXPECT_TRUE(importer.ImportFile(path_, nullptr));
    return Contents(clean.get());
  }

  FaultPlan* faults_ = nullptr;
  std::string path_;
  ImportOptions options_;
};

// A protection is taken down (notices cancelled, registrations suspended)
// only for people someone could have registered for: not for a person this
// import created already protected, in any of its transactions, nor for one
// it created and protected before that transaction committed; but for one
// it created public and protected in a later transaction, it is.
// A first import into a new database looks up none of the people it
// creates; a second one, into a store that holds people, asks for them.
TEST_F(ImportFaultTest, AnImportIntoANewStoreAsksAboutNobody) {
  FeedImporter importer(store_.get(), &clock_, options_);
  ASSERT_TRUE(importer.ImportFile(path_, nullptr));
  EXPECT_EQ(faults_->Calls("GetSubjectByANumber"), 0);
  const std::string first = Contents(store_.get());
  FeedImporter again(store_.get(), &clock_, options_);
  auto second = again.ImportFile(path_, nullptr);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->duplicate, 32);  // two facilities and 30 events
  EXPECT_GT(faults_->Calls("GetSubjectByANumber"), 0);
  EXPECT_EQ(Contents(store_.get()), first);
}

TEST_F(ImportFaultTest, TakedownsAreSkippedOnlyForPeopleNeverPublic) {
  std::string feed = kFacilities;
  auto line = [&](const std::string& id, const std::string& a_number, const std::string& day,
                  bool protect) {
    feed += EventLine(id, id.starts_with("B") ? "booked" : "transferred",
                      "2026-11-" + day + "T12:00:00Z", "ADL", a_number,
                      protect ? R"(["sec1367"])" : "[]");
  };
  line("B1", "200000001", "10", true);   // created protected
  line("B2", "200000002", "10", false);  // created public ...
  line("T2", "200000002", "11", true);   // ... protected in the same transaction
  line("B3", "200000003", "10", false);  // created public
  for (int i = 0; i < 6; ++i)
    line("F" + std::to_string(i), "20000000" + std::to_string(4 + i % 3), "10", false);
  line("T1", "200000001", "12", true);  // later transactions: never public
  line("T3", "200000002", "12", true);
  line("T4", "200000003", "12", true);  // was public: taken down
  ImportOptions options;
  options.batch_lines = 6;  // three transactions of events
  FeedImporter importer(store_.get(), &clock_, options);
  ASSERT_TRUE(importer.ImportFile(Write("protections.jsonl", feed), nullptr));
  EXPECT_EQ(faults_->Calls("SuspendRegistrationsOf"), 1);
  EXPECT_EQ(faults_->Calls("CancelNotificationsOf"), 1);
  for (const char* a : {"200000001", "200000002", "200000003"}) {
    EXPECT_FALSE(SubjectOf(store_.get(), a).protections.empty()) << a;
  }
}

TEST_F(ImportFaultTest, AFailedCommitKeepsEarlierBatchesAndARetryEndsLikeACleanImport) {
  faults_->FailNthCommit(2);
  FeedImporter importer(store_.get(), &clock_, options_);
  auto failed = importer.ImportFile(path_, nullptr);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code(), ErrorCode::kUnavailable);
  // Batch one (two facilities and eight events) committed; batch two did not.
  EXPECT_EQ((*(*store_->BeginRead())->reporting().Counts()).events, 8);
  faults_->Clear();
  auto retried = importer.ImportFile(path_, nullptr);
  ASSERT_TRUE(retried) << retried.error().ToString();
  EXPECT_EQ(retried->accepted, 22);
  EXPECT_EQ(retried->duplicate, 10);
  EXPECT_EQ(Contents(store_.get()), Clean());
}

TEST_F(ImportFaultTest, AFailedWriteAnywhereLosesNothingOnRetry) {
  const std::string clean = Clean();
  // Each run fails a different write: in the first batch, the middle, the last.
  for (int64_t nth : {1, 7, 20, 33, 45}) {
    SCOPED_TRACE("write " + std::to_string(nth));
    SetUp();
    faults_->FailNthWrite(nth);
    FeedImporter importer(store_.get(), &clock_, options_);
    auto failed = importer.ImportFile(path_, nullptr);
    ASSERT_FALSE(failed);
    EXPECT_EQ(faults_->injected(), 1);
    const int64_t events = (*(*store_->BeginRead())->reporting().Counts()).events;
    EXPECT_TRUE(events == 0 || events == 8 || events == 18 || events == 28)
        << events << " events: a batch was half written";
    ASSERT_TRUE(importer.ImportFile(path_, nullptr));
    EXPECT_EQ(Contents(store_.get()), clean);
    store_.reset();
    std::filesystem::remove(dir_.File("faulty.db"));
    std::filesystem::remove(dir_.File("faulty.db-wal"));
    std::filesystem::remove(dir_.File("faulty.db-shm"));
  }
}

}  // namespace
}  // namespace vigil
