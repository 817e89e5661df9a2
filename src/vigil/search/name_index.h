// The in-memory name index: finds subjects by A-number or by a name that may
// be misspelled, re-ordered, transliterated or shortened (DESIGN.md §3
// search/).
//
// Names are normalised (text::NameNormalizer) into ASCII tokens. A query
// token reaches index tokens through channels of decreasing strength:
//   exact (1.0); Spanish orthographic variant, SpanishKey (0.92); consonant
//   skeleton for transliterations, Skeleton (0.85); and — only when the query
//   token is not itself a name the index knows, so that real names never
//   drift into other real names (María is not Mario, Hernández is not
//   Fernández) — Double Metaphone (0.8) and typos (0.85 for one edit, 0.75
//   for two; one edit for tokens of 4-7 letters, two from 8). Hypocorisms
//   (Pepe -> José) are weaker still (0.6).
// A subject scores by the best alignment of query tokens to the tokens of any
// one of its names (primary or alias; order ignored), each query token
// weighted by the rarity of what it matched. An unmatched query token costs
// its weight; when the subject also has an unmatched token the names
// disagree (García López is not García Pérez) and the score is halved.
// Country of birth must be equal; a birth year, when given, must be within
// one year. Results at or above kMatchThreshold, best first.
//
// The index holds no decision about disclosure: callers must pass every hit
// through policy/ before showing anything.
//
// Thread safety: all methods are thread-safe; searches run concurrently with
// each other and are serialised with updates (a shared mutex).
#ifndef VIGIL_SEARCH_NAME_INDEX_H_
#define VIGIL_SEARCH_NAME_INDEX_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "vigil/core/domain.h"
#include "vigil/core/error.h"
#include "vigil/text/normalize.h"

namespace vigil::search {

inline constexpr double kMatchThreshold = 0.75;

struct NameQuery {
  std::string given_name;   // as typed
  std::string family_name;  // as typed
  std::string country;      // ISO 3166-1 alpha-2, upper case; required
  std::optional<int> birth_year;
};

struct SearchHit {
  int64_t subject_id = 0;
  double score = 0;    // in [kMatchThreshold, 1]
  uint8_t reason = 0;  // for a withheld hit, its Listing::reason
};

// Whether a subject may appear in public answers, as the caller's disclosure
// policy judged it when the subject was indexed or last re-assessed
// (IndexFollower keeps this current). Only listed subjects shape the answers
// about others: token rarity, which query tokens count as known names, and
// the ranking among candidates are computed over listed subjects alone, so a
// withheld person changes nothing anyone can observe (DESIGN.md §2.3). The
// index still finds withheld subjects, so that a search for one can be
// recorded for the stalking alert.
struct Listing {
  bool listed = true;     // may be shown (the gate still decides, per request)
  bool recorded = false;  // withheld, and a match is worth recording
  uint8_t reason = 0;     // the caller's code for why it is withheld

  bool operator==(const Listing&) const = default;
};

// What a search did, counted: map look-ups, string comparisons (similarity
// and distance), posting lists walked, candidates scored. For tests that
// prove a public search does the same work whoever is withheld.
struct SearchWork {
  uint64_t lookups = 0;
  uint64_t comparisons = 0;
  uint64_t postings = 0;
  uint64_t scored = 0;

  bool operator==(const SearchWork&) const = default;
};

class NameIndex {
 public:
  // `normalizer` is not owned, must not be null and must outlive the index.
  explicit NameIndex(const text::NameNormalizer* normalizer);
  ~NameIndex();
  NameIndex(const NameIndex&) = delete;
  NameIndex& operator=(const NameIndex&) = delete;

  // Adds the subject, or replaces what the index knew of it (names, aliases,
  // country, birth year, A-number).
  void Upsert(const Subject& subject, Listing listing = {});

  // Upsert in two steps, for loading many subjects on several threads with
  // the result of loading them one by one: Prepare does the expensive part
  // (normalising every name) without the index's lock and may run on any
  // number of threads at once; Upsert(Prepared) then takes the lock and
  // files the subject, in whatever order the caller wants the index in.
  struct Prepared {
    Subject subject;
    std::vector<std::vector<std::string>> token_lists;  // the names' normalised tokens
  };
  Prepared Prepare(Subject subject) const;
  void Upsert(const Prepared& prepared, Listing listing = {});
  // Files many under one taking of the lock; `listings[i]` is the listing
  // of `prepared[i]`.
  void Upsert(std::span<const Prepared> prepared, std::span<const Listing> listings);

