// vigil's name search beside the same queries as SQL in PostgreSQL 15
// (pg_trgm similarity over unaccented full names, with fuzzystrmatch's
// dmetaphone of the first surname as a bonus) over the same demo people, in
// one run: time per query and recall@5 for each. PostgreSQL runs in a
// throwaway cluster on a loopback port; its times include the round trip.
//
//   pg_search_bench [--subjects=N] [--queries=Q] [--eval[=PATH]]   (default 200,000 / 2,000)
//
// --eval also indexes the records of the name-matching evaluation set
// (tests/data/matching_eval.tsv) in both engines, asks its queries of both,
// and prints recall@5 and the false-match rate per family of variation.
#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>

#include "bench_stats.h"
#include "demo_population.h"
#include "matching_eval_set.h"
#include "vigil/testing/postgres_cluster.h"

namespace {

using SteadyClock = std::chrono::steady_clock;
using vigil::bench::NamedQuery;

struct Outcome {
  std::vector<double> micros;
  int found[5] = {0}, total[5] = {0};
};

using vigil::bench::Percentile;

void Report(const char* engine, const Outcome& o) {
  int found = 0, total = 0;
  for (int k = 0; k < 5; ++k) {
    found += o.found[k];
    total += o.total[k];
  }
  std::printf("%-10s p50 %8.1f us  p99 %9.1f us  recall@5 %.3f  (", engine,
              Percentile(o.micros, 0.5), Percentile(o.micros, 0.99),
              static_cast<double>(found) / std::max(1, total));
  for (int k = 0; k < 5; ++k) {
    std::printf("%s%s %.2f", k ? ", " : "", vigil::bench::kQueryKinds[k],
                static_cast<double>(o.found[k]) / std::max(1, o.total[k]));
  }
  std::printf(")\n");
}

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "pg_search_bench: %s\n", what.c_str());
  std::exit(1);
}

void Exec(PGconn* conn, const char* sql) {
  PGresult* r = PQexec(conn, sql);
  auto status = PQresultStatus(r);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    std::string msg = std::string(sql).substr(0, 60) + ": " + PQerrorMessage(conn);
    PQclear(r);
    Die(msg);
  }
  PQclear(r);
}

// Recall@5 and false matches per family, for one engine.
struct EvalTally {
  int matches = 0, found = 0, others = 0, false_matches = 0;
};
using EvalTallies = std::map<std::string, EvalTally>;

void Count(EvalTallies& tallies, const vigil::bench::EvalCase& c, bool hit) {
  for (EvalTally* t : {&tallies[c.family], &tallies["all"]}) {
    if (c.match) {
      ++t->matches;
      t->found += hit;
    } else {
      ++t->others;
      t->false_matches += hit;
    }
  }
}

void ReportEval(const EvalTallies& ours, const EvalTallies& theirs) {
  std::printf("\nevaluation set: recall@5 (false matches) per family\n%-13s %20s %20s\n", "family",
              "vigil", "postgres");
  for (const auto& [family, a] : ours) {
    const EvalTally& b = theirs.at(family);
    auto cell = [](const EvalTally& t) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.3f (%.2f%%)",
                    static_cast<double>(t.found) / std::max(1, t.matches),
                    100.0 * t.false_matches / std::max(1, t.others));
      return std::string(buf);
    };
    std::printf("%-13s %20s %20s\n", family.c_str(), cell(a).c_str(), cell(b).c_str());
  }
}

double Seconds(SteadyClock::time_point since) {
  return std::chrono::duration<double>(SteadyClock::now() - since).count();
}

}  // namespace

