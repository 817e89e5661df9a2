// The public lookup API (DESIGN.md §7): GET /api/v1/search.
//
//   ?a_number=A012345678&country_of_birth=MX
//   ?given_name=Maria&family_name=Garcia&country_of_birth=MX[&birth_year=1990]
//
// Answers {"results":[...]} with at most five people the disclosure gate lets
// the public see, best match first; no match and a withheld match give the
// same {"results":[]} (§2.3). Over-broad or malformed queries get 400 with a
// clear message; clients over their rate get 429 with Retry-After.
//
// Handlers are thread-safe given thread-safe dependencies (all of vigil's are).
#ifndef VIGIL_API_SEARCH_ROUTES_H_
#define VIGIL_API_SEARCH_ROUTES_H_

#include <deque>
#include <map>
#include <string>
#include <vector>

#include "vigil/audit/audit_log.h"
#include "vigil/http/rate_limit.h"
#include "vigil/http/router.h"
#include "vigil/policy/disclosure_policy.h"
#include "vigil/search/name_index.h"
#include "vigil/store/batch_writer.h"
#include "vigil/store/store.h"

namespace vigil::api {

// The public JSON view of people, as /api/v1/search answers:
// {"results":[{...}, ...]}. Takes only what the gate produced. Written
// directly (the DOM it replaced cost 8% of a search); the bytes are those
// of nlohmann's dump() of the same objects, keys in sorted order.
void AppendSubjectJson(std::string& out, const policy::DisclosedSubject& subject);
std::string SearchResultsJson(const std::vector<policy::DisclosedSubject>& subjects);

// Which people the public search index lists (search::Listing): those the
// policy would show the public now. Withheld people whose withholding is about
// who they are — a protection, a minor, a birth date that cannot prove
// adulthood — are `recorded`: a search that finds them is written down for
// the stalking alert. People withheld only by time (released long ago) or by
// missing data are neither listed nor recorded.
// (policy::IsRecordedReason decides which reasons are recorded.)
search::Listing PublicListing(const policy::DisclosurePolicy& policy, const Subject& subject);

// What a public search asked for, to be looked up among withheld people.
struct SoughtQuery {
  std::string sought_by;                     // "a_number" or "name"
  std::optional<ANumber> a_number;           // sought_by "a_number"
  std::optional<search::NameQuery> name;     // sought_by "name"
  std::string country;                       // for "a_number"
  Timestamp at;
};

// Finds and writes suppressed matches (the stalking alert's record) on
// threads of their own, never on a request's: a search is handed over as
// asked (Sought), whoever it finds, and looked up among withheld people
// here, so that a search that finds only a withheld person does the same
// work on its request as one that finds nobody (DESIGN.md §2.3: timing
// included; bench/oracle_bench measures it); each match found here is also
// audited, when an audit writer is given. Matches found otherwise (a
// registration, the gate refusing a person the index still lists) are
// handed over found (Record) and audited by whoever found them. Thread-safe. Pending work is done at Stop() or
// destruction. Both queues are bounded (`max_queued`): past it, work is
// dropped and counted, and the count is reported on stderr, so a flood of
// searches cannot exhaust memory; a batch the store refuses three times is
// reported and dropped the same way.
class SuppressedMatchRecorder {
 public:
  // Nothing is owned. `index` may be null (Sought does nothing), `audit`
  // too (matches are not audited).
  SuppressedMatchRecorder(Store* store, const search::NameIndex* index = nullptr,
                          audit::AuditWriter* audit = nullptr, size_t max_queued = 100000);
  void Sought(SoughtQuery query) { sought_.Record(std::move(query)); }
  void Record(SuppressedMatch match);
  // Does everything handed over so far (for tests and shutdown).
  void Flush() {
    sought_.Flush();
    writer_.Flush();
  }
  void Stop() {
    sought_.Stop();
    writer_.Stop();
  }
  // Work dropped so far (queue full or store failure).
  int64_t dropped() const { return sought_.dropped() + writer_.dropped(); }

 private:
  bool Write(const std::deque<SuppressedMatch>& batch);
  bool LookUp(const std::deque<SoughtQuery>& batch);
  Store* store_;
  const search::NameIndex* index_;
  audit::AuditWriter* audit_;
  BatchWriter<SuppressedMatch> writer_;  // its thread calls Write
  BatchWriter<SoughtQuery> sought_;      // last: its thread calls LookUp, which uses writer_
};

// The longest name part (given_name, family_name) a search takes, in
// characters, and the longest A-number as typed. The web form's maxlength
// is these same numbers, so the form never lets through what the API
// refuses, nor refuses what it takes.
inline constexpr size_t kMaxNameQueryChars = 100;
inline constexpr size_t kMaxANumberQueryChars = 20;

struct SearchDependencies {
  Store* store = nullptr;                       // the source of truth
  search::NameIndex* index = nullptr;           // candidates
  const policy::DisclosurePolicy* policy = nullptr;
  const Clock* clock = nullptr;
  http::RateLimiter* limiter = nullptr;         // may be null: no limit
  // Withheld matches are found and recorded here, off the request (the
  // recorder audits them); may be null: not recorded.
  SuppressedMatchRecorder* recorder = nullptr;
  // The audit log: each search (a keyed hash of its query and the refs it
  // disclosed). Both null, or both set.
  const audit::AuditLog* audit_log = nullptr;
  audit::AuditWriter* audit = nullptr;
};

// Runs one public search from already-parsed parameters (a_number, or
// given_name + family_name, with country_of_birth and optional birth_year):
// validation, candidates from the index, the disclosure gate against the
// store, recording of withheld matches. Returns at most five people, or
// kInvalidArgument with a message fit to show the user, or kUnavailable.
// The JSON API and the web pages both answer through this function, so they
// cannot disagree about who may be shown.
Result<std::vector<policy::DisclosedSubject>> RunPublicSearch(
    const SearchDependencies& deps, const std::map<std::string, std::string>& params);

// Adds GET /api/v1/search. The dependencies must outlive the router.
void AddSearchRoutes(http::Router& router, SearchDependencies deps);

}  // namespace vigil::api

#endif  // VIGIL_API_SEARCH_ROUTES_H_