  // Between these two, Upsert files people without keeping the lists of
  // people per name in order, and EndBulkLoad orders every list once: for
  // loading a whole store into an empty index (IndexFollower::LoadAll),
  // where filing each person in order costs time quadratic in the number
  // of people holding the commonest name. Searches in between may miss
  // people; Remove, SetListing or replacing a person ends the bulk load
  // first.
  // The whole index in a file (name_index_snapshot.cc), so that a restart
  // need not normalise every name again. `identity` says what the index was
  // built for (the caller's store and settings); `change_seq` is the store's
  // subject change position the index reflects and `subject_at_seq` the
  // subject that change wrote, which a loader checks against the store.
  struct SnapshotStamp {
    std::string identity;
    int64_t change_seq = 0;
    int64_t subject_at_seq = 0;
  };
  // Written to PATH.tmp.PID (mode 0600), synced and renamed over `path`.
  Result<void> SaveSnapshot(const std::string& path, const SnapshotStamp& stamp) const;
  // Into an empty index, before it is shared. Refuses a file written by
  // another build of vigil or for another identity, and a damaged one (its
  // digest, and every id in it against what it holds); the index stays
  // empty then.
  Result<SnapshotStamp> LoadSnapshot(const std::string& path, std::string_view identity);

  // Forgets everyone (as a new index).
  void Clear();

  void BeginBulkLoad();
  void EndBulkLoad();
  void Remove(int64_t subject_id);
  // Changes how a subject is listed; false when the index does not hold it.
  bool SetListing(int64_t subject_id, Listing listing);
  std::optional<Listing> ListingOf(int64_t subject_id) const;

  // The listed subject with this A-number, if its country of birth is `country`.
  std::optional<int64_t> FindByANumber(const ANumber& a_number, std::string_view country) const;
  // The withheld subject with this A-number whose Listing says `recorded`,
  // if its country of birth is `country` (score 1, reason from the Listing).
  std::optional<SearchHit> FindWithheldByANumber(const ANumber& a_number,
                                                 std::string_view country) const;

  // At most `limit` listed hits, best first; equal scores are ordered by
  // exact birth year, then by a fixed order of the index so that results
  // are deterministic: people whose shortest name has as many tokens as the
  // query first, then shorter names, then longer; within those, the order
  // in which people were first indexed (subject id order, as IndexFollower
  // loads them). Asking for more hits only adds to the end. When `withheld`
  // is not null it receives the withheld hits whose Listing says `recorded`
  // (at most kMaxWithheldHits, best first).
  //
  // Cost: people who cannot enter the answer are mostly skipped unread
  // (see WalkCandidates in name_index.cc), so a small `limit` is cheaper.
  //
  // Without `withheld`, the work done is the work the query would cost if
  // no withheld person were indexed: tokens only they hold are skipped
  // before anything is computed on them. This is the public search's walk
  // (a search that finds only a withheld person must cost what one that
  // finds nobody does); SearchWithheld is the other half, off the request.
  // `work`, when not null, receives what the search did.
  std::vector<SearchHit> Search(const NameQuery& query, size_t limit,
                                std::vector<SearchHit>* withheld = nullptr,
                                SearchWork* work = nullptr) const;
  static constexpr size_t kMaxWithheldHits = 32;
  // The withheld hits alone (as Search's `withheld`), for recording who was
  // sought: for a background thread, never on a request's path.
  std::vector<SearchHit> SearchWithheld(const NameQuery& query) const;
  // Search without skipping anyone: every person two query tokens reach is
  // scored. The same answer as Search, only slower; tests compare the two.
  std::vector<SearchHit> SearchExhaustively(const NameQuery& query, size_t limit,
                                            std::vector<SearchHit>* withheld = nullptr) const;

  // Whether `name` (as typed) holds at least one token that is not a name
  // particle once normalised: a name part that does not cannot narrow a
  // search, so callers refuse it rather than search on the other part alone.
  // A name of one word is a name even when the word is also a particle
  // (Lê, Du, Van): Tokenize takes a last word as a name.
  bool HasNameTokens(const std::string& name) const;

  size_t size() const;
  // Bytes held by the index's own structures (an estimate, for benchmarks).
  size_t MemoryBytes() const;

 private:
  struct Impl;
  std::vector<SearchHit> Find(const NameQuery& query, size_t limit,
                              std::vector<SearchHit>* withheld, bool prune,
                              SearchWork* work = nullptr) const;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vigil::search

#endif  // VIGIL_SEARCH_NAME_INDEX_H_
