#include "vigil/audit/audit_log.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>

#include "vigil/store/fault_injecting_store.h"
#include "vigil/testing/temp_dir.h"

namespace vigil::audit {
namespace {

const Timestamp kNow = *ParseRfc3339("2026-12-02T12:00:00Z");

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::array<unsigned char, 32> key{};
    key.fill(11);
    log_ = std::make_unique<AuditLog>(std::move(*AuditLog::Create(key)));
  }

  // A fresh log of 20 entries, checkpointed after 10 and after 20.
  std::string MakeLog(const std::string& name) {
    std::string path = dir_.File(name);
    auto store = OpenStore("sqlite:" + path);
    EXPECT_TRUE(store);
    for (int batch = 0; batch < 2; ++batch) {
      auto txn = (*store)->BeginWrite();
      for (int i = 0; i < 10; ++i) {
        AuditRecord r{i % 2 ? "search" : "protection", i % 2 ? "public" : "api:privacy-office",
                      i % 2 ? std::nullopt : std::optional<int64_t>(i),
                      "entry " + std::to_string(batch * 10 + i + 1)};
        EXPECT_TRUE(log_->Append(**txn, r, kNow + std::chrono::seconds(batch * 10 + i)));
      }
      EXPECT_TRUE(log_->Checkpoint(**txn, kNow)->has_value());
      EXPECT_FALSE(log_->Checkpoint(**txn, kNow)->has_value()) << "nothing new to sign";
      EXPECT_TRUE((*txn)->Commit());
    }
    return path;
  }

  void Tamper(const std::string& path, const char* sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    ASSERT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &error), SQLITE_OK) << error;
    sqlite3_close(db);
  }

  VerifyReport Check(const std::string& path) {
    auto store = OpenStore("sqlite:" + path);
    auto report = Verify(**store, log_->public_key());
    EXPECT_TRUE(report) << report.error().message();
    return *report;
  }

  testutil::TempDir dir_;
  std::unique_ptr<AuditLog> log_;
};

TEST_F(AuditLogTest, ACleanLogVerifies) {
  auto report = Check(MakeLog("clean.db"));
  EXPECT_TRUE(report.intact) << report.problem;
  EXPECT_EQ(report.entries, 20);
  EXPECT_EQ(report.checkpoints, 2);
}

TEST_F(AuditLogTest, EveryKindOfTamperingIsCaughtAndTheEntryNamed) {
  struct Case {
    const char* name;
    const char* sql;
    int64_t bad_seq;
    const char* problem;
  };
  for (const Case& c : {
           Case{"edit", "UPDATE audit_log SET detail = 'nothing to see' WHERE seq = 7", 7,
                "entry 7 was altered"},
           Case{"edit-actor", "UPDATE audit_log SET actor = 'system' WHERE seq = 14", 14,
                "entry 14 was altered"},
           Case{"delete", "DELETE FROM audit_log WHERE seq = 9", 9, "entry 9 is missing"},
           Case{"reorder",
                "UPDATE audit_log SET seq = -4 WHERE seq = 4; "
                "UPDATE audit_log SET seq = 4 WHERE seq = 5; "
                "UPDATE audit_log SET seq = 5 WHERE seq = -4",
                4, "entry 4 does not follow entry 3"},
           Case{"truncate", "DELETE FROM audit_log WHERE seq > 17", 20,
                "entries up to 20 were signed, but the log ends at entry 17"},
           Case{"forged-checkpoint",
                "UPDATE audit_checkpoints SET signature = zeroblob(64) WHERE seq = 10", 10,
                "the checkpoint at entry 10 is not signed"},
       }) {
    std::string path = MakeLog(std::string(c.name) + ".db");
    Tamper(path, c.sql);
    auto report = Check(path);
    EXPECT_FALSE(report.intact) << c.name;
    EXPECT_EQ(report.bad_seq, c.bad_seq) << c.name << ": " << report.problem;
    EXPECT_NE(report.problem.find(c.problem), std::string::npos) << c.name << ": " << report.problem;
  }
}

