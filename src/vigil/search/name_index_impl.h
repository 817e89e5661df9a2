// Inside the name index (name_index.h): its private state and the scoring
// and walking it does, kept apart so name_index.cc holds the public
// operations. Included only by name_index.cc.
#ifndef VIGIL_SEARCH_NAME_INDEX_IMPL_H_
#define VIGIL_SEARCH_NAME_INDEX_IMPL_H_

#include <algorithm>
#include <array>
#include <bit>
#include <climits>
#include <cmath>
#include <mutex>
#include <set>
#include <stdexcept>
#include <unordered_set>

#include "vigil/core/flat_map.h"
#include "vigil/search/name_index.h"
#include "vigil/search/name_keys.h"
#include "vigil/text/double_metaphone.h"
#include "vigil/text/name_tables.h"
#include "vigil/text/similarity.h"
#include "vigil/text/tokens.h"

namespace vigil::search {
// Internal linkage, as when these lived in name_index.cc: the one file
// that includes this header is the only user, and the compiler may treat
// them as such when inlining.
namespace {

inline constexpr double kExact = 1.0;
inline constexpr double kSpanishVariant = 0.92;
inline constexpr double kSkeleton = 0.85;
inline constexpr double kPhonetic = 0.8;
inline constexpr double kOneEdit = 0.85;
inline constexpr double kTwoEdits = 0.75;
inline constexpr double kRomanisation = 0.88;
inline constexpr double kAbbreviation = 0.9;
inline constexpr double kParticleStem = 0.9;
inline constexpr double kHypocorism = 0.85;
inline constexpr double kInitial = 0.85;
// A query rewritten by a short form of several words (JB -> Jean Baptiste)
// scores at most this much of what the written form would.
inline constexpr double kAbbreviatedQuery = 0.95;
inline constexpr double kHypocorismQuery = 0.9;
inline constexpr size_t kMaxQueryTokens = 8;

// How many edits a token of this length may be away and still be a typo.
// Tokens longer than any real name part get none: their deletion variants
// grow with the square of the length, and a query made of them would
// otherwise cost milliseconds of CPU each.
inline constexpr size_t kMaxTypoTokenLength = 20;
inline int MaxEdits(size_t length) {
  if (length > kMaxTypoTokenLength) return 0;
  if (length >= 8) return 2;
  if (length >= 4) return 1;
  return 0;
}

// Every string obtained by deleting up to `depth` characters from `s`.
inline void Deletions(const std::string& s, int depth, std::unordered_set<std::string>& out) {
  if (depth == 0 || s.size() <= 1) return;
  for (size_t i = 0; i < s.size(); ++i) {
    std::string d = s.substr(0, i) + s.substr(i + 1);
    if (out.insert(d).second) Deletions(d, depth - 1, out);
  }
}

inline uint64_t PostingKey(std::string_view country, uint32_t token) {
  uint64_t c = country.size() == 2
                   ? (static_cast<uint64_t>(static_cast<unsigned char>(country[0])) << 8) |
                         static_cast<unsigned char>(country[1])
                   : 0;
  return (c << 32) | token;
}

// Syllable-sized tokens (Chinese and Vietnamese given names) are also indexed
// joined to their neighbour, so "Xiu Ying" and "Xiuying" meet.
// Initials are never joined ("W. Ray" is not "Wray").
inline bool Joinable(const std::string& a, const std::string& b) {
  return a.size() >= 2 && b.size() >= 2 && a.size() <= 5 && b.size() <= 5;
}

// Two forms of one name for a man and a woman (Juan, Juana; Julio, Julia;
// Gabriel, Gabriela): different people, however close the spelling.
inline bool GenderPair(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  auto gendered = [](char c) { return c == 'a' || c == 'o' || c == 'e'; };
  if (a.size() == b.size()) {
    return a.size() >= 3 && a.substr(0, a.size() - 1) == b.substr(0, b.size() - 1) &&
           a.back() != b.back() && gendered(a.back()) && gendered(b.back());
  }
  return a.size() >= 3 && b.size() == a.size() + 1 && b.back() == 'a' && b.substr(0, a.size()) == a;
}

// An A-number's nine digits as a number (0 for none; no real one is 0).
inline uint32_t ANumberKey(const ANumber& a) {
  uint32_t key = 0;
  for (char c : a.digits()) key = key * 10 + static_cast<uint32_t>(c - '0');
  return key;
}

}  // namespace

struct NameIndex::Impl {
  struct TokenInfo {
    std::string text;
    uint32_t listed = 0;    // listed people whose names hold it
    uint32_t recorded = 0;  // withheld people recorded when sought whose names hold it
  };

