#include "vigil/core/custody.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

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

// docs/openapi.yaml promises updated_at moves only when something shown
// changes: the name as shown, birth year, country, status, the facility while
// held, the basis. Aliases, the day of birth, an advance release date and
// protections are not shown, and a facility is not shown once released.
TEST(Custody, PublicChangedAtMovesOnlyWhenSomethingShownChanges) {
  Subject s;
  CustodyEvent first = Event("E1", EventType::kBooked, "2026-01-01T00:00:00Z", "ADL");
  first.subject->date_of_birth = *ParsePartialDate("1990-04-12");
  ApplyEvent(first, s);
  const Timestamp booked = *ParseRfc3339("2026-01-01T00:00:00Z");
  ASSERT_EQ(s.public_changed_at, booked);
  struct Change {
    const char* what;
    void (*edit)(CustodyEvent&);
    bool moves;
  };
  const Change changes[] = {
      {"an alias", [](CustodyEvent& e) { e.subject->aliases = {"Mary"}; }, false},
      {"another alias",
       [](CustodyEvent& e) {
         e.subject->aliases = {"Mary", "Mari"};
       },
       false},
      {"the day of birth",
       [](CustodyEvent& e) { e.subject->date_of_birth = *ParsePartialDate("1990-04-13"); }, false},
      {"an advance release date",
       [](CustodyEvent& e) { e.scheduled_release = *ParseRfc3339("2026-06-01T00:00:00Z"); }, false},
      {"a protection", [](CustodyEvent& e) { e.protections.Add(Protection::kAsylum); }, false},
      {"spacing of the name", [](CustodyEvent& e) { e.subject->given_names = " María "; }, false},
      {"nothing", [](CustodyEvent&) {}, false},
      {"the birth year",
       [](CustodyEvent& e) { e.subject->date_of_birth = *ParsePartialDate("1991-04-13"); }, true},
      {"the name", [](CustodyEvent& e) { e.subject->given_names = "María José"; }, true},
      {"the country", [](CustodyEvent& e) { e.subject->country_of_birth = "GT"; }, true},
      {"the basis", [](CustodyEvent& e) { e.custody_basis = CustodyBasis::kCriminalCharge; }, true},
      {"the facility", [](CustodyEvent& e) { e.facility_id = "OTR"; }, true},
  };
  int minute = 0;
  for (const Change& c : changes) {
    char at[32];
    std::snprintf(at, sizeof at, "2026-02-01T00:%02d:00Z", ++minute);
    CustodyEvent e = Event(("U" + std::to_string(minute)).c_str(), EventType::kUpdated, at, "");
    e.subject->aliases = s.aliases;
    e.subject->date_of_birth = s.date_of_birth;
    e.subject->given_names = s.given_names;
    e.subject->country_of_birth = s.country_of_birth;
    e.custody_basis = s.custody_basis;
    e.facility_id = s.facility_id;
    const auto before = s.public_changed_at;
    c.edit(e);
    ApplyEvent(e, s);
    if (c.moves) {
      EXPECT_EQ(s.public_changed_at, *ParseRfc3339(at)) << c.what;
    } else {
      EXPECT_EQ(s.public_changed_at, before) << c.what;
    }
    EXPECT_EQ(s.last_event_at, *ParseRfc3339(at)) << c.what;
  }
  // Released: the facility is not shown, so a facility-only change is not news.
  ApplyEvent(Event("R1", EventType::kReleased, "2026-03-01T00:00:00Z", ""), s);
  EXPECT_EQ(s.public_changed_at, *ParseRfc3339("2026-03-01T00:00:00Z"));
  CustodyEvent moved = Event("U99", EventType::kUpdated, "2026-03-02T00:00:00Z", "ADL");
  moved.subject->given_names = s.given_names;
  moved.subject->country_of_birth = s.country_of_birth;
  moved.subject->date_of_birth = s.date_of_birth;
  moved.custody_basis = s.custody_basis;
  ApplyEvent(moved, s);
  EXPECT_EQ(s.public_changed_at, *ParseRfc3339("2026-03-01T00:00:00Z"));
}

// The custody episode: from the booking after a release, removal or death
// (or the first event known) through transfers, escapes and returns.
TEST(Custody, CustodySinceIsTheStartOfTheCurrentEpisode) {
  struct Step {
    EventType type;
    const char* at;
    const char* facility;
    const char* since;  // expected after the step
  };
  const std::vector<std::vector<Step>> histories = {
      {{EventType::kBooked, "2026-01-01T00:00:00Z", "ADL", "2026-01-01T00:00:00Z"},
       {EventType::kTransferred, "2026-02-01T00:00:00Z", "OTR", "2026-01-01T00:00:00Z"},
       {EventType::kEscaped, "2026-03-01T00:00:00Z", "", "2026-01-01T00:00:00Z"},
       {EventType::kReturned, "2026-03-02T00:00:00Z", "OTR", "2026-01-01T00:00:00Z"},
       {EventType::kReleased, "2026-04-01T00:00:00Z", "", "2026-01-01T00:00:00Z"},
       {EventType::kBooked, "2026-05-01T00:00:00Z", "ADL", "2026-05-01T00:00:00Z"},
       {EventType::kRemoved, "2026-06-01T00:00:00Z", "", "2026-05-01T00:00:00Z"},
       {EventType::kTransferred, "2026-07-01T00:00:00Z", "ADL", "2026-07-01T00:00:00Z"}},
      // A feed that starts mid-episode: from the first event known.
      {{EventType::kTransferred, "2026-02-01T00:00:00Z", "OTR", "2026-02-01T00:00:00Z"},
       {EventType::kReleased, "2026-04-01T00:00:00Z", "", "2026-02-01T00:00:00Z"}},
      // Nothing but updates, then the booking: the episode begins with it.
      {{EventType::kUpdated, "2026-01-01T00:00:00Z", "", "2026-01-01T00:00:00Z"},
       {EventType::kBooked, "2026-01-05T00:00:00Z", "ADL", "2026-01-05T00:00:00Z"},
       {EventType::kUpdated, "2026-01-06T00:00:00Z", "", "2026-01-05T00:00:00Z"}},
      // An escapee booked (not returned) is still in the same episode.
      {{EventType::kBooked, "2026-01-01T00:00:00Z", "ADL", "2026-01-01T00:00:00Z"},
       {EventType::kEscaped, "2026-01-02T00:00:00Z", "", "2026-01-01T00:00:00Z"},
       {EventType::kBooked, "2026-01-03T00:00:00Z", "ADL", "2026-01-01T00:00:00Z"}},
  };
  int n = 0;
  for (const auto& history : histories) {
    Subject s;
    std::vector<CustodyEvent> events;
    for (const Step& step : history) {
      events.push_back(
          Event(("E" + std::to_string(++n)).c_str(), step.type, step.at, step.facility));
      ApplyEvent(events.back(), s);
      EXPECT_EQ(s.custody_since, *ParseRfc3339(step.since)) << step.at;
    }
    // The fold of the same events, in any delivery order, agrees.
    std::reverse(events.begin(), events.end());
    EXPECT_EQ(FoldCustody(events, Subject{}).custody_since, s.custody_since);
  }
}

}  // namespace
}  // namespace vigil
