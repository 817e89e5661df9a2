// Custody and facilities in PostgreSQL: events, people, facilities, refused lines.
#include <algorithm>
#include <functional>

#include "vigil/store/postgres_parts.h"

namespace vigil::postgres_store {
namespace {

// What an update of a person's custody state leaves as it was.
bool SameIdentity(const Subject& a, const Subject& b) {
  return a.given_names == b.given_names && a.family_names == b.family_names &&
         a.aliases == b.aliases && a.date_of_birth == b.date_of_birth &&
         a.country_of_birth == b.country_of_birth;
}

using row_codec::AliasesToJson;
using row_codec::kEventColumns;
using row_codec::kSubjectColumns;
using row_codec::ReadEvent;
using row_codec::ReadSubject;

#define VIGIL_PG_INSERT_EVENT                                                               \
  "INSERT INTO custody_events (subject_id, source, event_id, type, occurred_at, a_number, " \
  "given_names, family_names, aliases, date_of_birth, country_of_birth, facility_id, "      \
  "custody_basis, protections, scheduled_release, retracts, content_hash, retracted_by, "   \
  "received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, " \
  "$16, $17, $18, $19) ON CONFLICT (source, event_id) DO NOTHING RETURNING event_pk"

// Binds the state columns $2..$16 shared by INSERT and UPDATE of a subject.
void BindSubjectState(PgQuery& q, const Subject& s) {
  q.Bind(2, s.a_number.digits()).Bind(3, s.given_names).Bind(4, s.family_names);
  q.Bind(5, AliasesToJson(s.aliases));
  if (s.date_of_birth) {
    q.Bind(6, s.date_of_birth->ToString());
  } else {
    q.BindNull(6);
  }
  q.Bind(7, s.country_of_birth);
  if (s.custody_status) {
    q.Bind(8, Name(*s.custody_status));
  } else {
    q.BindNull(8);
  }
  q.Bind(9, s.facility_id);
  if (s.custody_basis) {
    q.Bind(10, Name(*s.custody_basis));
  } else {
    q.BindNull(10);
  }
  q.Bind(11, static_cast<int64_t>(s.protections.bits()));
  q.BindOptional(12, OptMicros(s.last_event_at));
  q.BindOptional(13, OptMicros(s.released_at));
  q.BindOptional(14, OptMicros(s.scheduled_release));
  q.BindOptional(15, OptMicros(s.public_changed_at));
  q.BindOptional(16, OptMicros(s.custody_since));
}

// Inserts `s`; nullopt when (source, event_id) exists.
Result<std::optional<int64_t>> WriteEvent(PgQuery& q, const StoredEvent& s) {
  const CustodyEvent& e = s.event;
  if (s.subject_id != 0) {
    q.Bind(1, s.subject_id);
  } else {
    q.BindNull(1);
  }
  q.Bind(2, e.source)
      .Bind(3, e.event_id)
      .Bind(4, Name(e.type))
      .Bind(5, ToUnixMicros(e.occurred_at));
  for (int i = 6; i <= 11; ++i) q.BindNull(i);
  if (e.subject) {
    const SubjectRecord& r = *e.subject;
    q.Bind(6, r.a_number.digits()).Bind(7, r.given_names).Bind(8, r.family_names);
    q.Bind(9, AliasesToJson(r.aliases)).Bind(11, r.country_of_birth);
    if (r.date_of_birth) q.Bind(10, r.date_of_birth->ToString());
  }
  q.Bind(12, e.facility_id);
  if (e.custody_basis) {
    q.Bind(13, Name(*e.custody_basis));
  } else {
    q.BindNull(13);
  }
  q.Bind(14, static_cast<int64_t>(e.protections.bits()));
  q.BindOptional(15, OptMicros(e.scheduled_release));
  q.Bind(16, e.retracts).BindBlob(17, s.content_hash).Bind(18, s.retracted_by);
  q.Bind(19, ToUnixMicros(s.received_at));
  auto row = q.Step("insert event");
  if (!row) return tl::unexpected(row.error().WithContext("event " + e.source + "/" + e.event_id));
  if (!*row) return std::optional<int64_t>();
  return std::optional<int64_t>(q.Int(0));
}

// One line of COPY's text format: tab-separated, \N for NULL, and
// backslash, tab, newline and carriage return escaped.
class CopyLine {
 public:
  explicit CopyLine(std::string& out) : out_(out) {}
  ~CopyLine() { out_ += '\n'; }