  // The ways a query token reaches index tokens, for one set of tokens.
  // There are two sets, and every token is in at most one: tokens a listed
  // person holds (`listed_keys`), and tokens only withheld people hold
  // (`withheld_keys`). The public walk reads the first alone, so that
  // what it costs (every lookup, hit or miss) is what it would cost if
  // withheld people were not indexed at all (DESIGN.md §2.3).
  struct KeyMaps {
    std::unordered_map<std::string, uint32_t> exact;
    std::unordered_map<std::string, std::vector<uint32_t>> by_spanish, by_skeleton, by_phonetic,
        by_deletion, by_romanisation, by_stem, by_long_stem;

    // Calls f(map, key) for every key of `text`.
    template <typename F>
    void ForEachKey(const std::string& text, F f) {
      f(by_spanish, SpanishKey(text));
      std::string skeleton = Skeleton(text);
      if (skeleton.size() >= 4) f(by_skeleton, skeleton);
      auto dm = text::DoubleMetaphone(text);
      if (!dm.primary.empty()) f(by_phonetic, dm.primary);
      if (!dm.alternate.empty() && dm.alternate != dm.primary) f(by_phonetic, dm.alternate);
      int edits = MaxEdits(text.size());
      if (edits > 0) {
        std::unordered_set<std::string> deletions = {text};
        Deletions(text, edits, deletions);
        for (const auto& d : deletions) f(by_deletion, d);
      }
      // What is left once particles written joined are taken off, by any
      // particle or by particles of three letters or more alone.
      for (const auto& stem : ParticleStems(text, 2)) f(by_stem, stem);
      for (const auto& stem : ParticleStems(text, 3)) f(by_long_stem, stem);
      // Every family's keys: which are compared depends on the query.
      std::vector<std::string> keys;
      RomanisationKeys(text, kAllNameFamilies, keys);
      for (const auto& k : keys) f(by_romanisation, k);
    }
    void Add(uint32_t id, const std::string& text) {
      exact.emplace(text, id);
      ForEachKey(text, [id](auto& map, const std::string& key) { map[key].push_back(id); });
    }
    void Remove(uint32_t id, const std::string& text) {
      exact.erase(text);
      ForEachKey(text, [id](auto& map, const std::string& key) {
        auto it = map.find(key);
        if (it == map.end()) return;
        std::erase(it->second, id);
        if (it->second.empty()) map.erase(it);
      });
    }
    size_t MemoryBytes() const {
      size_t bytes = exact.size() * 64;
      for (const auto* map : {&by_spanish, &by_skeleton, &by_phonetic, &by_deletion,
                              &by_romanisation, &by_stem, &by_long_stem}) {
        for (const auto& [k, v] : *map)
          bytes += 64 + k.capacity() + v.capacity() * sizeof(uint32_t);
      }
      return bytes;
    }
  };
  // People are posted by how they are listed and by the token count of
  // their shortest name ("class", 1 to kClasses, the last for that many or
  // more): a person whose every name is longer than the query tokens that
  // reach them certainly has a name token no query token explains, which
  // bounds their score far lower. Walking each class on its own lets that
  // bound skip them without reading them. People neither listed nor
  // recorded can never be a hit and are not posted at all.
  static constexpr size_t kClasses = 5;
  static constexpr size_t kParts = 2 * kClasses;  // listed classes, then recorded classes
  static size_t PartOf(bool listed, size_t name_class) {
    return (listed ? 0 : kClasses) + name_class - 1;
  }
  static size_t ClassOfPart(size_t part) { return part % kClasses + 1; }

  // The people of one country holding one token: slots, sorted within each
  // part, parts one after another.
  struct Posting {
    std::vector<uint32_t> slots;
    std::array<uint32_t, kParts> ends{};  // where each part ends in `slots`

    std::pair<const uint32_t*, const uint32_t*> Part(size_t part) const {
      return {slots.data() + (part == 0 ? 0 : ends[part - 1]), slots.data() + ends[part]};
    }
    uint32_t Listed() const { return ends[kClasses - 1]; }
    void Insert(size_t part, uint32_t slot) {
      auto [from, to] = Part(part);
      auto at = slots.begin() + (std::lower_bound(from, to, slot) - slots.data());
      slots.insert(at, slot);
      for (size_t p = part; p < kParts; ++p) ++ends[p];
    }
    void Erase(size_t part, uint32_t slot) {
      auto [from, to] = Part(part);
      const uint32_t* at = std::lower_bound(from, to, slot);
      if (at == to || *at != slot) return;
      slots.erase(slots.begin() + (at - slots.data()));
      for (size_t p = part; p < kParts; ++p) --ends[p];
    }
  };
  static constexpr size_t kMaxPeople = size_t{1} << 32;