// Someone who can write the table and knows the hash function, but not the
// server's key, rewrites entries 12 to 20 with a consistent chain: the
// checkpoint still catches it.
TEST_F(AuditLogTest, AConsistentRewriteIsCaughtByTheSignedCheckpoint) {
  std::string path = MakeLog("rewrite.db");
  {
    auto store = OpenStore("sqlite:" + path);
    auto reader = (*store)->BeginRead();
    auto entries = *(*reader)->audit().AuditEntriesAfter(0, 100);
    reader = decltype(reader)();
    std::string prev = entries[10].hash;  // entry 11
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    for (size_t i = 11; i < entries.size(); ++i) {
      AuditEntry e = entries[i];
      e.detail = "rewritten";
      e.prev_hash = prev;
      e.hash = AuditLog::EntryHash(e);
      prev = e.hash;
      sqlite3_stmt* stmt = nullptr;
      sqlite3_prepare_v2(db, "UPDATE audit_log SET detail = ?1, prev_hash = ?2, hash = ?3 WHERE seq = ?4",
                         -1, &stmt, nullptr);
      sqlite3_bind_text(stmt, 1, e.detail.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_blob(stmt, 2, e.prev_hash.data(), 32, SQLITE_TRANSIENT);
      sqlite3_bind_blob(stmt, 3, e.hash.data(), 32, SQLITE_TRANSIENT);
      sqlite3_bind_int64(stmt, 4, e.seq);
      ASSERT_EQ(sqlite3_step(stmt), SQLITE_DONE);
      sqlite3_finalize(stmt);
    }
    sqlite3_close(db);
  }
  auto report = Check(path);
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.bad_seq, 11);
  EXPECT_NE(report.problem.find("entries 11 to 20 were rewritten"), std::string::npos)
      << report.problem;
}

TEST_F(AuditLogTest, QueryHashesAreKeyedAndStable) {
  EXPECT_EQ(log_->QueryHash("a_number=012345678&country=MX"),
            log_->QueryHash("a_number=012345678&country=MX"));
  EXPECT_NE(log_->QueryHash("a_number=012345678&country=MX"),
            log_->QueryHash("a_number=012345679&country=MX"));
  std::array<unsigned char, 32> other{};
  auto other_log = AuditLog::Create(other);
  EXPECT_NE(other_log->QueryHash("x"), log_->QueryHash("x"));
  EXPECT_EQ(log_->QueryHash("x").size(), 32u);
}

TEST_F(AuditLogTest, TheWriterBatchesAndCheckpoints) {
  auto store = OpenStore("sqlite:" + dir_.File("writer.db"));
  ManualClock clock(kNow);
  AuditWriter writer(store->get(), log_.get(), &clock);
  for (int i = 0; i < 500; ++i) writer.Record({"search", "public", std::nullopt, "q"});
  writer.Flush();
  auto report = Verify(**store, log_->public_key());
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->intact) << report->problem;
  EXPECT_EQ(report->entries, 500);
  EXPECT_GE(report->checkpoints, 1);
  EXPECT_EQ(writer.dropped(), 0);
}

// A batch is chained exactly as the same records appended one by one, and
// the newest entry is read once for it, not once a record.
TEST_F(AuditLogTest, ABatchChainsAsOneByOneWithOneRead) {
  std::deque<AuditRecord> records;
  for (int i = 0; i < 7; ++i) {
    records.push_back({"search", "public", i % 2 ? std::optional<int64_t>(i) : std::nullopt,
                       "q" + std::to_string(i)});
  }
  auto write = [&](const std::string& name, bool batch) {
    auto inner = OpenStore("sqlite:" + dir_.File(name));
    EXPECT_TRUE(inner);
    auto store = std::make_unique<FaultInjectingStore>(std::move(*inner));
    for (int round = 0; round < 2; ++round) {  // the second follows the first
      auto txn = store->BeginWrite();
      EXPECT_TRUE(txn);
      const int64_t reads = store->plan().Calls("LastAuditEntry");
      if (batch) {
        EXPECT_TRUE(log_->AppendAll(**txn, records, kNow));
        EXPECT_EQ(store->plan().Calls("LastAuditEntry") - reads, 1);
      } else {
        for (const AuditRecord& r : records) EXPECT_TRUE(log_->Append(**txn, r, kNow));
      }
      EXPECT_TRUE(log_->Checkpoint(**txn, kNow));
      EXPECT_TRUE((*txn)->Commit());
    }
    auto r = store->BeginRead();
    auto entries = (*r)->audit().AuditEntriesAfter(0, 100);
    EXPECT_TRUE(entries);
    return *entries;
  };
  auto batched = write("batch.db", true), single = write("single.db", false);
  ASSERT_EQ(batched.size(), 14u);
  EXPECT_EQ(batched, single);
  auto store = OpenStore("sqlite:" + dir_.File("batch.db"));
  auto report = Verify(**store, log_->public_key());
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->intact) << report->problem;
  EXPECT_EQ(report->entries, 14);
}