  CopyLine& Text(std::string_view v) {
    Sep();
    AppendCopyText(out_, v);
    return *this;
  }
  CopyLine& Null() {
    Sep();
    out_ += "\\N";
    return *this;
  }
  CopyLine& Int(int64_t v) {
    Sep();
    out_ += std::to_string(v);
    return *this;
  }
  CopyLine& Opt(const std::optional<int64_t>& v) { return v ? Int(*v) : Null(); }
  CopyLine& OptText(const std::optional<std::string_view>& v) { return v ? Text(*v) : Null(); }
  CopyLine& Bytea(std::string_view bytes) {
    Sep();
    AppendCopyBytea(out_, bytes);
    return *this;
  }

 private:
  void Sep() {
    if (!first_) out_ += '\t';
    first_ = false;
  }
  std::string& out_;
  bool first_ = true;
};

std::optional<std::string_view> OptName(const auto& v) {
  if (!v) return std::nullopt;
  return Name(*v);
}

std::string EventKey(std::string_view source, std::string_view event_id) {
  std::string key;
  key.reserve(source.size() + event_id.size() + 1);
  key.append(source).push_back('\0');
  key.append(event_id);
  return key;
}

// Rows held back before they are written (a transaction writes them at
// the latest when it commits; this bounds the memory they take).
constexpr size_t kMaxPendingRows = 50'000;
constexpr size_t kMinEventIdReservation = 64;
}  // namespace

Result<std::vector<std::optional<Facility>>> PgCustody::GetFacilities(
    std::span<const std::string> facility_ids) {
  // Those this transaction has not read yet, in one statement; each is then
  // kept (found or not) until the transaction ends.
  ArrayLiteral wanted;
  std::vector<std::string_view> asked;
  for (const std::string& id : facility_ids) {
    if (facilities_.count(id) || std::find(asked.begin(), asked.end(), id) != asked.end()) continue;
    wanted.Add(id);
    asked.push_back(id);
  }
  if (!asked.empty()) {
    auto q = PrepareUnflushed(
        // A join with the ids, so each is one probe of the key: `= ANY` over a
        // small table was planned as a scan comparing every row with every
        // id (0.12 ms a read at 300 facilities, against 0.03 for 5 people).
        "SELECT f.facility_id, f.name, f.address, f.city, f.state, f.phone, f.time_zone "
        "FROM unnest($1::text[]) AS wanted(id) JOIN facilities f ON f.facility_id = wanted.id");
    if (!q) return tl::unexpected(q.error());
    q->Bind(1, wanted.Done());
    auto rows = row_codec::ReadAll<Facility>(*q, "get facilities", [](const PgQuery& r) {
      return Facility{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Text(6)};
    });
    if (!rows) return tl::unexpected(rows.error());
    for (std::string_view id : asked) facilities_.emplace(std::string(id), std::nullopt);
    for (Facility& f : *rows) facilities_[f.facility_id] = std::move(f);
  }
  std::vector<std::optional<Facility>> found;
  found.reserve(facility_ids.size());
  for (const std::string& id : facility_ids) found.push_back(facilities_.at(id));
  return found;
}

Result<void> PgCustody::PutFacility(const Facility& f) {
  facilities_.erase(f.facility_id);
  auto q = PrepareUnflushed(
      "INSERT INTO facilities (facility_id, name, address, city, state, phone, time_zone) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (facility_id) DO UPDATE SET "
      "name = excluded.name, address = excluded.address, city = excluded.city, "
      "state = excluded.state, phone = excluded.phone, time_zone = excluded.time_zone");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, f.facility_id).Bind(2, f.name).Bind(3, f.address).Bind(4, f.city).Bind(5, f.state);
  q->Bind(6, f.phone).Bind(7, f.time_zone);
  return q->Run("put facility");
}

Result<std::optional<StoredEvent>> PgCustody::GetEvent(std::string_view source,
                                                       std::string_view event_id) {
  if (!known_events_.empty()) {
    if (auto it = known_events_.find(EventKey(source, event_id)); it != known_events_.end()) {
      if (!it->second.exists) return std::optional<StoredEvent>();
      if (it->second.row) return it->second.row;
    }
  }
  static const std::string kSql = std::string("SELECT ") + kEventColumns +
                                  " FROM custody_events WHERE source = $1 AND event_id = $2";
  auto q = Prepare(kSql.c_str());
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, source).Bind(2, event_id);
  auto all = row_codec::ReadAll<StoredEvent>(*q, "get event", ReadEvent<PgQuery>);
  if (!all) return tl::unexpected(all.error());
  if (all->empty()) return std::optional<StoredEvent>();
  return std::optional<StoredEvent>(std::move(all->front()));
}

Result<std::vector<StoredEvent>> PgCustody::EventsOfSubject(int64_t subject_id) {
  static const std::string kSql = std::string("SELECT ") + kEventColumns +
                                  " FROM custody_events WHERE subject_id = $1 "
                                  "ORDER BY occurred_at, source, event_id";
  auto q = Prepare(kSql.c_str());
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, subject_id);
  return row_codec::ReadAll<StoredEvent>(*q, "events of subject", ReadEvent<PgQuery>);
}

