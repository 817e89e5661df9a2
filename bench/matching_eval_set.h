// Benchmark support: the labelled name pairs of tests/data/matching_eval.tsv
// (see bench/make_matching_eval.py), read into records to index and cases to
// ask. Shared by matching_eval and pg_search_bench so both engines answer the
// same questions.
#ifndef VIGIL_BENCH_MATCHING_EVAL_SET_H_
#define VIGIL_BENCH_MATCHING_EVAL_SET_H_

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "vigil/core/domain.h"
#include "vigil/search/name_index.h"
#include "vigil/text/normalize.h"

namespace vigil::bench {

struct EvalCase {
  size_t line = 0;
  std::string family;  // exact, han, hypocorism, abbreviation, particle, cyrillic, arabic, iberian
  bool match = false;  // the query means the record's person (else: someone else)
  std::string note;
  search::NameQuery query;
  int64_t record_id = 0;
};

struct EvalSet {
  std::vector<Subject> records;  // each distinct record once, ids from `first_id` on
  std::vector<EvalCase> cases;
};

// Reads `path`; exits with the file and line on a malformed line.
inline EvalSet ReadEvalSet(const std::string& path, int64_t first_id) {
  auto die = [&](size_t line, const std::string& why) {
    std::fprintf(stderr, "%s:%zu: %s\n", path.c_str(), line, why.c_str());
    std::exit(2);
  };
  std::ifstream in(path);
  if (!in) die(0, "cannot read");
  EvalSet set;
  std::map<std::string, int64_t> ids;  // given \t family \t country -> id
  std::string line;
  for (size_t number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f;
    for (size_t start = 0;;) {
      size_t end = line.find('\t', start);
      f.push_back(line.substr(start, end == std::string::npos ? end : end - start));
      if (end == std::string::npos) break;
      start = end + 1;
    }
    if (f.size() != 8)
      die(number, "expected 8 tab-separated fields, found " + std::to_string(f.size()));
    if (f[1] != "match" && f[1] != "nomatch") die(number, "label must be match or nomatch");
    if (f[2].empty() || f[3].empty() || f[5].empty() || f[6].empty() || f[4].size() != 2) {
      die(number, "names must not be empty and the country is two letters");
    }
    auto [it, fresh] = ids.try_emplace(f[2] + "\t" + f[3] + "\t" + f[4],
                                       first_id + static_cast<int64_t>(ids.size()));
    if (fresh) {
      Subject s;
      s.subject_id = it->second;
      s.given_names = f[2];
      s.family_names = f[3];
      s.country_of_birth = f[4];
      set.records.push_back(std::move(s));
    }
    set.cases.push_back(
        {number, f[0], f[1] == "match", f[7], {f[5], f[6], f[4], std::nullopt}, it->second});
  }
  return set;
}

// Removes from `people` everyone who is an exact namesake of a record of
// `set`: born in the same country, with a name that normalises to the same
// letters in some form (the written order or the other, syllables spaced or
// joined, one script or another: 李浩然 and Haoran Li). Such a person ties
// with the record, and no search by name can tell them apart.
inline void DropNamesakes(std::vector<Subject>& people, const EvalSet& set,
                          const text::NameNormalizer& normalizer) {
  auto keys = [&](const Subject& s) {
    std::vector<std::string> out;
    for (const auto& form : normalizer.Normalize(s.given_names + " " + s.family_names)) {
      std::string letters = form;
      std::erase(letters, ' ');
      std::sort(letters.begin(), letters.end());
      out.push_back(s.country_of_birth + ":" + letters);
    }
    return out;
  };
  std::set<std::string> records;
  for (const Subject& s : set.records) {
    for (auto& k : keys(s)) records.insert(std::move(k));
  }
  std::erase_if(people, [&](const Subject& s) {
    auto ks = keys(s);
    return std::any_of(ks.begin(), ks.end(), [&](const std::string& k) { return records.count(k); });
  });
}

}  // namespace vigil::bench

#endif  // VIGIL_BENCH_MATCHING_EVAL_SET_H_
