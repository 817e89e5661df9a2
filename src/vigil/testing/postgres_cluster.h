// Test and benchmark support: a throwaway PostgreSQL 15 cluster in its own
// temporary directory, on a free loopback port, stopped (immediate mode) and
// removed when the object is destroyed. The server tools refuse to run as
// root, so as root (as in CI) they run as the `postgres` system user through
// runuser. Thread-compatible.
#ifndef VIGIL_TESTING_POSTGRES_CLUSTER_H_
#define VIGIL_TESTING_POSTGRES_CLUSTER_H_

#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "vigil/testing/process.h"
#include "vigil/testing/temp_dir.h"

namespace vigil::testutil {

namespace postgres_detail {
inline constexpr char kPgBin[] = "/usr/lib/postgresql/15/bin";
inline constexpr char kRunuser[] = "/usr/sbin/runuser";

inline std::string PgTool(const std::string& name) { return std::string(kPgBin) + "/" + name; }

inline std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A string literal for postgresql.conf.
inline std::string ConfQuote(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

// True if `pid` is a postgres process that has not exited (an exited one
// stays a zombie until init reaps it).
inline bool IsLivePostgres(pid_t pid) {
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
}  // namespace postgres_detail

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
      if (access(postgres_detail::PgTool(tool).c_str(), X_OK) != 0) {
        return postgres_detail::PgTool(tool) +
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
      if (access(postgres_detail::kRunuser, X_OK) != 0) return std::string(postgres_detail::kRunuser) + " not found";
      if (chown(dir_.path().c_str(), pw->pw_uid, pw->pw_gid) != 0) {
        return "chown " + dir_.path().string() + ": " + std::strerror(errno);
      }
      as_postgres_ = true;
    }
    chmod(dir_.path().c_str(), 0700);

    auto initdb = Tool({postgres_detail::PgTool("initdb"), "-D", data(), "-U", "postgres", "-A", "trust", "-E",
                        "UTF8", "--no-locale", "--no-sync", "--no-instructions"});
    if (initdb.exit_code != 0) return "initdb failed:\n" + initdb.out + initdb.err;

    // A port can be taken between FreePort() and the bind; try a few.
    std::string last_error;
    for (int attempt = 0; attempt < 3; ++attempt) {
      port_ = FreePort();
      std::ofstream conf(data() + "/postgresql.auto.conf", std::ios::trunc);
      conf << "port = " << port_ << "\n"
           << "listen_addresses = '127.0.0.1'\n"
           << "unix_socket_directories = " << postgres_detail::ConfQuote(dir_.path().string()) << "\n"
           << "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
           << "max_connections = 10\nshared_buffers = 16MB\n" << extra_settings_;
      conf.close();
      if (!conf) return "cannot write postgresql.auto.conf";
      start_attempted_ = true;
      auto start = Tool({postgres_detail::PgTool("pg_ctl"), "-D", data(), "-l", log(), "-w", "-t", "60", "start"});
      if (start.exit_code == 0) return "";
      last_error = "pg_ctl start failed:\n" + start.out + start.err + "\nserver log:\n" +
                   postgres_detail::Slurp(log());
      Stop();
      if (last_error.find("could not bind") == std::string::npos) break;
    }
    return last_error;
  }

  int port() const { return port_; }
  // A libpq connection string for the `postgres` database as user postgres.
  std::string ConnectionString() const {
    return "host=127.0.0.1 port=" + std::to_string(port_) + " user=postgres dbname=postgres";
  }
  // Extra postgresql.conf lines written before the server starts (call before Start()).
  void AddSettings(const std::string& lines) { extra_settings_ += lines; }

 private:
  std::string data() const { return dir_.File("data"); }
  std::string log() const { return dir_.File("server.log"); }

  // Runs a server tool, as the postgres user when we are root.
  RunResult Tool(std::vector<std::string> argv) {
    if (as_postgres_) argv.insert(argv.begin(), {postgres_detail::kRunuser, "-u", "postgres", "--"});
    return Run(argv, dir_.path().string());
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
    auto stop = Tool({postgres_detail::PgTool("pg_ctl"), "-D", data(), "-m", "immediate", "-w", "-t", "30", "stop"});
    if (stop.exit_code != 0 && postgres_detail::IsLivePostgres(postmaster)) {
      std::cerr << "pg_ctl stop did not stop postmaster " << postmaster << ":\n"
                << stop.out << stop.err << "killing it\n";
      kill(postmaster, SIGKILL);
    }
  }

  TempDir dir_;  // destroyed after Stop() has run
  bool as_postgres_ = false;
  bool start_attempted_ = false;
  int port_ = 0;
  std::string extra_settings_;
};


}  // namespace vigil::testutil

#endif  // VIGIL_TESTING_POSTGRES_CLUSTER_H_
