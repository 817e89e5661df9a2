#include "vigil/api/search_routes.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <span>

#include "vigil/core/identifiers.h"
#include "vigil/core/json_text.h"
#include "vigil/core/logger.h"
#include "vigil/core/utf8.h"
#include "vigil/http/form.h"
#include "vigil/text/tokens.h"

namespace vigil::api {
namespace {

namespace bhttp = boost::beast::http;

constexpr size_t kMaxResults = 5;
// Listed candidates taken from the index per query: room for a few the gate
// refuses because their state changed since the index last looked (the
// index follower catches up within a second). Should the gate refuse so
// many that the page is short, the index is asked again for more.
constexpr size_t kCandidates = 10;
constexpr size_t kMoreCandidates = 50;
// Room for one character more than kMaxNameQueryChars of four-byte UTF-8,
// so that an over-long name is refused by its length in characters.
static_assert(http::kMaxParameterBytes == 4 * (kMaxNameQueryChars + 1));

// The letters of each word of a name as typed, name particles left out —
// unless the name is that one word: Lê, Du, La and Van are family names of
// their own (text::Tokenize keeps a last word as a name too), while "de la"
// is no name. A Chinese character or Hangul syllable is a syllable of the
// name and counts as two letters, so that a family name of one character
// (李) is a name.
std::vector<size_t> NameWordLetters(const std::string& value) {
  std::vector<size_t> words;
  std::string word;
  size_t word_letters = 0, seen = 0, last_letters = 0;
  auto end_word = [&] {
    if (word.empty()) return;
    ++seen;
    last_letters = word_letters;
    if (!text::IsNameParticle(word)) words.push_back(word_letters);
    word.clear();
    word_letters = 0;
  };
  for (unsigned char c : value) {
    if (std::isalpha(c) || c >= 0xC0) {  // ASCII letters and each non-ASCII character
      word += static_cast<char>(std::tolower(c));
      // Lead bytes of U+3000..U+9FFF (kana, CJK ideographs) and U+AC00..U+D7FF (Hangul).
      word_letters += (c >= 0xE3 && c <= 0xE9) || (c >= 0xEA && c <= 0xED) ? 2 : 1;
    } else if (c < 0x80) {
      end_word();
    }
  }
  end_word();
  if (words.empty() && seen == 1) words.push_back(last_letters);
  return words;
}

// A name as typed must hold at least two letters outside name particles (a
// name of one word is that word, particle or not) and no wildcard: vigil
// looks people up, it does not list them ("de" + "García" would otherwise be
// every García). A given name may be initials alone ("J.") when
// `initials_ok`: the family name then holds two names.
Result<void> CheckName(const char* parameter, const std::string& value, bool initials_ok) {
  std::string p(parameter);
  size_t chars = 0;
  for (unsigned char c : value) chars += (c & 0xC0) != 0x80;  // valid UTF-8 (Decode)
  if (chars > kMaxNameQueryChars) {
    return InvalidArgument(p + ": at most " + std::to_string(kMaxNameQueryChars) + " characters");
  }
  if (value.find_first_of("*%?_") != std::string::npos) {
    return InvalidArgument(p + ": wildcards are not supported; type the name as you know it");
  }
  auto words = NameWordLetters(value);
  size_t letters = 0;
  for (size_t w : words) letters += w;
  if (letters < 2 && !(initials_ok && letters == 1)) {
    return InvalidArgument(p + ": give at least two letters of the name");
  }
  return {};
}

// How an error message may name a parameter the client sent: only when it
// looks like a parameter name. Echoing arbitrary input back makes every error
// a reflector for whatever a client (or an attacker) put in the request.
}  // namespace

void AppendSubjectJson(std::string& out, const policy::DisclosedSubject& s) {
  // Keys in the order nlohmann's std::map-backed objects write them, so the
  // bytes are what building a DOM and dumping it gave (tested).
  out.append(R"({"birth_year":)");
  if (s.birth_year()) {
    out.append(std::to_string(*s.birth_year()));
  } else {
    out.append("null");
  }
  out.append(R"(,"country_of_birth":)");
  AppendJsonString(out, s.country_of_birth());
  out.append(R"(,"custody_basis":)");
  AppendJsonString(out, Name(s.custody_basis()));
  out.append(R"(,"custody_status":)");
  AppendJsonString(out, Name(s.custody_status()));
  out.append(R"(,"facility":)");
  if (const auto& f = s.facility()) {
    out.append(R"({"city":)");
    AppendJsonString(out, f->city());
    out.append(R"(,"name":)");
    AppendJsonString(out, f->name());
    out.append(R"(,"phone":)");
    AppendJsonString(out, f->phone());
    out.append(R"(,"state":)");
    AppendJsonString(out, f->state());
    out.push_back('}');
  } else {
    out.append("null");
  }
  out.append(R"(,"name":)");
  AppendJsonString(out, s.name());
  out.append(R"(,"ref":)");
  AppendJsonString(out, s.ref());
  out.append(R"(,"updated_at":)");
  AppendJsonString(out, FormatRfc3339(s.updated_at()));
  out.push_back('}');
}

std::string SearchResultsJson(const std::vector<policy::DisclosedSubject>& subjects) {
  std::string out = R"({"results":[)";
  for (size_t i = 0; i < subjects.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendSubjectJson(out, subjects[i]);
  }
  out.append("]}");
  return out;
}

search::Listing PublicListing(const policy::DisclosurePolicy& policy, const Subject& subject) {
  policy::SuppressionReason why = policy.Assess(subject, policy::Audience::kPublic);
  return {why == policy::SuppressionReason::kNone, policy::IsRecordedReason(why),
          static_cast<uint8_t>(why)};
}

SuppressedMatchRecorder::SuppressedMatchRecorder(Store* store, const search::NameIndex* index,
                                                 audit::AuditWriter* audit, size_t max_queued)
    : store_(store),
      index_(index),
      audit_(audit),
      writer_([this](const std::deque<SuppressedMatch>& batch) { return Write(batch); },
              {.max_queued = max_queued,
               .what = "suppressed-match records",
               .thread_name = "withheld-writer"}),
      // Polled, never woken by a search: the look-up must not run while the
      // search that asked for it is still being answered (its timing would
      // tell whether it found anyone).
      sought_([this](const std::deque<SoughtQuery>& batch) { return LookUp(batch); },
              {.max_queued = max_queued,
               .linger = std::chrono::milliseconds(0),
               .poll = std::chrono::milliseconds(50),
               .what = "searches to check for withheld matches",
               .thread_name = "withheld-lookup"}) {}

void SuppressedMatchRecorder::Record(SuppressedMatch match) { writer_.Record(std::move(match)); }

bool SuppressedMatchRecorder::LookUp(const std::deque<SoughtQuery>& batch) {
  if (index_ == nullptr) return true;
  for (const SoughtQuery& q : batch) {
    std::vector<search::SearchHit> hits;
    if (q.a_number) {
      if (auto hit = index_->FindWithheldByANumber(*q.a_number, q.country)) hits.push_back(*hit);
    } else if (q.name) {
      hits = index_->SearchWithheld(*q.name);
    }
    for (const auto& hit : hits) {
      std::string reason(policy::Name(static_cast<policy::SuppressionReason>(hit.reason)));
      if (audit_ != nullptr) {
        audit_->Record({"suppressed_match", "public", hit.subject_id,
                        "sought by " + q.sought_by + "; withheld: " + reason});
      }
      Record({hit.subject_id, q.at, q.sought_by, std::move(reason)});
    }
  }
  return true;
}

// A lost record is a lost stalking signal, so a failed write is tried a few
// times; the matches are not worth blocking searches for, though.
bool SuppressedMatchRecorder::Write(const std::deque<SuppressedMatch>& batch) {
  std::string failure;
  const std::vector<SuppressedMatch> matches(batch.begin(), batch.end());
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto txn = store_->BeginWrite();
    if (!txn) {
      failure = txn.error().message();
      continue;
    }
    Result<void> r = (*txn)->controls().RecordSuppressedMatches(matches);
    if (r) r = (*txn)->Commit();
    if (r) return true;
    failure = r.error().message();
  }
  Logger::For("search").Warn("recording suppressed matches failed: " + failure);
  return false;
}

