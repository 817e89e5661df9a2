// vigil on PostgreSQL as an operator runs it: the real binary, a throwaway
// cluster on a loopback port, `vigil migrate`, an import, two `vigil serve
// --no-worker` nodes and two `vigil worker` processes on the one database,
// sending to a real SMTP server (aiosmtpd). A registration made through one
// node is confirmed through the other and its notice sent once; a
// protection set through one node is honoured by the other on its very next
// request, and a protected person answers exactly like nobody on both.
#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "vigil/testing/postgres_cluster.h"
#include "vigil/testing/process.h"
#include "vigil/testing/smtp_sink.h"
#include "vigil/testing/temp_dir.h"

namespace vigil {
namespace {

using testutil::VigilBinary;

constexpr char kFacility[] =
    R"({"record":"facility","facility_id":"ADL","name":"Adelanto ICE Processing Center","city":"Adelanto","state":"CA","phone":"+17605550100"})";

std::string Event(const std::string& id, const std::string& a_number,
                  const std::string& protections) {
  return R"({"record":"custody_event","source":"ice-ero","event_id":")" + id +
         R"(","type":"booked","occurred_at":"2026-11-01T14:03:00Z","subject":{"a_number":")" +
         a_number +
         R"(","given_names":"María del Carmen","family_names":"García López","aliases":[],"date_of_birth":"1990-04-12","country_of_birth":"MX"},"facility_id":"ADL","custody_basis":"civil_immigration","protections":[)" +
         protections + "]}";
}

// The body of an HTTP response.
std::string Body(const std::string& response) {
  size_t end = response.find("\r\n\r\n");
  return end == std::string::npos ? "" : response.substr(end + 4);
}

class PostgresCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Four long-running processes, each with a pool and a listening connection.
    cluster_.AddSettings("max_connections = 80\n");
    ASSERT_EQ(cluster_.Start(), "") << "could not start a PostgreSQL cluster";
    ASSERT_TRUE(sink_.Start());
    // A password in the URL (the cluster trusts loopback and ignores it)
    // must never reach a log line.
    url_ = "postgresql://postgres:pw-not-shown@127.0.0.1:" + std::to_string(cluster_.port()) +
           "/postgres";
  }

  testutil::RunResult Vigil(std::vector<std::string> args) {
    args.insert(args.begin(), {"/usr/bin/env", key_env_, VigilBinary(), "--db", url_});
    return testutil::Run(args, dir_.path().string());
  }
  // The environment of a long-running node: the key, and mail to the sink.
  std::vector<std::string> NodeCommand(std::vector<std::string> args) {
    std::vector<std::string> argv = {"/usr/bin/env",
                                     key_env_,
                                     "VIGIL_NOTIFY_EMAIL=smtp",
                                     "VIGIL_SMTP_URL=" + sink_.url(),
                                     "VIGIL_SMTP_FROM=alerts@vigil.example.org",
                                     "VIGIL_SERVER_PUBLIC_URL=http://vigil.example.org",
                                     VigilBinary(),
                                     "--db",
                                     url_};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }
  std::unique_ptr<testutil::Child> Serve(int port) {
    auto child = std::make_unique<testutil::Child>(
        NodeCommand({"serve", "--no-worker", "--listen", "127.0.0.1:" + std::to_string(port)}),
        dir_.path().string());
    EXPECT_TRUE(testutil::WaitFor([&] { return !testutil::HttpGet(port, "/healthz").empty(); },
                                  std::chrono::seconds(30)))
        << child->Stderr();
    return child;
  }

  testutil::TempDir dir_;
  testutil::ThrowawayCluster cluster_;  // after dir_: stopped before the files go
  testutil::SmtpSink sink_{VIGIL_PEERS_DIR, dir_.path().string()};
  std::string url_;
  std::string key_env_ = "VIGIL_SECRETS_KEY_FILE=" + dir_.File("secret.key");
};