  struct Person {
    int64_t id = 0;
    std::string country;
    int birth_year = 0;            // 0: unknown
    uint32_t a_number = 0;         // the nine digits as a number; 0: none
    std::vector<uint32_t> posted;  // distinct token ids in postings
    Listing listing;
  };
  // What scoring a candidate reads, kept apart from Person in one small
  // array; the person's names are in `name_words` from `names_at`: for each
  // name variant its token count, then its token ids. One cache line or two
  // per candidate, not a pointer chase.
  struct Brief {
    int64_t id = 0;
    uint32_t names_at = 0;
    uint16_t names_words = 0;
    int16_t birth_year = 0;  // 0: unknown
  };
  // Name variants beyond this many words (hundreds of aliases) are not indexed.
  static constexpr size_t kMaxNameWords = UINT16_MAX;
  static constexpr size_t kMaxNameTokens = 16;
  // One query token and the index tokens it reaches, with their strength.
  struct Expansion {
    std::vector<std::pair<uint32_t, double>> targets;
  };

  explicit Impl(const text::NameNormalizer* n) : normalizer(n) {}

  const text::NameNormalizer* normalizer;
  mutable std::shared_mutex mu;
  std::vector<TokenInfo> tokens;
  std::unordered_map<std::string, uint32_t> vocab;  // every token ever seen, to intern
  KeyMaps listed_keys, withheld_keys;
  std::unordered_map<uint64_t, Posting> postings;
  bool bulk = false;  // between BeginBulkLoad and EndBulkLoad: postings unsorted
  std::unordered_map<uint16_t, int64_t> listed_in_country;
  // People live in slots, in the order they were first added; a removed
  // person's slot stays empty (removal is rare: retention purges).
  std::vector<Person> people;
  std::vector<Brief> briefs;
  std::vector<uint32_t> name_words;
  size_t stale_name_words = 0;  // left behind by people changed or removed
  std::vector<uint32_t> scratch_words, scratch_posted;  // Upsert's, under `mu`
  FlatMap<int64_t, INT64_MIN> slot_of;
  // By A-number (as a number: a quarter of the memory of the digits as
  // strings). The listed people alone are also in a map of their own, for
  // the public lookup (as listed_keys). 0 is no A-number, never a key.
  FlatMap<uint32_t, 0u> by_a_number, listed_by_a_number;

  static uint16_t CountryCode(std::string_view c) {
    return c.size() == 2 ? static_cast<uint16_t>((static_cast<unsigned char>(c[0]) << 8) |
                                                 static_cast<unsigned char>(c[1]))
                         : 0;
  }

  // Calls f(const uint32_t* tokens, size_t count) for each name in `slot`.
  template <typename F>
  void ForEachName(uint32_t slot, F f) const {
    const Brief& b = briefs[slot];
    const uint32_t* at = name_words.data() + b.names_at;
    const uint32_t* end = at + b.names_words;
    while (at < end) {
      f(at + 1, static_cast<size_t>(*at));
      at += 1 + *at;
    }
  }

  // The part the person in `slot` is posted in; nullopt: not posted.
  std::optional<size_t> PartOf(uint32_t slot) const {
    const Listing& listing = people[slot].listing;
    if (!listing.listed && !listing.recorded) return std::nullopt;
    size_t shortest = kClasses;
    ForEachName(slot, [&](const uint32_t*, size_t n) { shortest = std::min(shortest, n); });
    return PartOf(listing.listed, std::max<size_t>(shortest, 1));
  }

  // Writes a person's names to the end of name_words, compacting it first
  // when most of it is stale.
  // `words` is in name_words' own format (at most kMaxNameWords long).
  void StoreNames(uint32_t slot, const std::vector<uint32_t>& words) {
    if (stale_name_words > 4096 && stale_name_words > name_words.size() / 2) {
      std::vector<uint32_t> kept;
      kept.reserve(name_words.size() - stale_name_words);
      for (Brief& b : briefs) {
        uint32_t at = static_cast<uint32_t>(kept.size());
        kept.insert(kept.end(), name_words.begin() + b.names_at,
                    name_words.begin() + b.names_at + b.names_words);
        b.names_at = at;
      }
      name_words = std::move(kept);
      stale_name_words = 0;
    }
    Brief& b = briefs[slot];
    stale_name_words += b.names_words;
    b.names_at = static_cast<uint32_t>(name_words.size());
    name_words.insert(name_words.end(), words.begin(), words.end());
    b.names_words = static_cast<uint16_t>(words.size());
  }

  // NameIndex::Upsert under the lock: files `subject` with the token lists
  // of its names, replacing what was known of it.
  void File(const Subject& subject, const std::vector<std::vector<std::string>>& lists,
            Listing listing);

  uint32_t Intern(const std::string& text) {
    auto it = vocab.find(text);
    if (it != vocab.end()) return it->second;
    uint32_t id = static_cast<uint32_t>(tokens.size());
    tokens.push_back({text});
    vocab.emplace(text, id);
    return id;  // in no key map until someone posted holds it (Post)
  }

