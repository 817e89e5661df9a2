// Hostile bodies against the real `vigil serve`: 10^5 levels of nested
// objects and of nested arrays, sent to every route docs/openapi.yaml lists
// (public, registration, verify, agency, SMS and voice webhooks, pages),
// with a valid agency key where one is needed. Each is refused with a 4xx,
// the process never dies, and a normal search is served afterwards.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>

#include "vigil/testing/process.h"
#include "vigil/testing/temp_dir.h"

namespace vigil {
namespace {

using testutil::VigilBinary;

struct Route {
  std::string method, path;
};

// Every route of the API description, as "METHOD /path" with the path's
// parameters filled in.
std::vector<Route> DocumentedRoutes() {
  std::ifstream in(std::string(VIGIL_SOURCE_DIR) + "/docs/openapi.yaml");
  std::vector<Route> routes;
  std::string line, path;
  const std::regex path_line(R"(^  (/[^:]*):\s*$)");
  const std::regex method_line(R"(^    (get|post|put|delete|patch):\s*$)");
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_match(line, m, path_line)) {
      path = m[1];
      path = std::regex_replace(path, std::regex(R"(\{a_number\})"), "100000001");
      path = std::regex_replace(path, std::regex(R"(\{source\})"), "ice-ero");
      path = std::regex_replace(path, std::regex(R"(\{event_id\})"), "E-1");
    } else if (std::regex_match(line, m, method_line)) {
      std::string method = m[1];
      for (char& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      routes.push_back({method, path});
    }
  }
  return routes;
}

std::string NestedObjects(int depth) {
  std::string s;
  s.reserve(static_cast<size_t>(depth) * 6 + 1);
  for (int i = 0; i < depth; ++i) s += "{\"a\":";
  s += "1";
  s.append(static_cast<size_t>(depth), '}');
  return s;
}

std::string NestedArrays(int depth) {
  return std::string(static_cast<size_t>(depth), '[') +
         std::string(static_cast<size_t>(depth), ']');
}

int Status(const std::string& response) {
  if (response.size() < 12 || response.rfind("HTTP/1.1 ", 0) != 0) return 0;
  return std::atoi(response.c_str() + 9);
}

TEST(HostileInput, DeepJsonToEveryRouteIsRefusedAndTheServerKeepsServing) {
  testutil::TempDir dir;
  const std::string db = dir.File("vigil.db");
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), VigilBinary());
    return testutil::Run(args, dir.path().string());
  };
  ASSERT_EQ(
      run({"demo-data", "--subjects", "300", "--seed", "7", "--out", dir.File("demo")}).exit_code,
      0);
  testutil::InitVigil(dir.path().string(), db);
  auto imported = run({"--db", db, "import", "--quiet", dir.File("demo/facilities.jsonl"),
                       dir.File("demo/events.jsonl")});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  auto key = run({"--db",     db,
                  "keys",     "create",
                  "--name",   "all",
                  "--scope",  "feed:write",
                  "--scope",  "subjects:protect",
                  "--scope",  "subjects:override",
                  "--scope",  "victims:enrol",
                  "--scope",  "audit:read",
                  "--scope",  "report:read",
                  "--source", "ice-ero"});
  ASSERT_EQ(key.exit_code, 0) << key.err;
  const std::string auth =
      "Authorization: Bearer " + key.out.substr(0, key.out.size() - 1) + "\r\n";

  const int port = testutil::FreePort();
  testutil::Child server(
      {"/usr/bin/env", "VIGIL_NOTIFY_EMAIL=file", "VIGIL_NOTIFY_SMS=file",
       "VIGIL_NOTIFY_VOICE=file", "VIGIL_TWILIO_AUTH_TOKEN=test-token",
       "VIGIL_LIMITS_REGISTRATIONS_PER_HOUR=0", "VIGIL_LIMITS_SEARCH_PER_MINUTE=0",
       "VIGIL_SECRETS_KEY_FILE=" + dir.File("var/secret.key"),
       "VIGIL_FILE_OUTBOX_DIR=" + dir.File("outbox"), VigilBinary(), "--db", db, "serve",
       "--listen", "127.0.0.1:" + std::to_string(port)},
      dir.path().string());
  ASSERT_TRUE(testutil::WaitFor([&] { return !testutil::HttpGet(port, "/healthz").empty(); },
                                std::chrono::seconds(30)))
      << server.Stderr();

  const std::vector<Route> routes = DocumentedRoutes();
  ASSERT_GT(routes.size(), 20u) << "docs/openapi.yaml was not read";
  const std::string objects = NestedObjects(100000), arrays = NestedArrays(100000);
  int sent = 0;
  for (const Route& route : routes) {
    for (const std::string* body : {&objects, &arrays}) {
      for (const char* type : {"application/json", "application/x-ndjson"}) {
        SCOPED_TRACE(route.method + " " + route.path + " " + type +
                     (body == &objects ? " objects" : " arrays"));
        std::string response =
            testutil::HttpRequest(port, route.method, route.path, *body, type, auth);
        ++sent;
        int status = Status(response);
        // Refused (or, for routes that read no JSON, answered) — never a
        // dropped connection, never a server error.
        EXPECT_GE(status, 200) << response.substr(0, 200);
        EXPECT_LT(status, 500) << response.substr(0, 300);
        ASSERT_FALSE(server.Exited()) << "vigil serve died: " << server.Stderr().substr(0, 2000);
      }
    }
  }
  EXPECT_EQ(sent, static_cast<int>(routes.size()) * 4);

  // And still serves a normal search: someone from the feed is found.
  std::ifstream events(dir.File("demo/events.jsonl"));
  std::string line;
  bool found = false;
  auto escape = [](const std::string& text) {
    std::string out;
    for (unsigned char c : text) {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      out += std::isalnum(c) ? std::string(1, static_cast<char>(c)) : std::string(hex);
    }
    return out;
  };
  for (int i = 0; i < 100 && !found && std::getline(events, line); ++i) {
    std::smatch given, family, country;
    if (!std::regex_search(line, given, std::regex(R"re("given_names":"([^"]+)")re")) ||
        !std::regex_search(line, family, std::regex(R"re("family_names":"([^"]+)")re")) ||
        !std::regex_search(line, country, std::regex(R"re("country_of_birth":"([A-Z]{2})")re"))) {
      continue;
    }
    std::string search =
        testutil::HttpGet(port, "/api/v1/search?given_name=" + escape(given[1]) +
                                    "&family_name=" + escape(family[1]) +
                                    "&country_of_birth=" + std::string(country[1]));
    ASSERT_EQ(Status(search), 200) << search;
    found = testutil::HttpBody(search).find("\"ref\":") != std::string::npos;
  }
  EXPECT_TRUE(found) << "no search found anyone after the hostile requests";
  std::string registration = testutil::HttpRequest(
      port, "POST", "/api/v1/registrations",
      R"({"ref":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","contact":"a@example.org"})");
  EXPECT_EQ(Status(registration), 202) << registration;
  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait().exit_code, 0);
}

}  // namespace
}  // namespace vigil
