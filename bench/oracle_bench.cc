// The timing oracle (DESIGN.md §2.3, §9): over HTTP, against the real
// `vigil serve`, does a request about a withheld person take longer than
// the same request about nobody?
//
// Three pairs of request kinds, each pair the same answer byte for byte
// (checked first):
//   name search      a protected person's name     | the same name with another country of
//                    and country of birth           birth: it matches nobody
//   A-number search  a protected person's number   | the same number with another country:
//                    and country                     it matches nobody
//   registration     the ref of a person withheld  | a forged ref of the same length
//                    since it was handed out
// The searches of a pair differ in the country alone, so that they differ
// in nothing but whether a withheld person matches (two different names
// cost different amounts to normalise and look up, whoever is indexed:
// about 0.4 us between two names one letter apart, measured here).
// All six kinds are interleaved in one shuffled sequence (fixed seed) over
// one keep-alive connection, so that whatever the machine does meanwhile
// falls on every kind alike, and each request is timed from its first byte
// sent to its last byte read. For each pair: medians, 90th percentiles, the
// differences, and a two-sided Mann–Whitney U test (normal approximation
// with ties). Target: |median difference| < 1 µs and p > 0.01.
//
//   oracle_bench [--requests=N] [--subjects=M] [--vigil=PATH]
//     N per kind (default 20,000), M demo people (default 20,000); PATH
//     another build's binary to measure (default: this build's)
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "bench_stats.h"
#include "vigil/testing/process.h"
#include "vigil/testing/temp_dir.h"

namespace {

using namespace vigil;

// The planted people: one protected from the start, one withheld after
// its ref was handed out (the ref the registration pair uses).
constexpr char kPlanted[] =
    R"({"record":"facility","facility_id":"ORC","name":"Oracle County Jail","city":"Flores","state":"AZ","phone":"+15205550100"})"
    "\n"
    R"({"record":"custody_event","source":"ice-ero","event_id":"ORACLE-1","type":"booked","occurred_at":"2026-10-01T10:00:00Z","subject":{"a_number":"099000001","given_names":"Xiomara","family_names":"Quetzaltenango","date_of_birth":"1984-03-02","country_of_birth":"GT"},"facility_id":"ORC","custody_basis":"civil_immigration","protections":["sec1367"]})"
    "\n"
    R"({"record":"custody_event","source":"ice-ero","event_id":"ORACLE-2","type":"booked","occurred_at":"2026-10-01T10:00:00Z","subject":{"a_number":"099000002","given_names":"Wendolyn","family_names":"Chiquimulilla","date_of_birth":"1979-07-12","country_of_birth":"GT"},"facility_id":"ORC","custody_basis":"civil_immigration","protections":[]})"
    "\n"
    "";
// Wendolyn withheld, after her ref was handed out.
constexpr char kWithhold[] =
    R"({"record":"custody_event","source":"ice-ero","event_id":"ORACLE-3","type":"updated","occurred_at":"2026-10-02T10:00:00Z","subject":{"a_number":"099000002","given_names":"Wendolyn","family_names":"Chiquimulilla","date_of_birth":"1979-07-12","country_of_birth":"GT"},"custody_basis":"civil_immigration","protections":["asylum"]})"
    "\n";

struct Kind {
  const char* name;
  std::string request;
};

// One keep-alive HTTP/1.1 connection; Send returns the whole response.
class Connection {
 public:
  explicit Connection(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port));
    ok_ = connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~Connection() { close(fd_); }
  bool ok() const { return ok_; }

  bool Send(const std::string& request, std::string* response) {
    for (size_t done = 0; done < request.size();) {
      ssize_t n = write(fd_, request.data() + done, request.size() - done);
      if (n <= 0) return false;
      done += static_cast<size_t>(n);
    }
    response->clear();
    size_t header_end = std::string::npos, length = 0;
    char buf[16384];
    while (true) {
      if (header_end == std::string::npos) {
        header_end = response->find("\r\n\r\n");
        if (header_end != std::string::npos) {
          size_t at = response->find("Content-Length: ");
          length =
              at == std::string::npos ? 0 : std::strtoul(response->c_str() + at + 16, nullptr, 10);
        }
      }
      if (header_end != std::string::npos && response->size() >= header_end + 4 + length)
        return true;
      ssize_t n = read(fd_, buf, sizeof buf);
      if (n <= 0) return false;
      response->append(buf, static_cast<size_t>(n));
    }
  }

 private:
  int fd_ = -1;
  bool ok_ = false;
};

std::string Get(const std::string& target) {
  return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
}