  // Which key maps token `t` belongs in, by who holds it.
  KeyMaps* KeyMapsOf(uint32_t t) {
    if (tokens[t].listed > 0) return &listed_keys;
    if (tokens[t].recorded > 0) return &withheld_keys;
    return nullptr;
  }

  // Changes the holder counts of token `t` by `listed` and `recorded`, and
  // moves it between key maps when that changes where it belongs.
  void Count(uint32_t t, int listed, int recorded) {
    KeyMaps* before = KeyMapsOf(t);
    tokens[t].listed += listed;
    tokens[t].recorded += recorded;
    KeyMaps* after = KeyMapsOf(t);
    if (before == after) return;
    if (before != nullptr) before->Remove(t, tokens[t].text);
    if (after != nullptr) after->Add(t, tokens[t].text);
  }

  // One way to read a name: its tokens, particles left out, and how much of
  // a match through it counts (below 1 when a query was rewritten).
  struct TokenList {
    std::vector<std::string> tokens;
    double scale = 1.0;
    // Tokens made by joining two syllables: exact forms only, never read
    // as a typo (Juan Peña is not Juana Peña by way of "juanpena").
    uint32_t joined = 0;
  };

  // The token lists of every normalised variant of `name`: as written;
  // with particles joined to the word they precede ("van der berg" ->
  // "vanderberg"); with an Arabic theophoric name as one token ("abdul
  // rahman" -> "abdrahman"); for a `query`, with a short form of several
  // words replaced or one replaced by several ("jb" -> "jean baptiste",
  // "abu ali" -> "hussein"; one-word short forms are reached token by token
  // in Expand); and syllable-sized neighbours joined.
  std::vector<TokenList> TokenLists(const std::string& name, bool query) const {
    const auto& tables = text::NameTables::BuiltIn();
    std::vector<TokenList> out;
    auto add = [&](std::vector<std::string> list, double scale, uint32_t joined = 0) {
      if (list.empty()) return;
      for (auto& e : out) {
        if (e.tokens == list) {
          e.scale = std::max(e.scale, scale);
          e.joined &= joined;
          return;
        }
      }
      out.push_back({std::move(list), scale, joined});
    };
    for (const std::string& variant : normalizer->Normalize(name)) {
      const std::vector<text::NameToken> raw = text::Tokenize(variant);
      std::vector<std::string> list;
      for (const auto& t : raw) {
        if (!t.particle) list.push_back(t.text);
      }
      if (list.empty()) continue;
      const size_t first = out.size();
      add(list, 1.0);
      std::vector<std::string> joined;
      std::string particles;
      for (size_t i = 0; i < raw.size(); ++i) {
        const auto& t = raw[i];
        if (t.particle || (i + 1 < raw.size() && tables.IsPrefix(t.text))) {
          particles += t.text;
        } else {
          joined.push_back(particles + t.text);
          particles.clear();
        }
      }
      if (joined != list) add(std::move(joined), 1.0);
      std::vector<std::string> folded;
      for (size_t i = 0; i < list.size();) {
        size_t used = 0;
        std::string name = TheophoricName(list, i, &used);
        if (used == 0) {
          folded.push_back(list[i++]);
        } else {
          folded.push_back(std::move(name));
          i += used;
        }
      }
      if (folded != list) add(std::move(folded), 1.0);
      for (size_t i = 0; query && i < raw.size(); ++i) {
        std::string phrase;
        for (size_t len = 1; len <= tables.MaxShortFormWords() && i + len <= raw.size(); ++len) {
          if (len > 1) phrase += ' ';
          phrase += raw[i + len - 1].text;
          for (const auto& full : tables.FullForms(phrase)) {
            if (len == 1 && full.words.size() == 1) continue;
            std::vector<std::string> rewritten;
            for (size_t k = 0; k < i; ++k) {
              if (!raw[k].particle) rewritten.push_back(raw[k].text);
            }
            for (const auto& w : full.words) {
              if (!tables.IsParticle(w)) rewritten.push_back(w);
            }
            for (size_t k = i + len; k < raw.size(); ++k) {
              if (!raw[k].particle) rewritten.push_back(raw[k].text);
            }
            add(std::move(rewritten), full.abbreviation ? kAbbreviatedQuery : kHypocorismQuery);
          }
        }
      }
      // Joining must leave two tokens: one fuzzy token alone never matches.
      const size_t last = out.size();
      for (size_t l = first; l < last; ++l) {
        const std::vector<std::string> tokens = out[l].tokens;  // `add` may move out[l]
        const double scale = out[l].scale;
        const uint32_t joined = out[l].joined;
        for (size_t i = 0; tokens.size() >= 3 && i + 1 < tokens.size(); ++i) {
          if (!Joinable(tokens[i], tokens[i + 1])) continue;
          std::vector<std::string> j(tokens.begin(), tokens.begin() + static_cast<long>(i));
          j.push_back(tokens[i] + tokens[i + 1]);
          j.insert(j.end(), tokens.begin() + static_cast<long>(i) + 2, tokens.end());
          // The bits of the tokens after the join move down by one.
          uint32_t low = joined & ((1u << i) - 1), high = (joined >> (i + 2)) << (i + 1);
          add(std::move(j), scale, low | (1u << i) | high);
        }
      }
    }
    return out;
  }

