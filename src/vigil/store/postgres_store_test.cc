// Every store contract suite against PostgreSQL, in a throwaway cluster on a
// loopback port (one per test binary, one database per test), and what only
// the PostgreSQL backend does: ride out dropped connections, take a
// multi-host URL, and refuse a schema that is behind.
#include "vigil/store/postgres_store.h"

#include <libpq-fe.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "vigil/store/postgres_parts.h"
#include "vigil/store/store_contract_test.h"
#include "vigil/store/transfer.h"
#include "vigil/testing/postgres_cluster.h"

namespace vigil {
namespace {

// The cluster, started once for the whole binary and stopped at exit.
class PostgresEnvironment : public ::testing::Environment {
 public:
  static PostgresEnvironment* instance;

  void SetUp() override {
    cluster_ = std::make_unique<testutil::ThrowawayCluster>();
    cluster_->AddSettings("max_connections = 60\n");
    error_ = cluster_->Start();
  }
  void TearDown() override { cluster_.reset(); }

  const std::string& error() const { return error_; }
  int port() const { return cluster_->port(); }

  // Runs `sql` as the superuser in the postgres database; "" or the error.
  std::string Admin(const std::string& sql, const std::string& db = "postgres") {
    PGconn* conn = PQconnectdb(
        ("host=127.0.0.1 port=" + std::to_string(port()) + " user=postgres dbname=" + db).c_str());
    std::string out;
    if (PQstatus(conn) != CONNECTION_OK) {
      out = PQerrorMessage(conn);
    } else {
      PGresult* r = PQexec(conn, sql.c_str());
      if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
        out = PQresultErrorMessage(r);
      }
      PQclear(r);
    }
    PQfinish(conn);
    return out;
  }

  // The first column of every row `sql` returns, one line each; or the error.
  std::string AdminRows(const std::string& sql, const std::string& db) {
    PGconn* conn = PQconnectdb(
        ("host=127.0.0.1 port=" + std::to_string(port()) + " user=postgres dbname=" + db).c_str());
    std::string out;
    PGresult* r = PQexec(conn, sql.c_str());
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
      out = "error: " + std::string(PQresultErrorMessage(r));
    } else {
      for (int i = 0; i < PQntuples(r); ++i) out += std::string(PQgetvalue(r, i, 0)) + "\n";
    }
    PQclear(r);
    PQfinish(conn);
    return out;
  }

  // A database for `key`, created the first time it is asked for.
  std::string Url(const std::string& key) {
    const std::string db = "t" + std::to_string(std::hash<std::string>()(key) % 1000000000000);
    std::string error = Admin("CREATE DATABASE " + db);
    if (!error.empty() && error.find("already exists") == std::string::npos) return "";
    return "postgresql://postgres@127.0.0.1:" + std::to_string(port()) + "/" + db;
  }

 private:
  std::unique_ptr<testutil::ThrowawayCluster> cluster_;
  std::string error_;
};
PostgresEnvironment* PostgresEnvironment::instance =
    static_cast<PostgresEnvironment*>(::testing::AddGlobalTestEnvironment(new PostgresEnvironment));

Result<std::unique_ptr<Store>> OpenForTest(const std::string& dir) {
  auto* env = PostgresEnvironment::instance;
  if (!env->error().empty()) return Unavailable("no PostgreSQL cluster: " + env->error());
  std::string url = env->Url(dir);
  if (url.empty()) return Unavailable("cannot create a database for " + dir);
  return OpenStore(url);
}

const auto kBackends = ::testing::Values(StoreBackend{"postgresql", OpenForTest});

VIGIL_INSTANTIATE_STORE_CONTRACT(Backends, kBackends,
                                 [](const auto& info) { return info.param.name; });

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(env_->error(), "") << "could not start a PostgreSQL cluster";
    url_ = env_->Url(::testing::UnitTest::GetInstance()->current_test_info()->name());
    ASSERT_NE(url_, "");
  }

  PostgresEnvironment* env_ = PostgresEnvironment::instance;
  std::string url_;
};