std::string Post(const std::string& target, const std::string& body) {
  return "POST " + target +
         " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
         "Content-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

// The response without the per-request id.
std::string Comparable(const std::string& response) {
  std::string out;
  size_t start = 0;
  while (start < response.size()) {
    size_t end = response.find("\r\n", start);
    if (end == std::string::npos) end = response.size();
    std::string line = response.substr(start, end - start);
    if (line.rfind("X-Request-Id:", 0) != 0) out += line + "\n";
    start = end + 2;
  }
  return out;
}

using vigil::bench::Percentile;

// Two-sided p-value of the Mann–Whitney U test of `a` against `b` (normal
// approximation, corrected for ties).
double MannWhitneyP(const std::vector<double>& a, const std::vector<double>& b) {
  struct Item {
    double v;
    bool from_a;
  };
  std::vector<Item> all;
  for (double v : a) all.push_back({v, true});
  for (double v : b) all.push_back({v, false});
  std::sort(all.begin(), all.end(), [](const Item& x, const Item& y) { return x.v < y.v; });
  const double n1 = static_cast<double>(a.size()), n2 = static_cast<double>(b.size());
  const double n = n1 + n2;
  double rank_sum_a = 0, ties = 0;
  for (size_t i = 0; i < all.size();) {
    size_t j = i;
    while (j < all.size() && all[j].v == all[i].v) ++j;
    const double rank = (static_cast<double>(i) + static_cast<double>(j) + 1) / 2;  // 1-based mean
    const double t = static_cast<double>(j - i);
    ties += t * t * t - t;
    for (size_t k = i; k < j; ++k) {
      if (all[k].from_a) rank_sum_a += rank;
    }
    i = j;
  }
  const double u = rank_sum_a - n1 * (n1 + 1) / 2;
  const double mean = n1 * n2 / 2;
  const double sigma = std::sqrt(n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1))));
  const double z = (u - mean) / sigma;
  return std::erfc(std::fabs(z) / std::sqrt(2.0));
}