  // Puts the person in `slot` into the postings and, when listed, the
  // statistics; Unpost takes them out again (before any change to them).
  void Post(uint32_t slot) {
    const Person& p = people[slot];
    const auto part = PartOf(slot);
    const bool recorded = !p.listing.listed && p.listing.recorded;
    for (uint32_t t : p.posted) {
      if (part) {
        Posting& posting = postings[PostingKey(p.country, t)];
        if (bulk) {
          posting.slots.push_back(slot);  // put in its part by EndBulk
        } else {
          posting.Insert(*part, slot);
        }
      }
      Count(t, p.listing.listed ? 1 : 0, recorded ? 1 : 0);
    }
    if (p.listing.listed) ++listed_in_country[CountryCode(p.country)];
    if (p.listing.listed && p.a_number != 0) listed_by_a_number.Set(p.a_number, slot);
  }
  void Unpost(uint32_t slot) {
    if (bulk) EndBulk();
    const Person& p = people[slot];
    const auto part = PartOf(slot);
    const bool recorded = !p.listing.listed && p.listing.recorded;
    for (uint32_t t : p.posted) {
      if (part) postings[PostingKey(p.country, t)].Erase(*part, slot);
      Count(t, p.listing.listed ? -1 : 0, recorded ? -1 : 0);
    }
    if (p.listing.listed) --listed_in_country[CountryCode(p.country)];
    const uint32_t* a = listed_by_a_number.Find(p.a_number);
    if (a != nullptr && *a == slot) listed_by_a_number.Erase(p.a_number);
  }

  // A bulk load (NameIndex::BeginBulkLoad) appends each posted person to
  // the end of a posting: a sorted insert into a list of a million people
  // moves every withheld person after it, which made loading quadratic in
  // the size of the commonest names. EndBulk sorts each posting into its
  // parts once.
  void EndBulk() {
    bulk = false;
    constexpr uint8_t kUnposted = UINT8_MAX;
    std::vector<uint8_t> part_of(people.size(), kUnposted);
    for (uint32_t slot = 0; slot < people.size(); ++slot) {
      if (auto part = PartOf(slot)) part_of[slot] = static_cast<uint8_t>(*part);
    }
    for (auto& [key, posting] : postings) {
      if (posting.slots.size() == posting.ends[kParts - 1]) continue;  // nothing appended
      std::sort(posting.slots.begin(), posting.slots.end(), [&](uint32_t a, uint32_t b) {
        return part_of[a] != part_of[b] ? part_of[a] < part_of[b] : a < b;
      });
      posting.ends.fill(0);
      for (uint32_t slot : posting.slots) ++posting.ends[part_of[slot]];
      for (size_t p = 1; p < kParts; ++p) posting.ends[p] += posting.ends[p - 1];
    }
  }

  // Takes the person in `slot` out of the index, leaving the slot empty.
  void RemoveLocked(uint32_t slot) {
    Unpost(slot);
    Person& p = people[slot];
    const uint32_t* a = by_a_number.Find(p.a_number);
    if (a != nullptr && *a == slot) by_a_number.Erase(p.a_number);
    p = Person{};
    stale_name_words += briefs[slot].names_words;
    briefs[slot] = Brief{};
  }

  // Listed people holding `token` in `country`.
  uint32_t ListedDf(std::string_view country, uint32_t token) const {
    auto it = postings.find(PostingKey(country, token));
    return it == postings.end() ? 0 : it->second.Listed();
  }

  // Rarity of a token among the listed people of a country (df 0: a name
  // nobody listed holds, which weighs like the rarest).
  double Idf(std::string_view country, uint32_t df) const {
    auto size = listed_in_country.find(CountryCode(country));
    double n = size == listed_in_country.end() ? 0 : static_cast<double>(size->second);
    return std::log(1.0 + (n + 1.0) / (static_cast<double>(df) + 1.0));
  }

