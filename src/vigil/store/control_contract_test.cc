#include "vigil/store/store_contract_test.h"

namespace vigil {
namespace {

using namespace contract;  // NOLINT: the suites' shared fixtures

TEST_P(ControlContractTest, SuppressedMatchesAreKeptPerSubject) {
  auto w = store_->BeginWrite();
  ASSERT_TRUE(
      (*w)->controls().RecordSuppressedMatch({5, T("2026-11-02T00:00:00Z"), "name", "protected"}));
  ASSERT_TRUE(
      (*w)->controls().RecordSuppressedMatch({5, T("2026-11-01T00:00:00Z"), "a_number", "minor"}));
  ASSERT_TRUE(
      (*w)->controls().RecordSuppressedMatch({6, T("2026-11-01T00:00:00Z"), "name", "protected"}));
  // A batch, as the recorder writes them.
  ASSERT_TRUE((*w)->controls().RecordSuppressedMatches(
      std::vector<SuppressedMatch>{{7, T("2026-11-03T00:00:00Z"), "name", "minor"},
                                   {5, T("2026-11-04T00:00:00Z"), "name", "protected"},
                                   {7, T("2026-11-02T00:00:00Z"), "a_number", "protected"}}));
  ASSERT_TRUE((*w)->controls().RecordSuppressedMatches({}));
  ASSERT_TRUE((*w)->Commit());
  auto r = store_->BeginRead();
  auto seventh = (*r)->controls().SuppressedMatchesOf(7);
  ASSERT_TRUE(seventh);
  ASSERT_EQ(seventh->size(), 2u);
  EXPECT_EQ((*seventh)[0].sought_by, "a_number");
  EXPECT_EQ((*seventh)[1].reason, "minor");
  EXPECT_EQ((*seventh)[1].occurred_at, T("2026-11-03T00:00:00Z"));
  auto matches = (*r)->controls().SuppressedMatchesOf(5);
  ASSERT_TRUE(matches);
  ASSERT_EQ(matches->size(), 3u);
  EXPECT_EQ((*matches)[0].sought_by, "a_number");
  EXPECT_EQ((*matches)[1].reason, "protected");
}

TEST_P(ControlContractTest, ApiKeysKeepTheirScopesAndSourcesAndAreRevokedByNameOrId) {
  ApiKey feed{"00000000000000a1",
              "ice-feed",
              {"feed:write"},
              {"cbp", "ice-ero"},
              std::string(32, '\x07'),
              T("2026-11-01T00:00:00Z"),
              std::nullopt};
  ApiKey audit{"00000000000000a2",
               "audit",
               {"audit:read", "report:read"},
               {},
               std::string(32, '\x08'),
               T("2026-11-02T00:00:00Z"),
               std::nullopt};
  {
    auto w = store_->BeginWrite();
    ASSERT_TRUE((*w)->controls().InsertApiKey(feed));
    ASSERT_TRUE((*w)->controls().InsertApiKey(audit));
    ApiKey same_name = audit;
    same_name.key_id = "00000000000000a3";
    auto taken = (*w)->controls().InsertApiKey(same_name);
    ASSERT_FALSE(taken);
    EXPECT_EQ(taken.error().code(), ErrorCode::kConflict);
    ASSERT_TRUE((*w)->Commit());
  }
  {
    auto r = store_->BeginRead();
    EXPECT_EQ(**(*r)->controls().GetApiKey("00000000000000a1"), feed);
    EXPECT_EQ(**(*r)->controls().GetApiKey("00000000000000a2"), audit);
    EXPECT_FALSE(*(*r)->controls().GetApiKey("00000000000000ff"));
    EXPECT_EQ(*(*r)->controls().ListApiKeys(), (std::vector<ApiKey>{audit, feed}));  // by name
  }
  auto w = store_->BeginWrite();
  EXPECT_TRUE(*(*w)->controls().SetApiKeySources("ice-feed", {"ice-ero"}));
  EXPECT_TRUE(*(*w)->controls().SetApiKeySources("00000000000000a1", {"ice-ero", "ice-ero-2"}));
  EXPECT_FALSE(*(*w)->controls().SetApiKeySources("nobody", {"x"}));
  EXPECT_EQ((**(*w)->controls().GetApiKey("00000000000000a1")).sources,
            (std::vector<std::string>{"ice-ero", "ice-ero-2"}));
  EXPECT_TRUE(*(*w)->controls().RevokeApiKey("00000000000000a1", T("2026-11-03T00:00:00Z")));
  EXPECT_FALSE(*(*w)->controls().RevokeApiKey("ice-feed", T("2026-11-04T00:00:00Z")));
  EXPECT_FALSE(*(*w)->controls().SetApiKeySources("ice-feed", {"x"}))
      << "a revoked key changes no more";
  EXPECT_EQ((**(*w)->controls().GetApiKey("00000000000000a1")).revoked_at,
            T("2026-11-03T00:00:00Z"));
  ASSERT_TRUE((*w)->Commit());
}

TEST_P(ControlContractTest, BlocksAreSetReplacedAndLifted) {
  const Timestamp t0 = T("2026-11-22T12:00:00Z");
  auto w = Write();
  auto& controls = w->controls();
  EXPECT_FALSE(*controls.IsNotificationBlocked(5));
  EXPECT_TRUE(*controls.SetNotificationBlock(5, "court order", t0));
  EXPECT_TRUE(*controls.IsNotificationBlocked(5));
  EXPECT_FALSE(*controls.IsNotificationBlocked(6));
  EXPECT_FALSE(*controls.SetNotificationBlock(5, "another reason", t0)) << "already blocked";
  EXPECT_TRUE(*controls.IsNotificationBlocked(5));
  EXPECT_TRUE(*controls.SetNotificationBlock(5, std::nullopt, t0));
  EXPECT_FALSE(*controls.IsNotificationBlocked(5));
  EXPECT_FALSE(*controls.SetNotificationBlock(5, std::nullopt, t0)) << "nothing to lift";
  ASSERT_TRUE(w->Commit());
}

TEST_P(ControlContractTest, SuppressedMatchesAreReadInOrderAfterAnId) {
  {
    auto r = Read();
    EXPECT_EQ(*r->controls().LastSuppressedMatchId(), 0);
    EXPECT_TRUE(r->controls().SuppressedMatchesAfter(0, 10)->empty());
  }
  auto w = Write();
  for (int64_t subject : {7, 5, 7}) {
    ASSERT_TRUE(w->controls().RecordSuppressedMatch(
        {subject, T("2026-11-02T00:00:00Z"), "registration", "minor"}));
  }
  ASSERT_TRUE(w->Commit());
  auto r = Read();
  auto all = *r->controls().SuppressedMatchesAfter(0, 10);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_LT(all[0].first, all[1].first);
  EXPECT_LT(all[1].first, all[2].first);
  EXPECT_EQ(all[1].second,
            (SuppressedMatch{5, T("2026-11-02T00:00:00Z"), "registration", "minor"}));
  EXPECT_EQ(*r->controls().LastSuppressedMatchId(), all[2].first);
  auto next = *r->controls().SuppressedMatchesAfter(all[0].first, 1);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].first, all[1].first);
}
// The key fingerprint is recorded once: the same again is fine, another is
// refused, and it survives a reopen.
TEST_P(ControlContractTest, TheKeyFingerprintIsRecordedOnceAndKept) {
  {
    auto r = Read();
    auto none = r->controls().KeyFingerprint();
    ASSERT_TRUE(none) << none.error().ToString();
    EXPECT_FALSE(none->has_value());
  }
  {
    auto w = Write();
    ASSERT_TRUE(w->controls().RecordKeyFingerprint("ab12cd34"));
    EXPECT_TRUE(w->controls().RecordKeyFingerprint("ab12cd34"));
    auto other = w->controls().RecordKeyFingerprint("ffff0000");
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().code(), ErrorCode::kConflict);
    EXPECT_NE(other.error().message().find("ab12cd34"), std::string::npos);
    ASSERT_TRUE(w->Commit());
  }
  Reopen();
  auto r = Read();
  auto kept = r->controls().KeyFingerprint();
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->value_or(""), "ab12cd34");
}