TEST_F(PostgresCliTest, MigrateImportAndServeFromTwoNodes) {
  const std::string feed = dir_.File("feed.jsonl");
  std::ofstream(feed) << kFacility << "\n"
                      << Event("E1", "012345678", "") << "\n"
                      << Event("E2", "012345679", R"("asylum")") << "\n";

  // Nothing but `vigil migrate` changes a shared schema.
  auto early = Vigil({"import", feed});
  EXPECT_EQ(early.exit_code, 3) << early.err;
  EXPECT_NE(early.err.find("run `vigil migrate`"), std::string::npos) << early.err;
  auto migrated = Vigil({"migrate"});
  ASSERT_EQ(migrated.exit_code, 0) << migrated.err;
  EXPECT_NE(migrated.err.find("migrated from schema version 0"), std::string::npos) << migrated.err;
  EXPECT_EQ(migrated.err.find("pw-not-shown"), std::string::npos) << migrated.err;
  auto again = Vigil({"migrate"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("already"), std::string::npos) << again.err;

  auto imported = Vigil({"import", feed});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_NE(imported.out.find(", rejected 0"), std::string::npos) << imported.out;
  // A database shared by many nodes gets its key explicitly, never by
  // a node that happens to start first.
  auto keyless = testutil::Run({"/usr/bin/env", key_env_, VigilBinary(), "--db", url_, "serve",
                                "--listen", "127.0.0.1:" + std::to_string(testutil::FreePort())},
                               dir_.path().string());
  EXPECT_EQ(keyless.exit_code, 3) << keyless.err;
  EXPECT_NE(keyless.err.find("vigil secrets init"), std::string::npos) << keyless.err;
  auto init = Vigil({"secrets", "init"});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  ASSERT_EQ(init.out.rfind("fingerprint ", 0), 0u) << init.out;
  const std::string fingerprint = init.out.substr(12, 16);
  auto twice = Vigil({"secrets", "init"});
  EXPECT_EQ(twice.exit_code, 2) << twice.err;
  EXPECT_NE(twice.err.find("never replaces a key"), std::string::npos) << twice.err;

  auto key = Vigil({"keys", "create", "--name", "privacy", "--scope", "subjects:protect"});
  ASSERT_EQ(key.exit_code, 0) << key.err;
  const std::string token = key.out.substr(0, key.out.size() - 1);

  const int port_a = testutil::FreePort();
  auto node_a = Serve(port_a);
  const int port_b = testutil::FreePort();
  auto node_b = Serve(port_b);

  // A node given another key refuses to start, naming both fingerprints;
  // so does one given none.
  const std::string other_key = "VIGIL_SECRETS_KEY_FILE=" + dir_.File("other.key");
  ASSERT_EQ(testutil::Run({"/usr/bin/env", other_key, VigilBinary(), "secrets", "init"},
                          dir_.path().string())
                .exit_code,
            0);
  for (const std::string& env : {other_key, "VIGIL_SECRETS_KEY_FILE=" + dir_.File("none.key")}) {
    auto refused = testutil::Run({"/usr/bin/env", env, VigilBinary(), "--db", url_, "serve",
                                  "--listen", "127.0.0.1:" + std::to_string(testutil::FreePort())},
                                 dir_.path().string());
    EXPECT_EQ(refused.exit_code, 3) << refused.err;
    EXPECT_NE(refused.err.find(fingerprint), std::string::npos) << refused.err;
    EXPECT_NE(refused.err.find("the key file the other nodes use"), std::string::npos)
        << refused.err;
  }

  auto search = [](int port, const std::string& a_number) {
    return testutil::HttpGet(port, "/api/v1/search?a_number=" + a_number + "&country_of_birth=MX");
  };
  for (int port : {port_a, port_b}) {
    std::string found = search(port, "012345678");
    EXPECT_NE(found.find("HTTP/1.1 200"), std::string::npos) << found;
    EXPECT_NE(found.find("Adelanto"), std::string::npos) << found;
    // The protected person and a person who never existed answer alike.
    EXPECT_EQ(Body(search(port, "012345679")), Body(search(port, "099999999")));
    EXPECT_EQ(Body(search(port, "012345679")).find("García"), std::string::npos);
  }

  // Notices come from the workers alone (both nodes run --no-worker): a
  // registration through node B, confirmed through node A, and the notice
  // of a transfer, each sent exactly once though two workers compete.
  std::vector<std::unique_ptr<testutil::Child>> workers;
  for (int i = 0; i < 2; ++i) {
    workers.push_back(
        std::make_unique<testutil::Child>(NodeCommand({"worker"}), dir_.path().string()));
  }
  auto results = nlohmann::json::parse(Body(testutil::HttpGet(
      port_b, "/api/v1/search?given_name=Maria&family_name=Garcia&country_of_birth=MX")));
  ASSERT_EQ(results["results"].size(), 1u) << results.dump();
  nlohmann::json registration = {{"ref", results["results"][0]["ref"]},
                                 {"channel", "email"},
                                 {"contact", "ana@example.org"},
                                 {"language", "en"}};
  std::string posted =
      testutil::HttpRequest(port_b, "POST", "/api/v1/registrations", registration.dump());
  ASSERT_NE(posted.find(" 202 "), std::string::npos) << posted;
  ASSERT_TRUE(
      testutil::WaitFor([&] { return sink_.Messages().size() == 1; }, std::chrono::seconds(30)))
      << workers[0]->Stderr() << workers[1]->Stderr();
  std::smatch m;
  std::string mail = testutil::MailBody(sink_.Messages()[0]);
  ASSERT_TRUE(std::regex_search(mail, m, std::regex("/verify\\?token=([\\w.-]+)"))) << mail;
  std::string verified = testutil::HttpRequest(port_a, "POST", "/api/v1/registrations/verify",
                                               nlohmann::json{{"token", m[1].str()}}.dump());
  ASSERT_NE(verified.find(" 200 "), std::string::npos) << verified;
  const std::string transfer = dir_.File("transfer.jsonl");
  std::string moved = Event("E3", "012345678", "");
  moved.replace(moved.find("\"booked\""), 8, "\"transferred\"");
  moved.replace(moved.find("2026-11-01T14:03:00Z"), 20, "2026-11-02T09:00:00Z");
  std::ofstream(transfer) << moved << "\n";
  auto imported_transfer = Vigil({"import", transfer});
  ASSERT_EQ(imported_transfer.exit_code, 0) << imported_transfer.err;
  ASSERT_TRUE(
      testutil::WaitFor([&] { return sink_.Messages().size() == 2; }, std::chrono::seconds(30)));
  std::this_thread::sleep_for(std::chrono::seconds(1));
  EXPECT_EQ(sink_.Messages().size(), 2u) << "a notice was sent twice";
  EXPECT_NE(testutil::MailBody(sink_.Messages()[1]).find("Facility: Adelanto"), std::string::npos)
      << sink_.Messages()[1];

  // A protection through node A; node B's very next answer honours it.
  std::string put = testutil::HttpRequest(
      port_a, "PUT", "/api/v1/agency/subjects/012345678/protections",
      R"({"protections":["sec1367"],"reason":"T visa","legal_basis":"8 U.S.C. 1367"})",
      "application/json", "Authorization: Bearer " + token + "\r\n");
  ASSERT_NE(put.find(" 200 "), std::string::npos) << put;
  std::string nobody = search(port_b, "099999999");
  ASSERT_NE(nobody.find("HTTP/1.1 200"), std::string::npos) << nobody;
  EXPECT_EQ(Body(search(port_b, "012345678")), Body(search(port_b, "099999999")));
  EXPECT_EQ(Body(search(port_a, "012345678")), Body(search(port_a, "099999999")));

  for (auto& worker : workers) {
    worker->Signal(SIGTERM);
    auto done = worker->Wait();
    EXPECT_EQ(done.exit_code, 0) << done.err;
    EXPECT_NE(done.err.find("worker running"), std::string::npos) << done.err;
  }
  for (auto* node : {node_a.get(), node_b.get()}) {
    node->Signal(SIGTERM);
    auto done = node->Wait();
    EXPECT_EQ(done.exit_code, 0) << done.err;
    EXPECT_NE(done.err.find("postgresql://postgres:***@"), std::string::npos) << done.err;
    EXPECT_EQ(done.err.find("pw-not-shown"), std::string::npos) << done.err;
  }
}

// Moving from one machine to many: the SQLite database a pilot ran on is
// copied whole into PostgreSQL, and served from there with the same key.
// The importer keeps the people it read between its transactions and
// vouches for them to the store (StoreLookahead::known_people), so a
// PostgreSQL import of many transactions reads far fewer people: the end
// state must be exactly SQLite's, to the byte of what the public may see.
TEST_F(PostgresCliTest, AManyTransactionImportEndsAsOnSqlite) {
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"/usr/bin/env", key_env_, VigilBinary()});
    return testutil::Run(args, dir_.path().string());
  };
  ASSERT_EQ(run({"secrets", "init"}).exit_code, 0);
  const std::string demo = dir_.File("demo");
  ASSERT_EQ(run({"demo-data", "--subjects", "3000", "--seed", "7", "--out", demo, "--as-of",
                 "2026-11-22"})
                .exit_code,
            0);
  const std::string sqlite = "sqlite:" + dir_.File("same.db");
  std::vector<std::string> import = {"import", "--batch", "700", demo + "/facilities.jsonl",
                                     demo + "/events.jsonl"};
  auto on_sqlite = run([&] {
    std::vector<std::string> a = {"--db", sqlite, "--create"};
    a.insert(a.end(), import.begin(), import.end());
    return a;
  }());
  ASSERT_EQ(on_sqlite.exit_code, 0) << on_sqlite.err;
  ASSERT_EQ(Vigil({"migrate"}).exit_code, 0);
  auto on_pg = Vigil(import);
  ASSERT_EQ(on_pg.exit_code, 0) << on_pg.err;
  EXPECT_EQ(on_pg.out, on_sqlite.out);
  auto sqlite_export = run({"--db", sqlite, "export"});
  ASSERT_EQ(sqlite_export.exit_code, 0) << sqlite_export.err;
  auto pg_export = Vigil({"export"});
  ASSERT_EQ(pg_export.exit_code, 0) << pg_export.err;
  EXPECT_GT(std::count(pg_export.out.begin(), pg_export.out.end(), '\n'), 1000);
  EXPECT_TRUE(pg_export.out == sqlite_export.out) << "the exports differ";
}

