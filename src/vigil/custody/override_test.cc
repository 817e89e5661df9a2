#include "vigil/custody/override.h"

#include <gtest/gtest.h>

namespace vigil::custody {
namespace {

Timestamp T(const char* text) { return *ParseRfc3339(text); }
const Timestamp kNow = T("2026-11-22T12:00:00Z");

Subject InCustodyAt(const char* facility) {
  Subject s;
  s.custody_status = CustodyStatus::kInCustody;
  s.facility_id = facility;
  s.custody_basis = CustodyBasis::kCivilImmigration;
  s.last_event_at = T("2026-11-20T00:00:00Z");
  return s;
}

TEST(OverrideTest, TheEventTypeFollowsFromWhereThePersonIsAndWhereTheyGo) {
  const Timestamp at = T("2026-11-21T00:00:00Z");
  EXPECT_EQ(*PlanOverride(InCustodyAt("ADL"), {CustodyStatus::kInCustody, at, "OTR"}),
            EventType::kTransferred);
  Subject escaped = InCustodyAt("");
  escaped.custody_status = CustodyStatus::kEscaped;
  EXPECT_EQ(*PlanOverride(escaped, {CustodyStatus::kInCustody, at, "ADL"}), EventType::kReturned);
  Subject released = InCustodyAt("");
  released.custody_status = CustodyStatus::kReleased;
  EXPECT_EQ(*PlanOverride(released, {CustodyStatus::kInCustody, at, "ADL"}), EventType::kBooked);
  EXPECT_EQ(*PlanOverride(InCustodyAt("ADL"), {CustodyStatus::kReleased, at, ""}),
            EventType::kReleased);
  EXPECT_EQ(*PlanOverride(InCustodyAt("ADL"), {CustodyStatus::kRemoved, at, ""}),
            EventType::kRemoved);
  EXPECT_EQ(*PlanOverride(InCustodyAt("ADL"), {CustodyStatus::kEscaped, at, ""}),
            EventType::kEscaped);
  EXPECT_EQ(*PlanOverride(InCustodyAt("ADL"), {CustodyStatus::kDeceased, at, ""}),
            EventType::kDeceased);
}

TEST(OverrideTest, ARequestWrongInItselfIsRefusedNamingTheField) {
  auto refused = [](const OverrideRequest& r) {
    auto ok = CheckOverride(r, kNow);
    EXPECT_FALSE(ok);
    EXPECT_EQ(ok.error().code(), ErrorCode::kInvalidArgument);
    return ok.error().message();
  };
  EXPECT_EQ(refused({CustodyStatus::kReleased, kNow + std::chrono::minutes(6), ""})
                .rfind("effective_at:", 0),
            0u);
  EXPECT_EQ(refused({CustodyStatus::kInCustody, kNow, ""}).rfind("facility_id: required", 0), 0u);
  EXPECT_EQ(refused({CustodyStatus::kReleased, kNow, "ADL"}).rfind("facility_id: only", 0), 0u);
  EXPECT_TRUE(CheckOverride({CustodyStatus::kReleased, kNow + std::chrono::minutes(4), ""}, kNow))
      << "a few minutes of clock skew are allowed";
}

TEST(OverrideTest, APersonsStateRefusesStaleRepeatedAndBaselessOverrides) {
  auto conflict = [](const Subject& s, const OverrideRequest& r) {
    auto type = PlanOverride(s, r);
    EXPECT_FALSE(type);
    EXPECT_EQ(type.error().code(), ErrorCode::kConflict);
    return type.error().message();
  };
  const Timestamp at = T("2026-11-21T00:00:00Z");
  Subject no_basis = InCustodyAt("ADL");
  no_basis.custody_basis.reset();
  EXPECT_NE(conflict(no_basis, {CustodyStatus::kReleased, at, ""}).find("custody basis"),
            std::string::npos);
  EXPECT_NE(conflict(InCustodyAt("ADL"), {CustodyStatus::kReleased, T("2026-11-20T00:00:00Z"), ""})
                .find("retract that event"),
            std::string::npos);
  EXPECT_NE(conflict(InCustodyAt("ADL"), {CustodyStatus::kInCustody, at, "ADL"}).find("already"),
            std::string::npos);
}

}  // namespace
}  // namespace vigil::custody