// `vigil serve` does not migrate: on a database behind this binary it says
// what to run, and after `vigil migrate` (migrate = true) it opens.
TEST_F(PostgresStoreTest, ASchemaBehindIsRefusedUntilMigrated) {
  auto refused = OpenPostgresStore(url_, {.migrate = false});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::kUnavailable);
  EXPECT_NE(refused.error().message().find("run `vigil migrate`"), std::string::npos)
      << refused.error().message();
  auto version = PostgresSchemaVersion(url_);
  ASSERT_TRUE(version) << version.error().ToString();
  EXPECT_EQ(*version, 0);

  ASSERT_TRUE(OpenPostgresStore(url_, {.migrate = true}));
  EXPECT_EQ(*PostgresSchemaVersion(url_), LatestPostgresSchemaVersion());
  auto opened = OpenPostgresStore(url_, {.migrate = false});
  EXPECT_TRUE(opened) << opened.error().ToString();

  // A database from a newer vigil is refused too, as a conflict.
  const std::string db = url_.substr(url_.rfind('/') + 1);
  ASSERT_EQ(
      env_->Admin("INSERT INTO schema_migrations (version, description) VALUES (999, 'x')", db),
      "");
  auto newer = OpenPostgresStore(url_);
  ASSERT_FALSE(newer);
  EXPECT_EQ(newer.error().code(), ErrorCode::kConflict);
}

// A server that drops every connection (a restart, a failover) costs the
// transactions then in flight, not the process: the next ones reconnect.
TEST_F(PostgresStoreTest, DroppedConnectionsAreReplacedWithoutARestart) {
  auto store = OpenPostgresStore(url_);
  ASSERT_TRUE(store) << store.error().ToString();
  for (int i = 0; i < 2; ++i) {
    auto w = (*store)->BeginWrite();
    ASSERT_TRUE(w) << w.error().ToString();
    ASSERT_TRUE((*w)->custody().PutFacility(contract::Adelanto()));
    ASSERT_TRUE((*w)->Commit());
    auto r = (*store)->BeginRead();
    ASSERT_TRUE(r);
  }
  const std::string db = url_.substr(url_.rfind('/') + 1);
  ASSERT_EQ(env_->Admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" +
                        db + "' AND pid <> pg_backend_pid()"),
            "");

  auto r = (*store)->BeginRead();
  ASSERT_TRUE(r) << r.error().ToString();
  auto facility = (*r)->custody().GetFacility("ADL");
  ASSERT_TRUE(facility) << facility.error().ToString();
  EXPECT_TRUE(facility->has_value());
  auto w = (*store)->BeginWrite();
  ASSERT_TRUE(w) << w.error().ToString();
  ASSERT_TRUE((*w)->custody().PutFacility(contract::Adelanto()));
  EXPECT_TRUE((*w)->Commit());
}

// A transaction whose statement failed is not committed in part: COMMIT
// of it reports the rollback PostgreSQL did.
TEST_F(PostgresStoreTest, ACommitAfterAFailedStatementReportsTheRollback) {
  auto store = OpenPostgresStore(url_);
  ASSERT_TRUE(store) << store.error().ToString();
  auto w = (*store)->BeginWrite();
  ASSERT_TRUE(w);
  ASSERT_TRUE((*w)->custody().PutFacility(contract::Adelanto()));
  // Violates a CHECK constraint (the language), which only a bug would do.
  Registration bad =
      contract::MakeRegistration(1, "bad", RegistrationState::kActive, DeliveryChannel::kEmail);
  bad.language = "x";
  EXPECT_FALSE((*w)->registrations().InsertRegistration(bad));
  auto committed = (*w)->Commit();
  ASSERT_FALSE(committed);
  EXPECT_EQ(committed.error().code(), ErrorCode::kUnavailable);
  auto r = (*store)->BeginRead();
  ASSERT_TRUE(r);
  EXPECT_FALSE((*(*r)->custody().GetFacility("ADL")).has_value());
}

