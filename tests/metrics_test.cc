// Metrics and logs as an operator meets them: the real `vigil serve` with
// its metrics listener, scraped by the real Prometheus server (Debian's) and
// checked by `promtool check metrics`, logging JSON lines. A person the
// public may see, a protected one and a minor are planted and looked up;
// the first is registered for and taken down: no name, A-number, contact or
// ref of any of them ever appears in what is scraped or in any log line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "vigil/net/http_client.h"
#include "vigil/testing/notify_fixture.h"
#include "vigil/testing/process.h"
#include "vigil/testing/temp_dir.h"

namespace vigil {
namespace {

using json = nlohmann::json;
using testutil::VigilBinary;

constexpr auto kWait = std::chrono::seconds(60);

std::string Body(const std::string& response) { return testutil::HttpBody(response); }

std::string ReadAll(const std::filesystem::path& dir) {
  std::string all;
  std::error_code ec;
  for (const auto& f : std::filesystem::recursive_directory_iterator(dir, ec)) {
    if (!f.is_regular_file()) continue;
    std::ifstream in(f.path());
    std::stringstream s;
    s << in.rdbuf();
    all += s.str() + "\n";
  }
  return all;
}

TEST(Observability, PrometheusScrapesTheMetricsAndNeitherTheyNorTheLogsCarryAPerson) {
  testutil::TempDir dir;
  const std::string db = dir.File("v.db");
  testutil::InitVigil(dir.path().string(), db);
  const std::string visible = testutil::CustodyEventLine("B1", "booked", "2026-11-01T10:00:00Z",
                                                         "ADL", "100000001", "Rosa", "Quintanilla");
  const std::string hidden =
      testutil::CustodyEventLine("B2", "booked", "2026-11-01T10:00:00Z", "ADL", "100000002",
                                 "Xiomara", "Zubizarreta", R"(["sec1367"])");
  const std::string minor =
      testutil::CustodyEventLine("B3", "booked", "2026-11-01T10:00:00Z", "ADL", "100000003",
                                 "Yolotzin", "Ixtlahuaca", "[]", "2012-03-03");
  std::ofstream(dir.File("feed.jsonl"))
      << testutil::kTwoFacilities << visible << hidden << minor;
  auto imported = testutil::Run({VigilBinary(), "--db", db, "import", "-q", dir.File("feed.jsonl")},
                                dir.path().string());
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  auto key =
      testutil::Run({VigilBinary(), "--db", db, "keys", "create", "--name", "agency", "--scope",
                     "feed:write", "--scope", "subjects:protect", "--source", "s"},
                    dir.path().string());
  ASSERT_EQ(key.exit_code, 0) << key.err;
  const std::string auth =
      "Authorization: Bearer " + key.out.substr(0, key.out.size() - 1) + "\r\n";

  const int port = testutil::FreePort(), metrics_port = testutil::FreePort();
  const std::string outbox = dir.File("outbox");
  testutil::Child server(
      {"/usr/bin/env", "VIGIL_NOTIFY_EMAIL=file", "VIGIL_NOTIFY_SMS=file",
       "VIGIL_NOTIFY_VOICE=file", "VIGIL_FILE_OUTBOX_DIR=" + outbox,
       "VIGIL_LIMITS_SEARCH_PER_MINUTE=0", "VIGIL_LIMITS_REGISTRATIONS_PER_HOUR=0",
       "VIGIL_METRICS_LISTEN=127.0.0.1:" + std::to_string(metrics_port), VigilBinary(), "--db", db,
       "--log-format", "json", "serve", "--listen", "127.0.0.1:" + std::to_string(port)},
      dir.path().string());
  ASSERT_TRUE(testutil::WaitFor(
      [&] {
        return testutil::HttpGet(metrics_port, "/metrics").find(" 200 ") != std::string::npos;
      },
      kWait))
      << server.Stderr();
  // /metrics is not on the public listener.
  EXPECT_NE(testutil::HttpGet(port, "/metrics").find(" 404 "), std::string::npos);

  // Traffic: look-ups of both, a registration for the visible one, a feed
  // with a rejected line, the transfer that owes a notice, a takedown.
  json found = json::parse(
      Body(testutil::HttpGet(port, "/api/v1/search?a_number=100000001&country_of_birth=GT")));
  ASSERT_EQ(found["results"].size(), 1u) << found.dump();
  const std::string ref = found["results"][0]["ref"];
  testutil::HttpGet(port, "/api/v1/search?a_number=100000002&country_of_birth=GT");
  testutil::HttpGet(port, "/search?given_name=Xiomara&family_name=Zubizarreta&country_of_birth=GT");
  json minor_found = json::parse(
      Body(testutil::HttpGet(port, "/api/v1/search?a_number=100000003&country_of_birth=GT")));
  EXPECT_TRUE(minor_found["results"].empty()) << "a minor is withheld: " << minor_found.dump();
  testutil::HttpGet(port, "/search?given_name=Yolotzin&family_name=Ixtlahuaca&country_of_birth=GT");
  const std::string contact = "metrics.watcher@example.org";
  std::string registered = testutil::HttpRequest(
      port, "POST", "/api/v1/registrations",
      json{{"ref", ref}, {"channel", "email"}, {"contact", contact}, {"language", "en"}}.dump());
  ASSERT_NE(registered.find(" 202 "), std::string::npos) << registered;
  std::smatch m;
  std::string mail;
  ASSERT_TRUE(testutil::WaitFor(
      [&] {
        mail = ReadAll(outbox);
        return std::regex_search(mail, m, std::regex("/verify\\?token=([\\w.-]+)"));
      },
      kWait));
  // Links follow the address served on (no public_url configured).
  EXPECT_NE(mail.find("http://127.0.0.1:" + std::to_string(port) + "/verify?token="),
            std::string::npos)
      << mail;
  std::string verified = testutil::HttpRequest(port, "POST", "/api/v1/registrations/verify",
                                               json{{"token", m[1].str()}}.dump());
  ASSERT_NE(verified.find(" 200 "), std::string::npos) << verified;
  std::string feed =
      testutil::CustodyEventLine("T1", "transferred", "2026-11-02T10:00:00Z", "OTR") +
      R"({"record":"custody_event","source":"s","event_id":"BAD","type":"teleported"})" + "\n";
  std::string posted = testutil::HttpRequest(port, "POST", "/api/v1/agency/events", feed,
                                             "application/x-ndjson", auth);
  ASSERT_NE(posted.find(" 200 "), std::string::npos) << posted;
  std::string put = testutil::HttpRequest(
      port, "PUT", "/api/v1/agency/subjects/100000001/protections",
      R"({"protections":["asylum"],"reason":"test","legal_basis":"8 CFR 208.6"})",
      "application/json", auth);
  ASSERT_NE(put.find(" 200 "), std::string::npos) << put;

  std::string scraped;
  ASSERT_TRUE(testutil::WaitFor(
      [&] {
        scraped = Body(testutil::HttpGet(metrics_port, "/metrics"));
        return scraped.find("vigil_dispatch_latency_seconds_count{channel=\"email\"}") !=
               std::string::npos;
      },
      kWait))
      << scraped;
  for (const char* line :
       {"vigil_http_requests_total{route=\"/api/v1/search\",status=\"200\"} 3",
        "vigil_http_requests_total{route=\"/api/v1/agency/events\",status=\"200\"} 1",
        "vigil_import_lines_total{result=\"accepted\"} 1",
        "vigil_import_lines_total{result=\"rejected\"} 1", "vigil_import_rejects_total{field=",
        "vigil_outbox_notifications{state=\"delivered\",channel=\"email\"} 1",
        "vigil_takedown_seconds_count 1",
        // All three: the index holds withheld people too, so a search for one is recorded.
        "vigil_index_subjects 3",
        "vigil_http_request_duration_seconds_bucket{route=\"/api/v1/search\",le=\"+Inf\"} 3",
        "vigil_audit_entries ", "vigil_audit_last_checkpoint_age_seconds "}) {
    EXPECT_NE(scraped.find(line), std::string::npos) << line << "\n" << scraped;
  }
  const std::vector<std::string> secrets = {
      "Rosa",     "Quintanilla", "100000001", "Xiomara",    "Zubizarreta", "100000002",
      "Yolotzin", "Ixtlahuaca",  "100000003", "2012-03-03", contact,       "metrics.watcher",
      ref};
  for (const std::string& secret : secrets) {
    EXPECT_EQ(scraped.find(secret), std::string::npos) << secret << " is in /metrics";
  }

  // promtool: the exposition is well-formed and its names follow the conventions.
  std::ofstream(dir.File("scrape.txt")) << scraped;
  auto lint = testutil::Run({"/bin/sh", "-c", "/usr/bin/promtool check metrics < scrape.txt"},
                            dir.path().string());
  EXPECT_EQ(lint.exit_code, 0) << lint.out << lint.err;

  // The real Prometheus scrapes it, and its API answers queries over it.
  const int prometheus_port = testutil::FreePort();
  std::ofstream(dir.File("prometheus.yml"))
      << "global:\n  scrape_interval: 1s\n"
      << "scrape_configs:\n  - job_name: vigil\n    static_configs:\n"
      << "      - targets: ['127.0.0.1:" << metrics_port << "']\n";
  testutil::Child prometheus({"/usr/bin/prometheus", "--config.file=" + dir.File("prometheus.yml"),
                              "--storage.tsdb.path=" + dir.File("tsdb"),
                              "--web.listen-address=127.0.0.1:" + std::to_string(prometheus_port)},
                             dir.path().string());
  auto query = [&](const std::string& promql) {
    std::string body =
        Body(testutil::HttpGet(prometheus_port, "/api/v1/query?query=" + net::UrlEscape(promql)));
    json r = json::parse(body, nullptr, false);
    if (r.is_discarded() || r.value("status", "") != "success") return json::array();
    return r["data"]["result"];
  };
  json up, searches;
  ASSERT_TRUE(testutil::WaitFor(
      [&] {
        up = query("up{job=\"vigil\"}");
        searches = query("vigil_http_requests_total{route=\"/api/v1/search\"}");
        return up.size() == 1 && up[0]["value"][1] == "1" && searches.size() == 1;
      },
      kWait))
      << "up: " << up.dump() << "\nsearches: " << searches.dump() << "\n"
      << prometheus.Stderr().substr(0, 4000);
  EXPECT_EQ(searches[0]["value"][1], "3");
  json depth = query("sum(vigil_outbox_notifications{state=\"delivered\"})");
  ASSERT_EQ(depth.size(), 1u) << depth.dump();
  EXPECT_EQ(depth[0]["value"][1], "1");
  json p99 = query("histogram_quantile(0.99, vigil_http_request_duration_seconds_bucket)");
  EXPECT_FALSE(p99.empty()) << p99.dump();
  prometheus.Signal(SIGTERM);
  prometheus.Wait();
  server.Signal(SIGTERM);
  auto stopped = server.Wait();
  EXPECT_EQ(stopped.exit_code, 0);

  // Every line on stderr is a JSON object with a time, a level and a
  // component; requests carry their id; no line carries the person.
  std::istringstream lines(stopped.err);
  int count = 0, with_request_id = 0;
  for (std::string line; std::getline(lines, line);) {
    ++count;
    json entry = json::parse(line, nullptr, false);
    ASSERT_TRUE(entry.is_object()) << "not a JSON line: " << line;
    EXPECT_TRUE(entry.contains("time") && entry.contains("level") && entry.contains("component"))
        << line;
    if (entry.contains("id") || entry.contains("request")) ++with_request_id;
    for (const std::string& secret : secrets) {
      EXPECT_EQ(line.find(secret), std::string::npos) << secret << " is logged: " << line;
    }
  }
  EXPECT_GT(count, 10);
  EXPECT_GT(with_request_id, 5);
}

}  // namespace
}  // namespace vigil