Result<std::vector<policy::DisclosedSubject>> RunPublicSearch(
    const SearchDependencies& deps, const std::map<std::string, std::string>& params) {
  for (const auto& [key, value] : params) {
    if (key != "a_number" && key != "given_name" && key != "family_name" &&
        key != "country_of_birth" && key != "birth_year") {
      return InvalidArgument(("unknown parameter " + http::ShownParameterName(key) +
                              " (expected a_number, "
                              "given_name, family_name, country_of_birth, birth_year)"));
    }
  }
  auto get = [&](const char* key) -> const std::string* {
    auto it = params.find(key);
    return it == params.end() ? nullptr : &it->second;
  };
  const std::string* country_text = get("country_of_birth");
  if (country_text == nullptr || country_text->empty()) {
    return InvalidArgument(("country_of_birth is required (ISO 3166-1 alpha-2, e.g. MX)"));
  }
  auto country = ParseCountryCode(*country_text);
  if (!country) return tl::unexpected(country.error().WithContext("country_of_birth"));

  std::vector<int64_t> candidates;
  std::optional<search::NameQuery> name_query;
  std::string channel;
  if (const std::string* a_text = get("a_number")) {
    if (get("given_name") || get("family_name") || get("birth_year")) {
      return InvalidArgument(("search by a_number or by name, not both"));
    }
    if (a_text->size() > kMaxANumberQueryChars) {
      return InvalidArgument("a_number: at most " + std::to_string(kMaxANumberQueryChars) +
                             " characters");
    }
    auto a = ANumber::ParseTyped(*a_text);
    if (!a) return tl::unexpected(a.error().WithContext("a_number"));
    if (auto id = deps.index->FindByANumber(*a, *country)) candidates.push_back(*id);
    channel = "a_number";
    // Whoever it finds, the search is handed over the same way: withheld
    // people are looked for off this thread.
    if (deps.recorder)
      deps.recorder->Sought({channel, *a, std::nullopt, *country, deps.clock->Now()});
  } else {
    const std::string* given = get("given_name");
    const std::string* family = get("family_name");
    if (given == nullptr || family == nullptr) {
      return InvalidArgument(("give a_number, or both given_name and family_name"));
    }
    auto family_words = NameWordLetters(*family);
    const bool two_family_names = std::count_if(family_words.begin(), family_words.end(),
                                                [](size_t l) { return l >= 2; }) >= 2;
    if (auto r = CheckName("given_name", *given, two_family_names); !r) {
      return tl::unexpected(r.error());
    }
    if (auto r = CheckName("family_name", *family, false); !r) return tl::unexpected(r.error());
    for (auto [parameter, value] : {std::pair{"given_name", given}, {"family_name", family}}) {
      if (!deps.index->HasNameTokens(*value)) {
        return InvalidArgument(std::string(parameter) + ": give at least two letters of the name");
      }
    }
    search::NameQuery query{*given, *family, *country, std::nullopt};
    if (const std::string* year = get("birth_year")) {
      int value = 0;
      auto [ptr, ec] = std::from_chars(year->data(), year->data() + year->size(), value);
      int this_year = static_cast<int>(UtcDay(deps.clock->Now()).year());
      if (ec != std::errc() || ptr != year->data() + year->size() || value < 1900 ||
          value > this_year) {
        return InvalidArgument(
            ("birth_year must be a year between 1900 and " + std::to_string(this_year)));
      }
      query.birth_year = value;
    }
    // Withheld people are never candidates, and the walk does no work on
    // them: the index ranks listed people only, so neither the answer nor
    // its cost depends on who is hidden. Whether the search found one is
    // worked out off this thread, and recorded — whether or not the page
    // filled first.
    for (const auto& hit : deps.index->Search(query, kCandidates)) {
      candidates.push_back(hit.subject_id);
    }
    name_query = query;
    channel = "name";
    if (deps.recorder) {
      deps.recorder->Sought({channel, std::nullopt, query, "", deps.clock->Now()});
    }
  }

  auto reader = deps.store->BeginRead();
  if (!reader) {
    return Unavailable("lookup is unavailable; try again");
  }
  std::vector<policy::DisclosedSubject> results;
  // In rank order until the page is full. The index lists only people the
  // gate would have passed when it last looked; the gate, reading the store,
  // has the last word (a takedown a moment ago).
  size_t refused = 0;
  // Candidates are read a page at a time, as many as the results still
  // missing (one read of the store for each page): normally one page of
  // five, a second only when the gate refused someone.
  auto pass_gate = [&](std::span<const int64_t> ids) {
    std::vector<policy::SuppressionReason> why;
    auto disclosed = deps.policy->DiscloseEach(**reader, ids, policy::Audience::kPublic, &why);
    for (size_t i = 0; i < ids.size(); ++i) {
      if (disclosed[i]) {
        results.push_back(std::move(*disclosed[i]));
        continue;
      }
      // Only a person the index still lists but the store no longer lets
      // be shown (a takedown a moment ago, not yet followed) gets here.
      ++refused;
      if (!policy::IsRecordedReason(why[i])) continue;
      if (deps.recorder) {
        deps.recorder->Record(
            {ids[i], deps.clock->Now(), channel, std::string(policy::Name(why[i]))});
      }
      if (deps.audit) {
        deps.audit->Record(
            {"suppressed_match", "public", ids[i],
             "sought by " + channel + "; withheld: " + std::string(policy::Name(why[i]))});
      }
    }
  };
  auto pass_gate_in_pages = [&](const std::vector<int64_t>& ids) {
    for (size_t next = 0; next < ids.size() && results.size() < kMaxResults;) {
      const size_t page = std::min(kMaxResults - results.size(), ids.size() - next);
      pass_gate(std::span(ids).subspan(next, page));
      next += page;
    }
  };
  pass_gate_in_pages(candidates);
  if (name_query && refused > 0 && results.size() < kMaxResults &&
      candidates.size() == kCandidates) {
    // The same ranking, further down: the first kCandidates were seen.
    std::vector<int64_t> further;
    for (const auto& hit : deps.index->Search(*name_query, kMoreCandidates)) {
      if (std::find(candidates.begin(), candidates.end(), hit.subject_id) == candidates.end()) {
        further.push_back(hit.subject_id);
      }
    }
    pass_gate_in_pages(further);
  }
  if (deps.audit && deps.audit_log) {
    // Never the query itself: a keyed hash of it, and what was disclosed.
    std::string canonical;
    for (const auto& [key, value] : params) {
      if (key == "lang") continue;
      canonical += key + "=" + value + "&";
    }
    std::string refs;
    for (const auto& r : results) refs += (refs.empty() ? "" : ",") + r.ref();
    deps.audit->Record({"search", "public", std::nullopt,
                        "by " + channel + "; query " + deps.audit_log->QueryHash(canonical) +
                            "; disclosed " + std::to_string(results.size()) +
                            (refs.empty() ? "" : ": " + refs)});
  }
  return results;
}

void AddSearchRoutes(http::Router& router, SearchDependencies deps) {
  router.Add(bhttp::verb::get, "/api/v1/search",
             [deps](const http::Request& req, http::RequestContext& ctx) -> http::Response {
               auto fail = [&](const Error& e) { return http::ErrorResponse(req, ctx, e); };
               if (deps.limiter) {
                 std::chrono::seconds retry{0};
                 if (!deps.limiter->Allow(ctx.client_address, &retry)) {
                   auto res = fail(Error(ErrorCode::kResourceExhausted,
                                         "too many searches from this address; try again in " +
                                             std::to_string(retry.count()) + " s"));
                   res.set(bhttp::field::retry_after, std::to_string(retry.count()));
                   return res;
                 }
               }
               auto params = http::ParseQueryString(http::QueryOf(req));
               if (!params) return fail(params.error());
               auto found = RunPublicSearch(deps, *params);
               if (!found) return fail(found.error());
               return http::JsonResponse(req, bhttp::status::ok, SearchResultsJson(*found));
             });
}

}  // namespace vigil::api