  // The index tokens `token` reaches. With `listed_only` (the public walk),
  // only tokens a listed person holds, through listed_keys alone, so
  // that the work of a public search is the work it would be if withheld
  // people were not indexed (DESIGN.md §2.3, timing included).
  //
  // `families` (NameFamiliesOf the query's country) says which
  // romanisation keys to compare.
  Expansion Expand(const std::string& token, bool listed_only, uint8_t families, bool joined,
                   SearchWork* work) const {
    Expansion e;
    SearchWork ignored;
    SearchWork& w = work != nullptr ? *work : ignored;
    auto add = [&](uint32_t t, double strength) {
      for (auto& [existing, s] : e.targets) {
        if (existing == t) {
          s = std::max(s, strength);
          return;
        }
      }
      e.targets.emplace_back(t, strength);
    };
    // Known means held by a listed person: a name only withheld people hold
    // must leave the query exactly as if they did not exist.
    const bool is_known = listed_keys.exact.count(token) > 0 || IsCommonName(token);
    ++w.lookups;
    const auto& tables = text::NameTables::BuiltIn();
    const bool arabic = (families & kArabicNames) != 0;
    // The keys are computed once; each set of tokens is looked up alike.
    std::vector<std::string> romanised;
    RomanisationKeys(token, families, romanised, /*query=*/true);
    // The names a short form stands for, with their romanisation keys.
    std::vector<std::pair<const std::string*, double>> fuller;
    std::vector<std::string> fuller_keys;
    for (const auto& full : tables.FullForms(token)) {
      if (full.words.size() != 1) continue;
      fuller.emplace_back(&full.words[0], full.abbreviation ? kAbbreviation : kHypocorism);
      RomanisationKeys(full.words[0], families, fuller_keys, /*query=*/true);
    }
    for (const auto& short_form : tables.ShortForms(token)) {
      fuller.emplace_back(&short_form.word, short_form.abbreviation ? kAbbreviation : kHypocorism);
    }
    // A name written with particles joined ("Deltoro", "Vandenberg"). Only
    // particles of three letters or more are split off a name people hold:
    // Diana is not Ana, Dominguez is not Minguez.
    // The Arabic article is split off any name (Almasri, Elkhatib).
    const std::vector<std::string> stems = ParticleStems(token, is_known && !arabic ? 3 : 2);
    // A diminutive (Carlitos, Rosita, Lupita): its base and what that
    // stands for.
    std::vector<std::string> bases;
    for (auto& base : DiminutiveBases(token)) {
      for (const auto& full : tables.FullForms(base)) {
        if (full.words.size() == 1) bases.push_back(full.words[0]);
      }
      bases.push_back(std::move(base));
    }
    const std::string initial =
        token.size() >= 2 && (families & kKoreanNames) == 0 ? token.substr(0, 1) : std::string();
    // An Abd-name differs from another in its divine name alone (Abdul
    // Rahman, Abdul Rahim): never a typo of one another.
    const bool theophoric = IsTheophoricToken(token);
    for (const KeyMaps* ch : {&listed_keys, &withheld_keys}) {
      if (listed_only && ch != &listed_keys) break;
      w.lookups += 2;
      if (auto it = ch->exact.find(token); it != ch->exact.end()) add(it->second, kExact);
      // Spanish spelling (a silent h: Hamed is not Ahmed) and skeletons
      // (Mahmoud is not Mohammed) are not how Arabic names vary: the
      // Arabic keys are.
      if (auto it = ch->by_spanish.find(SpanishKey(token)); !arabic && it != ch->by_spanish.end()) {
        for (uint32_t t : it->second) add(t, kSpanishVariant);
      }
      if (std::string skeleton = Skeleton(token); !arabic && !joined && skeleton.size() >= 4) {
        ++w.lookups;
        if (auto it = ch->by_skeleton.find(skeleton); it != ch->by_skeleton.end()) {
          for (uint32_t t : it->second) {
            ++w.comparisons;
            if (SkeletonComparable(token, tokens[t].text)) add(t, kSkeleton);
          }
        }
      }
      if (!is_known && !theophoric && !joined) {
        // Double Metaphone codes English and Latin spellings; Cyrillic and
        // Arabic names vary as their keys say, and their codes join
        // different names (Belov, Beliaiev; Oleksij, Oleksandr).
        const bool phonetic = (families & (kCyrillicNames | kArabicNames)) == 0;
        auto dm = phonetic ? text::DoubleMetaphone(token) : text::DoubleMetaphoneCode{};
        for (const std::string* code : {&dm.primary, &dm.alternate}) {
          if (code->empty()) continue;
          ++w.lookups;
          auto it = ch->by_phonetic.find(*code);
          if (it == ch->by_phonetic.end()) continue;
          for (uint32_t t : it->second) {
            ++w.comparisons;
            if (GenderPair(token, tokens[t].text)) continue;
            if (text::JaroWinklerSimilarity(token, tokens[t].text) >= 0.8) add(t, kPhonetic);
          }
        }
        int edits = MaxEdits(token.size());
        if (edits > 0) {
          std::unordered_set<std::string> probes = {token};
          Deletions(token, edits, probes);
          std::unordered_set<uint32_t> seen;
          for (const auto& probe : probes) {
            ++w.lookups;
            auto it = ch->by_deletion.find(probe);
            if (it == ch->by_deletion.end()) continue;
            for (uint32_t t : it->second) {
              if (!seen.insert(t).second) continue;
              const std::string& other = tokens[t].text;
              int limit = std::min(edits, MaxEdits(other.size()));
              if (limit == 0) continue;
              // People remember how a name starts: a "typo" in the first
              // letter is usually another name (Herrera, Ferrera).
              if (other[0] != token[0] || GenderPair(token, other)) continue;
              ++w.comparisons;
              int d = text::DamerauLevenshteinDistance(token, other);
              if (d >= 1 && d <= limit) add(t, d == 1 ? kOneEdit : kTwoEdits);
            }
          }
        }
      }
      for (const std::string& key : romanised) {
        ++w.lookups;
        if (auto it = ch->by_romanisation.find(key); it != ch->by_romanisation.end()) {
          for (uint32_t t : it->second) add(t, kRomanisation);
        }
      }
      for (const auto& [name, strength] : fuller) {
        ++w.lookups;
        if (auto it = ch->exact.find(*name); it != ch->exact.end()) add(it->second, strength);
      }
      for (const std::string& key : fuller_keys) {
        ++w.lookups;
        if (auto it = ch->by_romanisation.find(key); it != ch->by_romanisation.end()) {
          for (uint32_t t : it->second) add(t, kHypocorism * kRomanisation);
        }
      }
      for (const std::string& stem : stems) {
        ++w.lookups;
        if (auto it = ch->exact.find(stem); it != ch->exact.end()) add(it->second, kParticleStem);
      }
      // The other way round: a record that joined what the query keeps apart.
      ++w.lookups;
      const auto& joined = is_known && !arabic ? ch->by_long_stem : ch->by_stem;
      if (auto it = joined.find(token); it != joined.end()) {
        for (uint32_t t : it->second) add(t, kParticleStem);
      }
      for (const std::string& base : bases) {
        ++w.lookups;
        if (auto it = ch->exact.find(base); it != ch->exact.end()) add(it->second, kHypocorism);
      }
      // A record that gives only the initial ("J. García").
      if (!initial.empty()) {
        ++w.lookups;
        if (auto it = ch->exact.find(initial); it != ch->exact.end()) add(it->second, kInitial);
      }
    }
    return e;
  }

