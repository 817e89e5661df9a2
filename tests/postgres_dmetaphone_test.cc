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

#include "vigil/testing/process.h"
#include "vigil/testing/temp_dir.h"
#include "vigil/text/detail/name_vectors_test_util.h"
#include "vigil/text/double_metaphone.h"

namespace vigil {
namespace {

constexpr char kPgBin[] = "/usr/lib/postgresql/15/bin";
constexpr char kRunuser[] = "/usr/sbin/runuser";
constexpr char kVectors[] = "double_metaphone_commons_codec.csv";
constexpr size_t kNameCount = 1221;
constexpr Oid kTextOid = 25;  // pg_type.oid of `text`

std::string PgTool(const std::string& name) { return std::string(kPgBin) + "/" + name; }

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A string literal for postgresql.conf.
std::string ConfQuote(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

// True if `pid` is a postgres process that has not exited (an exited one
// stays a zombie until init reaps it).
bool IsLivePostgres(pid_t pid) {
  if (pid <= 0) return false;
  const std::string stat = Slurp("/proc/" + std::to_string(pid) + "/stat");
  // "<pid> (<comm>) <state> ..."
  const size_t close = stat.rfind(')');
  if (close == std::string::npos || close + 2 >= stat.size()) return false;
  const size_t open = stat.find('(');
  return stat.substr(open + 1, close - open - 1) == "postgres" && stat[close + 2] != 'Z';
}

// A PostgreSQL cluster in its own temporary directory. The destructor stops
// the server (immediate mode) before the directory is removed, so a failed
// assertion anywhere in the test still leaves no server and no files behind.
class ThrowawayCluster {
 public:
  ThrowawayCluster() = default;
  ~ThrowawayCluster() { Stop(); }
  ThrowawayCluster(const ThrowawayCluster&) = delete;
  ThrowawayCluster& operator=(const ThrowawayCluster&) = delete;

  // Creates and starts the cluster. Returns "" on success, else what went
  // wrong (with the tools' output).
  std::string Start() {
    for (const char* tool : {"initdb", "pg_ctl", "postgres"}) {
      if (access(PgTool(tool).c_str(), X_OK) != 0) {
        return PgTool(tool) +
               " not found: PostgreSQL 15 server is not installed (scripts/setup installs "
               "postgresql and postgresql-contrib)";
      }
    }
    if (!std::filesystem::exists(
            "/usr/share/postgresql/15/extension/fuzzystrmatch.control")) {
      return "fuzzystrmatch extension files not found under /usr/share/postgresql/15/extension";
    }
    if (geteuid() == 0) {
      // initdb and postgres refuse to run as root.
      const passwd* pw = getpwnam("postgres");
      if (pw == nullptr) return "running as root but there is no `postgres` system user";
      if (access(kRunuser, X_OK) != 0) return std::string(kRunuser) + " not found";
      if (chown(dir_.path().c_str(), pw->pw_uid, pw->pw_gid) != 0) {
        return "chown " + dir_.path().string() + ": " + std::strerror(errno);
      }
      as_postgres_ = true;
    }
    chmod(dir_.path().c_str(), 0700);

    auto initdb = Tool({PgTool("initdb"), "-D", data(), "-U", "postgres", "-A", "trust", "-E",
                        "UTF8", "--no-locale", "--no-sync", "--no-instructions"});
    if (initdb.exit_code != 0) return "initdb failed:\n" + initdb.out + initdb.err;

    // A port can be taken between FreePort() and the bind; try a few.
    std::string last_error;
    for (int attempt = 0; attempt < 3; ++attempt) {
      port_ = testutil::FreePort();
      std::ofstream conf(data() + "/postgresql.auto.conf", std::ios::trunc);
      conf << "port = " << port_ << "\n"
           << "listen_addresses = '127.0.0.1'\n"
           << "unix_socket_directories = " << ConfQuote(dir_.path().string()) << "\n"
           << "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
           << "max_connections = 10\nshared_buffers = 16MB\n";
      conf.close();
      if (!conf) return "cannot write postgresql.auto.conf";
      start_attempted_ = true;
      auto start = Tool({PgTool("pg_ctl"), "-D", data(), "-l", log(), "-w", "-t", "60", "start"});
      if (start.exit_code == 0) return "";
      last_error = "pg_ctl start failed:\n" + start.out + start.err + "\nserver log:\n" +
                   Slurp(log());
      Stop();
      if (last_error.find("could not bind") == std::string::npos) break;
    }
    return last_error;
  }

  int port() const { return port_; }

 private:
  std::string data() const { return dir_.File("data"); }
  std::string log() const { return dir_.File("server.log"); }

  // Runs a server tool, as the postgres user when we are root.
  testutil::RunResult Tool(std::vector<std::string> argv) {
    if (as_postgres_) argv.insert(argv.begin(), {kRunuser, "-u", "postgres", "--"});
    return testutil::Run(argv, dir_.path().string());
  }

  void Stop() {
    if (!start_attempted_) return;
    start_attempted_ = false;
    // Remember the postmaster's pid in case pg_ctl cannot stop it.
    pid_t postmaster = 0;
    {
      std::ifstream pid_file(data() + "/postmaster.pid");
      pid_file >> postmaster;
    }
    auto stop = Tool({PgTool("pg_ctl"), "-D", data(), "-m", "immediate", "-w", "-t", "30", "stop"});
    if (stop.exit_code != 0 && IsLivePostgres(postmaster)) {
      std::cerr << "pg_ctl stop did not stop postmaster " << postmaster << ":\n"
                << stop.out << stop.err << "killing it\n";
      kill(postmaster, SIGKILL);
    }
  }

  testutil::TempDir dir_;  // destroyed after Stop() has run
  bool as_postgres_ = false;
  bool start_attempted_ = false;
  int port_ = 0;
};

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
