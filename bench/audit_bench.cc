// Audit overhead per search: the same public searches through
// GET /api/v1/search in process, without the audit log and with it (a keyed
// hash of the query, an entry queued for the background writer, which
// appends in batches with a signed checkpoint per batch), in the same run.
// Also the writer's own rate: entries made durable per second.
//
//   audit_bench [--subjects=N] [--searches=K]   (default 20,000 and 20,000)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "booked_people.h"
#include "vigil/api/search_routes.h"
#include "vigil/audit/audit_log.h"
#include "vigil/ingest/feed_importer.h"
#include "vigil/search/index_follower.h"
#include "vigil/store/sqlite_store.h"
#include "vigil/testing/notify_fixture.h"
#include "vigil/testing/temp_dir.h"
#include "vigil/text/normalize.h"

namespace {

using namespace vigil;
namespace bhttp = boost::beast::http;

std::string ANumberOf(int i) { return bench::SeriesANumber(4, i); }

}  // namespace

int main(int argc, char** argv) {
  int subjects = 20000, searches = 20000;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--subjects=", 11) == 0) subjects = std::atoi(argv[i] + 11);
    if (std::strncmp(argv[i], "--searches=", 11) == 0) searches = std::atoi(argv[i] + 11);
  }
  testutil::TempDir dir;
  auto store = OpenSqliteStore(dir.File("v.db"));
  SystemClock clock;
  if (!bench::BookPeople(store->get(), &clock, 4, subjects, false)) return 1;
  auto normalizer = text::NameNormalizer::Create();
  search::NameIndex index(normalizer->get());
  std::array<unsigned char, 32> key{};
  auto refs = policy::RefCodec::Create(key);
  policy::DisclosurePolicy policy(&clock, &*refs, policy::PolicyOptions{});
  search::IndexFollower follower(store->get(), &index,
                                 [&](const Subject& s) { return api::PublicListing(policy, s); });
  if (!follower.LoadAll()) return 1;
  auto log = audit::AuditLog::Create(key);
  audit::AuditWriter writer(store->get(), &*log, &clock);

  http::Router plain, audited;
  api::AddSearchRoutes(plain, {store->get(), &index, &policy, &clock, nullptr, nullptr});
  api::AddSearchRoutes(audited,
                       {store->get(), &index, &policy, &clock, nullptr, nullptr, &*log, &writer});
  auto run = [&](http::Router& router) {
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < searches; ++i) {
      http::Request req{bhttp::verb::get,
                        "/api/v1/search?a_number=" + ANumberOf(1 + i % subjects) +
                            "&country_of_birth=GT",
                        11};
      http::RequestContext ctx;
      if (router.Dispatch(req, ctx).result() != bhttp::status::ok) std::abort();
    }
    return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
               .count() /
           searches;
  };
  run(plain);  // warm up
  double without = run(plain);
  auto start = std::chrono::steady_clock::now();
  double with = run(audited);
  writer.Flush();
  double written_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  auto report = audit::Verify(**store, log->public_key());
  if (!report || !report->intact || report->entries != searches) {
    std::fprintf(stderr, "the audit log is not what was searched\n");
    return 1;
  }
  std::printf(
      "audit: %d searches by A-number over %d people\n"
      "  per search without audit %.2f us, with audit %.2f us: overhead %.2f us (ratio %.2f)\n"
      "  all %d entries durable and checkpointed %.2f s after the first search "
      "(%.0f entries/s); log verifies: %lld entries, %lld checkpoints\n",
      searches, subjects, without, with, with - without, without / with, searches, written_s,
      searches / written_s, static_cast<long long>(report->entries),
      static_cast<long long>(report->checkpoints));
  return 0;
}