Result<std::optional<std::string>> PgCustody::FindRetractionOf(std::string_view source,
                                                               std::string_view event_id) {
  auto q = Prepare(
      "SELECT event_id FROM custody_events WHERE source = $1 AND retracts = $2 AND retracts <> '' "
      "ORDER BY occurred_at, event_id LIMIT 1");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, source).Bind(2, event_id);
  auto row = q->Step("find retraction");
  if (!row) return tl::unexpected(row.error());
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(q->Text(0));
}

Result<bool> PgCustody::HasUnmatchedRetractions() {
  auto q = Prepare(kUnmatchedRetractionsSql);
  if (!q) return tl::unexpected(q.error());
  auto n = CountOne(*q, "look for unmatched retractions");
  if (!n) return tl::unexpected(n.error());
  return *n != 0;
}

Result<int64_t> PgCustody::InsertEvent(const StoredEvent& s) {
  if (!known_events_.empty()) {
    if (auto it = known_events_.find(EventKey(s.event.source, s.event.event_id));
        it != known_events_.end()) {
      if (it->second.exists) {
        return Conflict("event " + s.event.source + "/" + s.event.event_id + " exists");
      }
      return DeferEvent(s, it->second);
    }
  }
  auto q = Prepare(VIGIL_PG_INSERT_EVENT);
  if (!q) return tl::unexpected(q.error());
  auto pk = WriteEvent(*q, s);
  if (!pk) return tl::unexpected(pk.error());
  if (!*pk) return Conflict("event " + s.event.source + "/" + s.event.event_id + " exists");
  return **pk;
}

Result<std::optional<int64_t>> PgCustody::InsertEventIfAbsent(const StoredEvent& s) {
  if (!known_events_.empty()) {
    if (auto it = known_events_.find(EventKey(s.event.source, s.event.event_id));
        it != known_events_.end()) {
      if (it->second.exists) return std::optional<int64_t>();
      auto pk = DeferEvent(s, it->second);
      if (!pk) return tl::unexpected(pk.error());
      return std::optional<int64_t>(*pk);
    }
  }
  auto q = Prepare(VIGIL_PG_INSERT_EVENT);
  if (!q) return tl::unexpected(q.error());
  return WriteEvent(*q, s);
}

Result<int64_t> PgCustody::AllocateSubjectId() {
  if (next_subject_id_ == 0) {
    auto q = Prepare("SELECT coalesce(max(subject_id), 0) + 1 FROM subjects");
    if (!q) return tl::unexpected(q.error());
    auto next = CountOne(*q, "allocate subject id");
    if (!next) return tl::unexpected(next.error());
    next_subject_id_ = *next;
    first_allocated_id_ = *next;
  }
  return next_subject_id_++;
}

Result<void> PgCustody::SetRetractedBy(std::string_view source, std::string_view event_id,
                                       std::string_view retraction_id) {
  auto q =
      Prepare("UPDATE custody_events SET retracted_by = $3 WHERE source = $1 AND event_id = $2");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, source).Bind(2, event_id).Bind(3, retraction_id);
  known_events_.erase(EventKey(source, event_id));  // read again if asked
  auto n = Changed(*q, "retract event");
  if (!n) return tl::unexpected(n.error());
  if (*n == 0) return NotFound("no event " + std::string(source) + "/" + std::string(event_id));
  return {};
}

Result<std::optional<Subject>> PgCustody::OneSubject(const char* sql,
                                                     const std::function<void(PgQuery&)>& bind) {
  auto q = Prepare(sql);
  if (!q) return tl::unexpected(q.error());
  bind(*q);
  auto all = row_codec::ReadAll<Subject>(*q, "get subject", ReadSubject<PgQuery>);
  if (!all) return tl::unexpected(all.error());
  if (all->empty()) return std::optional<Subject>();
  return std::optional<Subject>(std::move(all->front()));
}

Result<std::optional<Subject>> PgCustody::GetSubjectByANumber(const ANumber& a_number) {
  if (!known_subjects_.empty()) {
    if (auto it = known_subjects_.find(a_number.digits()); it != known_subjects_.end()) {
      return it->second;
    }
  }
  static const std::string kSql =
      std::string("SELECT ") + kSubjectColumns + " FROM subjects WHERE a_number = $1";
  return OneSubject(kSql.c_str(), [&](PgQuery& q) { q.Bind(1, a_number.digits()); });
}