TEST_F(PostgresCliTest, ASqliteInstallationMovesToPostgresql) {
  const std::string feed = dir_.File("feed.jsonl");
  std::ofstream(feed) << kFacility << "\n"
                      << Event("E1", "012345678", "") << "\n"
                      << Event("E2", "012345679", R"("asylum")") << "\n";
  const std::string sqlite = "sqlite:" + dir_.File("pilot.db");
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"/usr/bin/env", key_env_, VigilBinary()});
    return testutil::Run(args, dir_.path().string());
  };
  ASSERT_EQ(run({"secrets", "init"}).exit_code, 0);
  ASSERT_EQ(run({"--db", sqlite, "--create", "import", feed}).exit_code, 0);
  // The pilot served once, so its database knows its key.
  {
    const int port = testutil::FreePort();
    testutil::Child pilot({"/usr/bin/env", key_env_, VigilBinary(), "--db", sqlite, "serve",
                           "--listen", "127.0.0.1:" + std::to_string(port)},
                          dir_.path().string());
    ASSERT_TRUE(testutil::WaitFor([&] { return !testutil::HttpGet(port, "/healthz").empty(); },
                                  std::chrono::seconds(30)));
    pilot.Signal(SIGTERM);
    ASSERT_EQ(pilot.Wait().exit_code, 0);
  }

  auto usage = run({"migrate", "--from", sqlite});
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_NE(usage.err.find("--from and --to go together"), std::string::npos) << usage.err;
  auto copied = run({"migrate", "--from", sqlite, "--to", url_});
  ASSERT_EQ(copied.exit_code, 0) << copied.err;
  EXPECT_NE(copied.out.find("copied "), std::string::npos) << copied.out;
  EXPECT_NE(copied.err.find("custody_events"), std::string::npos) << copied.err;
  EXPECT_EQ(copied.out.find("pw-not-shown"), std::string::npos) << copied.out;
  auto twice = run({"migrate", "--from", sqlite, "--to", url_});
  EXPECT_EQ(twice.exit_code, 2) << twice.err;
  EXPECT_NE(twice.err.find("not empty"), std::string::npos) << twice.err;

  // Served from PostgreSQL with the pilot's key: the same answers.
  const int port = testutil::FreePort();
  auto node = Serve(port);
  std::string found =
      testutil::HttpGet(port, "/api/v1/search?a_number=012345678&country_of_birth=MX");
  EXPECT_NE(found.find("Adelanto"), std::string::npos) << found;
  EXPECT_EQ(Body(testutil::HttpGet(port, "/api/v1/search?a_number=012345679&country_of_birth=MX")),
            Body(testutil::HttpGet(port, "/api/v1/search?a_number=099999999&country_of_birth=MX")));
  node->Signal(SIGTERM);
  EXPECT_EQ(node->Wait().exit_code, 0);
}

}  // namespace
}  // namespace vigil
