#include "vigil/search/name_index.h"

#include <algorithm>
#include <array>
#include <climits>
#include <cmath>
#include <mutex>
#include <set>
#include <unordered_set>

#include "vigil/search/name_keys.h"
#include "vigil/text/double_metaphone.h"
#include "vigil/text/similarity.h"
#include "vigil/text/tokens.h"

namespace vigil::search {
namespace {

constexpr double kExact = 1.0;
constexpr double kSpanishVariant = 0.92;
constexpr double kSkeleton = 0.85;
constexpr double kPhonetic = 0.8;
constexpr double kOneEdit = 0.85;
constexpr double kTwoEdits = 0.75;
constexpr double kHypocorism = 0.6;
constexpr size_t kMaxQueryTokens = 8;

// How many edits a token of this length may be away and still be a typo.
// Tokens longer than any real name part get none: their deletion variants
// grow with the square of the length, and a query made of them would
// otherwise cost milliseconds of CPU each.
constexpr size_t kMaxTypoTokenLength = 20;
int MaxEdits(size_t length) {
  if (length > kMaxTypoTokenLength) return 0;
  if (length >= 8) return 2;
  if (length >= 4) return 1;
  return 0;
}

// Every string obtained by deleting up to `depth` characters from `s`.
void Deletions(const std::string& s, int depth, std::unordered_set<std::string>& out) {
  if (depth == 0 || s.size() <= 1) return;
  for (size_t i = 0; i < s.size(); ++i) {
    std::string d = s.substr(0, i) + s.substr(i + 1);
    if (out.insert(d).second) Deletions(d, depth - 1, out);
  }
}

uint64_t PostingKey(std::string_view country, uint32_t token) {
  uint64_t c = country.size() == 2
                   ? (static_cast<uint64_t>(static_cast<unsigned char>(country[0])) << 8) |
                         static_cast<unsigned char>(country[1])
                   : 0;
  return (c << 32) | token;
}

// Syllable-sized tokens (Chinese and Vietnamese given names) are also indexed
// joined to their neighbour, so "Xiu Ying" and "Xiuying" meet.
bool Joinable(const std::string& a, const std::string& b) { return a.size() <= 5 && b.size() <= 5; }

}  // namespace

struct NameIndex::Impl {
  struct TokenInfo {
    std::string text;
    uint32_t listed = 0;  // listed people whose names hold it
  };
  struct Posting {
    std::vector<int64_t> ids;  // sorted subject ids, listed or not
    uint32_t listed = 0;       // how many of them are listed
  };
  struct Person {
    std::string country;
    int birth_year = 0;  // 0: unknown
    std::string a_number;
    std::vector<std::vector<uint32_t>> names;  // token ids of each name variant
    std::vector<uint32_t> posted;              // distinct token ids in postings
    Listing listing;
  };
  // One query token and the index tokens it reaches, with their strength.
  struct Expansion {
    std::vector<std::pair<uint32_t, double>> targets;
    double Strength(uint32_t token) const {
      for (const auto& [t, s] : targets) {
        if (t == token) return s;
      }
      return 0;
    }
  };

  explicit Impl(const text::NameNormalizer* n) : normalizer(n) {}

  const text::NameNormalizer* normalizer;
  mutable std::shared_mutex mu;
  std::vector<TokenInfo> tokens;
  std::unordered_map<std::string, uint32_t> vocab;
  std::unordered_map<std::string, std::vector<uint32_t>> by_spanish, by_skeleton, by_phonetic,
      by_deletion;
  std::unordered_map<uint64_t, Posting> postings;
  std::unordered_map<uint16_t, int64_t> listed_in_country;
  std::unordered_map<int64_t, Person> people;
  std::unordered_map<std::string, int64_t> by_a_number;

  static uint16_t CountryCode(std::string_view c) {
    return c.size() == 2 ? static_cast<uint16_t>((static_cast<unsigned char>(c[0]) << 8) |
                                                 static_cast<unsigned char>(c[1]))
                         : 0;
  }

  uint32_t Intern(const std::string& text) {
    auto it = vocab.find(text);
    if (it != vocab.end()) return it->second;
    uint32_t id = static_cast<uint32_t>(tokens.size());
    tokens.push_back({text});
    vocab.emplace(text, id);
    by_spanish[SpanishKey(text)].push_back(id);
    std::string skeleton = Skeleton(text);
    if (skeleton.size() >= 4) by_skeleton[skeleton].push_back(id);
    auto dm = text::DoubleMetaphone(text);
    if (!dm.primary.empty()) by_phonetic[dm.primary].push_back(id);
    if (!dm.alternate.empty() && dm.alternate != dm.primary) by_phonetic[dm.alternate].push_back(id);
    int edits = MaxEdits(text.size());
    if (edits > 0) {
      std::unordered_set<std::string> deletions = {text};
      Deletions(text, edits, deletions);
      for (const auto& d : deletions) by_deletion[d].push_back(id);
    }
    return id;
  }

