// Takedown: the time from an agency's protection request to the
// moment a search no longer finds the person — the PUT through the agency
// route (key check, the durable commit that also cancels the person's
// queued notices and suspends their registrations) and the next search by
// A-number answering as for nobody — beside a bare SQLite UPDATE + COMMIT of
// one row with the same pragmas (WAL, synchronous=FULL), in the same run.
//
// Then the same for an accredited advocate's protection request through the
// staff console's form (POST /staff/protect, signed in, CSRF token), which
// withholds provisionally: request to absent, for K other people.
//
//   takedown_bench [--subjects=N] [--takedowns=K]   (default 2,000 and 200)
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "bench_stats.h"
#include "booked_people.h"
#include "vigil/api/agency_keys.h"
#include "vigil/api/agency_routes.h"
#include "vigil/api/search_routes.h"
#include "vigil/api/staff_console.h"
#include "vigil/ingest/feed_importer.h"
#include "vigil/notify/contact_vault.h"
#include "vigil/search/index_follower.h"
#include "vigil/store/sqlite_schema.h"
#include "vigil/store/sqlite_store.h"
#include "vigil/testing/notify_fixture.h"
#include "vigil/testing/temp_dir.h"
#include "vigil/text/normalize.h"

namespace {

using namespace vigil;
namespace bhttp = boost::beast::http;

double Ms(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

using bench::Percentile;

std::string ANumberOf(int i) { return bench::SeriesANumber(3, i); }

}  // namespace

int main(int argc, char** argv) {
  int subjects = 2000, takedowns = 200;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--subjects=", 11) == 0) subjects = std::atoi(argv[i] + 11);
    if (std::strncmp(argv[i], "--takedowns=", 12) == 0) takedowns = std::atoi(argv[i] + 12);
  }
  takedowns = std::min(takedowns, subjects / 2);
  testutil::TempDir dir;
  auto store = OpenSqliteStore(dir.File("v.db"));
  SystemClock clock;
  if (!bench::BookPeople(store->get(), &clock, 3, subjects, true)) return 1;
  // Each person is followed by 5 registrations with a notice queued for each.
  std::array<unsigned char, 32> key{};
  auto vault = notify::ContactVault::Create(key);
  for (int i = 1; i <= 2 * takedowns; ++i) {
    if (!testutil::SeedActiveRegistrations(store->get(), *vault, i, 5, clock.Now())) return 1;
  }
  std::string moves;
  for (int i = 1; i <= takedowns; ++i) {
    moves += testutil::CustodyEventLine("T" + std::to_string(i), "transferred",
                                        "2026-11-02T00:00:00Z", "OTR", ANumberOf(i), "Persona",
                                        "Numero" + std::to_string(i));
  }
  FeedImporter importer(store->get(), &clock);
  if (!importer.ImportText("moves", moves, FeedFormat::kJsonLines, nullptr)) return 1;

  auto normalizer = text::NameNormalizer::Create();
  search::NameIndex index(normalizer->get());
  auto refs = policy::RefCodec::Create(key);
  policy::DisclosurePolicy policy(&clock, &*refs, policy::PolicyOptions{});
  search::IndexFollower follower(store->get(), &index,
                                 [&](const Subject& s) { return api::PublicListing(policy, s); });
  if (!follower.LoadAll()) return 1;
  http::Router router;
  api::AddSearchRoutes(router, {store->get(), &index, &policy, &clock, nullptr, nullptr});
  api::AddAgencyRoutes(router, {store->get(), &clock, nullptr});
  // The staff console, with an accredited advocate signed in.
  auto audit_log = audit::AuditLog::Create(key);
  api::StaffConsoleDependencies console;
  console.desk = {store->get(),          &clock, &*refs, &*vault, &*audit_log, nullptr,
                  std::chrono::hours(24)};
  console.policy = &policy;
  api::AddStaffConsole(router, console);
  const std::string totp = api::staff::NewTotpSecret();
  {
    StaffAccount a;
    a.name = "advocate";
    a.role = "advocate";
    a.password_hash = *api::staff::HashPassword("bench password");
    a.totp_sealed = vault->Seal(totp);
    a.created_at = clock.Now();
    auto w = (*store)->BeginWrite();
    (void)(*w)->controls().InsertStaffAccount(a);
    (void)(*w)->Commit();
  }
  auto made = api::MakeApiKey("bench", {"subjects:protect"}, {}, clock.Now());
  {
    auto w = (*store)->BeginWrite();
    (void)(*w)->controls().InsertApiKey(made->stored);
    (void)(*w)->Commit();
  }
  auto dispatch = [&](bhttp::verb verb, const std::string& target, const std::string& body) {
    http::Request req{verb, target, 11};
    req.body() = body;
    req.set(bhttp::field::authorization, "Bearer " + made->key);
    req.prepare_payload();
    http::RequestContext ctx;
    return router.Dispatch(req, ctx);
  };