  // For each index token some query token reaches: how strongly each query
  // token reaches it. Sorted by index token.
  using StrengthRow = std::pair<uint32_t, std::array<double, kMaxQueryTokens>>;
  using Strengths = std::vector<StrengthRow>;

  static const std::array<double, kMaxQueryTokens>* Find(const Strengths& strengths,
                                                         uint32_t token) {
    auto it = std::lower_bound(strengths.begin(), strengths.end(), token,
                               [](const StrengthRow& row, uint32_t t) { return row.first < t; });
    return it != strengths.end() && it->first == token ? &it->second : nullptr;
  }

  // The score of an alignment: `matched` is the sum of the matched query
  // tokens' weighted strengths, `matched_weight` and `unmatched_weight` the
  // weights of the query tokens with and without a counterpart, `leftover`
  // whether the name has a token no query token matched. One function for
  // Align and for the upper bounds of Walk, so that both round alike.
  static double Combine(double matched, double matched_weight, double unmatched_weight,
                        bool leftover) {
    // A query token with no counterpart is a name the record may simply lack
    // (a second surname); with a leftover token on the record's side too,
    // the two names disagree.
    double score = matched / (matched_weight + unmatched_weight * (leftover ? 1.0 : 0.25));
    if (unmatched_weight > 0 && leftover) score *= 0.5;
    // Prefer the record that is fully explained by the query.
    if (leftover) score -= 0.01;
    return score;
  }

  // Best alignment score of query tokens (with their expansions and weights)
  // against one name of a person. A query token that is an initial
  // (`initials[i]` its letter, else 0) matches a name token with that first
  // letter, and does not count toward the two tokens a match needs.
  static double Align(const Strengths& strengths, size_t n, const std::vector<double>& weights,
                      const std::array<char, kMaxQueryTokens>& initials,
                      const std::vector<TokenInfo>& token_infos, const uint32_t* name,
                      size_t tokens) {
    size_t m = std::min(tokens, kMaxNameTokens);
    // s[i * m + j]: query token i against the name's token j.
    std::array<double, kMaxQueryTokens * kMaxNameTokens> s{};
    size_t full_tokens = 0;
    for (size_t i = 0; i < n; ++i) full_tokens += initials[i] == 0;
    for (size_t j = 0; j < m; ++j) {
      const auto* row = Find(strengths, name[j]);
      const char first = token_infos[name[j]].text[0];
      for (size_t i = 0; i < n; ++i) {
        if (initials[i] != 0) {
          s[i * m + j] = first == initials[i] ? kInitial * weights[i] : 0;
        } else if (row != nullptr) {
          s[i * m + j] = (*row)[i] * weights[i];
        }
      }
    }
    std::array<double, kMaxQueryTokens> value{};  // what each matched query token scored
    std::array<bool, kMaxQueryTokens> q_used{};
    std::array<bool, kMaxNameTokens> p_used{};
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
      value[bi] = best;
      matched += initials[bi] == 0;
    }
    if (matched < std::min<size_t>(2, full_tokens)) return 0;
    bool leftover = std::find(p_used.begin(), p_used.begin() + m, false) != p_used.begin() + m;
    // Summed in query order, as the bounds of Walk are.
    double sum = 0, matched_weight = 0, unmatched_weight = 0;
    for (size_t i = 0; i < n; ++i) {
      if (q_used[i]) {
        sum += value[i];
        matched_weight += weights[i];
      } else {
        unmatched_weight += weights[i];
      }
    }
    return Combine(sum, matched_weight, unmatched_weight, leftover);
  }