  // The token lists of every normalised variant of `name`, particles left out.
  std::vector<std::vector<std::string>> TokenLists(const std::string& name) const {
    std::vector<std::vector<std::string>> out;
    for (const std::string& variant : normalizer->Normalize(name)) {
      std::vector<std::string> list;
      for (const auto& t : text::Tokenize(variant)) {
        if (!t.particle) list.push_back(t.text);
      }
      if (list.empty()) continue;
      out.push_back(list);
      // Joining must leave two tokens: one fuzzy token alone never matches.
      for (size_t i = 0; list.size() >= 3 && i + 1 < list.size(); ++i) {
        if (!Joinable(list[i], list[i + 1])) continue;
        std::vector<std::string> joined(list.begin(), list.begin() + static_cast<long>(i));
        joined.push_back(list[i] + list[i + 1]);
        joined.insert(joined.end(), list.begin() + static_cast<long>(i) + 2, list.end());
        out.push_back(joined);
      }
    }
    return out;
  }

  // Adds (+1) or takes back (-1) a listed person's share of the statistics.
  void CountListed(const Person& p, int delta) {
    for (uint32_t t : p.posted) {
      tokens[t].listed += static_cast<uint32_t>(delta);
      postings[PostingKey(p.country, t)].listed += static_cast<uint32_t>(delta);
    }
    listed_in_country[CountryCode(p.country)] += delta;
  }

  void RemoveLocked(int64_t id) {
    auto it = people.find(id);
    if (it == people.end()) return;
    Person& p = it->second;
    if (p.listing.listed) CountListed(p, -1);
    for (uint32_t t : p.posted) {
      auto& list = postings[PostingKey(p.country, t)].ids;
      auto pos = std::lower_bound(list.begin(), list.end(), id);
      if (pos != list.end() && *pos == id) list.erase(pos);
    }
    by_a_number.erase(p.a_number);
    people.erase(it);
  }

  // Listed people holding `token` in `country`.
  uint32_t ListedDf(std::string_view country, uint32_t token) const {
    auto it = postings.find(PostingKey(country, token));
    return it == postings.end() ? 0 : it->second.listed;
  }

  // Rarity of a token among the listed people of a country (df 0: a name
  // nobody listed holds, which weighs like the rarest).
  double Idf(std::string_view country, uint32_t df) const {
    auto size = listed_in_country.find(CountryCode(country));
    double n = size == listed_in_country.end() ? 0 : static_cast<double>(size->second);
    return std::log(1.0 + (n + 1.0) / (static_cast<double>(df) + 1.0));
  }

  Expansion Expand(const std::string& token) const {
    Expansion e;
    auto add = [&](uint32_t t, double strength) {
      for (auto& [existing, s] : e.targets) {
        if (existing == t) {
          s = std::max(s, strength);
          return;
        }
      }
      e.targets.emplace_back(t, strength);
    };
    auto known = vocab.find(token);
    // Known means held by a listed person: a name only withheld people hold
    // must leave the query exactly as if they did not exist.
    bool is_known = (known != vocab.end() && tokens[known->second].listed > 0) ||
                    IsCommonName(token);
    if (known != vocab.end()) add(known->second, kExact);
    if (auto it = by_spanish.find(SpanishKey(token)); it != by_spanish.end()) {
      for (uint32_t t : it->second) add(t, kSpanishVariant);
    }
    if (std::string skeleton = Skeleton(token); skeleton.size() >= 4) {
      if (auto it = by_skeleton.find(skeleton); it != by_skeleton.end()) {
        for (uint32_t t : it->second) {
          if (SkeletonComparable(token, tokens[t].text)) add(t, kSkeleton);
        }
      }
    }
    if (!is_known) {
      auto dm = text::DoubleMetaphone(token);
      for (const std::string* code : {&dm.primary, &dm.alternate}) {
        if (code->empty()) continue;
        auto it = by_phonetic.find(*code);
        if (it == by_phonetic.end()) continue;
        for (uint32_t t : it->second) {
          if (text::JaroWinklerSimilarity(token, tokens[t].text) >= 0.8) add(t, kPhonetic);
        }
      }
      int edits = MaxEdits(token.size());
      if (edits > 0) {
        std::unordered_set<std::string> probes = {token};
        Deletions(token, edits, probes);
        std::unordered_set<uint32_t> seen;
        for (const auto& probe : probes) {
          auto it = by_deletion.find(probe);
          if (it == by_deletion.end()) continue;
          for (uint32_t t : it->second) {
            if (!seen.insert(t).second) continue;
            const std::string& other = tokens[t].text;
            int limit = std::min(edits, MaxEdits(other.size()));
            if (limit == 0) continue;
            // People remember how a name starts: a "typo" in the first
            // letter is usually another name (Herrera, Ferrera).
            if (other[0] != token[0]) continue;
            int d = text::DamerauLevenshteinDistance(token, other);
            if (d >= 1 && d <= limit) add(t, d == 1 ? kOneEdit : kTwoEdits);
          }
        }
      }
    }
    for (const std::string& formal : HypocorismTargets(token)) {
      if (auto it = vocab.find(formal); it != vocab.end()) add(it->second, kHypocorism);
    }
    return e;
  }

