#include "vigil/search/name_index.h"

#include "vigil/search/name_index_impl.h"

namespace vigil::search {

namespace {

// The first position in [at, end) holding a value >= target (galloping:
// cheap when the target is near, logarithmic when it is far).
const uint32_t* Seek(const uint32_t* at, const uint32_t* end, uint32_t target) {
  if (at == end || *at >= target) return at;
  size_t bound = 1;
  while (at + bound < end && at[bound] < target) bound *= 2;
  return std::lower_bound(at + bound / 2, std::min(at + bound, end), target);
}

}  // namespace

NameIndex::Impl::Plan NameIndex::Impl::MakePlan(const NameQuery& query,
                                                std::vector<Expansion> expansions,
                                                std::vector<double> weights,
                                                const std::array<char, kMaxQueryTokens>& initials,
                                                double scale) {
  Plan plan{&query, std::move(expansions), std::move(weights), {}, {}, {}, initials, 0, scale};
  const size_t n = plan.expansions.size();
  const size_t masks = size_t{1} << n;
  std::array<double, kMaxQueryTokens> strongest{};
  for (size_t i = 0; i < n; ++i) {
    if (initials[i] != 0) {
      plan.initial_bits |= 1u << i;
      strongest[i] = kInitial;
    }
    for (const auto& [t, strength] : plan.expansions[i].targets) {
      strongest[i] = std::max(strongest[i], strength);
      auto& rows = plan.strengths;
      auto it = std::lower_bound(rows.begin(), rows.end(), t,
                                 [](const StrengthRow& row, uint32_t x) { return row.first < x; });
      if (it == rows.end() || it->first != t) it = rows.insert(it, {t, {}});
      it->second[i] = std::max(it->second[i], strength);
    }
  }
  std::vector<double> open(masks, -1.0), closed(masks, -1.0);
  for (size_t mask = 0; mask < masks; ++mask) {
    // Two tokens that are not initials must match.
    if (std::popcount(mask & ~size_t{plan.initial_bits}) >= 2) {
      double sum = 0, matched_weight = 0, unmatched_weight = 0;
      for (size_t i = 0; i < n; ++i) {
        if (mask & (size_t{1} << i)) {
          sum += strongest[i] * plan.weights[i];
          matched_weight += plan.weights[i];
        } else {
          unmatched_weight += plan.weights[i];
        }
      }
      open[mask] = scale * Combine(sum, matched_weight, unmatched_weight, false);
      closed[mask] = scale * Combine(sum, matched_weight, unmatched_weight, true);
    }
  }
  // Best over subsets: a person may align fewer tokens than reach them.
  auto best_of_subsets = [&](std::vector<double>& bound) {
    for (size_t mask = 0; mask < masks; ++mask) {
      for (size_t i = 0; i < n; ++i) {
        if (mask & (size_t{1} << i))
          bound[mask] = std::max(bound[mask], bound[mask ^ (size_t{1} << i)]);
      }
    }
  };
  best_of_subsets(open);
  best_of_subsets(closed);
  // (closed <= open for every set, and both grow with it.)
  for (size_t c = 1; c <= kClasses; ++c) {
    plan.bound[c].resize(masks);
    for (size_t mask = 0; mask < masks; ++mask) {
      bool leftover = c > static_cast<size_t>(std::popcount(mask));
      plan.bound[c][mask] = leftover ? closed[mask] : open[mask];
    }
  }
  return plan;
}

// Finds the people a query variant may rank, document at a time in the
// manner of WAND (Broder et al., "Efficient query evaluation using a two-level
// retrieval process", 2003): each posting list a query token reaches is a
// cursor over slots; a person can score at most the plan's bound for the
// tokens whose cursors reach them, so a person reached only by tokens whose
// best possible score cannot enter the results is skipped without being
// read, and those lists jump ahead to the next person who might. Most people
// who share a common given name and surname are never scored.
void NameIndex::Impl::WalkCandidates(const Plan& plan, size_t part, uint32_t walk, TopK& top,
                                     bool prune, SearchWork* work) const {
  struct Cursor {
    const uint32_t* at;
    const uint32_t* end;
    uint32_t bit;
  };
  // Initials reach nobody: whoever the lists reach may match them too.
  const std::vector<double>& bounds = plan.bound[ClassOfPart(part)];
  auto bound_of = [&](uint32_t reach) { return bounds[reach | plan.initial_bits]; };
  std::vector<Cursor> cursors;
  uint32_t any = 0;
  for (const auto& [posting, bit] : plan.lists) {
    auto [from, to] = posting->Part(part);
    if (from == to) continue;
    cursors.push_back({from, to, bit});
    any |= bit;
  }
  // Re-sorts after the first `moved` cursors advanced (the rest are in
  // order), dropping those at their end.
  auto resort = [&](size_t moved) {
    size_t kept = 0;
    for (size_t k = 0; k < moved; ++k) {
      if (cursors[k].at != cursors[k].end) cursors[kept++] = cursors[k];
    }
    if (kept < moved) cursors.erase(cursors.begin() + kept, cursors.begin() + moved);
    for (size_t k = kept; k-- > 0;) {
      for (size_t j = k; j + 1 < cursors.size() && *cursors[j + 1].at < *cursors[j].at; ++j) {
        std::swap(cursors[j], cursors[j + 1]);
      }
    }
  };
  const bool year_given = plan.query->birth_year.has_value();
  const int year = plan.query->birth_year.value_or(0);
  auto order_of = [&](uint32_t slot) { return uint64_t{walk} << 32 | slot; };
  // Whether someone in `slot` or later, scoring at most `bound`, could rank.
  auto may_rank = [&](double bound, uint32_t slot) {
    if (!prune) return bound >= 0;  // reached by two tokens
    return top.MayEnterUnseen(bound, order_of(slot), year_given);
  };

  std::sort(cursors.begin(), cursors.end(),
            [](const Cursor& a, const Cursor& b) { return *a.at < *b.at; });
  if (prune && !top.MayEnterUnseen(bound_of(any), uint64_t{walk} << 32, year_given)) return;
  while (!cursors.empty()) {
    // The pivot: the first cursor by which the tokens reaching so far could
    // rank someone. Nobody before its person can.
    const uint32_t first = *cursors[0].at;
    uint32_t reach = 0;
    size_t pivot = cursors.size();
    for (size_t k = 0; k < cursors.size(); ++k) {
      reach |= cursors[k].bit;
      if (may_rank(bound_of(reach), first)) {
        pivot = k;
        break;
      }
    }
    if (pivot == cursors.size()) break;
    const uint32_t slot = *cursors[pivot].at;
    if (first != slot) {
      for (size_t k = 0; k < pivot; ++k) cursors[k].at = Seek(cursors[k].at, cursors[k].end, slot);
      resort(pivot);
      continue;
    }
    uint32_t reaching = 0;
    size_t at_slot = 0;
    for (; at_slot < cursors.size() && *cursors[at_slot].at == slot; ++at_slot) {
      reaching |= cursors[at_slot].bit;
      ++cursors[at_slot].at;
    }
    resort(at_slot);

    const double bound = bound_of(reaching);
    if (!may_rank(bound, slot)) continue;
    const Brief& brief = briefs[slot];
    if (year_given && brief.birth_year != 0 && std::abs(brief.birth_year - year) > 1) continue;
    const bool exact_year = year_given && brief.birth_year == year;
    if (prune && !top.MayEnter({bound, exact_year, order_of(slot), brief.id, slot})) continue;
    double score = 0;
    if (work != nullptr) ++work->scored;
    ForEachName(slot, [&](const uint32_t* name, size_t tokens) {
      score =
          std::max(score, plan.scale * Align(plan.strengths, plan.expansions.size(), plan.weights,
                                             plan.initials, this->tokens, name, tokens));
    });
    top.Offer({std::min(score, 1.0), exact_year, order_of(slot), brief.id, slot});
  }
}

// Given names and surnames so common in the population vigil serves that a
// query spelling them is taken at its word: they are never read as typos of
// another name, even when the index happens not to contain them.
bool NameIndex::Impl::IsCommonName(std::string_view token) {
  static const std::unordered_set<std::string_view> kCommon = {
      "maria",     "mario",     "jose",      "josue",     "juan",       "juana",       "luis",
      "luisa",     "carlos",    "carla",     "jorge",     "jesus",      "miguel",      "angel",
      "angela",    "pedro",     "pablo",     "paula",     "ana",        "rosa",        "rosario",
      "carmen",    "guadalupe", "francisco", "francisca", "antonio",    "antonia",     "manuel",
      "manuela",   "fernando",  "fernanda",  "alejandro", "alejandra",  "daniel",      "daniela",
      "martin",    "martina",   "sergio",    "sofia",     "andrea",     "andres",      "ricardo",
      "roberto",   "roberta",   "eduardo",   "julio",     "julia",      "mariana",     "marina",
      "marco",     "marcos",    "santiago",  "diego",     "raul",       "oscar",       "hector",
      "elena",     "helena",    "lucia",     "lucas",     "gabriel",    "gabriela",    "victor",
      "victoria",  "patricia",  "patricio",  "adriana",   "adrian",     "cristian",    "cristina",
      "hernandez", "fernandez", "garcia",    "lopez",     "perez",      "martinez",    "gonzalez",
      "rodriguez", "sanchez",   "ramirez",   "torres",    "flores",     "rivera",      "gomez",
      "diaz",      "cruz",      "morales",   "reyes",     "gutierrez",  "ortiz",       "ramos",
      "ruiz",      "mendoza",   "alvarez",   "castillo",  "jimenez",    "vasquez",     "vazquez",
      "romero",    "herrera",   "medina",    "aguilar",   "moreno",     "chavez",      "mejia",
      "castro",    "vargas",    "santos",    "juarez",    "dominguez",  "guzman",      "munoz",
      "salazar",   "mendez",    "ortega",    "delgado",   "nunez",      "pena",        "rojas",
      "soto",      "contreras", "silva",     "luna",      "rios",       "estrada",     "bautista",
      "velasquez", "lara",      "campos",    "cabrera",   "espinoza",   "valdez",      "acosta",
      "orellana",  "pineda",    "zelaya",    "portillo",  "alvarado",   "argueta",     "lemus",
      "benitez",   "marquez",   "suarez",    "navarro",   "vega",       "leon",        "rosales",
      "carmona",   "cardona",   "quiroga",   "quintero",  "zabaleta",   "zavala",      "placencia",
      "palacios",  "pulido",    "pardo",     "bravo",     "valenzuela", "vasconcelos", "castillo",
      "carrillo",  "barrera",   "sepulveda", "pacheco",   "mora",       "molina",      "duarte",
      "rivas",     "paz",       "ochoa",     "orozco",    "solano",     "solis",       "caceres",
      "cabrera",   "gaitan",    "guevara",   "miranda",   "montes",     "montoya",     "padilla",
      "pacheco",   "palma",     "parra",     "peralta",   "ponce",      "prado",       "quezada",
      "quiroz",    "robles",    "rocha",     "salas",     "salinas",    "sandoval",    "serrano",
      "sierra",    "trejo",     "trujillo",  "urbina",    "valencia",   "valle",       "varela",
      "vera",      "villa",     "zamora",    "zuniga",    "amaya",      "aguirre",     "arias",
      "avila",     "barrios",   "beltran",   "blanco",    "calderon",   "camacho",     "cano",
      "carranza",  "cervantes", "cordero",   "cortes",    "corona",     "davila",      "escobar",
      "espinosa",  "figueroa",  "franco",    "fuentes",   "galvan",     "gallegos",    "garza",
      "gil",       "guerrero",  "ibarra",    "lozano",    "macias",     "maldonado",   "marin",
      "mata",      "meza",      "montero",   "murillo",   "nava",       "nieto",       "olvera",
      "osorio",    "rosas",     "rangel",    "rubio",     "santiago",   "tapia",       "vallejo",
      "elena",     "helena",    "ximena",    "jimena",    "teresa",     "yadira",      "omar",
      "hilda",     "emilio",    "noemi",     "ismael",    "ruben",      "lorena",      "irene",
      "gerardo",   "cecilia",   "silvia",    "olga",      "benito",     "arturo",      "nelson",
      "ivan",      "julio",     "yolanda",   "heidi",     "edwin",      "selvin",      "xavier",
      "javier",    "ernesto",   "esperanza", "leticia",   "dolores",    "ignacio",     "marisol",
  };
  return kCommon.count(token) > 0;
}

NameIndex::NameIndex(const text::NameNormalizer* normalizer)
    : impl_(std::make_unique<Impl>(normalizer)) {}
NameIndex::~NameIndex() = default;

NameIndex::Prepared NameIndex::Prepare(Subject subject) const {
  std::vector<std::vector<std::string>> lists;
  std::string primary = subject.given_names + " " + subject.family_names;
  for (auto& list : impl_->TokenLists(primary, false)) lists.push_back(std::move(list.tokens));
  for (const auto& alias : subject.aliases) {
    for (auto& list : impl_->TokenLists(alias, false)) lists.push_back(std::move(list.tokens));
  }
  return Prepared{std::move(subject), std::move(lists)};
}

void NameIndex::Upsert(const Subject& subject, Listing listing) {
  // Normalise outside the lock: it is the expensive part.
  Upsert(Prepare(subject), listing);
}

void NameIndex::Upsert(const Prepared& prepared, Listing listing) {
  std::unique_lock lock(impl_->mu);
  impl_->File(prepared.subject, prepared.token_lists, listing);
}

void NameIndex::Upsert(std::span<const Prepared> prepared, std::span<const Listing> listings) {
  if (prepared.size() != listings.size()) {
    throw std::invalid_argument("NameIndex::Upsert: one listing per prepared subject");
  }
  std::unique_lock lock(impl_->mu);
  for (size_t i = 0; i < prepared.size(); ++i) {
    impl_->File(prepared[i].subject, prepared[i].token_lists, listings[i]);
  }
}

void NameIndex::Impl::File(const Subject& subject,
                           const std::vector<std::vector<std::string>>& lists, Listing listing) {
  Impl& m = *this;
  uint32_t slot;
  if (const uint32_t* known = m.slot_of.Find(subject.subject_id)) {
    slot = *known;
    m.RemoveLocked(slot);
  } else {
    if (m.people.size() >= Impl::kMaxPeople) throw std::length_error("name index is full");
    slot = static_cast<uint32_t>(m.people.size());
    m.people.emplace_back();
    m.briefs.emplace_back();
    m.slot_of.Set(subject.subject_id, slot);
  }
  Impl::Person& person = m.people[slot];
  person.id = subject.subject_id;
  person.country = subject.country_of_birth;
  person.birth_year = subject.date_of_birth ? subject.date_of_birth->year : 0;
  person.a_number = ANumberKey(subject.a_number);
  person.listing = listing;
  // The names as name_words holds them (each name's token count, then its
  // token ids), built in buffers the index keeps: filing allocates nothing
  // per person but the list of tokens they are posted under.
  std::vector<uint32_t>& words = m.scratch_words;
  std::vector<uint32_t>& posted = m.scratch_posted;
  words.clear();
  posted.clear();
  bool full = false;  // names past kMaxNameWords are posted, not kept for scoring
  for (const auto& list : lists) {
    full = full || words.size() + 1 + list.size() > Impl::kMaxNameWords;
    if (!full) words.push_back(static_cast<uint32_t>(list.size()));
    for (const auto& t : list) {
      const uint32_t id = m.Intern(t);
      if (!full) words.push_back(id);
      posted.push_back(id);
    }
  }
  std::sort(posted.begin(), posted.end());
  posted.erase(std::unique(posted.begin(), posted.end()), posted.end());
  person.posted.assign(posted.begin(), posted.end());
  Impl::Brief& brief = m.briefs[slot];
  brief.id = person.id;
  brief.birth_year = static_cast<int16_t>(std::clamp(person.birth_year, 0, int{INT16_MAX}));
  m.StoreNames(slot, words);
  m.Post(slot);
  if (person.a_number != 0) m.by_a_number.Set(person.a_number, slot);
}

void NameIndex::Clear() {
  std::unique_lock lock(impl_->mu);
  Impl& m = *impl_;
  m.tokens = {};
  m.vocab = {};
  m.listed_keys = {};
  m.withheld_keys = {};
  m.postings = {};
  m.bulk = false;
  m.listed_in_country = {};
  m.people = {};
  m.briefs = {};
  m.name_words = {};
  m.stale_name_words = 0;
  m.slot_of.Clear();
  m.by_a_number.Clear();
  m.listed_by_a_number.Clear();
}

void NameIndex::BeginBulkLoad() {
  std::unique_lock lock(impl_->mu);
  impl_->bulk = true;
}

void NameIndex::EndBulkLoad() {
  std::unique_lock lock(impl_->mu);
  if (impl_->bulk) impl_->EndBulk();
}

void NameIndex::Remove(int64_t subject_id) {
  std::unique_lock lock(impl_->mu);
  const uint32_t* slot = impl_->slot_of.Find(subject_id);
  if (slot == nullptr) return;
  impl_->RemoveLocked(*slot);
  impl_->slot_of.Erase(subject_id);
}

bool NameIndex::SetListing(int64_t subject_id, Listing listing) {
  std::unique_lock lock(impl_->mu);
  const uint32_t* found = impl_->slot_of.Find(subject_id);
  if (found == nullptr) return false;
  const uint32_t slot = *found;
  if (impl_->people[slot].listing == listing) return true;
  impl_->Unpost(slot);
  impl_->people[slot].listing = listing;
  impl_->Post(slot);
  return true;
}

std::optional<Listing> NameIndex::ListingOf(int64_t subject_id) const {
  std::shared_lock lock(impl_->mu);
  const uint32_t* slot = impl_->slot_of.Find(subject_id);
  if (slot == nullptr) return std::nullopt;
  return impl_->people[*slot].listing;
}

std::optional<int64_t> NameIndex::FindByANumber(const ANumber& a_number,
                                                std::string_view country) const {
  std::shared_lock lock(impl_->mu);
  // The listed people's numbers alone: a withheld person's number is a miss
  // here, exactly as a number nobody has.
  const uint32_t* slot = impl_->listed_by_a_number.Find(ANumberKey(a_number));
  if (slot == nullptr) return std::nullopt;
  const Impl::Person& person = impl_->people[*slot];
  if (person.country != country) return std::nullopt;
  return person.id;
}

std::optional<SearchHit> NameIndex::FindWithheldByANumber(const ANumber& a_number,
                                                          std::string_view country) const {
  std::shared_lock lock(impl_->mu);
  const uint32_t* slot = impl_->by_a_number.Find(ANumberKey(a_number));
  if (slot == nullptr) return std::nullopt;
  const Impl::Person& person = impl_->people[*slot];
  if (person.country != country || !person.listing.recorded) return std::nullopt;
  return SearchHit{person.id, 1.0, person.listing.reason};
}

std::vector<SearchHit> NameIndex::Search(const NameQuery& query, size_t limit,
                                         std::vector<SearchHit>* withheld, SearchWork* work) const {
  return Find(query, limit, withheld, true, work);
}

std::vector<SearchHit> NameIndex::SearchWithheld(const NameQuery& query) const {
  std::vector<SearchHit> withheld;
  Find(query, 0, &withheld, true);
  return withheld;
}

std::vector<SearchHit> NameIndex::SearchExhaustively(const NameQuery& query, size_t limit,
                                                     std::vector<SearchHit>* withheld) const {
  return Find(query, limit, withheld, false);
}

std::vector<SearchHit> NameIndex::Find(const NameQuery& query, size_t limit,
                                       std::vector<SearchHit>* withheld, bool prune,
                                       SearchWork* work) const {
  auto query_lists = impl_->TokenLists(query.given_name + " " + query.family_name, true);
  const uint8_t families = NameFamiliesOf(query.country);
  std::shared_lock lock(impl_->mu);
  Impl::TopK listed(limit), hidden(withheld != nullptr ? kMaxWithheldHits : 0);
  // A walk that finds no one withheld reads nothing about withheld people.
  const bool listed_only = withheld == nullptr;
  uint32_t walk = 0;
  for (size_t variant = 0; variant < query_lists.size(); ++variant) {
    auto& list = query_lists[variant].tokens;
    if (list.size() > kMaxQueryTokens) list.resize(kMaxQueryTokens);
    // One token is a surname (or a given name) alone: that lists people
    // rather than looking one up. Particles and characters the normaliser
    // drops can leave a query that short; initials do not count.
    if (std::count_if(list.begin(), list.end(), [&](const auto& t) {
          return t.size() > 1 || (families & kKoreanNames) != 0;
        }) < 2) {
      continue;
    }
    std::vector<Impl::Expansion> expansions;
    std::vector<double> weights;
    std::array<char, kMaxQueryTokens> initials{};
    const uint32_t joined = query_lists[variant].joined;
    for (const auto& token : list) {
      // Korean writes one-letter surnames (I, O): never initials there.
      if (token.size() == 1 && (families & kKoreanNames) == 0) {
        // An initial reaches no one by itself; it weighs like a name one
        // person in twenty holds.
        initials[expansions.size()] = token[0];
        expansions.emplace_back();
        auto size = impl_->listed_in_country.find(Impl::CountryCode(query.country));
        int64_t people = size == impl_->listed_in_country.end() ? 0 : size->second;
        weights.push_back(impl_->Idf(query.country, static_cast<uint32_t>(people / 20)));
        continue;
      }
      const bool joined_token = (joined >> expansions.size()) & 1;
      expansions.push_back(impl_->Expand(token, listed_only, families, joined_token, work));
      // The weight of the strongest reach into listed people; a token that
      // reaches none weighs like the rarest name. Withheld people never
      // change a weight.
      uint32_t df = 0;
      double best_strength = 0;
      for (const auto& [t, s] : expansions.back().targets) {
        uint32_t listed_df = impl_->ListedDf(query.country, t);
        if (listed_df > 0 && s > best_strength) {
          best_strength = s;
          df = listed_df;
        }
      }
      weights.push_back(impl_->Idf(query.country, df));
    }
    auto plan = Impl::MakePlan(query, std::move(expansions), std::move(weights), initials,
                               query_lists[variant].scale);
    for (size_t i = 0; i < plan.expansions.size(); ++i) {
      for (const auto& [t, strength] : plan.expansions[i].targets) {
        auto it = impl_->postings.find(PostingKey(query.country, t));
        if (it == impl_->postings.end() || (listed_only && it->second.Listed() == 0)) continue;
        plan.lists.emplace_back(&it->second, 1u << i);
        if (work != nullptr) ++work->postings;
      }
    }
    // The parts in a fixed order (it breaks ties): names of as many tokens
    // as the query first, then shorter, then longer ones — best matches
    // first, so that the bar rises early.
    const size_t n = plan.expansions.size();
    std::vector<size_t> classes;
    for (size_t c = std::min(n, Impl::kClasses); c >= 1; --c) classes.push_back(c);
    for (size_t c = n + 1; c <= Impl::kClasses; ++c) classes.push_back(c);
    for (size_t c : classes) {
      if (limit > 0) {
        impl_->WalkCandidates(plan, Impl::PartOf(true, c), walk++, listed, prune, work);
      }
      if (withheld != nullptr) {
        impl_->WalkCandidates(plan, Impl::PartOf(false, c), walk++, hidden, prune, work);
      }
    }
  }
  auto hits = [&](const Impl::TopK& top) {
    std::vector<SearchHit> out;
    for (const auto& r : top.entries()) {
      out.push_back({r.id, r.score, impl_->people[r.slot].listing.reason});
    }
    return out;
  };
  if (withheld != nullptr) *withheld = hits(hidden);
  return hits(listed);
}

bool NameIndex::HasNameTokens(const std::string& name) const {
  // Followed by a word, so that a trailing particle ("de la") counts as
  // one; but a name of one word is a name (Lê, Du), as Tokenize has it.
  for (const std::string& variant : impl_->normalizer->Normalize(name + " x")) {
    auto tokens = text::Tokenize(variant);
    if (!tokens.empty()) tokens.pop_back();
    if (tokens.size() == 1) return true;
    for (const auto& t : tokens) {
      if (!t.particle) return true;
    }
  }
  return false;
}

size_t NameIndex::size() const {
  std::shared_lock lock(impl_->mu);
  return impl_->slot_of.size();
}

size_t NameIndex::MemoryBytes() const {
  std::shared_lock lock(impl_->mu);
  size_t bytes = 0;
  for (const auto& t : impl_->tokens) bytes += sizeof(t) + t.text.capacity();
  bytes += impl_->vocab.size() * 64;
  bytes += impl_->listed_keys.MemoryBytes() + impl_->withheld_keys.MemoryBytes();
  for (const auto& [k, v] : impl_->postings) {
    bytes += 32 + sizeof(v) + v.slots.capacity() * sizeof(uint32_t);
  }
  for (const auto& p : impl_->people) {
    bytes += sizeof(p) + p.country.capacity() + p.posted.capacity() * 4;
  }
  bytes += impl_->briefs.capacity() * sizeof(Impl::Brief) + impl_->name_words.capacity() * 4;
  bytes += impl_->by_a_number.MemoryBytes() + impl_->listed_by_a_number.MemoryBytes() +
           impl_->slot_of.MemoryBytes();
  return bytes;
}

}  // namespace vigil::search
