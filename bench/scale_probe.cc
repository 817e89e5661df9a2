// The in-process half of bench/scale_curve.sh: opens a store the way
// `vigil serve` does, builds the public name index from it (IndexFollower::
// LoadAll with the disclosure policy's listing, as serve does at start),
// then answers searches through api::RunPublicSearch — the function behind
// GET /api/v1/search and the web form: index candidates, then the gate
// against the store — and times each one. No HTTP, no audit.
//
//   scale_probe --db=PATH --queries=FILE [--searches=N]   (default 100,000)
//   scale_probe --raw-lines=FEED --db=PATH    the ingest floor (raw_line_floor.h)
//
// FILE has one query a line, tab-separated: `name GIVEN FAMILY COUNTRY` or
// `a_number A-NUMBER COUNTRY`; they are asked in turn until N are done.
// Prints one line of `key=value` figures (seconds, microseconds, KiB) for
// the script to read.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "bench_stats.h"
#include "raw_line_floor.h"
#include "vigil/api/search_routes.h"
#include "vigil/app/config.h"
#include "vigil/app/services.h"
#include "vigil/search/index_follower.h"
#include "vigil/search/name_index.h"
#include "vigil/text/normalize.h"

namespace vigil {
namespace {

using SteadyClock = std::chrono::steady_clock;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "scale_probe: %s\n", what.c_str());
  std::exit(2);
}

double Seconds(SteadyClock::time_point since) {
  return std::chrono::duration<double>(SteadyClock::now() - since).count();
}

std::vector<std::map<std::string, std::string>> ReadQueries(const std::string& path) {
  std::ifstream in(path);
  if (!in) Die("cannot read " + path);
  std::vector<std::map<std::string, std::string>> queries;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    std::vector<std::string> f;
    std::stringstream fields(line);
    for (std::string part; std::getline(fields, part, '\t');) f.push_back(part);
    if (f.size() == 4 && f[0] == "name") {
      queries.push_back({{"given_name", f[1]}, {"family_name", f[2]}, {"country_of_birth", f[3]}});
    } else if (f.size() == 3 && f[0] == "a_number") {
      queries.push_back({{"a_number", f[1]}, {"country_of_birth", f[2]}});
    } else {
      Die(path + ":" + std::to_string(number) +
          ": expected `name GIVEN FAMILY COUNTRY` or `a_number A-NUMBER COUNTRY`, tab-separated");
    }
  }
  if (queries.empty()) Die(path + " holds no query");
  return queries;
}

int Main(int argc, char** argv) {
  std::string db, queries_path, raw_lines;
  long searches = 100000;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--db=", 0) == 0) {
      db = arg.substr(5);
    } else if (arg.rfind("--queries=", 0) == 0) {
      queries_path = arg.substr(10);
    } else if (arg.rfind("--raw-lines=", 0) == 0) {
      raw_lines = arg.substr(12);
    } else if (arg.rfind("--searches=", 0) == 0) {
      searches = std::atol(arg.c_str() + 11);
    } else {
      Die("unknown argument " + arg +
          " (usage: scale_probe --db=PATH --queries=FILE [--searches=N] | --raw-lines=FEED "
          "--db=PATH)");
    }
  }
  if (!raw_lines.empty() && !db.empty()) {
    try {
      const bench::RawLineRun run = bench::InsertRawLines(db, raw_lines);
      std::printf("lines=%lld seconds=%.2f\n", static_cast<long long>(run.lines), run.seconds);
      return 0;
    } catch (const std::exception& e) {
      Die(e.what());
    }
  }
  if (db.empty() || queries_path.empty() || searches <= 0) Die("--db, --queries and --searches>0");
  auto queries = ReadQueries(queries_path);

  auto config = LoadConfig("", ProcessEnvironment());  // VIGIL_SECRETS_KEY_FILE, as serve reads it
  if (!config) Die(config.error().message());
  config->store.url = "sqlite:" + db;
  // The index is heap; SQLite's mapped pages, also resident once the load
  // has read them, are not the index's.
  const long anon_before = bench::StatusKb("RssAnon");
  const auto start = SteadyClock::now();
  auto services = Services::Open(*config, Services::kStore | Services::kGate);
  if (!services) Die(services.error().message());
  auto normalizer = text::NameNormalizer::Create();
  if (!normalizer) Die(normalizer.error().message());
  const policy::DisclosurePolicy& policy = *(*services)->policy;
  search::NameIndex index(normalizer->get());
  search::IndexFollower follower((*services)->store.get(), &index, [&policy](const Subject& s) {
    return api::PublicListing(policy, s);
  });
  auto loaded = follower.LoadAll();
  if (!loaded) Die(loaded.error().message());
  const double load_seconds = Seconds(start);
  const long rss_loaded = bench::RssKb();
  const long index_kb = bench::StatusKb("RssAnon") - anon_before;

  api::SearchDependencies deps;
  deps.store = (*services)->store.get();
  deps.index = &index;
  deps.policy = &policy;
  deps.clock = &(*services)->clock;
  std::vector<double> micros;
  micros.reserve(static_cast<size_t>(searches));
  long found = 0;
  for (long i = 0; i < searches; ++i) {
    const auto& params = queries[static_cast<size_t>(i) % queries.size()];
    const auto t = SteadyClock::now();
    auto result = api::RunPublicSearch(deps, params);
    micros.push_back(Seconds(t) * 1e6);
    if (!result) Die("search " + std::to_string(i) + ": " + result.error().message());
    found += result->empty() ? 0 : 1;
  }
  std::printf(
      "subjects=%lld load_s=%.2f rss_loaded_kb=%ld rss_index_kb=%ld rss_after_kb=%ld "
      "searches=%ld found=%ld p50_us=%.1f p99_us=%.1f max_us=%.1f\n",
      static_cast<long long>(*loaded), load_seconds, rss_loaded, index_kb, bench::RssKb(), searches,
      found, bench::Percentile(micros, 0.5), bench::Percentile(micros, 0.99),
      bench::Percentile(micros, 1.0));
  return 0;
}

}  // namespace
}  // namespace vigil

int main(int argc, char** argv) { return vigil::Main(argc, argv); }