Result<std::vector<std::optional<Subject>>> PgCustody::GetSubjects(
    std::span<const int64_t> subject_ids) {
  if (subject_ids.size() == 1) {
    static const std::string kOne =
        std::string("SELECT ") + kSubjectColumns + " FROM subjects WHERE subject_id = $1";
    auto one = OneSubject(kOne.c_str(), [&](PgQuery& q) { q.Bind(1, subject_ids[0]); });
    if (!one) return tl::unexpected(one.error());
    std::vector<std::optional<Subject>> found;
    found.push_back(std::move(*one));
    return found;
  }
  std::vector<std::optional<Subject>> found(subject_ids.size());
  if (subject_ids.empty()) return found;
  static const std::string kMany = std::string("SELECT ") + kSubjectColumns +
                                   " FROM subjects WHERE subject_id = ANY($1::bigint[])";
  auto q = Prepare(kMany.c_str());
  if (!q) return tl::unexpected(q.error());
  ArrayLiteral ids;
  for (int64_t id : subject_ids) ids.Add(id);
  q->Bind(1, ids.Done());
  auto rows = row_codec::ReadAll<Subject>(*q, "get subjects", ReadSubject<PgQuery>);
  if (!rows) return tl::unexpected(rows.error());
  for (Subject& s : *rows) {
    // An id asked twice gets the row twice.
    for (size_t i = 0; i < subject_ids.size(); ++i) {
      if (subject_ids[i] == s.subject_id) found[i] = s;
    }
  }
  return found;
}

Result<void> PgCustody::ForEachSubject(const std::function<bool(const Subject&)>& fn) {
  // In pages by subject_id, so a million people are never one result in memory.
  static const std::string kSql = std::string("SELECT ") + kSubjectColumns +
                                  " FROM subjects WHERE subject_id > $1 ORDER BY subject_id "
                                  "LIMIT 10000";
  int64_t after = std::numeric_limits<int64_t>::min();
  while (true) {
    auto q = Prepare(kSql.c_str());
    if (!q) return tl::unexpected(q.error());
    q->Bind(1, after);
    bool any = false;
    while (true) {
      auto row = q->Step("scan subjects");
      if (!row) return tl::unexpected(row.error());
      if (!*row) break;
      any = true;
      auto s = ReadSubject(*q);
      if (!s) return tl::unexpected(s.error());
      after = s->subject_id;
      if (!fn(*s)) return {};
    }
    if (!any) return {};
  }
}

Result<int64_t> PgCustody::InsertSubject(const Subject& s) {
  if (CanDeferInsert(s)) {
    DeferSubject(s, /*insert=*/true);
    if (pending_rows_ >= kMaxPendingRows) VIGIL_RETURN_IF_ERROR(session().Flush());
    return s.subject_id;
  }
  // A subject_id of 0 asks for a fresh one, as SQLite's rowid does. The
  // change-log row goes in the same statement: one round trip, not two.
  auto q = Prepare(
      "WITH written AS (INSERT INTO subjects (subject_id, a_number, given_names, family_names, "
      "aliases, date_of_birth, country_of_birth, custody_status, facility_id, custody_basis, "
      "protections, last_event_at, released_at, scheduled_release, public_changed_at, "
      "custody_since) VALUES "
      "(coalesce($1, (SELECT coalesce(max(subject_id), 0) + 1 FROM subjects)), $2, $3, $4, $5, "
      "$6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) ON CONFLICT DO NOTHING "
      "RETURNING subject_id), "
      "logged AS (INSERT INTO subject_changes (subject_id) SELECT subject_id FROM written) "
      "SELECT subject_id FROM written");
  if (!q) return tl::unexpected(q.error());
  if (s.subject_id != 0) {
    q->Bind(1, s.subject_id);
  } else {
    q->BindNull(1);
  }
  BindSubjectState(*q, s);
  auto id = Returned(*q, "insert subject");
  if (!id) return tl::unexpected(id.error());
  if (!*id) {
    return Conflict("a subject with A-number " + s.a_number.digits() + " or id " +
                    std::to_string(s.subject_id) + " exists");
  }
  Touch(StoreTopic::kSubjects);
  inserted_ids_.insert(**id);
  if (auto it = known_subjects_.find(s.a_number.digits()); it != known_subjects_.end()) {
    it->second = s;
    it->second->subject_id = **id;
  }
  return **id;
}

