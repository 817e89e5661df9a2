#include "vigil/notify/contact_vault.h"

#include <gtest/gtest.h>

namespace vigil::notify {
namespace {

std::array<unsigned char, 32> Key(unsigned char fill) {
  std::array<unsigned char, 32> k{};
  k.fill(fill);
  return k;
}

TEST(ContactVault, SealsWithAFreshNonceAndOpensOnlyWithItsKey) {
  auto vault = ContactVault::Create(Key(1));
  auto other = ContactVault::Create(Key(2));
  ASSERT_TRUE(vault && other);
  std::string a = vault->Seal("victim@example.org");
  std::string b = vault->Seal("victim@example.org");
  EXPECT_NE(a, b);  // equal contacts do not look equal at rest
  EXPECT_EQ(a.find("victim"), std::string::npos);
  EXPECT_EQ(vault->Open(a).value(), "victim@example.org");
  EXPECT_FALSE(other->Open(a));
  std::string tampered = a;
  tampered.back() ^= 1;
  EXPECT_FALSE(vault->Open(tampered));
  EXPECT_FALSE(vault->Open("short"));
}

TEST(ContactVault, BlindIndexIsKeyedAndPerChannel) {
  auto vault = ContactVault::Create(Key(1));
  auto other = ContactVault::Create(Key(2));
  EXPECT_EQ(vault->BlindIndex(DeliveryChannel::kEmail, "a@example.org"),
            vault->BlindIndex(DeliveryChannel::kEmail, "a@example.org"));
  EXPECT_NE(vault->BlindIndex(DeliveryChannel::kEmail, "a@example.org"),
            other->BlindIndex(DeliveryChannel::kEmail, "a@example.org"));
  EXPECT_NE(vault->BlindIndex(DeliveryChannel::kSms, "+15555550100"),
            vault->BlindIndex(DeliveryChannel::kVoice, "+15555550100"));
  EXPECT_EQ(vault->BlindIndex(DeliveryChannel::kEmail, "x").size(), 32u);
}

TEST(ContactVault, UnsubscribeTokensCannotBeForged) {
  auto vault = ContactVault::Create(Key(1));
  auto other = ContactVault::Create(Key(2));
  std::string token = vault->UnsubscribeToken(42);
  EXPECT_EQ(vault->CheckUnsubscribeToken(token).value(), 42);
  EXPECT_FALSE(other->CheckUnsubscribeToken(token));
  std::string forged = "43" + token.substr(2);
  EXPECT_FALSE(vault->CheckUnsubscribeToken(forged));
  EXPECT_FALSE(vault->CheckUnsubscribeToken(""));
  EXPECT_FALSE(vault->CheckUnsubscribeToken("42"));
  EXPECT_FALSE(vault->CheckUnsubscribeToken("x.y"));
}

TEST(NormalizeEmail, AcceptsAddressesAndRefusesWhatIsNot) {
  EXPECT_EQ(NormalizeEmail("  Ana.Perez@Example.ORG \n").value(), "Ana.Perez@example.org");
  for (const char* bad :
       {"", "ana", "@example.org", "ana@", "ana@localhost", "a b@example.org",
        "ana@example.org\r\nBcc: x@y.z", "<ana@example.org>", "ana@.org", "ana@example..org"}) {
    EXPECT_FALSE(NormalizeEmail(bad)) << bad;
  }
  EXPECT_FALSE(NormalizeEmail(std::string(250, 'a') + "@example.org"));
}

}  // namespace
}  // namespace vigil::notify
