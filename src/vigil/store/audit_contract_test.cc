#include "vigil/store/store_contract_test.h"

namespace vigil {
namespace {

using namespace contract;  // NOLINT: the suites' shared fixtures

TEST_P(AuditContractTest, TheNewestAuditCheckpointIsFoundWithoutReadingAll) {
  {
    auto r = store_->BeginRead();
    auto none = (*r)->audit().LastAuditCheckpointSeq();
    ASSERT_TRUE(none);
    EXPECT_FALSE(*none);
  }
  auto w = store_->BeginWrite();
  for (int64_t seq : {9, 5, 12}) {
    ASSERT_TRUE((*w)->audit().InsertAuditCheckpoint({seq, T("2026-11-01T00:00:00Z"), "h", "s"}));
  }
  ASSERT_TRUE((*w)->Commit());
  auto r = store_->BeginRead();
  auto last = (*r)->audit().LastAuditCheckpointSeq();
  ASSERT_TRUE(last && *last);
  EXPECT_EQ(**last, 12);
  EXPECT_EQ((*r)->audit().AuditCheckpoints()->size(), 3u);
}

TEST_P(AuditContractTest, EntriesAppendInSeqOrderAndATakenSeqConflicts) {
  auto entry = [](int64_t seq, std::optional<int64_t> subject) {
    return AuditEntry{seq,
                      T("2026-11-22T12:00:00Z"),
                      "search",
                      "public",
                      subject,
                      "q=hash",
                      std::string(32, static_cast<char>(seq - 1)),
                      std::string(32, static_cast<char>(seq))};
  };
  {
    auto r = Read();
    EXPECT_FALSE(r->audit().LastAuditEntry()->has_value());
  }
  auto w = Write();
  ASSERT_TRUE(w->audit().AppendAuditEntry(entry(1, std::nullopt)));
  ASSERT_TRUE(w->audit().AppendAuditEntry(entry(2, 42)));
  auto taken = w->audit().AppendAuditEntry(entry(2, 43));
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().code(), ErrorCode::kConflict);
  ASSERT_TRUE(w->audit().AppendAuditEntry(entry(3, std::nullopt)));
  ASSERT_TRUE(w->Commit());
  auto r = Read();
  EXPECT_EQ(r->audit().LastAuditEntry()->value(), entry(3, std::nullopt));
  EXPECT_EQ(
      *r->audit().AuditEntriesAfter(0, 10),
      (std::vector<AuditEntry>{entry(1, std::nullopt), entry(2, 42), entry(3, std::nullopt)}));
  EXPECT_EQ(*r->audit().AuditEntriesAfter(1, 1), (std::vector<AuditEntry>{entry(2, 42)}));
  EXPECT_TRUE(r->audit().AuditEntriesAfter(3, 10)->empty());
  r.reset();
  w.reset();  // it holds the write lock until it ends

  // A batch: all of it in order, or kConflict when a seq in it is taken
  // (that transaction is then rolled back).
  {
    auto clash = Write();
    auto taken_in_batch =
        clash->audit().AppendAuditEntries(std::vector<AuditEntry>{entry(4, 7), entry(3, 8)});
    ASSERT_FALSE(taken_in_batch);
    EXPECT_EQ(taken_in_batch.error().code(), ErrorCode::kConflict);
  }
  {
    auto batch = Write();
    ASSERT_TRUE(batch->audit().AppendAuditEntries(std::vector<AuditEntry>{}));
    ASSERT_TRUE(batch->audit().AppendAuditEntries(
        std::vector<AuditEntry>{entry(4, 7), entry(5, std::nullopt)}));
    ASSERT_TRUE(batch->Commit());
  }
  EXPECT_EQ(*Read()->audit().AuditEntriesAfter(3, 10),
            (std::vector<AuditEntry>{entry(4, 7), entry(5, std::nullopt)}));
}
}  // namespace
}  // namespace vigil