Result<void> PgCustody::UpdateSubject(const Subject& s) {
  if (CanDeferUpdate(s)) {
    DeferSubject(s, /*insert=*/false);
    if (pending_rows_ >= kMaxPendingRows) VIGIL_RETURN_IF_ERROR(session().Flush());
    return {};
  }
  // $2 (the A-number) is bound but unused: identity never changes. The
  // change-log row goes in the same statement.
  auto q = Prepare(
      "WITH written AS (UPDATE subjects SET given_names = $3, family_names = $4, aliases = $5, "
      "date_of_birth = $6, country_of_birth = $7, custody_status = $8, facility_id = $9, "
      "custody_basis = $10, protections = $11, last_event_at = $12, released_at = $13, "
      "scheduled_release = $14, public_changed_at = $15, custody_since = $16 "
      "WHERE subject_id = $1 AND $2::text IS NOT NULL RETURNING subject_id), "
      "logged AS (INSERT INTO subject_changes (subject_id) SELECT subject_id FROM written) "
      "SELECT count(*) FROM written");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, s.subject_id);
  BindSubjectState(*q, s);
  auto n = CountOne(*q, "update subject");
  if (!n) return tl::unexpected(n.error());
  if (*n == 0) return NotFound("no subject with id " + std::to_string(s.subject_id));
  Touch(StoreTopic::kSubjects);
  if (auto it = known_subjects_.find(s.a_number.digits());
      it != known_subjects_.end() && it->second && it->second->subject_id == s.subject_id) {
    it->second = s;
  }
  return {};
}

Result<std::vector<std::pair<int64_t, int64_t>>> PgCustody::SubjectChangesSince(int64_t after_seq,
                                                                                int limit) {
  auto q =
      Prepare("SELECT seq, subject_id FROM subject_changes WHERE seq > $1 ORDER BY seq LIMIT $2");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, after_seq).Bind(2, static_cast<int64_t>(limit));
  return row_codec::ReadAll<std::pair<int64_t, int64_t>>(
      *q, "read subject changes",
      [](const PgQuery& r) { return std::pair<int64_t, int64_t>(r.Int(0), r.Int(1)); });
}

Result<int64_t> PgCustody::LatestSubjectChange() {
  auto q = Prepare("SELECT coalesce(max(seq), 0) FROM subject_changes");
  if (!q) return tl::unexpected(q.error());
  return CountOne(*q, "read latest subject change");
}

Result<bool> PgCustody::IsEventWithdrawn(int64_t event_pk) {
  auto q = Prepare("SELECT 1 FROM custody_events WHERE event_pk = $1 AND retracted_by <> ''");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, event_pk);
  return q->Step("read event retraction");
}

Result<int64_t> PgCustody::InsertReject(const RejectRecord& r) {
  auto q = PrepareUnflushed(
      "INSERT INTO feed_rejects (received_at, origin, line, field, reason) "
      "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (origin, line, field, reason) DO NOTHING "
      "RETURNING reject_id");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, ToUnixMicros(r.received_at)).Bind(2, r.origin).Bind(3, r.line).Bind(4, r.field);
  q->Bind(5, r.reason);
  auto id = Returned(*q, "insert reject");
  if (!id) return tl::unexpected(id.error());
  return id->value_or(0);
}

Result<std::vector<RejectRecord>> PgCustody::RecentRejects(int limit) {
  auto q = PrepareUnflushed(
      "SELECT reject_id, received_at, origin, line, field, reason FROM feed_rejects "
      "ORDER BY reject_id DESC LIMIT $1");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, static_cast<int64_t>(limit));
  return row_codec::ReadAll<RejectRecord>(*q, "list rejects", [](const PgQuery& r) {
    return RejectRecord{r.Int(0), FromUnixMicros(r.Int(1)), r.Text(2), r.Int(3), r.Text(4),
                        r.Text(5)};
  });
}

// Write-behind --------------------------------------------------------------

