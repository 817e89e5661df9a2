#include "vigil/core/key_ring.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace vigil {
namespace {

std::string Hex(const KeyRing::Key& k) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : k) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

// Golden values for the master key 00 01 02 ... 1f, computed with the
// derivations each key had before the key ring gathered them. A change here
// orphans stored data: refs handed out, sealed contacts, blind indexes.
TEST(KeyRingTest, EveryPurposeKeepsItsDerivation) {
  KeyRing::Key master;
  for (int i = 0; i < 32; ++i) master[i] = static_cast<unsigned char>(i);
  auto ring = KeyRing::Create(master);
  ASSERT_TRUE(ring);
  const std::pair<KeyPurpose, const char*> golden[] = {
      {KeyPurpose::kRefTag, "12081d66d03e3b616a777bc7d3aa95a189bea7257c101139a3f70d7819c5aace"},
      {KeyPurpose::kRefStream, "cc94845363c49b01d34d078eaf8922a8f82852bff86c004d358b7fbd22d13159"},
      {KeyPurpose::kContactSeal,
       "9432563242daccc192da3c63de2b4065519c6111d8fd2bd6ecbc8824207be0f9"},
      {KeyPurpose::kContactIndex,
       "1e50c94536896be8038ccc10d564aba8548a5e97f78a29beb2ebafdf6bb6d340"},
      {KeyPurpose::kVerificationSecret,
       "f59982482e27f58acf2ab43f452252f45180ce66590d95542c5c701be76e5183"},
      {KeyPurpose::kUnsubscribe,
       "55185688127f4589a9ae0e54b297e0d15c344d295831e73cd465afdce0fec5d4"},
      {KeyPurpose::kDeliveryReceipt,
       "b3c924720f0112e26ab9dedc230a55150dcc825a7962bf322c73344efe2ec78a"},
      {KeyPurpose::kAuditSigningSeed,
       "6aa182dd484b529bafd2d3da61f6ad9423425c1fc8b9ad752acac4d44767c059"},
      {KeyPurpose::kAuditQueryHash,
       "830c756faeb63933d9202da0436da60ffc62c83d664709023fbed47ba2a8c6d2"},
      {KeyPurpose::kFingerprint,
       "1d140321a9bf9987423f1c33e3f5d2a5f73d61034600d01b38d1b77eed427c90"},
      {KeyPurpose::kStaffSession,
       "de371634f80d65fc9c4db31c18957aa73b8c4ac8feff8225f6e77564d7f269cb"},
  };
  std::set<std::string> distinct;
  for (const auto& [purpose, hex] : golden) {
    EXPECT_EQ(Hex(ring->Derive(purpose)), hex) << Name(purpose);
    distinct.insert(Hex(ring->Derive(purpose)));
  }
  EXPECT_EQ(distinct.size(), std::size(golden));
}

TEST(KeyRingTest, AnotherMasterGivesOtherKeys) {
  KeyRing::Key a{}, b{};
  b[0] = 1;
  EXPECT_NE(KeyRing::Create(a)->Derive(KeyPurpose::kContactSeal),
            KeyRing::Create(b)->Derive(KeyPurpose::kContactSeal));
  EXPECT_NE(KeyRing::Create(a)->Derive(KeyPurpose::kRefTag),
            KeyRing::Create(b)->Derive(KeyPurpose::kRefTag));
}

}  // namespace
}  // namespace vigil
