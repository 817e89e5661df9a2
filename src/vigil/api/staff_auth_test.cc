// The console's proofs: RFC 6238's own vectors for TOTP, Argon2id
// passwords, the lockout, and sessions that cannot be forged, stretched or
// carried into another session's forms.
#include "vigil/api/staff_auth.h"

#include <gtest/gtest.h>

#include "vigil/core/time_format.h"

namespace vigil::api::staff {
namespace {

const Timestamp kNow = *ParseRfc3339("2026-11-22T12:00:00Z");

notify::ContactVault Vault(unsigned char fill = 7) {
  std::array<unsigned char, 32> key{};
  key.fill(fill);
  return *notify::ContactVault::Create(key);
}

TEST(TotpTest, MatchesRfc6238AppendixB) {
  // SHA-1 rows of RFC 6238 Appendix B: the seed is the ASCII string below,
  // codes are 8 digits.
  const std::string seed = "12345678901234567890";
  const std::pair<int64_t, const char*> rows[] = {
      {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
      {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"}};
  for (const auto& [t, code] : rows) EXPECT_EQ(TotpCode(seed, t, 8), code) << t;
  EXPECT_EQ(TotpCode(seed, 59), "287082");  // 6 digits: the last six
}

TEST(TotpTest, AcceptsOneStepOfDriftAndNoMore) {
  const std::string secret = NewTotpSecret();
  const int64_t t = ToUnixMicros(kNow) / 1000000;
  EXPECT_TRUE(TotpMatches(secret, TotpCode(secret, t), kNow));
  EXPECT_TRUE(TotpMatches(secret, TotpCode(secret, t - 30), kNow));
  EXPECT_TRUE(TotpMatches(secret, TotpCode(secret, t + 30), kNow));
  EXPECT_FALSE(TotpMatches(secret, TotpCode(secret, t - 90), kNow));
  EXPECT_FALSE(TotpMatches(secret, "", kNow));
  EXPECT_FALSE(TotpMatches(secret, "12345", kNow));
  // A code is good once: not at or before the step of the last that signed in.
  const int64_t step = t / 30;
  EXPECT_EQ(TotpStep(secret, TotpCode(secret, t), kNow, step - 1), step);
  EXPECT_EQ(TotpStep(secret, TotpCode(secret, t), kNow, step), std::nullopt);
  EXPECT_EQ(TotpStep(secret, TotpCode(secret, t + 30), kNow, step), step + 1);
  EXPECT_EQ(TotpStep(secret, TotpCode(secret, t - 30), kNow, step), std::nullopt);
}

TEST(TotpTest, Base32AndUriAreWhatAuthenticatorsRead) {
  EXPECT_EQ(Base32("12345678901234567890"), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
  EXPECT_EQ(Base32("f"), "MY");  // RFC 4648 §10, without padding
  EXPECT_EQ(Base32("foobar"), "MZXW6YTBOI");
  EXPECT_EQ(TotpUri("vigil", "ana", "12345678901234567890"),
            "otpauth://totp/vigil:ana?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=vigil"
            "&algorithm=SHA1&digits=6&period=30");
}

TEST(PasswordTest, Argon2idRoundTripAndStrength) {
  auto hash = HashPassword("correct horse battery");
  ASSERT_TRUE(hash);
  EXPECT_TRUE(hash->starts_with("$argon2id$")) << *hash;
  EXPECT_TRUE(PasswordMatches(*hash, "correct horse battery"));
  EXPECT_FALSE(PasswordMatches(*hash, "correct horse batterY"));
  EXPECT_FALSE(PasswordMatches("", "x"));
  EXPECT_FALSE(PasswordMatches("not a hash", "x"));
  EXPECT_FALSE(CheckPasswordStrength("short", "ana"));
  EXPECT_FALSE(CheckPasswordStrength("ana-the-specialist", "ana-the-specialist"));
  EXPECT_TRUE(CheckPasswordStrength("long enough words", "ana"));
  EXPECT_FALSE(CheckAccountName("ana smith"));
  EXPECT_FALSE(CheckAccountName(""));
  EXPECT_TRUE(CheckAccountName("ana.smith-2"));
}

TEST(RoleTest, ScopesFollowTheRoles) {
  EXPECT_TRUE(Holds(Role::kSpecialist, "subjects:protect"));
  EXPECT_FALSE(Holds(Role::kSpecialist, "subjects:override"));
  EXPECT_TRUE(Holds(Role::kSupervisor, "subjects:override"));
  EXPECT_FALSE(Holds(Role::kAuditor, "subjects:protect"));
  EXPECT_TRUE(Holds(Role::kAuditor, "audit:read"));
  EXPECT_FALSE(Holds(Role::kAdvocate, "subjects:protect"));
  for (std::string_view name : kRoleNames) EXPECT_EQ(Name(*ParseRole(name)), name);
  EXPECT_FALSE(ParseRole("root"));
}

class LoginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    secret_ = NewTotpSecret();
    account_.name = "ana";
    account_.role = "specialist";
    account_.password_hash = *HashPassword("a long password");
    account_.totp_sealed = vault_.Seal(secret_);
    account_.created_at = kNow;
  }
  std::string Code(Timestamp at) { return TotpCode(secret_, ToUnixMicros(at) / 1000000); }

  notify::ContactVault vault_ = Vault();
  std::string secret_;
  StaffAccount account_;
};

TEST_F(LoginTest, NeedsPasswordAndCode) {
  EXPECT_TRUE(TryLogin(vault_, account_, "a long password", Code(kNow), kNow).ok);
  EXPECT_FALSE(TryLogin(vault_, account_, "a long password", "000000", kNow).ok);
  EXPECT_FALSE(TryLogin(vault_, account_, "wrong password!", Code(kNow), kNow).ok);
  EXPECT_FALSE(TryLogin(vault_, std::nullopt, "a long password", Code(kNow), kNow).ok);
  StaffAccount disabled = account_;
  disabled.disabled = true;
  EXPECT_FALSE(TryLogin(vault_, disabled, "a long password", Code(kNow), kNow).ok);
}

TEST_F(LoginTest, FiveFailuresLockTheAccountEvenForTheRightPassword) {
  StaffAccount a = account_;
  for (int i = 0; i < 5; ++i) {
    auto out = TryLogin(vault_, a, "wrong password!", Code(kNow), kNow);
    ASSERT_FALSE(out.ok);
    a = *out.updated;
  }
  ASSERT_TRUE(a.locked_until);
  auto locked = TryLogin(vault_, a, "a long password", Code(kNow), kNow + std::chrono::minutes(1));
  EXPECT_FALSE(locked.ok);
  EXPECT_TRUE(locked.locked);
  const Timestamp later = kNow + std::chrono::minutes(16);
  auto after = TryLogin(vault_, a, "a long password", Code(later), later);
  EXPECT_TRUE(after.ok);
  EXPECT_EQ(after.updated->failed_logins, 0);
  EXPECT_EQ(after.updated->last_login_at, later);
}

TEST(SessionTest, CookiesCannotBeForgedStretchedOrMoved) {
  const auto vault = Vault();
  const Session s{"ana.smith", 3, kNow, kNow};
  const std::string cookie = EncodeSession(vault, s);
  auto back = DecodeSession(vault, cookie, kNow + std::chrono::minutes(5));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->account, "ana.smith");
  EXPECT_EQ(back->epoch, 3);
  // Idle past the timeout, or older than a working day: refused.
  EXPECT_FALSE(DecodeSession(vault, cookie, kNow + std::chrono::minutes(16)));
  Session old{"ana.smith", 3, kNow - std::chrono::hours(13), kNow};
  EXPECT_FALSE(DecodeSession(vault, EncodeSession(vault, old), kNow));
  // Any change, or another installation's key: refused.
  std::string raised = cookie;
  raised.replace(raised.find(".3."), 3, ".4.");
  EXPECT_FALSE(DecodeSession(vault, raised, kNow));
  std::string other_name = cookie;
  other_name.replace(0, 3, "bob");
  EXPECT_FALSE(DecodeSession(vault, other_name, kNow));
  EXPECT_FALSE(DecodeSession(Vault(8), cookie, kNow));
  EXPECT_FALSE(DecodeSession(vault, "", kNow));
  EXPECT_FALSE(DecodeSession(vault, "a.b.c.d.e", kNow));
  // The CSRF token belongs to one session.
  const std::string token = CsrfToken(vault, s);
  EXPECT_TRUE(CsrfMatches(vault, s, token));
  EXPECT_FALSE(CsrfMatches(vault, Session{"ana.smith", 4, kNow, kNow}, token));
  EXPECT_FALSE(CsrfMatches(vault, Session{"bob", 3, kNow, kNow}, token));
  EXPECT_FALSE(CsrfMatches(vault, s, ""));
}

}  // namespace
}  // namespace vigil::api::staff