Result<void> PgCustody::Prefetch(const StoreLookahead& ahead) {
  // No flush before these reads: they ask only about events and people not
  // known yet, and every row held back is of one that is known.
  // Events: which exist (their rows kept, for the duplicate check) and which
  // do not (ids reserved for them).
  ArrayLiteral sources, ids;
  size_t asked = 0;
  for (const auto& [source, event_id] : ahead.events) {
    auto [it, fresh] = known_events_.try_emplace(EventKey(source, event_id));
    if (!fresh) continue;
    sources.Add(source);
    ids.Add(event_id);
    ++asked;
  }
  if (asked > 0) {
    static const std::string kSql = std::string("SELECT ") + kEventColumns +
                                    " FROM custody_events WHERE (source, event_id) IN "
                                    "(SELECT * FROM unnest($1::text[], $2::text[]))";
    auto q = PrepareUnflushed(kSql.c_str());
    if (!q) return tl::unexpected(q.error());
    q->Bind(1, sources.Done()).Bind(2, ids.Done()).PlanEachTime();
    auto found = row_codec::ReadAll<StoredEvent>(*q, "read events ahead", ReadEvent<PgQuery>);
    if (!found) return tl::unexpected(found.error());
    for (StoredEvent& e : *found) {
      KnownEvent& known = known_events_[EventKey(e.event.source, e.event.event_id)];
      known.exists = true;
      known.row = std::move(e);
    }
    const size_t missing = asked - found->size();
    if (missing > free_event_ids_.size()) {
      VIGIL_RETURN_IF_ERROR(ReserveEventIds(missing - free_event_ids_.size()));
    }
  }

  // People: those the caller vouches for as they are, then the others'
  // stored rows, or that they are new.
  for (const auto& [digits, subject] : ahead.known_people) {
    auto [it, fresh] = known_subjects_.try_emplace(std::string(digits));
    if (fresh && subject) it->second = *subject;
  }
  ArrayLiteral a_numbers;
  size_t people = 0;
  for (const ANumber& a : ahead.a_numbers) {
    if (!known_subjects_.try_emplace(a.digits()).second) continue;
    a_numbers.Add(a.digits());
    ++people;
  }
  if (people > 0) {
    static const std::string kSql = std::string("SELECT ") + kSubjectColumns +
                                    " FROM subjects WHERE a_number IN "
                                    "(SELECT * FROM unnest($1::text[]))";
    auto q = PrepareUnflushed(kSql.c_str());
    if (!q) return tl::unexpected(q.error());
    q->Bind(1, a_numbers.Done()).PlanEachTime();
    auto found = row_codec::ReadAll<Subject>(*q, "read people ahead", ReadSubject<PgQuery>);
    if (!found) return tl::unexpected(found.error());
    for (Subject& subject : *found) {
      const std::string digits = subject.a_number.digits();
      known_subjects_[digits] = std::move(subject);
    }
  }
  // The events held back so far go now, and the server writes them while
  // the caller works through what it just named (it reads nothing more
  // until the next Prefetch, usually).
  return SendEvents(/*wait=*/false);
}

Result<void> PgCustody::ReserveEventIds(size_t n) {
  // n ids in one step: the sequence moves from x to x + n - 1 and the
  // range is ours. Only writers insert events, and writers hold the
  // writer lock, so nobody draws from the sequence in between.
  auto q = PrepareUnflushed(
      "SELECT setval(pg_get_serial_sequence('custody_events', 'event_pk'), "
      "nextval(pg_get_serial_sequence('custody_events', 'event_pk')) + $1 - 1)");
  if (!q) return tl::unexpected(q.error());
  const auto count = static_cast<int64_t>(std::max(n, kMinEventIdReservation));
  q->Bind(1, count);
  auto last = CountOne(*q, "reserve event ids");
  if (!last) return tl::unexpected(last.error());
  // Taken from the back: smallest first, so ids still rise in insert order.
  std::vector<int64_t> ids;
  ids.reserve(free_event_ids_.size() + static_cast<size_t>(count));
  for (int64_t id = *last; id > *last - count; --id) ids.push_back(id);
  ids.insert(ids.end(), free_event_ids_.begin(), free_event_ids_.end());
  free_event_ids_ = std::move(ids);
  return {};
}

Result<int64_t> PgCustody::DeferEvent(const StoredEvent& s, KnownEvent& known) {
  if (free_event_ids_.empty()) {
    VIGIL_RETURN_IF_ERROR(ReserveEventIds(kMinEventIdReservation));
  }
  const int64_t pk = free_event_ids_.back();
  free_event_ids_.pop_back();
  const CustodyEvent& e = s.event;
  {
    CopyLine line(pending_events_);
    line.Int(pk);
    if (s.subject_id != 0) {
      line.Int(s.subject_id);
    } else {
      line.Null();
    }
    line.Text(e.source).Text(e.event_id).Text(Name(e.type)).Int(ToUnixMicros(e.occurred_at));
    if (e.subject) {
      const SubjectRecord& r = *e.subject;
      line.Text(r.a_number.digits()).Text(r.given_names).Text(r.family_names);
      line.Text(AliasesToJson(r.aliases));
      if (r.date_of_birth) {
        line.Text(r.date_of_birth->ToString());
      } else {
        line.Null();
      }
      line.Text(r.country_of_birth);
    } else {
      line.Null().Null().Null().Null().Null().Null();
    }
    line.Text(e.facility_id).OptText(OptName(e.custody_basis));
    line.Int(static_cast<int64_t>(e.protections.bits())).Opt(OptMicros(e.scheduled_release));
    line.Text(e.retracts).Bytea(s.content_hash).Text(s.retracted_by);
    line.Int(ToUnixMicros(s.received_at));
  }
  known.exists = true;  // its row is read back if asked for
  ++pending_rows_;
  ++pending_event_rows_;
  if (pending_rows_ >= kMaxPendingRows) VIGIL_RETURN_IF_ERROR(session().Flush());
  return pk;
}

