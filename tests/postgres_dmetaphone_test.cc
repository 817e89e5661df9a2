// vigil's Double Metaphone against the real thing: starts a throwaway
// PostgreSQL 15 cluster in a temporary directory on a free loopback port,
// loads fuzzystrmatch, and checks that dmetaphone()/dmetaphone_alt() and
// vigil::text::DoubleMetaphone() agree on all 1,221 commons-codec names.
//
// The server tools refuse to run as root, so when the test runs as root (as
// in CI) they run as the `postgres` system user through runuser.
#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "vigil/testing/postgres_cluster.h"
#include "vigil/text/detail/name_vectors_test_util.h"
#include "vigil/text/double_metaphone.h"

namespace vigil {
namespace {

constexpr char kVectors[] = "double_metaphone_commons_codec.csv";
constexpr size_t kNameCount = 1221;
constexpr Oid kTextOid = 25;  // pg_type.oid of `text`
using testutil::ThrowawayCluster;

struct PgConnDeleter {
  void operator()(PGconn* conn) const { PQfinish(conn); }
};
struct PgResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using PgConn = std::unique_ptr<PGconn, PgConnDeleter>;
using PgResult = std::unique_ptr<PGresult, PgResultDeleter>;

std::string Field(const PGresult* result, int column) {
  if (PQgetisnull(result, 0, column)) return "<NULL>";
  return PQgetvalue(result, 0, column);
}

TEST(PostgresDoubleMetaphoneTest, AgreesWithFuzzystrmatchOnAllCommonsCodecNames) {
  const auto rows = text::testing::ReadCsv(kVectors, /*has_header=*/true, 3);
  ASSERT_EQ(rows.size(), kNameCount) << kVectors << " should hold exactly 1,221 names";

  ThrowawayCluster cluster;  // declared before the connection: stopped after it closes
  const std::string error = cluster.Start();
  ASSERT_EQ(error, "") << "could not start a PostgreSQL 15 cluster";

  const std::string port = std::to_string(cluster.port());
  const char* keys[] = {"host", "port", "dbname", "user", "connect_timeout", nullptr};
  const char* values[] = {"127.0.0.1", port.c_str(), "postgres", "postgres", "10", nullptr};
  PgConn conn(PQconnectdbParams(keys, values, /*expand_dbname=*/0));
  ASSERT_TRUE(conn != nullptr);
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_OK) << PQerrorMessage(conn.get());
  ASSERT_EQ(PQsetClientEncoding(conn.get(), "UTF8"), 0) << PQerrorMessage(conn.get());

  PgResult created(PQexec(conn.get(), "CREATE EXTENSION fuzzystrmatch"));
  ASSERT_EQ(PQresultStatus(created.get()), PGRES_COMMAND_OK) << PQerrorMessage(conn.get());

  const Oid param_types[] = {kTextOid};
  PgResult prepared(PQprepare(conn.get(), "dm", "SELECT dmetaphone($1), dmetaphone_alt($1)", 1,
                              param_types));
  ASSERT_EQ(PQresultStatus(prepared.get()), PGRES_COMMAND_OK) << PQerrorMessage(conn.get());

  size_t checked = 0;
  size_t agree = 0;
  for (const auto& row : rows) {
    const std::string& name = row.fields[0];
    const char* params[] = {name.c_str()};
    PgResult result(PQexecPrepared(conn.get(), "dm", 1, params, nullptr, nullptr, 0));
    ASSERT_EQ(PQresultStatus(result.get()), PGRES_TUPLES_OK)
        << "line " << row.line << ": " << name << ": " << PQerrorMessage(conn.get());
    ASSERT_EQ(PQntuples(result.get()), 1);
    const std::string pg_primary = Field(result.get(), 0);
    const std::string pg_alternate = Field(result.get(), 1);

    const text::DoubleMetaphoneCode ours = text::DoubleMetaphone(name);
    ++checked;
    if (ours.primary == pg_primary && ours.alternate == pg_alternate) {
      ++agree;
    } else {
      ADD_FAILURE() << "line " << row.line << ": \"" << name << "\": vigil " << ours.primary
                    << "/" << ours.alternate << ", PostgreSQL " << pg_primary << "/"
                    << pg_alternate;
    }
  }

  std::cout << "dmetaphone: " << agree << " names agree with PostgreSQL\n";
  ::testing::Test::RecordProperty("names_agreeing", static_cast<int>(agree));
  EXPECT_EQ(checked, kNameCount);
  EXPECT_EQ(agree, kNameCount);
}

}  // namespace
}  // namespace vigil