  // Best alignment score of query tokens (with their expansions and weights)
  // against one name of a person.
  // strengths.at(token)[i]: how strongly query token i reaches index token.
  using StrengthTable = std::unordered_map<uint32_t, std::array<double, kMaxQueryTokens>>;

  static double Align(const StrengthTable& strengths, size_t n, const std::vector<double>& weights,
                      const std::vector<uint32_t>& name) {
    size_t m = name.size();
    // s[i * m + j]: query token i against the name's token j.
    std::array<double, kMaxQueryTokens * 16> s{};
    if (m > 16) m = 16;
    for (size_t j = 0; j < m; ++j) {
      auto it = strengths.find(name[j]);
      if (it == strengths.end()) continue;
      for (size_t i = 0; i < n; ++i) s[i * m + j] = it->second[i] * weights[i];
    }
    std::vector<bool> q_used(n, false), p_used(m, false);
    double matched_weight = 0, matched_total = 0;
    size_t matched = 0;
    while (true) {
      double best = 0;
      size_t bi = 0, bj = 0;
      for (size_t i = 0; i < n; ++i) {
        if (q_used[i]) continue;
        for (size_t j = 0; j < m; ++j) {
          if (p_used[j]) continue;
          double v = s[i * m + j];
          if (v > best) {
            best = v;
            bi = i;
            bj = j;
          }
        }
      }
      if (best <= 0) break;
      q_used[bi] = p_used[bj] = true;
      matched_weight += best;
      matched_total += weights[bi];
      ++matched;
    }
    if (matched < std::min<size_t>(2, n)) return 0;
    bool person_leftover = std::find(p_used.begin(), p_used.end(), false) != p_used.end();
    double unmatched = 0;
    for (size_t i = 0; i < n; ++i) {
      if (!q_used[i]) unmatched += weights[i];
    }
    // A query token with no counterpart is a name the record may simply lack
    // (a second surname); with a leftover token on the record's side too,
    // the two names disagree.
    double score = matched_weight / (matched_total + unmatched * (person_leftover ? 1.0 : 0.25));
    if (unmatched > 0 && person_leftover) score *= 0.5;
    // Prefer the record that is fully explained by the query.
    if (person_leftover) score -= 0.01;
    return score;
  }

