// Name matching, evaluated: the labelled query/record pairs of
// tests/data/matching_eval.tsv (written by bench/make_matching_eval.py) are
// searched in an index that also holds a demo population of other people,
// and the program prints, per family of variation, recall@5 (the record is
// among the first five hits for a query that means it), top-1 (no one
// ranks above it) and the false-match rate (the record is among the first
// five for a query that names someone else). With --check it exits 1 unless
// the targets of issue 18 hold: recall@5 >= 0.97 overall and >= 0.9 in
// every family, top-1 100% on exact forms, false matches <= 0.5%.
//
//   matching_eval [--set=PATH] [--distractors=N] [--check] [--misses]
//                 [--min-recall=R] [--min-family-recall=R] [--max-false-match=F]
//
// --check holds the targets unless the --min/--max flags give
// floors instead (the test suite's guard while a target is not yet met).
//
// --distractors: demo people indexed beside the records (default 100,000;
// their ids come first, so a record loses every tie with one of them).
// --misses: print each missed match and each false match.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "bench_stats.h"
#include "demo_population.h"
#include "matching_eval_set.h"

namespace vigil {
namespace {

struct Tally {
  size_t matches = 0, found = 0, first = 0;
  size_t others = 0, false_matches = 0;
};

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "matching_eval: %s\n", what.c_str());
  std::exit(2);
}

using bench::Percentile;

int Main(int argc, char** argv) {
  std::string set = VIGIL_MATCHING_EVAL;
  int distractors = 100000;
  bool check = false, misses = false;
  double min_recall = 0.97, min_family_recall = 0.9, max_false_match = 0.005;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--set=", 0) == 0) {
      set = a.substr(6);
    } else if (a.rfind("--distractors=", 0) == 0) {
      distractors = std::atoi(a.c_str() + 14);
    } else if (a == "--check") {
      check = true;
    } else if (a == "--misses") {
      misses = true;
    } else if (a.rfind("--min-recall=", 0) == 0) {
      min_recall = std::atof(a.c_str() + 13);
    } else if (a.rfind("--min-family-recall=", 0) == 0) {
      min_family_recall = std::atof(a.c_str() + 20);
    } else if (a.rfind("--max-false-match=", 0) == 0) {
      max_false_match = std::atof(a.c_str() + 18);
    } else if (a == "--help" || a == "-h") {
      std::printf(
          "usage: matching_eval [--set=PATH] [--distractors=N] [--check] [--misses]\n"
          "                     [--min-recall=R] [--min-family-recall=R] [--max-false-match=F]\n"
          "Prints recall@5, top-1 and false matches per family of name variation.\n");
      return 0;
    } else {
      Die("unknown argument '" + a + "' (try --help)");
    }
  }

  auto normalizer = text::NameNormalizer::Create();
  if (!normalizer) Die(normalizer.error().ToString());
  search::NameIndex index(normalizer->get());
  auto start = std::chrono::steady_clock::now();
  std::vector<Subject> people =
      distractors > 0 ? bench::DemoPopulation(distractors) : std::vector<Subject>{};
  // Record ids follow the demo people's (ties go to the earlier id: to them).
  bench::EvalSet eval = bench::ReadEvalSet(set, static_cast<int64_t>(people.size()) + 1);
  const size_t demo = people.size();
  bench::DropNamesakes(people, eval, **normalizer);
  for (const Subject& s : people) index.Upsert(s, bench::DemoListing(s));
  for (const Subject& s : eval.records) index.Upsert(s);
  double build = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::map<std::string, Tally> tallies;
  Tally all;
  std::vector<double> micros;
  for (const bench::EvalCase& c : eval.cases) {
    auto t0 = std::chrono::steady_clock::now();
    auto hits = index.Search(c.query, 5);
    micros.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
    auto at = std::find_if(hits.begin(), hits.end(),
                           [&](const search::SearchHit& h) { return h.subject_id == c.record_id; });
    Tally& t = tallies[c.family];
    auto describe = [&](const char* what) {
      std::printf("%s line %zu (%s, %s): %s %s [%s] ->", what, c.line, c.family.c_str(),
                  c.note.c_str(), c.query.given_name.c_str(), c.query.family_name.c_str(),
                  c.query.country.c_str());
      for (const auto& h : hits)
        std::printf(" %lld:%.3f", static_cast<long long>(h.subject_id), h.score);
      std::printf(" (record %lld)\n", static_cast<long long>(c.record_id));
    };
    if (c.match) {
      ++t.matches;
      ++all.matches;
      if (at != hits.end()) {
        ++t.found;
        ++all.found;
        // First: no one scored above the record (people of the same name tie).
        if (hits.front().score <= at->score) {
          ++t.first;
          ++all.first;
        } else if (misses && c.family == "exact") {
          describe("NOT FIRST");
        }
      } else if (misses) {
        describe("MISSED");
      }
    } else {
      ++t.others;
      ++all.others;
      if (at != hits.end()) {
        ++t.false_matches;
        ++all.false_matches;
        if (misses) describe("FALSE MATCH");
      }
    }
  }

  auto rate = [](size_t a, size_t b) { return b == 0 ? 1.0 : static_cast<double>(a) / b; };
  std::printf(
      "matching_eval: %zu cases (%zu records) among %zu other people; index built in %.1f s\n",
      eval.cases.size(), eval.records.size(), people.size(), build);
  std::printf("%-13s %7s %9s %7s %8s %12s\n", "family", "matches", "recall@5", "top-1", "others",
              "false match");
  bool met = true, floors = true;
  for (const auto& [family, t] : tallies) {
    double recall = rate(t.found, t.matches);
    double fmr = t.others == 0 ? 0 : static_cast<double>(t.false_matches) / t.others;
    std::printf("%-13s %7zu %9.3f %7.3f %8zu %11.2f%%\n", family.c_str(), t.matches, recall,
                rate(t.first, t.matches), t.others, 100 * fmr);
    if (t.matches > 0 && recall < 0.9) met = false;
    if (t.matches > 0 && recall < min_family_recall) floors = false;
    if (family == "exact" && t.first != t.matches) met = floors = false;
  }
  double recall = rate(all.found, all.matches);
  double fmr = all.others == 0 ? 0 : static_cast<double>(all.false_matches) / all.others;
  std::printf("%-13s %7zu %9.3f %7.3f %8zu %11.2f%%\n", "all", all.matches, recall,
              rate(all.first, all.matches), all.others, 100 * fmr);
  std::printf("query latency: p50 %.1f us, p99 %.1f us, max %.1f us\n", Percentile(micros, 0.5),
              Percentile(micros, 0.99), Percentile(micros, 1.0));
  if (recall < 0.97 || fmr > 0.005) met = false;
  if (recall < min_recall || fmr > max_false_match) floors = false;
  std::printf(
      "targets (recall@5 >= 0.97 overall and >= 0.9 per family, exact top-1 100%%, "
      "false matches <= 0.5%%): %s\n",
      met ? "met" : "NOT met");
  if (all.matches < 2000 || all.others < all.matches) {
    std::printf("the set is too small: at least 2,000 matches and as many non-matches\n");
    met = floors = false;
  }
  std::printf(
      "floors checked (recall@5 >= %.3f overall, >= %.3f per family, false matches <= "
      "%.2f%%): %s\n",
      min_recall, min_family_recall, 100 * max_false_match, floors ? "held" : "NOT held");
  return check && !floors ? 1 : 0;
}

}  // namespace
}  // namespace vigil

int main(int argc, char** argv) { return vigil::Main(argc, argv); }