  std::vector<double> effect, protect_only;
  for (int i = 1; i <= takedowns; ++i) {
    std::string search = "/api/v1/search?a_number=" + ANumberOf(i) + "&country_of_birth=GT";
    if (dispatch(bhttp::verb::get, search, "").body() == R"({"results":[]})") {
      std::fprintf(stderr, "person %d not found before the takedown\n", i);
      return 1;
    }
    auto start = std::chrono::steady_clock::now();
    auto put = dispatch(bhttp::verb::put, "/api/v1/agency/subjects/" + ANumberOf(i) + "/protections",
                        R"({"protections":["sec1367"],"reason":"bench","legal_basis":"bench"})");
    auto put_done = std::chrono::steady_clock::now();
    auto after = dispatch(bhttp::verb::get, search, "");
    auto end = std::chrono::steady_clock::now();
    if (put.result() != bhttp::status::ok || after.body() != R"({"results":[]})") {
      std::fprintf(stderr, "takedown %d did not take effect: %s\n", i, put.body().c_str());
      return 1;
    }
    effect.push_back(Ms(end - start));
    protect_only.push_back(Ms(put_done - start));
  }

  // The advocate's form: sign in once, then one POST /staff/protect per
  // person, and the next public search.
  auto form = [&](const std::string& target, const std::string& body, const std::string& cookie) {
    http::Request req{body.empty() ? bhttp::verb::get : bhttp::verb::post, target, 11};
    req.body() = body;
    req.set(bhttp::field::host, "bench");
    if (!cookie.empty()) req.set(bhttp::field::cookie, "vigil_staff=" + cookie);
    req.prepare_payload();
    http::RequestContext ctx;
    return router.Dispatch(req, ctx);
  };
  auto between = [](const std::string& text, const std::string& from, const std::string& to) {
    size_t a = text.find(from);
    if (a == std::string::npos) return std::string();
    a += from.size();
    return text.substr(a, text.find(to, a) - a);
  };
  const std::string login_token =
      between(form("/staff/login", "", "").body(), R"(name="csrf" value=")", "\"");
  auto signed_in = form("/staff/login",
                        "csrf=" + login_token + "&name=advocate&password=bench+password&code=" +
                            api::staff::TotpCode(totp, ToUnixMicros(clock.Now()) / 1000000),
                        "");
  const std::string cookie =
      between(std::string(signed_in[bhttp::field::set_cookie]), "vigil_staff=", ";");
  const std::string csrf =
      between(form("/staff/protect", "", cookie).body(), R"(name="csrf" value=")", "\"");
  if (cookie.empty() || csrf.empty()) {
    std::fprintf(stderr, "the advocate could not sign in\n");
    return 1;
  }
  std::vector<double> requested;
  for (int i = takedowns + 1; i <= 2 * takedowns; ++i) {
    std::string search = "/api/v1/search?a_number=" + ANumberOf(i) + "&country_of_birth=GT";
    if (dispatch(bhttp::verb::get, search, "").body() == R"({"results":[]})") {
      std::fprintf(stderr, "person %d not found before the request\n", i);
      return 1;
    }
    auto start = std::chrono::steady_clock::now();
    auto sent = form("/staff/protect",
                     "csrf=" + csrf + "&identifier=" + ANumberOf(i) + "&reason=vawa", cookie);
    auto after = dispatch(bhttp::verb::get, search, "");
    auto end = std::chrono::steady_clock::now();
    if (sent.result() != bhttp::status::ok || after.body() != R"({"results":[]})") {
      std::fprintf(stderr, "request %d did not take effect: %d\n", i, sent.result_int());
      return 1;
    }
    requested.push_back(Ms(end - start));
  }

  // Baseline: one durable UPDATE + COMMIT per person, bare SQLite.
  sqlite3* db = nullptr;
  sqlite3_open(dir.File("bare.db").c_str(), &db);
  sqlite3_exec(db, SqliteConnectionPragmas(), nullptr, nullptr, nullptr);
  sqlite3_exec(db,
               "CREATE TABLE subjects (subject_id INTEGER PRIMARY KEY, a_number TEXT UNIQUE, "
               "protections INTEGER NOT NULL DEFAULT 0)",
               nullptr, nullptr, nullptr);
  sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
  for (int i = 1; i <= takedowns; ++i) {
    std::string sql = "INSERT INTO subjects (a_number) VALUES ('" + ANumberOf(i) + "')";
    sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  }
  sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  std::vector<double> bare;
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "UPDATE subjects SET protections = 1 WHERE a_number = ?1", -1, &stmt,
                     nullptr);
  for (int i = 1; i <= takedowns; ++i) {
    auto start = std::chrono::steady_clock::now();
    sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    std::string a = ANumberOf(i);
    sqlite3_bind_text(stmt, 1, a.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_step(stmt);
    sqlite3_reset(stmt);
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    bare.push_back(Ms(std::chrono::steady_clock::now() - start));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);

  std::printf(
      "takedown: %d people of %d, each with 5 queued notices\n"
      "  protection request to a search that no longer finds them: p50 %.3f ms  p99 %.3f ms\n"
      "  of which the protection request (key check, durable commit, cancel 5, suspend 5): "
      "p50 %.3f ms\n"
      "  bare SQLite UPDATE + COMMIT of one row, same pragmas: p50 %.3f ms  p99 %.3f ms\n"
      "  ratio (bare / takedown, p50): %.2f\n"
      "  an accredited advocate's protection request (POST /staff/protect) to a search that no "
      "longer finds them: p50 %.3f ms  p99 %.3f ms; ratio (bare / request, p50): %.2f\n",
      takedowns, subjects, Percentile(effect, 0.5), Percentile(effect, 0.99),
      Percentile(protect_only, 0.5), Percentile(bare, 0.5), Percentile(bare, 0.99),
      Percentile(bare, 0.5) / Percentile(effect, 0.5), Percentile(requested, 0.5),
      Percentile(requested, 0.99), Percentile(bare, 0.5) / Percentile(requested, 0.5));
  return 0;
}
