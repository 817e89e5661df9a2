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

// Writes suppressed matches to the store on a background thread, so that a
// withheld match answers as fast as no match (a synchronous commit would be
// a timing oracle). Thread-safe. Pending records are written at Stop() or
// destruction. The queue is bounded (`max_queued`): past it, records are
// dropped and counted, and the count is reported on stderr, so a flood of
// searches cannot exhaust memory; a batch the store refuses three times is
// reported and dropped the same way.
class SuppressedMatchRecorder {
 public:
  explicit SuppressedMatchRecorder(Store* store, size_t max_queued = 100000);
  void Record(SuppressedMatch match) { writer_.Record(std::move(match)); }
  // Writes everything queued so far (for tests and shutdown).
  void Flush() { writer_.Flush(); }
  void Stop() { writer_.Stop(); }
  // Records dropped so far (queue full or store failure).
  int64_t dropped() const { return writer_.dropped(); }

 private:
  bool Write(const std::deque<SuppressedMatch>& batch);
  Store* store_;
  BatchWriter<SuppressedMatch> writer_;  // last: its thread calls Write
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
  SuppressedMatchRecorder* recorder = nullptr;  // may be null: not recorded
  // The audit log: each search (a keyed hash of its query and the refs it
  // disclosed) and each withheld match. Both null, or both set.
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

// Parses an application/x-www-form-urlencoded query string. kInvalidArgument
// for malformed escapes, invalid UTF-8, a repeated or over-long parameter.
Result<std::map<std::string, std::string>> ParseQueryString(std::string_view query);

// Adds GET /api/v1/search. The dependencies must outlive the router.
void AddSearchRoutes(http::Router& router, SearchDependencies deps);

}  // namespace vigil::api

#endif  // VIGIL_API_SEARCH_ROUTES_H_