bool PgCustody::CanDeferInsert(const Subject& s) const {
  // An id AllocateSubjectId handed out in this transaction, not used yet.
  if (first_allocated_id_ == 0 || s.subject_id < first_allocated_id_ ||
      s.subject_id >= next_subject_id_ || inserted_ids_.count(s.subject_id)) {
    return false;
  }
  auto it = known_subjects_.find(s.a_number.digits());
  return it != known_subjects_.end() && !it->second;
}

bool PgCustody::CanDeferUpdate(const Subject& s) const {
  auto it = known_subjects_.find(s.a_number.digits());
  return it != known_subjects_.end() && it->second && it->second->subject_id == s.subject_id;
}

void PgCustody::DeferSubject(const Subject& s, bool insert) {
  if (insert) {
    inserted_ids_.insert(s.subject_id);
    pending_inserts_[s.subject_id] = s;
  } else if (auto it = pending_inserts_.find(s.subject_id); it != pending_inserts_.end()) {
    it->second = s;  // not written yet: insert the latest state
  } else {
    // known_subjects_ holds the stored row until the first update of this
    // transaction, and this transaction's last write after: compared with
    // each write in turn, it tells whether the stored identity changed.
    auto known = known_subjects_.find(s.a_number.digits());
    if (known == known_subjects_.end() || !known->second || !SameIdentity(*known->second, s)) {
      identity_changed_.insert(s.subject_id);
    }
    pending_updates_[s.subject_id] = s;
  }
  pending_changes_.push_back(s.subject_id);
  known_subjects_[s.a_number.digits()] = s;
  Touch(StoreTopic::kSubjects);
  ++pending_rows_;
}

// Two statements at most: people whose identity changed get every column,
// the rest (most: a custody event changes only the custody columns) only
// the custody columns. Half the server's time in the update was parsing the
// arrays, the names' and aliases' most of all.
Result<void> PgCustody::UpdatePeople() {
  std::vector<const Subject*> full, custody;
  for (const auto& [id, p] : pending_updates_) {
    (identity_changed_.count(id) > 0 ? full : custody).push_back(&p);
  }
  auto custody_columns = [](ArrayLiteral* col, const Subject& p) {
    col[0].Add(p.subject_id);
    col[1].Add(OptName(p.custody_status));
    col[2].Add(p.facility_id);
    col[3].Add(OptName(p.custody_basis));
    col[4].Add(static_cast<int64_t>(p.protections.bits()));
    col[5].Add(OptMicros(p.last_event_at));
    col[6].Add(OptMicros(p.released_at));
    col[7].Add(OptMicros(p.scheduled_release));
    col[8].Add(OptMicros(p.public_changed_at));
    col[9].Add(OptMicros(p.custody_since));
  };
  auto run = [&](const std::vector<const Subject*>& people, const char* sql,
                 size_t columns) -> Result<void> {
    if (people.empty()) return {};
    ArrayLiteral col[15];
    for (const Subject* p : people) {
      custody_columns(col, *p);
      if (columns == 10) continue;
      col[10].Add(p->given_names);
      col[11].Add(p->family_names);
      col[12].Add(AliasesToJson(p->aliases));
      if (p->date_of_birth) {
        col[13].Add(p->date_of_birth->ToString());
      } else {
        col[13].AddNull();
      }
      col[14].Add(p->country_of_birth);
    }
    auto q = Prepare(sql);
    if (!q) return tl::unexpected(q.error());
    for (size_t i = 0; i < columns; ++i) q->Bind(static_cast<int>(i + 1), col[i].Done());
    q->PlanEachTime();
    auto n = Changed(*q, "update people");
    if (!n) return tl::unexpected(n.error());
    if (*n != static_cast<int64_t>(people.size())) {
      return Internal("updated " + std::to_string(*n) + " people of " +
                      std::to_string(people.size()) + " known to exist");
    }
    return {};
  };
  // The custody columns, then the identity columns (full updates only).
  static const std::string kSet =
      "custody_status = u.custody_status, facility_id = u.facility_id, "
      "custody_basis = u.custody_basis, protections = u.protections, "
      "last_event_at = u.last_event_at, released_at = u.released_at, "
      "scheduled_release = u.scheduled_release, public_changed_at = u.public_changed_at, "
      "custody_since = u.custody_since";
  static const std::string kArrays =
      "$1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], "
      "$7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[]";
  static const std::string kNames =
      "subject_id, custody_status, facility_id, custody_basis, protections, last_event_at, "
      "released_at, scheduled_release, public_changed_at, custody_since";
  static const std::string kCustodySql = "UPDATE subjects s SET " + kSet + " FROM unnest(" +
                                         kArrays + ") AS u(" + kNames +
                                         ") WHERE s.subject_id = u.subject_id";
  static const std::string kFullSql =
      "UPDATE subjects s SET " + kSet +
      ", given_names = u.given_names, family_names = u.family_names, aliases = u.aliases, "
      "date_of_birth = u.date_of_birth, country_of_birth = u.country_of_birth FROM unnest(" +
      kArrays + ", $11::text[], $12::text[], $13::text[], $14::text[], $15::text[]) AS u(" +
      kNames +
      ", given_names, family_names, aliases, date_of_birth, country_of_birth) "
      "WHERE s.subject_id = u.subject_id";
  auto r = run(custody, kCustodySql.c_str(), 10);
  if (r) r = run(full, kFullSql.c_str(), 15);
  pending_updates_.clear();
  identity_changed_.clear();
  return r;
}