  static bool IsCommonName(std::string_view token);
};

// Given names and surnames so common in the population vigil serves that a
// query spelling them is taken at its word: they are never read as typos of
// another name, even when the index happens not to contain them.
bool NameIndex::Impl::IsCommonName(std::string_view token) {
  static const std::unordered_set<std::string_view> kCommon = {
      "maria",     "mario",     "jose",      "josue",    "juan",      "juana",    "luis",
      "luisa",     "carlos",    "carla",     "jorge",    "jesus",     "miguel",   "angel",
      "angela",    "pedro",     "pablo",     "paula",    "ana",       "rosa",     "rosario",
      "carmen",    "guadalupe", "francisco", "francisca", "antonio",  "antonia",  "manuel",
      "manuela",   "fernando",  "fernanda",  "alejandro", "alejandra", "daniel",  "daniela",
      "martin",    "martina",   "sergio",    "sofia",    "andrea",    "andres",   "ricardo",
      "roberto",   "roberta",   "eduardo",   "julio",    "julia",     "mariana",  "marina",
      "marco",     "marcos",    "santiago",  "diego",    "raul",      "oscar",    "hector",
      "elena",     "helena",    "lucia",     "lucas",    "gabriel",   "gabriela", "victor",
      "victoria",  "patricia",  "patricio",  "adriana",  "adrian",    "cristian", "cristina",
      "hernandez", "fernandez", "garcia",    "lopez",    "perez",     "martinez", "gonzalez",
      "rodriguez", "sanchez",   "ramirez",   "torres",   "flores",    "rivera",   "gomez",
      "diaz",      "cruz",      "morales",   "reyes",    "gutierrez", "ortiz",    "ramos",
      "ruiz",      "mendoza",   "alvarez",   "castillo", "jimenez",   "vasquez",  "vazquez",
      "romero",    "herrera",   "medina",    "aguilar",  "moreno",    "chavez",   "mejia",
      "castro",    "vargas",    "santos",    "juarez",   "dominguez", "guzman",   "munoz",
      "salazar",   "mendez",    "ortega",    "delgado",  "nunez",     "pena",     "rojas",
      "soto",      "contreras", "silva",     "luna",     "rios",      "estrada",  "bautista",
      "velasquez", "lara",      "campos",    "cabrera",  "espinoza",  "valdez",   "acosta",
      "orellana",  "pineda",    "zelaya",    "portillo", "alvarado",  "argueta",  "lemus",
      "benitez",   "marquez",   "suarez",    "navarro",  "vega",      "leon",     "rosales",
      "carmona",   "cardona",   "quiroga",   "quintero", "zabaleta",  "zavala",   "placencia",
      "palacios",  "pulido",    "pardo",     "bravo",    "valenzuela", "vasconcelos", "castillo",
      "carrillo",  "barrera",   "sepulveda", "pacheco",  "mora",      "molina",   "duarte",
      "rivas",     "paz",       "ochoa",     "orozco",   "solano",    "solis",    "caceres",
      "cabrera",   "gaitan",    "guevara",   "miranda",  "montes",    "montoya",  "padilla",
      "pacheco",   "palma",     "parra",     "peralta",  "ponce",     "prado",    "quezada",
      "quiroz",    "robles",    "rocha",     "salas",    "salinas",   "sandoval", "serrano",
      "sierra",    "trejo",     "trujillo",  "urbina",   "valencia",  "valle",    "varela",
      "vera",      "villa",     "zamora",    "zuniga",   "amaya",     "aguirre",  "arias",
      "avila",     "barrios",   "beltran",   "blanco",   "calderon",  "camacho",  "cano",
      "carranza",  "cervantes", "cordero",   "cortes",   "corona",    "davila",   "escobar",
      "espinosa",  "figueroa",  "franco",    "fuentes",  "galvan",    "gallegos", "garza",
      "gil",       "guerrero",  "ibarra",    "lozano",   "macias",    "maldonado", "marin",
      "mata",      "meza",      "montero",   "murillo",  "nava",      "nieto",    "olvera",
      "osorio",    "pena",      "rangel",    "rubio",    "santiago",  "tapia",    "vallejo",
      "elena",     "helena",    "ximena",    "jimena",   "teresa",    "yadira",   "omar",
      "hilda",     "emilio",    "noemi",     "ismael",   "ruben",     "lorena",   "irene",
      "gerardo",   "cecilia",   "silvia",    "olga",     "benito",    "arturo",   "nelson",
      "ivan",      "julio",     "yolanda",   "heidi",    "edwin",     "selvin",   "xavier",
      "javier",    "ernesto",   "esperanza", "leticia",  "dolores",   "ignacio",  "marisol",
  };
  return kCommon.count(token) > 0;
}

NameIndex::NameIndex(const text::NameNormalizer* normalizer)
    : impl_(std::make_unique<Impl>(normalizer)) {}
NameIndex::~NameIndex() = default;

void NameIndex::Upsert(const Subject& subject, Listing listing) {
  // Normalise outside the lock: it is the expensive part.
  std::vector<std::vector<std::string>> lists;
  std::string primary = subject.given_names + " " + subject.family_names;
  for (const auto& list : impl_->TokenLists(primary)) lists.push_back(list);
  for (const auto& alias : subject.aliases) {
    for (const auto& list : impl_->TokenLists(alias)) lists.push_back(list);
  }
  std::unique_lock lock(impl_->mu);
  impl_->RemoveLocked(subject.subject_id);
  Impl::Person person;
  person.country = subject.country_of_birth;
  person.birth_year = subject.date_of_birth ? subject.date_of_birth->year : 0;
  person.a_number = subject.a_number.digits();
  person.listing = listing;
  std::set<uint32_t> posted;
  for (const auto& list : lists) {
    std::vector<uint32_t> ids;
    for (const auto& t : list) {
      uint32_t id = impl_->Intern(t);
      ids.push_back(id);
      posted.insert(id);
    }
    person.names.push_back(std::move(ids));
  }
  person.posted.assign(posted.begin(), posted.end());
  for (uint32_t t : person.posted) {
    auto& list = impl_->postings[PostingKey(person.country, t)].ids;
    list.insert(std::lower_bound(list.begin(), list.end(), subject.subject_id), subject.subject_id);
  }
  if (listing.listed) impl_->CountListed(person, +1);
  if (!person.a_number.empty()) impl_->by_a_number[person.a_number] = subject.subject_id;
  impl_->people.emplace(subject.subject_id, std::move(person));
}

void NameIndex::Remove(int64_t subject_id) {
  std::unique_lock lock(impl_->mu);
  impl_->RemoveLocked(subject_id);
}

bool NameIndex::SetListing(int64_t subject_id, Listing listing) {
  std::unique_lock lock(impl_->mu);
  auto it = impl_->people.find(subject_id);
  if (it == impl_->people.end()) return false;
  Impl::Person& p = it->second;
  if (p.listing.listed != listing.listed) impl_->CountListed(p, listing.listed ? +1 : -1);
  p.listing = listing;
  return true;
}

std::optional<Listing> NameIndex::ListingOf(int64_t subject_id) const {
  std::shared_lock lock(impl_->mu);
  auto it = impl_->people.find(subject_id);
  if (it == impl_->people.end()) return std::nullopt;
  return it->second.listing;
}

std::optional<int64_t> NameIndex::FindByANumber(const ANumber& a_number,
                                                std::string_view country) const {
  std::shared_lock lock(impl_->mu);
  auto it = impl_->by_a_number.find(a_number.digits());
  if (it == impl_->by_a_number.end()) return std::nullopt;
  auto person = impl_->people.find(it->second);
  if (person == impl_->people.end() || person->second.country != country) return std::nullopt;
  return it->second;
}

std::vector<SearchHit> NameIndex::Search(const NameQuery& query, size_t limit,
                                         std::vector<SearchHit>* withheld) const {
  auto query_lists = impl_->TokenLists(query.given_name + " " + query.family_name);
  std::shared_lock lock(impl_->mu);
  std::unordered_map<int64_t, double> best, best_withheld;
  for (auto& list : query_lists) {
    // One token is a surname (or a given name) alone: that lists people
    // rather than looking one up. Particles and characters the normaliser
    // drops can leave a query that short.
    if (list.size() < 2) continue;
    if (list.size() > kMaxQueryTokens) list.resize(kMaxQueryTokens);
    std::vector<Impl::Expansion> expansions;
    std::vector<double> weights;
    for (const auto& token : list) {
      expansions.push_back(impl_->Expand(token));
      // The weight of the strongest reach into listed people; a token that
      // reaches none weighs like the rarest name. Withheld people never
      // change a weight.
      uint32_t df = 0;
      double best_strength = 0;
      for (const auto& [t, s] : expansions.back().targets) {
        uint32_t listed = impl_->ListedDf(query.country, t);
        if (listed > 0 && s > best_strength) {
          best_strength = s;
          df = listed;
        }
      }
      weights.push_back(impl_->Idf(query.country, df));
    }
    // Candidates: people reached by at least two query tokens (or the only
    // one). Each token's reach is a sorted id list (its postings, merged when
    // it has several targets); a k-way merge counts how many lists hold each
    // id. Sequential memory, no hashing: common names have long lists.
    std::vector<std::vector<int64_t>> merged(expansions.size());
    std::vector<std::pair<const int64_t*, const int64_t*>> lists;
    for (size_t i = 0; i < expansions.size(); ++i) {
      std::vector<const std::vector<int64_t>*> parts;
      for (const auto& [t, strength] : expansions[i].targets) {
        auto it = impl_->postings.find(PostingKey(query.country, t));
        if (it != impl_->postings.end() && !it->second.ids.empty()) {
          parts.push_back(&it->second.ids);
        }
      }
      if (parts.empty()) continue;
      if (parts.size() == 1) {
        lists.emplace_back(parts[0]->data(), parts[0]->data() + parts[0]->size());
        continue;
      }
      for (const auto* part : parts) merged[i].insert(merged[i].end(), part->begin(), part->end());
      std::sort(merged[i].begin(), merged[i].end());
      merged[i].erase(std::unique(merged[i].begin(), merged[i].end()), merged[i].end());
      lists.emplace_back(merged[i].data(), merged[i].data() + merged[i].size());
    }
    std::vector<std::pair<int64_t, uint32_t>> reached;  // (id, how many tokens reach it)
    while (true) {
      int64_t lowest = INT64_MAX;
      for (const auto& [cur, end] : lists) {
        if (cur != end) lowest = std::min(lowest, *cur);
      }
      if (lowest == INT64_MAX) break;
      uint32_t count = 0;
      for (auto& [cur, end] : lists) {
        if (cur != end && *cur == lowest) {
          ++count;
          ++cur;
        }
      }
      reached.emplace_back(lowest, count);
    }
    Impl::StrengthTable strengths;
    for (size_t i = 0; i < expansions.size(); ++i) {
      for (const auto& [t, strength] : expansions[i].targets) {
        auto& row = strengths[t];
        row[i] = std::max(row[i], strength);
      }
    }
    size_t needed = std::min<size_t>(2, expansions.size());
    for (const auto& [id, count] : reached) {
      if (count < needed) continue;
      const Impl::Person& person = impl_->people.at(id);
      if (query.birth_year && person.birth_year != 0 &&
          std::abs(person.birth_year - *query.birth_year) > 1) {
        continue;
      }
      double score = 0;
      for (const auto& name : person.names) {
        score = std::max(score, Impl::Align(strengths, expansions.size(), weights, name));
      }
      if (score < kMatchThreshold) continue;
      if (person.listing.listed) {
        double& b = best[id];
        b = std::max(b, score);
      } else if (person.listing.recorded && withheld != nullptr) {
        double& b = best_withheld[id];
        b = std::max(b, score);
      }
    }
  }
  auto exact_year = [&](int64_t id) {
    return query.birth_year && impl_->people.at(id).birth_year == *query.birth_year;
  };
  auto ranked = [&](const std::unordered_map<int64_t, double>& scores, size_t n) {
    std::vector<SearchHit> hits;
    hits.reserve(scores.size());
    for (const auto& [id, score] : scores) {
      hits.push_back({id, std::min(score, 1.0), impl_->people.at(id).listing.reason});
    }
    std::sort(hits.begin(), hits.end(), [&](const SearchHit& a, const SearchHit& b) {
      if (a.score != b.score) return a.score > b.score;
      bool ea = exact_year(a.subject_id), eb = exact_year(b.subject_id);
      if (ea != eb) return ea;
      return a.subject_id < b.subject_id;
    });
    if (hits.size() > n) hits.resize(n);
    return hits;
  };
  if (withheld != nullptr) *withheld = ranked(best_withheld, kMaxWithheldHits);
  return ranked(best, limit);
}

bool NameIndex::HasNameTokens(const std::string& name) const {
  // Followed by a word, so that a trailing particle ("de") counts as one.
  for (const std::string& variant : impl_->normalizer->Normalize(name + " x")) {
    auto tokens = text::Tokenize(variant);
    if (!tokens.empty()) tokens.pop_back();
    for (const auto& t : tokens) {
      if (!t.particle) return true;
    }
  }
  return false;
}

size_t NameIndex::size() const {
  std::shared_lock lock(impl_->mu);
  return impl_->people.size();
}

size_t NameIndex::MemoryBytes() const {
  std::shared_lock lock(impl_->mu);
  size_t bytes = 0;
  for (const auto& t : impl_->tokens) bytes += sizeof(t) + t.text.capacity();
  for (const auto* map : {&impl_->by_spanish, &impl_->by_skeleton, &impl_->by_phonetic,
                          &impl_->by_deletion}) {
    for (const auto& [k, v] : *map) bytes += 64 + k.capacity() + v.capacity() * sizeof(uint32_t);
  }
  for (const auto& [k, v] : impl_->postings) bytes += 56 + v.ids.capacity() * sizeof(int64_t);
  for (const auto& [id, p] : impl_->people) {
    bytes += 96 + p.country.capacity() + p.a_number.capacity() + p.posted.capacity() * 4;
    for (const auto& n : p.names) bytes += 24 + n.capacity() * 4;
  }
  bytes += impl_->by_a_number.size() * 64;
  return bytes;
}

}  // namespace vigil::search