  struct Ranked {
    double score = 0;
    bool exact_year = false;
    uint64_t order = 0;  // walk << 32 | slot: where the walks met the person
    int64_t id = 0;
    uint32_t slot = 0;
  };
  // Best score first; ties by exact birth year, then by who was met first.
  static bool Before(const Ranked& a, const Ranked& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.exact_year != b.exact_year) return a.exact_year;
    return a.order < b.order;
  }

  // The best `capacity` hits seen so far, one per person.
  class TopK {
   public:
    explicit TopK(size_t capacity) : capacity_(capacity) {}

    // Whether a hit no better than `bound` could still enter.
    bool MayEnter(const Ranked& bound) const {
      if (capacity_ == 0) return false;
      if (entries_.size() < capacity_) return bound.score >= kMatchThreshold;
      return Before(bound, entries_.back());
    }
    // The same for a person not read yet, met at `order` or later, scoring
    // at most `score`: one met later wins a tie only on birth year.
    bool MayEnterUnseen(double score, uint64_t order, bool year_given) const {
      if (capacity_ == 0) return false;
      if (entries_.size() < capacity_) return score >= kMatchThreshold;
      const Ranked& last = entries_.back();
      if (score != last.score) return score > last.score;
      return order < last.order || (year_given && !last.exact_year);
    }
    void Offer(const Ranked& hit) {
      if (hit.score < kMatchThreshold || capacity_ == 0) return;
      auto same = std::find_if(entries_.begin(), entries_.end(),
                               [&](const Ranked& r) { return r.id == hit.id; });
      if (same != entries_.end()) {
        if (hit.score <= same->score) return;
        entries_.erase(same);
      } else if (entries_.size() == capacity_ && !Before(hit, entries_.back())) {
        return;
      }
      entries_.insert(std::upper_bound(entries_.begin(), entries_.end(), hit, Before), hit);
      if (entries_.size() > capacity_) entries_.pop_back();
    }
    const std::vector<Ranked>& entries() const { return entries_; }

   private:
    size_t capacity_;
    std::vector<Ranked> entries_;
  };

  // One query variant, prepared for walking: its tokens' reach and weights,
  // and upper bounds on a person's score by the set of query tokens that
  // reach them (a bit mask) and the class of their shortest name: `open`
  // when they may have no leftover name token, `closed` when they certainly
  // have one. Each is the best Combine over subsets of the set (a person may
  // align fewer tokens than reach them), with the strongest reach of each
  // token, in Align's order. The bound never falls as the set grows, so
  // it also bounds anyone reached by a subset of the set.
  struct Plan {
    const NameQuery* query;
    std::vector<Expansion> expansions;
    std::vector<double> weights;
    Strengths strengths;
    std::array<std::vector<double>, kClasses + 1> bound;     // by class, then mask
    std::vector<std::pair<const Posting*, uint32_t>> lists;  // what each token reaches, its bit
    std::array<char, kMaxQueryTokens> initials{};  // a query token's letter if it is an initial
    uint32_t initial_bits = 0;                     // the initials' bits: reached by no list
    double scale = 1.0;                            // the query variant's TokenList::scale
  };
  static Plan MakePlan(const NameQuery& query, std::vector<Expansion> expansions,
                       std::vector<double> weights,
                       const std::array<char, kMaxQueryTokens>& initials, double scale);

  // Walks one part of the postings for a plan, offering hits to `top`;
  // `walk` numbers the walks of a search, in the order they are made.
  // `prune` false scores everyone two tokens reach (for tests).
  void WalkCandidates(const Plan& plan, size_t part, uint32_t walk, TopK& top, bool prune,
                      SearchWork* work) const;

  static bool IsCommonName(std::string_view token);
};

}  // namespace vigil::search

#endif  // VIGIL_SEARCH_NAME_INDEX_IMPL_H_
