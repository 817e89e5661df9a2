#include "vigil/core/custody.h"

#include <algorithm>
#include <gtest/gtest.h>

namespace vigil {
namespace {

CustodyEvent Event(const char* id, EventType type, const char* at, const char* facility) {
  CustodyEvent e;
  e.source = "ice-ero";
  e.event_id = id;
  e.type = type;
  e.occurred_at = *ParseRfc3339(at);
  SubjectRecord s;
  s.a_number = *ANumber::Parse("012345678");
  s.given_names = "María";
  s.family_names = "García López";
  s.country_of_birth = "MX";
  e.subject = s;
  e.facility_id = facility;
  e.custody_basis = CustodyBasis::kCivilImmigration;
  return e;
}

TEST(Custody, FoldIsIndependentOfDeliveryOrder) {
  std::vector<CustodyEvent> events = {
      Event("E1", EventType::kBooked, "2026-01-01T00:00:00Z", "ADL"),
      Event("E2", EventType::kTransferred, "2026-02-01T00:00:00Z", "OTR"),
      Event("E3", EventType::kReleased, "2026-03-01T00:00:00Z", ""),
  };
  Subject base;
  base.a_number = *ANumber::Parse("012345678");
  Subject in_order = FoldCustody(events, base);
  EXPECT_EQ(in_order.custody_status, CustodyStatus::kReleased);
  EXPECT_EQ(in_order.facility_id, "OTR");
  EXPECT_EQ(in_order.released_at, ParseRfc3339("2026-03-01T00:00:00Z").value());
  std::sort(events.begin(), events.end(),
            [](const auto& a, const auto& b) { return a.event_id > b.event_id; });
  do {
    EXPECT_EQ(FoldCustody(events, base), in_order);
  } while (std::next_permutation(events.begin(), events.end(), [](const auto& a, const auto& b) {
    return a.event_id < b.event_id;
  }));
}

TEST(Custody, ProtectionsAccumulateAndReturnClearsRelease) {
  Subject s;
  auto booked = Event("E1", EventType::kBooked, "2026-01-01T00:00:00Z", "ADL");
  booked.protections.Add(Protection::kAsylum);
  ApplyEvent(booked, s);
  auto escaped = Event("E2", EventType::kEscaped, "2026-01-02T00:00:00Z", "");
  ApplyEvent(escaped, s);
  EXPECT_EQ(s.custody_status, CustodyStatus::kEscaped);
  EXPECT_TRUE(s.released_at.has_value());
  auto returned = Event("E3", EventType::kReturned, "2026-01-03T00:00:00Z", "ADL");
  ApplyEvent(returned, s);
  EXPECT_EQ(s.custody_status, CustodyStatus::kInCustody);
  EXPECT_FALSE(s.released_at.has_value());
  EXPECT_TRUE(s.protections.Has(Protection::kAsylum)) << "an event without protections cleared one";
}

TEST(Custody, TiesBreakBySourceThenEventId) {
  auto a = Event("E1", EventType::kReleased, "2026-01-01T00:00:00Z", "");
  auto b = Event("E2", EventType::kBooked, "2026-01-01T00:00:00Z", "ADL");
  EXPECT_TRUE(FoldsBefore(a, b));
  EXPECT_EQ(FoldCustody({a, b}, Subject{}), FoldCustody({b, a}, Subject{}));
  EXPECT_EQ(FoldCustody({b, a}, Subject{}).custody_status, CustodyStatus::kInCustody);
}

}  // namespace
}  // namespace vigil
