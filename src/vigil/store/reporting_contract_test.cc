#include "vigil/store/store_contract_test.h"

namespace vigil {
namespace {

using namespace contract;  // NOLINT: the suites' shared fixtures

TEST_P(ReportingContractTest, APeriodsEventsComeInTimeOrderRetractionsIncluded) {
  {
    auto w = Write();
    const int64_t id = *w->custody().InsertSubject(MakeSubject("012345678"));
    ASSERT_TRUE(w->custody().InsertEvent(MakeEvent(id, "E4", "2026-12-01T00:00:00Z")));
    ASSERT_TRUE(w->custody().InsertEvent(MakeEvent(id, "E2", "2026-11-05T00:00:00Z")));
    ASSERT_TRUE(w->custody().InsertEvent(MakeEvent(id, "E1", "2026-11-01T00:00:00Z")));
    ASSERT_TRUE(w->custody().InsertEvent(MakeEvent(id, "E3", "2026-11-05T00:00:00Z")));
    ASSERT_TRUE(w->custody().InsertEvent(MakeEvent(id, "E0", "2026-10-31T23:59:59Z")));
    ASSERT_TRUE(w->custody().InsertEvent(MakeRetraction("R1", "E2", "2026-11-10T00:00:00Z")));
    ASSERT_TRUE(w->custody().SetRetractedBy("ice-ero", "E2", "R1"));
    ASSERT_TRUE(w->Commit());
  }
  auto r = Read();
  std::vector<std::string> seen;
  ASSERT_TRUE(r->reporting().ForEachEventBetween(
      T("2026-11-01T00:00:00Z"), T("2026-12-01T00:00:00Z"), [&](const StoredEvent& e) {
        seen.push_back(e.event.event_id + (e.retracted_by.empty() ? "" : "*"));
        return true;
      }));
  EXPECT_EQ(seen, (std::vector<std::string>{"E1", "E2*", "E3", "R1"}));
  int calls = 0;
  ASSERT_TRUE(r->reporting().ForEachEventBetween(T("2026-01-01T00:00:00Z"),
                                                 T("2027-01-01T00:00:00Z"),
                                                 [&](const StoredEvent&) { return ++calls < 2; }));
  EXPECT_EQ(calls, 2);
}

TEST_P(ReportingContractTest, CountsCountEachKind) {
  auto w = Write();
  ASSERT_TRUE(w->custody().PutFacility(Adelanto()));
  Facility other = Adelanto();
  other.facility_id = "OTR";
  ASSERT_TRUE(w->custody().PutFacility(other));
  ASSERT_TRUE(w->custody().PutFacility(other)) << "replaced, not added";
  const int64_t id = *w->custody().InsertSubject(MakeSubject("012345678"));
  ASSERT_TRUE(w->custody().InsertEvent(MakeEvent(id, "E1", "2026-11-01T00:00:00Z")));
  ASSERT_TRUE(w->custody().InsertReject({0, T("2026-11-01T00:00:00Z"), "a.jsonl", 3, "", "bad"}));
  auto counts = *w->reporting().Counts();
  EXPECT_EQ(counts.facilities, 2);
  EXPECT_EQ(counts.subjects, 1);
  EXPECT_EQ(counts.events, 1);
  EXPECT_EQ(counts.rejects, 1);
  ASSERT_TRUE(w->Commit());
}
}  // namespace
}  // namespace vigil
