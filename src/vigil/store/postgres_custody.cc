// Custody and facilities in PostgreSQL: events, people, facilities, refused lines.
#include "vigil/store/postgres_parts.h"

namespace vigil::postgres_store {
namespace {

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

}  // namespace

Result<std::optional<Facility>> PgCustody::GetFacility(std::string_view facility_id) {
  if (auto known = facilities_.find(std::string(facility_id)); known != facilities_.end()) {
    return known->second;
  }
  auto q = Prepare(
      "SELECT facility_id, name, address, city, state, phone FROM facilities "
      "WHERE facility_id = $1");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, facility_id);
  auto row = q->Step("get facility");
  if (!row) return tl::unexpected(row.error());
  std::optional<Facility> found;
  if (*row)
    found = Facility{q->Text(0), q->Text(1), q->Text(2), q->Text(3), q->Text(4), q->Text(5)};
  facilities_.emplace(std::string(facility_id), found);
  return found;
}

Result<void> PgCustody::PutFacility(const Facility& f) {
  facilities_.erase(f.facility_id);
  auto q = Prepare(
      "INSERT INTO facilities (facility_id, name, address, city, state, phone) "
      "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (facility_id) DO UPDATE SET "
      "name = excluded.name, address = excluded.address, city = excluded.city, "
      "state = excluded.state, phone = excluded.phone");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, f.facility_id).Bind(2, f.name).Bind(3, f.address).Bind(4, f.city).Bind(5, f.state);
  q->Bind(6, f.phone);
  return q->Run("put facility");
}

Result<std::optional<StoredEvent>> PgCustody::GetEvent(std::string_view source,
                                                       std::string_view event_id) {
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
  auto q = Prepare(
      "SELECT count(*) FROM (SELECT 1 FROM custody_events r WHERE r.retracts <> '' AND NOT EXISTS "
      "(SELECT 1 FROM custody_events t WHERE t.source = r.source AND t.event_id = r.retracts) "
      "LIMIT 1) unmatched");
  if (!q) return tl::unexpected(q.error());
  auto n = CountOne(*q, "look for unmatched retractions");
  if (!n) return tl::unexpected(n.error());
  return *n != 0;
}

Result<int64_t> PgCustody::InsertEvent(const StoredEvent& s) {
  auto q = Prepare(VIGIL_PG_INSERT_EVENT);
  if (!q) return tl::unexpected(q.error());
  auto pk = WriteEvent(*q, s);
  if (!pk) return tl::unexpected(pk.error());
  if (!*pk) return Conflict("event " + s.event.source + "/" + s.event.event_id + " exists");
  return **pk;
}

Result<std::optional<int64_t>> PgCustody::InsertEventIfAbsent(const StoredEvent& s) {
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
  }
  return next_subject_id_++;
}

Result<void> PgCustody::SetRetractedBy(std::string_view source, std::string_view event_id,
                                       std::string_view retraction_id) {
  auto q =
      Prepare("UPDATE custody_events SET retracted_by = $3 WHERE source = $1 AND event_id = $2");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, source).Bind(2, event_id).Bind(3, retraction_id);
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
  static const std::string kSql =
      std::string("SELECT ") + kSubjectColumns + " FROM subjects WHERE a_number = $1";
  return OneSubject(kSql.c_str(), [&](PgQuery& q) { q.Bind(1, a_number.digits()); });
}

Result<std::optional<Subject>> PgCustody::GetSubject(int64_t subject_id) {
  static const std::string kSql =
      std::string("SELECT ") + kSubjectColumns + " FROM subjects WHERE subject_id = $1";
  return OneSubject(kSql.c_str(), [&](PgQuery& q) { q.Bind(1, subject_id); });
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
  return **id;
}

Result<void> PgCustody::UpdateSubject(const Subject& s) {
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
  auto q = Prepare(
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
  auto q = Prepare(
      "SELECT reject_id, received_at, origin, line, field, reason FROM feed_rejects "
      "ORDER BY reject_id DESC LIMIT $1");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, static_cast<int64_t>(limit));
  return row_codec::ReadAll<RejectRecord>(*q, "list rejects", [](const PgQuery& r) {
    return RejectRecord{r.Int(0), FromUnixMicros(r.Int(1)), r.Text(2), r.Int(3), r.Text(4),
                        r.Text(5)};
  });
}

}  // namespace vigil::postgres_store
