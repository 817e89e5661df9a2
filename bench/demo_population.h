// Benchmark support: the people of a `vigil demo-data` feed as Subjects, and
// a reproducible set of name queries about them of five kinds. Shared by the
// search benchmarks so every engine answers exactly the same questions.
#ifndef VIGIL_BENCH_DEMO_POPULATION_H_
#define VIGIL_BENCH_DEMO_POPULATION_H_

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "vigil/app/demo_data.h"
#include "vigil/ingest/record_parser.h"
#include "vigil/search/name_index.h"
#include "vigil/testing/temp_dir.h"

namespace vigil::bench {

inline constexpr const char* kQueryKinds[5] = {"exact", "accents dropped", "typo",
                                               "order swapped", "second surname missing"};

struct NamedQuery {
  search::NameQuery query;
  int64_t expected_id = 0;
  int kind = 0;  // index into kQueryKinds
};

// The first event of each person in a demo feed of `subjects` people (seed
// 7), with subject ids 1..N in order of first appearance.
inline std::vector<Subject> DemoPopulation(int subjects) {
  testutil::TempDir dir;
  DemoOptions options;
  options.subjects = subjects;
  options.seed = 7;
  options.out_dir = dir.File("feed");
  options.as_of = std::chrono::sys_days(std::chrono::year(2026) / 11 / 22);
  if (auto r = WriteDemoFeed(options); !r) {
    std::fprintf(stderr, "demo feed: %s\n", r.error().ToString().c_str());
    std::exit(1);
  }
  std::vector<Subject> out;
  std::ifstream in(options.out_dir + "/events.jsonl");
  std::unordered_map<std::string, size_t> seen;
  std::string line;
  Timestamp now = SystemClock().Now();
  while (std::getline(in, line)) {
    auto parsed = ParseJsonLine(line, now);
    if (!parsed) continue;
    const auto& e = std::get<CustodyEvent>(*parsed);
    if (!seen.try_emplace(e.subject->a_number.digits(), out.size()).second) continue;
    Subject s;
    s.subject_id = static_cast<int64_t>(out.size() + 1);
    s.a_number = e.subject->a_number;
    s.given_names = e.subject->given_names;
    s.family_names = e.subject->family_names;
    s.aliases = e.subject->aliases;
    s.date_of_birth = e.subject->date_of_birth;
    s.country_of_birth = e.subject->country_of_birth;
    s.protections = e.protections;
    out.push_back(std::move(s));
  }
  return out;
}

// How the public lookup lists a demo person, as far as the person alone
// decides it (no custody state here): protected people, people who may be
// under 18 on 2026-11-22 and people with an unknown or partial birth date
// are withheld and their matches recorded, as DisclosurePolicy and
// api::PublicListing would have it; everyone else is listed.
inline search::Listing DemoListing(const Subject& s) {
  const auto& dob = s.date_of_birth;
  bool minor = dob && (dob->year > 2008 || (dob->year == 2008 && (dob->month > 11 ||
                                                                  (dob->month == 11 && dob->day > 22))));
  if (!s.protections.empty()) return {false, true, 1};
  if (!dob || dob->month == 0 || dob->day == 0) return {false, true, 2};
  if (minor) return {false, true, 3};
  return {};
}

inline std::string FoldSpanish(std::string s) {
  for (auto [from, to] : {std::pair<const char*, const char*>{"á", "a"}, {"é", "e"}, {"í", "i"},
                          {"ó", "o"}, {"ú", "u"}, {"ñ", "n"}, {"ü", "u"}}) {
    for (size_t at; (at = s.find(from)) != std::string::npos;) s.replace(at, std::strlen(from), to);
  }
  return s;
}

// `count` queries about people picked at random (seed 42), kinds in rotation.
inline std::vector<NamedQuery> DemoQueries(const std::vector<Subject>& people, int count) {
  std::vector<NamedQuery> out;
  std::mt19937_64 random(42);
  for (int i = 0; i < count; ++i) {
    const Subject& s = people[random() % people.size()];
    std::string given = s.given_names.substr(0, s.given_names.find(' '));
    std::string family = s.family_names;
    switch (i % 5) {
      case 0:
        given = s.given_names;
        break;
      case 1:
        given = FoldSpanish(given);
        family = FoldSpanish(family);
        break;
      case 2:
        // Two adjacent letters of the first surname transposed (not the first).
        // Only ASCII letters, so a name in another script stays valid UTF-8.
        family = FoldSpanish(family.substr(0, family.find(' ')));
        if (family.size() >= 4) {
          size_t at = family.size() / 2;
          auto ascii = [&](size_t i) { return static_cast<unsigned char>(family[i]) < 0x80; };
          if (ascii(at) && ascii(at - 1)) std::swap(family[at], family[at - 1]);
        }
        break;
      case 3:
        std::swap(given, family);
        break;
      case 4:
        family = family.substr(0, family.find(' '));
        break;
    }
    out.push_back({{given, family, s.country_of_birth, std::nullopt}, s.subject_id, i % 5});
  }
  return out;
}

}  // namespace vigil::bench

#endif  // VIGIL_BENCH_DEMO_POPULATION_H_