// An import into a new database asks, every transaction, whether a
// retraction waits for its event, before PostgreSQL has statistics of the
// events table. Asked as first written, the planner scanned every event
// (0.3 s a transaction at 1M events, growing with the table); it must read
// the retractions alone, through their partial index.
TEST_F(PostgresStoreTest, TheRetractionCheckReadsOnlyRetractionsWithoutStatistics) {
  auto store = OpenPostgresStore(url_);
  ASSERT_TRUE(store) << store.error().ToString();
  const std::string db = url_.substr(url_.rfind('/') + 1);
  // 100,000 events, 50 of them retracting one of the others; never analysed.
  ASSERT_EQ(env_->Admin("ALTER TABLE custody_events SET (autovacuum_enabled = false);"
                        "INSERT INTO custody_events (source, event_id, type, occurred_at, "
                        "retracts, content_hash, received_at) "
                        "SELECT 'feed', 'e' || g, 'booked', g, "
                        "CASE WHEN g % 2000 = 0 THEN 'e' || (g - 1) ELSE '' END, '\\x00', 0 "
                        "FROM generate_series(1, 100000) g",
                        db),
            "");
  const std::string plan = env_->AdminRows(
      std::string("EXPLAIN (COSTS OFF) ") + postgres_store::kUnmatchedRetractionsSql, db);
  EXPECT_NE(plan.find("custody_events_by_retracts"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("Seq Scan"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("Merge"), std::string::npos) << plan;

  // And it answers: none waits; then one whose event never came does.
  auto none = (*store)->BeginWrite();
  ASSERT_TRUE(none);
  EXPECT_EQ((*none)->custody().HasUnmatchedRetractions().value_or(true), false);
  none->reset();
  ASSERT_EQ(env_->Admin("INSERT INTO custody_events (source, event_id, type, occurred_at, "
                        "retracts, content_hash, received_at) "
                        "VALUES ('feed', 'r1', 'retracted', 1, 'never-came', '\\x00', 0)",
                        db),
            "");
  auto one = (*store)->BeginWrite();
  ASSERT_TRUE(one);
  EXPECT_EQ((*one)->custody().HasUnmatchedRetractions().value_or(false), true);
}

// A multi-host URL: libpq skips a host that does not answer and uses the
// one that takes writes.
TEST_F(PostgresStoreTest, AMultiHostUrlFindsTheWritableHost) {
  const std::string db = url_.substr(url_.rfind('/') + 1);
  const std::string url =
      "postgresql://postgres@127.0.0.1:1,127.0.0.1:" + std::to_string(env_->port()) + "/" + db +
      "?target_session_attrs=read-write&connect_timeout=5";
  auto store = OpenPostgresStore(url);
  ASSERT_TRUE(store) << store.error().ToString();
  auto w = (*store)->BeginWrite();
  ASSERT_TRUE(w) << w.error().ToString();
  ASSERT_TRUE((*w)->custody().PutFacility(contract::Adelanto()));
  EXPECT_TRUE((*w)->Commit());
}

// A server that is not there is named, without the password.
TEST_F(PostgresStoreTest, AnUnreachableServerIsNamedWithoutThePassword) {
  auto store = OpenPostgresStore("postgresql://vigil:s3cret@127.0.0.1:1/vigil?connect_timeout=2");
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code(), ErrorCode::kUnavailable);
  EXPECT_NE(store.error().message().find("127.0.0.1:1"), std::string::npos)
      << store.error().message();
  EXPECT_EQ(store.error().message().find("s3cret"), std::string::npos);
}

// What one process commits wakes the subscribers of another at once
// (LISTEN/NOTIFY, sent with the COMMIT); a rollback wakes no one; and after
// the listening connection is dropped, every subscriber is woken once when
// it is back, since changes may have been missed in between.
TEST_F(PostgresStoreTest, CommitsElsewhereWakeSubscribersAndALapseWakesThemAll) {
  auto listening = OpenPostgresStore(url_);
  ASSERT_TRUE(listening) << listening.error().ToString();
  auto writing = OpenPostgresStore(url_);
  ASSERT_TRUE(writing) << writing.error().ToString();
  std::atomic<int> subjects{0}, outbox{0};
  auto on_subjects = (*listening)->Subscribe(StoreTopic::kSubjects, [&] { ++subjects; });
  auto on_outbox = (*listening)->Subscribe(StoreTopic::kOutbox, [&] { ++outbox; });
  ASSERT_NE(on_subjects, nullptr);
  auto waits_for = [](const std::atomic<int>& n, int at_least) {
    for (int i = 0; i < 250 && n.load() < at_least; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return n.load() >= at_least;
  };
  // Connected and listening: everyone is told once.
  ASSERT_TRUE(waits_for(subjects, 1));
  ASSERT_TRUE(waits_for(outbox, 1));
  const int subjects_before = subjects.load(), outbox_before = outbox.load();

  int64_t subject_id = 0;
  {
    auto w = (*writing)->BeginWrite();
    ASSERT_TRUE(w);
    ASSERT_TRUE((*w)->custody().InsertSubject(contract::MakeSubject("012345670")));
    // Not committed: no one hears of it.
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(subjects.load(), subjects_before);
  {
    auto w = (*writing)->BeginWrite();
    ASSERT_TRUE(w);
    auto id = (*w)->custody().InsertSubject(contract::MakeSubject("012345671"));
    ASSERT_TRUE(id);
    subject_id = *id;
    ASSERT_TRUE((*w)->Commit());
  }
  EXPECT_TRUE(waits_for(subjects, subjects_before + 1));
  EXPECT_EQ(outbox.load(), outbox_before);
  {
    auto w = (*writing)->BeginWrite();
    ASSERT_TRUE(w);
    auto reg = (*w)->registrations().InsertRegistration(contract::MakeRegistration(
        subject_id, "idx", RegistrationState::kPending, DeliveryChannel::kEmail));
    ASSERT_TRUE(reg) << reg.error().ToString();
    ASSERT_TRUE((*w)->outbox().InsertNotification(contract::MakeNotification(
        std::nullopt, *reg, "verify", contract::T("2026-11-01T00:00:00Z"))));
    ASSERT_TRUE((*w)->Commit());
  }
  EXPECT_TRUE(waits_for(outbox, outbox_before + 1));

  // The listening connection dropped: back, it wakes everyone.
  const int subjects_lapse = subjects.load();
  const std::string db = url_.substr(url_.rfind('/') + 1);
  ASSERT_EQ(env_->Admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" +
                        db + "' AND pid <> pg_backend_pid()"),
            "");
  EXPECT_TRUE(waits_for(subjects, subjects_lapse + 1));

  // Unsubscribed: not called again.
  on_subjects.reset();
  const int subjects_gone = subjects.load();
  {
    auto w = (*writing)->BeginWrite();
    ASSERT_TRUE(w) << w.error().ToString();
    ASSERT_TRUE((*w)->custody().InsertSubject(contract::MakeSubject("012345672")));
    ASSERT_TRUE((*w)->Commit());
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(subjects.load(), subjects_gone);
}

// `vigil migrate --from sqlite:... --to postgresql://...`: every row of
// every part arrives exactly (tabs, newlines, backslashes and bytes that are
// not UTF-8 included), new rows get fresh ids after the copied ones, and a
// second copy into the now non-empty database is refused.
TEST_F(PostgresStoreTest, ASqliteDatabaseIsCopiedWholeIntoAnEmptyOne) {
  testutil::TempDir dir;
  const std::string sqlite_path = dir.File("vigil.db");
  auto sqlite = OpenStore("sqlite:" + sqlite_path);
  ASSERT_TRUE(sqlite) << sqlite.error().ToString();
  Subject subject = contract::MakeSubject("012345678");
  subject.given_names = "Tab\there, line\nthere \\ back";
  int64_t registration_id = 0, notification_id = 0;
  {
    auto w = (*sqlite)->BeginWrite();
    ASSERT_TRUE(w);
    ASSERT_TRUE((*w)->custody().PutFacility(contract::Adelanto()));
    auto id = (*w)->custody().InsertSubject(subject);
    ASSERT_TRUE(id);
    subject.subject_id = *id;
    ASSERT_TRUE(
        (*w)->custody().InsertEvent(contract::MakeEvent(*id, "E1", "2026-11-01T14:03:00Z")));
    Registration r = contract::MakeRegistration(*id, std::string("\x00\xff\t\n", 4),
                                                RegistrationState::kActive, DeliveryChannel::kSms);
    auto reg = (*w)->registrations().InsertRegistration(r);
    ASSERT_TRUE(reg);
    registration_id = *reg;
    auto n = (*w)->outbox().InsertNotification(contract::MakeNotification(
        std::nullopt, *reg, "verify", contract::T("2026-11-01T00:00:00Z")));
    ASSERT_TRUE(n && *n);
    notification_id = **n;
    ASSERT_TRUE((*w)->controls().RecordKeyFingerprint("0123456789abcdef"));
    ASSERT_TRUE((*w)->controls().SetNotificationBlock(*id, "court order",
                                                      contract::T("2026-11-03T00:00:00Z")));
    ASSERT_TRUE((*w)->custody().InsertReject({0, contract::T("2026-11-01T00:00:00Z"), "feed.jsonl",
                                              7, "subject.a_number", "not 9 digits"}));
    AuditEntry e;
    e.seq = 1;
    e.at = contract::T("2026-11-01T00:00:00Z");
    e.kind = "search";
    e.actor = "public";
    e.detail = "by name";
    e.prev_hash = std::string(32, '\0');
    e.hash = std::string(32, '\x7f');
    ASSERT_TRUE((*w)->audit().AppendAuditEntry(e));
    ASSERT_TRUE((*w)->Commit());
  }
  sqlite->reset();

  std::vector<std::string> told;
  auto copied = CopySqliteToPostgres(sqlite_path, url_,
                                     [&](const TableCopied& t) { told.push_back(t.table); });
  ASSERT_TRUE(copied) << copied.error().ToString();
  EXPECT_EQ(told.size(), copied->size());
  auto rows_of = [&](const std::string& table) {
    for (const auto& t : *copied) {
      if (t.table == table) return t.rows;
    }
    return int64_t{-1};
  };
  EXPECT_EQ(rows_of("subjects"), 1);
  EXPECT_EQ(rows_of("custody_events"), 1);
  EXPECT_EQ(rows_of("subject_changes"), 1);
  EXPECT_EQ(rows_of("audit_log"), 1);
  EXPECT_EQ(rows_of("store_meta"), 1);

  auto pg = OpenPostgresStore(url_, {.migrate = false});
  ASSERT_TRUE(pg) << pg.error().ToString();
  {
    auto r = (*pg)->BeginRead();
    ASSERT_TRUE(r);
    auto back = (*r)->custody().GetSubject(subject.subject_id);
    ASSERT_TRUE(back && back->has_value());
    EXPECT_EQ(**back, subject);
    auto events = (*r)->custody().EventsOfSubject(subject.subject_id);
    ASSERT_TRUE(events);
    ASSERT_EQ(events->size(), 1u);
    EXPECT_EQ(events->front().content_hash, std::string("\x01\x00\xff", 3));
    auto reg = (*r)->registrations().GetRegistration(registration_id);
    ASSERT_TRUE(reg && reg->has_value());
    EXPECT_EQ((*reg)->contact_index, std::string("\x00\xff\t\n", 4));
    auto n = (*r)->outbox().GetNotification(notification_id);
    ASSERT_TRUE(n && n->has_value());
    EXPECT_EQ((*n)->kind, "verify");
    EXPECT_EQ((*r)->controls().KeyFingerprint()->value_or(""), "0123456789abcdef");
    EXPECT_TRUE(*(*r)->controls().IsNotificationBlocked(subject.subject_id));
    EXPECT_EQ((*r)->audit().LastAuditEntry()->value().hash, std::string(32, '\x7f'));
    EXPECT_EQ((*r)->custody().RecentRejects(10)->size(), 1u);
  }
  {
    // Identity sequences continue after the copied ids.
    auto w = (*pg)->BeginWrite();
    ASSERT_TRUE(w);
    auto reg = (*w)->registrations().InsertRegistration(contract::MakeRegistration(
        subject.subject_id, "other", RegistrationState::kActive, DeliveryChannel::kEmail));
    ASSERT_TRUE(reg) << reg.error().ToString();
    EXPECT_GT(*reg, registration_id);
    ASSERT_TRUE((*w)->Commit());
  }
  auto again = CopySqliteToPostgres(sqlite_path, url_);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), ErrorCode::kConflict);
  EXPECT_NE(again.error().message().find("not empty"), std::string::npos);
}

TEST(ShowStoreUrl, HidesPasswordsAndNothingElse) {
  EXPECT_EQ(ShowStoreUrl("postgresql://vigil:s3cret@db1:5432,db2:5432/vigil"),
            "postgresql://vigil:***@db1:5432,db2:5432/vigil");
  EXPECT_EQ(ShowStoreUrl("postgresql://db1/vigil?user=vigil&password=s3cret&sslmode=require"),
            "postgresql://db1/vigil?user=vigil&password=***&sslmode=require");
  EXPECT_EQ(ShowStoreUrl("postgresql://vigil@db1/vigil"), "postgresql://vigil@db1/vigil");
  EXPECT_EQ(ShowStoreUrl("sqlite:var/vigil.db"), "sqlite:var/vigil.db");
}

}  // namespace
}  // namespace vigil