// The attack a database alone cannot catch: cut entries off the end of the
// log AND delete the checkpoints that covered them. The log that remains is
// a consistent, signed prefix; only the witness, written outside the
// database as each checkpoint was made, knows it once went further.
TEST_F(AuditLogTest, TruncationWithTheCheckpointsDeletedIsCaughtByTheWitness) {
  const std::string path = dir_.File("witnessed.db");
  const std::string witness_dir = dir_.File("witness");
  {
    auto store = OpenStore("sqlite:" + path);
    auto witness = OpenWitness("file:" + witness_dir);
    ASSERT_TRUE(witness) << witness.error().message();
    ManualClock clock(kNow);
    AuditWriter writer(store->get(), log_.get(), &clock,
                       {.witness = witness->get(), .witness_interval = std::chrono::milliseconds(0)});
    for (int batch = 0; batch < 3; ++batch) {
      for (int i = 0; i < 10; ++i) writer.Record({"search", "public", std::nullopt, "q"});
      writer.Flush();
      clock.Advance(std::chrono::seconds(1));
    }
    writer.Stop();
  }
  auto witnessed = ReadWitness("file:" + witness_dir);
  ASSERT_TRUE(witnessed) << witnessed.error().message();
  ASSERT_GE(witnessed->size(), 3u);
  EXPECT_EQ(witnessed->back().seq, 30);
  auto check = [&](const std::string& db) {
    auto store = OpenStore("sqlite:" + db);
    auto with = Verify(**store, log_->public_key(), &*witnessed);
    EXPECT_TRUE(with) << with.error().message();
    auto without = Verify(**store, log_->public_key());
    EXPECT_TRUE(without);
    return std::pair(*with, *without);
  };
  {
    auto [with, without] = check(path);
    EXPECT_TRUE(with.intact) << with.problem;
    EXPECT_EQ(with.witnessed, static_cast<int64_t>(witnessed->size()));
    ASSERT_TRUE(with.last_witnessed);
    EXPECT_EQ(with.last_witnessed->seq, 30);
  }
  // Truncate the tail and delete the checkpoints past what is left.
  std::filesystem::copy_file(path, dir_.File("cut.db"));
  Tamper(dir_.File("cut.db"),
         "DELETE FROM audit_log WHERE seq > 20; DELETE FROM audit_checkpoints WHERE seq > 20;");
  {
    auto [with, without] = check(dir_.File("cut.db"));
    EXPECT_TRUE(without.intact) << "the database alone cannot tell: " << without.problem;
    EXPECT_FALSE(with.intact);
    // The first witnessed checkpoint past the cut: 30, or an earlier one
    // when the writer took the third batch's first entry on its own.
    int64_t first_past = 0;
    for (const AuditCheckpoint& c : *witnessed) {
      if (c.seq > 20) {
        first_past = c.seq;
        break;
      }
    }
    EXPECT_NE(with.problem.find("the log ends at entry 20, before the witnessed checkpoint at "
                                "entry " +
                                std::to_string(first_past)),
              std::string::npos)
        << with.problem;
    EXPECT_NE(with.problem.find("the last witnessed checkpoint is at entry 30"), std::string::npos)
        << with.problem;
  }
  // Delete a witnessed checkpoint, the entries all still there.
  std::filesystem::copy_file(path, dir_.File("gone.db"));
  Tamper(dir_.File("gone.db"), "DELETE FROM audit_checkpoints WHERE seq = 20;");
  {
    auto [with, without] = check(dir_.File("gone.db"));
    EXPECT_TRUE(without.intact) << without.problem;
    EXPECT_FALSE(with.intact);
    EXPECT_EQ(with.bad_seq, 20);
    EXPECT_NE(with.problem.find("the witnessed checkpoint at entry 20"), std::string::npos)
        << with.problem;
    EXPECT_NE(with.problem.find("missing from the database"), std::string::npos);
  }
  // A witness line not signed with this server's key proves nothing, and is said so.
  std::vector<AuditCheckpoint> forged = *witnessed;
  forged.back().signature.assign(64, '\0');
  auto store = OpenStore("sqlite:" + path);
  auto report = Verify(**store, log_->public_key(), &forged);
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->intact);
  EXPECT_NE(report->problem.find("is not signed by this server's key"), std::string::npos);
}

TEST_F(AuditLogTest, WitnessLinesRoundTripAndBadOnesAreRefusedWithTheirLine) {
  AuditCheckpoint c{42, kNow, std::string(32, '\x5a'), std::string(64, '\x01')};
  std::string line = WitnessLine(c);
  EXPECT_EQ(line.rfind("vigil-audit-checkpoint v1 42 2026-12-02T12:00:00Z 5a5a", 0), 0u) << line;
  std::string file = dir_.File("w.log");
  std::ofstream(file) << line << "\n" << line << "\n";
  auto read = ReadWitness(file);
  ASSERT_TRUE(read) << read.error().message();
  ASSERT_EQ(read->size(), 2u);
  EXPECT_EQ(read->front(), c);
  std::ofstream(file) << line << "\nvigil-audit-checkpoint v1 x y z w\n";
  auto bad = ReadWitness(file);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("w.log:2:"), std::string::npos) << bad.error().message();
  EXPECT_EQ(ReadWitness(dir_.File("none")).error().code(), ErrorCode::kNotFound);
  EXPECT_FALSE(OpenWitness("ftp://x"));
  EXPECT_FALSE(OpenWitness("/var/lib/vigil"));
}

}  // namespace
}  // namespace vigil::audit
