#include "vigil/core/vocabulary.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

TEST(Vocabulary, NamesRoundTrip) {
  for (auto t : {EventType::kBooked, EventType::kTransferred, EventType::kReleased,
                 EventType::kRemoved, EventType::kEscaped, EventType::kReturned,
                 EventType::kDeceased, EventType::kUpdated, EventType::kRetracted}) {
    EXPECT_EQ(ParseEventType(Name(t)).value(), t);
  }
  for (auto b : {CustodyBasis::kCivilImmigration, CustodyBasis::kCriminalCharge,
                 CustodyBasis::kCriminalConviction}) {
    EXPECT_EQ(ParseCustodyBasis(Name(b)).value(), b);
  }
  for (auto p : {Protection::kSec1367, Protection::kAsylum, Protection::kSealed,
                 Protection::kJuvenile, Protection::kProvisional}) {
    EXPECT_EQ(ParseProtection(Name(p)).value(), p);
  }
}

TEST(Vocabulary, UnknownWordsListTheAcceptedOnes) {
  auto r = ParseCustodyBasis("criminal");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("civil_immigration"), std::string::npos);
  EXPECT_FALSE(ParseProtection("SEC1367"));
  EXPECT_FALSE(ParseEventType(""));
}

TEST(ProtectionSet, AddsRemovesAndNames) {
  ProtectionSet set;
  EXPECT_TRUE(set.empty());
  set.Add(Protection::kAsylum);
  set.Add(Protection::kSec1367);
  EXPECT_TRUE(set.Has(Protection::kAsylum));
  EXPECT_FALSE(set.Has(Protection::kSealed));
  EXPECT_EQ(set.Names(), (std::vector<std::string>{"sec1367", "asylum"}));
  set.Remove(Protection::kAsylum);
  EXPECT_EQ(set, ProtectionSet::FromBits(1));
}

TEST(ProtectionSet, UnknownBitsStillProtect) {
  ProtectionSet future = ProtectionSet::FromBits(1u << 9);
  EXPECT_FALSE(future.empty());
  EXPECT_TRUE(future.Names().empty());
}

}  // namespace
}  // namespace vigil