Result<void> PgCustody::FlushPending() {
  if (pending_rows_ == 0) return {};
  pending_rows_ = pending_event_rows_;  // SendEvents takes those off
  auto failed = [](const Error& e) {
    return tl::unexpected(e.WithContext("writing the rows held back for this transaction"));
  };
  PgConnection* conn = session().connection();
  if (!pending_inserts_.empty()) {
    std::string rows;
    for (const auto& [id, p] : pending_inserts_) {
      CopyLine line(rows);
      line.Int(id).Text(p.a_number.digits()).Text(p.given_names).Text(p.family_names);
      line.Text(AliasesToJson(p.aliases));
      if (p.date_of_birth) {
        line.Text(p.date_of_birth->ToString());
      } else {
        line.Null();
      }
      line.Text(p.country_of_birth).OptText(OptName(p.custody_status)).Text(p.facility_id);
      line.OptText(OptName(p.custody_basis)).Int(static_cast<int64_t>(p.protections.bits()));
      line.Opt(OptMicros(p.last_event_at)).Opt(OptMicros(p.released_at));
      line.Opt(OptMicros(p.scheduled_release)).Opt(OptMicros(p.public_changed_at));
      line.Opt(OptMicros(p.custody_since));
    }
    pending_inserts_.clear();
    if (auto r = conn->CopyIn(
            "COPY subjects (subject_id, a_number, given_names, family_names, aliases, "
            "date_of_birth, country_of_birth, custody_status, facility_id, custody_basis, "
            "protections, last_event_at, released_at, scheduled_release, public_changed_at, "
            "custody_since) FROM STDIN",
            rows, "insert people");
        !r) {
      return failed(r.error());
    }
  }
  if (!pending_updates_.empty()) {
    // Each person by the primary key. Left to itself (and usually without
    // statistics, in an import) the planner hashed the whole of `subjects`
    // for every statement: a scan of the table per transaction, growing
    // with it (60-85 ms of a 230 ms statement at 400k people).
    if (auto r = conn->Exec("SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off",
                            "plan the update of people");
        !r) {
      return failed(r.error());
    }
    auto updated = UpdatePeople();
    // Back to what the session had, for this transaction only (a pooler's
    // shared session is left as it was).
    if (auto r = conn->Exec(
            "SET LOCAL enable_hashjoin TO DEFAULT; SET LOCAL enable_mergejoin TO DEFAULT",
            "plan again");
        updated && !r) {
      return failed(r.error());
    }
    if (!updated) return failed(updated.error());
  }
  if (!pending_changes_.empty()) {
    std::string rows;
    for (int64_t id : pending_changes_) CopyLine(rows).Int(id);
    pending_changes_.clear();
    if (auto r = conn->CopyIn("COPY subject_changes (subject_id) FROM STDIN", rows,
                              "log changes of people");
        !r) {
      return failed(r.error());
    }
  }
  if (auto r = SendEvents(/*wait=*/true); !r) return failed(r.error());
  return {};
}

Result<void> PgCustody::SendEvents(bool wait) {
  if (pending_events_.empty()) return {};
  std::string rows = std::move(pending_events_);
  pending_events_.clear();
  pending_rows_ -= pending_event_rows_;
  pending_event_rows_ = 0;
  static constexpr char kCopy[] =
      "COPY custody_events (event_pk, subject_id, source, event_id, type, occurred_at, "
      "a_number, given_names, family_names, aliases, date_of_birth, country_of_birth, "
      "facility_id, custody_basis, protections, scheduled_release, retracts, content_hash, "
      "retracted_by, received_at) FROM STDIN";
  PgConnection* conn = session().connection();
  return wait ? conn->CopyIn(kCopy, rows, "insert events")
              : conn->StartCopyIn(kCopy, rows, "insert events");
}

}  // namespace vigil::postgres_store