int main(int argc, char** argv) {
  int subjects = 200'000, queries = 2'000;
  std::string eval_path;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--subjects=", 11) == 0) subjects = std::atoi(argv[i] + 11);
    if (std::strncmp(argv[i], "--queries=", 10) == 0) queries = std::atoi(argv[i] + 10);
    if (std::strcmp(argv[i], "--eval") == 0) eval_path = VIGIL_MATCHING_EVAL;
    if (std::strncmp(argv[i], "--eval=", 7) == 0) eval_path = argv[i] + 7;
  }
  std::fprintf(stderr, "pg_search_bench: %d demo subjects, %d queries\n", subjects, queries);
  auto people = vigil::bench::DemoPopulation(subjects);
  vigil::bench::EvalSet eval;
  if (!eval_path.empty()) {
    eval = vigil::bench::ReadEvalSet(eval_path, static_cast<int64_t>(people.size()) + 1);
    auto normalizer = vigil::text::NameNormalizer::Create();
    if (!normalizer) Die(normalizer.error().ToString());
    vigil::bench::DropNamesakes(people, eval, **normalizer);
    people.insert(people.end(), eval.records.begin(), eval.records.end());
  }
  // Asked after namesakes of the evaluation's records are gone (their ids stay).
  auto asked = vigil::bench::DemoQueries(people, queries);
  EvalTallies our_eval, their_eval;

  // vigil
  auto normalizer = vigil::text::NameNormalizer::Create();
  if (!normalizer) Die(normalizer.error().ToString());
  vigil::search::NameIndex index(normalizer->get());
  auto start = SteadyClock::now();
  for (const auto& s : people) index.Upsert(s);
  double vigil_build = Seconds(start);
  Outcome ours;
  for (const NamedQuery& q : asked) {
    auto t = SteadyClock::now();
    auto hits = index.Search(q.query, 5);
    ours.micros.push_back(1e6 * Seconds(t));
    ++ours.total[q.kind];
    ours.found[q.kind] += std::any_of(hits.begin(), hits.end(),
                                      [&](const auto& h) { return h.subject_id == q.expected_id; });
  }

  for (const auto& c : eval.cases) {
    auto hits = index.Search(c.query, 5);
    Count(our_eval, c, std::any_of(hits.begin(), hits.end(), [&](const auto& h) {
            return h.subject_id == c.record_id;
          }));
  }

  // PostgreSQL
  vigil::testutil::ThrowawayCluster cluster;
  cluster.AddSettings("shared_buffers = 512MB\nwork_mem = 64MB\nmaintenance_work_mem = 512MB\n");
  if (std::string error = cluster.Start(); !error.empty()) Die(error);
  std::unique_ptr<PGconn, decltype(&PQfinish)> conn(PQconnectdb(cluster.ConnectionString().c_str()),
                                                    &PQfinish);
  if (PQstatus(conn.get()) != CONNECTION_OK) Die(PQerrorMessage(conn.get()));
  Exec(conn.get(),
       "CREATE EXTENSION pg_trgm; CREATE EXTENSION fuzzystrmatch; CREATE EXTENSION unaccent;"
       "CREATE TABLE people (id bigint PRIMARY KEY, country text NOT NULL, given text NOT NULL,"
       " family text NOT NULL)");
  start = SteadyClock::now();
  PGresult* copy = PQexec(conn.get(), "COPY people FROM STDIN");
  if (PQresultStatus(copy) != PGRES_COPY_IN) Die(PQerrorMessage(conn.get()));
  PQclear(copy);
  std::string buffer;
  for (const auto& s : people) {
    buffer += std::to_string(s.subject_id) + "\t" + s.country_of_birth + "\t" + s.given_names +
              "\t" + s.family_names + "\n";  // demo names hold no tab, newline or backslash
    if (buffer.size() > (1 << 20)) {
      PQputCopyData(conn.get(), buffer.data(), static_cast<int>(buffer.size()));
      buffer.clear();
    }
  }
  PQputCopyData(conn.get(), buffer.data(), static_cast<int>(buffer.size()));
  PQputCopyEnd(conn.get(), nullptr);
  PQclear(PQgetResult(conn.get()));
  Exec(conn.get(),
       "ALTER TABLE people ADD COLUMN norm text, ADD COLUMN family_code text;"
       "UPDATE people SET norm = lower(unaccent(given || ' ' || family)),"
       " family_code = dmetaphone(split_part(lower(unaccent(family)), ' ', 1));"
       "CREATE INDEX people_norm_trgm ON people USING gin (norm gin_trgm_ops);"
       "CREATE INDEX people_country ON people (country)");
  Exec(conn.get(), "VACUUM ANALYZE people");  // not allowed inside the batch's transaction
  double pg_build = Seconds(start);
  PGresult* prepared = PQprepare(
      conn.get(), "find",
      "SELECT id FROM people WHERE country = $1 AND norm % lower(unaccent($2)) "
      "ORDER BY similarity(norm, lower(unaccent($2))) + CASE WHEN family_code = "
      "dmetaphone(split_part(lower(unaccent($3)), ' ', 1)) THEN 0.1 ELSE 0 END DESC, id LIMIT 5",
      3, nullptr);
  if (PQresultStatus(prepared) != PGRES_COMMAND_OK) Die(PQerrorMessage(conn.get()));
  PQclear(prepared);
  Outcome theirs;
  for (const NamedQuery& q : asked) {
    std::string full = q.query.given_name + " " + q.query.family_name;
    const char* params[3] = {q.query.country.c_str(), full.c_str(), q.query.family_name.c_str()};
    auto t = SteadyClock::now();
    PGresult* r = PQexecPrepared(conn.get(), "find", 3, params, nullptr, nullptr, 0);
    theirs.micros.push_back(1e6 * Seconds(t));
    if (PQresultStatus(r) != PGRES_TUPLES_OK) Die(PQerrorMessage(conn.get()));
    bool hit = false;
    for (int row = 0; row < PQntuples(r); ++row) {
      hit = hit || std::atoll(PQgetvalue(r, row, 0)) == q.expected_id;
    }
    PQclear(r);
    ++theirs.total[q.kind];
    theirs.found[q.kind] += hit;
  }
  for (const auto& c : eval.cases) {
    std::string full = c.query.given_name + " " + c.query.family_name;
    const char* params[3] = {c.query.country.c_str(), full.c_str(), c.query.family_name.c_str()};
    PGresult* r = PQexecPrepared(conn.get(), "find", 3, params, nullptr, nullptr, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) Die(PQerrorMessage(conn.get()));
    bool hit = false;
    for (int row = 0; row < PQntuples(r); ++row) {
      hit = hit || std::atoll(PQgetvalue(r, row, 0)) == c.record_id;
    }
    PQclear(r);
    Count(their_eval, c, hit);
  }

  std::printf("\nname search over %zu demo subjects, %zu queries (the same for both)\n",
              people.size(), asked.size());
  std::printf(
      "build: vigil index %.1f s; PostgreSQL load + unaccent/dmetaphone + GIN trigram "
      "index %.1f s\n",
      vigil_build, pg_build);
  Report("vigil", ours);
  Report("postgres", theirs);
  std::printf("ratio: PostgreSQL p50 / vigil p50 = %.1f\n",
              Percentile(theirs.micros, 0.5) / std::max(0.001, Percentile(ours.micros, 0.5)));
  if (!eval.cases.empty()) ReportEval(our_eval, their_eval);
  return 0;
}