int Fail(const std::string& why) {
  std::fprintf(stderr, "oracle_bench: %s\n", why.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  int requests = 20000, subjects = 20000;
  std::string vigil = VIGIL_BINARY;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--vigil=", 8) == 0) vigil = argv[i] + 8;
    if (std::strncmp(argv[i], "--requests=", 11) == 0) requests = std::atoi(argv[i] + 11);
    if (std::strncmp(argv[i], "--subjects=", 11) == 0) subjects = std::atoi(argv[i] + 11);
  }
  testutil::TempDir dir;
  const std::string db = dir.File("v.db"), key = dir.File("secret.key");
  setenv("VIGIL_SECRETS_KEY_FILE", key.c_str(), 1);
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), vigil);
    return testutil::Run(args, dir.path().string());
  };
  std::fprintf(stderr, "oracle_bench: %d demo people and the planted ones...\n", subjects);
  if (run({"demo-data", "--subjects", std::to_string(subjects), "--seed", "5", "--out",
           dir.File("demo")})
          .exit_code != 0) {
    return Fail("demo-data failed");
  }
  std::ofstream(dir.File("planted.jsonl")) << kPlanted;
  if (auto init = run({"secrets", "init"}); init.exit_code != 0) {
    return Fail("secrets init failed: " + init.err);
  }
  auto imported =
      run({"--db", db, "--create", "import", "--quiet", dir.File("demo/facilities.jsonl"),
           dir.File("demo/events.jsonl"), dir.File("planted.jsonl")});
  if (imported.exit_code != 0) return Fail("import failed: " + imported.err);

  const int port = testutil::FreePort();
  testutil::Child server(
      {"/usr/bin/env", "VIGIL_SECRETS_KEY_FILE=" + key, "VIGIL_LIMITS_SEARCH_PER_MINUTE=0",
       "VIGIL_LIMITS_REGISTRATIONS_PER_HOUR=0", "VIGIL_NOTIFY_EMAIL=file", "VIGIL_NOTIFY_SMS=file",
       "VIGIL_NOTIFY_VOICE=file", "VIGIL_FILE_OUTBOX_DIR=" + dir.File("outbox"), vigil, "--db", db,
       "serve", "--listen", "127.0.0.1:" + std::to_string(port)},
      dir.path().string());
  if (!testutil::WaitFor([&] { return !testutil::HttpGet(port, "/healthz").empty(); },
                         std::chrono::seconds(60))) {
    return Fail("vigil serve did not start: " + server.Stderr());
  }
  // The ref Wendolyn has while she is public, as a client would keep it;
  // then she is withheld by a feed imported beside the running server.
  const std::string wendolyn = "/api/v1/search?a_number=099000002&country_of_birth=GT";
  std::string found = testutil::HttpBody(testutil::HttpGet(port, wendolyn));
  size_t at = found.find("\"ref\":\"");
  if (at == std::string::npos) return Fail("the planted person is not found: " + found);
  const std::string withheld_ref = found.substr(at + 7, found.find('"', at + 7) - at - 7);
  std::ofstream(dir.File("withhold.jsonl")) << kWithhold;
  if (run({"--db", db, "import", "--quiet", dir.File("withhold.jsonl")}).exit_code != 0) {
    return Fail("importing the protection failed");
  }
  if (!testutil::WaitFor(
          [&] {
            return testutil::HttpBody(testutil::HttpGet(port, wendolyn)) == R"({"results":[]})";
          },
          std::chrono::seconds(30))) {
    return Fail("the protection was not followed");
  }
  std::string forged_ref = withheld_ref;
  std::mt19937 rng(1367);
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (char& c : forged_ref) c = alphabet[rng() % alphabet.size()];

  const std::string registration =
      R"({"ref":"REF","channel":"email","contact":"sought@example.org"})";
  auto register_with = [&](const std::string& ref) {
    std::string body = registration;
    body.replace(body.find("REF"), 3, ref);
    return Post("/api/v1/registrations", body);
  };
  const std::vector<Kind> kinds = {
      {"name: withheld", Get("/api/v1/search?given_name=Xiomara&family_name=Quetzaltenango"
                             "&country_of_birth=GT")},
      {"name: nobody", Get("/api/v1/search?given_name=Xiomara&family_name=Quetzaltenango"
                           "&country_of_birth=HN")},
      {"a_number: withheld", Get("/api/v1/search?a_number=099000001&country_of_birth=GT")},
      {"a_number: nobody", Get("/api/v1/search?a_number=099000001&country_of_birth=HN")},
      {"registration: withheld", register_with(withheld_ref)},
      {"registration: forged", register_with(forged_ref)},
  };
  Connection connection(port);
  if (!connection.ok()) return Fail("cannot connect");
  // Each pair answers alike, byte for byte but for the request id.
  std::string first, second;
  for (size_t k = 0; k < kinds.size(); k += 2) {
    if (!connection.Send(kinds[k].request, &first) ||
        !connection.Send(kinds[k + 1].request, &second)) {
      return Fail("a request failed");
    }
    if (Comparable(first) != Comparable(second)) {
      return Fail(std::string(kinds[k].name) + " and " + kinds[k + 1].name +
                  " answer differently:\n" + first + "\n---\n" + second);
    }
  }
  std::fprintf(stderr, "oracle_bench: each pair answers alike (%.60s...)\n",
               testutil::HttpBody(first).c_str());

  // Warm up, then the timed run.
  std::vector<size_t> order;
  for (size_t k = 0; k < kinds.size(); ++k)
    order.insert(order.end(), static_cast<size_t>(requests), k);
  std::shuffle(order.begin(), order.end(), rng);
  std::string response;
  for (size_t i = 0; i < std::min<size_t>(order.size(), 3000); ++i) {
    if (!connection.Send(kinds[order[i] % kinds.size()].request, &response)) {
      return Fail("warm-up failed");
    }
  }
  std::vector<std::vector<double>> us(kinds.size());
  std::fprintf(stderr, "oracle_bench: %zu requests, %d of each kind, interleaved...\n",
               order.size(), requests);
  for (size_t k : order) {
    auto start = std::chrono::steady_clock::now();
    if (!connection.Send(kinds[k].request, &response)) return Fail("a request failed");
    auto end = std::chrono::steady_clock::now();
    us[k].push_back(std::chrono::duration<double, std::micro>(end - start).count());
  }
  server.Signal(SIGTERM);
  server.Wait();

  std::printf(
      "oracle: %d requests of each kind, interleaved, one keep-alive connection, "
      "%d demo people\n",
      requests, subjects);
  bool met = true;
  for (size_t k = 0; k < kinds.size(); k += 2) {
    const auto &a = us[k], &b = us[k + 1];
    double median_a = Percentile(a, 0.5), median_b = Percentile(b, 0.5);
    double p90_a = Percentile(a, 0.9), p90_b = Percentile(b, 0.9);
    double p = MannWhitneyP(a, b);
    double diff = median_a - median_b;
    bool ok = std::fabs(diff) < 1.0 && p > 0.01;
    met = met && ok;
    std::printf(
        "oracle: %-22s median %7.2f us, p90 %7.2f us | %-22s median %7.2f us, p90 %7.2f us | "
        "median diff %+6.2f us, p90 diff %+6.2f us, Mann-Whitney p %.3f: %s\n",
        kinds[k].name, median_a, p90_a, kinds[k + 1].name, median_b, p90_b, diff, p90_a - p90_b, p,
        ok ? "indistinguishable (target met)" : "TARGET NOT MET");
  }
  std::printf("oracle: target |median diff| < 1 us and p > 0.01 for every pair: %s\n",
              met ? "met" : "NOT met");
  return 0;
}
