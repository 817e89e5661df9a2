#include "vigil/custody/override.h"

#include <gtest/gtest.h>

#include "vigil/core/json_document.h"

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

// The line is a valid feed line for the very person, read back by the
// one JSON reader, names with quotes and non-ASCII letters intact.
TEST(OverrideTest, TheFeedLineRecordsThePersonAsStoredAndTheOverride) {
  Subject s = InCustodyAt("ADL");
  s.a_number = *ANumber::Parse("012345678");
  s.given_names = "José \"Pepe\"";
  s.family_names = "Núñez";
  s.aliases = {"Pepe Núñez", "J. Núñez"};
  s.date_of_birth = *ParsePartialDate("1990-04");
  s.country_of_birth = "GT";
  const OverrideRequest r{CustodyStatus::kInCustody, T("2026-11-21T00:00:00Z"), "OTR"};
  const std::string line =
      OverrideFeedLine(s, r, EventType::kTransferred, "vigil-override", "ovr-1");
  JsonDocument doc;
  ASSERT_TRUE(doc.Parse(line)) << line;
  auto at = [](const JsonDocument::Value& v, std::string_view key) -> const JsonDocument::Value& {
    const JsonDocument::Value* found = v.Find(key);
    EXPECT_NE(found, nullptr) << key;
    return *found;
  };
  const auto& root = doc.root();
  EXPECT_EQ(at(root, "source").text(), "vigil-override");
  EXPECT_EQ(at(root, "event_id").text(), "ovr-1");
  EXPECT_EQ(at(root, "type").text(), "transferred");
  EXPECT_EQ(at(root, "occurred_at").text(), "2026-11-21T00:00:00Z");
  EXPECT_EQ(at(root, "facility_id").text(), "OTR");
  EXPECT_EQ(at(root, "custody_basis").text(), "civil_immigration");
  EXPECT_EQ(at(root, "protections").size(), 0u);
  const auto& person = at(root, "subject");
  EXPECT_EQ(at(person, "a_number").text(), "012345678");
  EXPECT_EQ(at(person, "given_names").text(), "José \"Pepe\"");
  EXPECT_EQ(at(person, "aliases").size(), 2u);
  EXPECT_EQ(at(person, "date_of_birth").text(), "1990-04");
  const std::string released = OverrideFeedLine(s, {CustodyStatus::kReleased, r.effective_at, ""},
                                                EventType::kReleased, "vigil-override", "ovr-2");
  ASSERT_TRUE(doc.Parse(released));
  EXPECT_EQ(doc.root().Find("facility_id"), nullptr);
}

}  // namespace
}  // namespace vigil::custody