TEST_P(ControlContractTest, StaffAccountsRoundTripAndNamesAreUnique) {
  StaffAccount ana{"ana",
                   "specialist",
                   "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA",
                   std::string("\x03totp\x00sealed", 12),
                   0,
                   std::nullopt,
                   0,
                   false,
                   T("2026-11-01T00:00:00Z"),
                   std::nullopt};
  StaffAccount bea = ana;
  bea.name = "bea";
  bea.role = "supervisor";
  bea.failed_logins = 3;
  bea.locked_until = T("2026-11-02T00:15:00Z");
  bea.session_epoch = 7;
  bea.disabled = true;
  bea.last_login_at = T("2026-11-02T00:00:00Z");
  bea.totp_last_step = 59'000'000;
  {
    auto w = store_->BeginWrite();
    ASSERT_TRUE((*w)->controls().InsertStaffAccount(bea));
    ASSERT_TRUE((*w)->controls().InsertStaffAccount(ana));
    auto taken = (*w)->controls().InsertStaffAccount(ana);
    ASSERT_FALSE(taken);
    EXPECT_EQ(taken.error().code(), ErrorCode::kConflict);
    ASSERT_TRUE((*w)->Commit());
  }
  {
    auto r = store_->BeginRead();
    EXPECT_EQ(**(*r)->controls().GetStaffAccount("ana"), ana);
    EXPECT_EQ(**(*r)->controls().GetStaffAccount("bea"), bea);
    EXPECT_FALSE(*(*r)->controls().GetStaffAccount("cy"));
    EXPECT_EQ(*(*r)->controls().ListStaffAccounts(), (std::vector<StaffAccount>{ana, bea}));
  }
  auto w = store_->BeginWrite();
  StaffAccount changed = ana;
  changed.role = "admin";
  changed.failed_logins = 5;
  changed.locked_until = T("2026-11-03T00:00:00Z");
  changed.session_epoch = 1;
  changed.disabled = true;
  changed.last_login_at = T("2026-11-03T00:00:00Z");
  changed.totp_last_step = 59'000'001;
  changed.created_at = T("2030-01-01T00:00:00Z");  // not replaced
  EXPECT_TRUE(*(*w)->controls().UpdateStaffAccount(changed));
  changed.created_at = ana.created_at;
  EXPECT_EQ(**(*w)->controls().GetStaffAccount("ana"), changed);
  StaffAccount nobody = ana;
  nobody.name = "nobody";
  EXPECT_FALSE(*(*w)->controls().UpdateStaffAccount(nobody));
  ASSERT_TRUE((*w)->Commit());
}

}  // namespace
}  // namespace vigil
