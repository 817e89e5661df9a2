// Custody and facilities in SQLite: events, people, facilities, refused lines.
#include "vigil/store/sqlite_parts.h"

namespace vigil::sqlite_store {
namespace {

using row_codec::AliasesToJson;
using row_codec::ReadEvent;
using row_codec::ReadSubject;

#define VIGIL_INSERT_EVENT_COLUMNS                                                          \
  "INSERT INTO custody_events (subject_id, source, event_id, type, occurred_at, a_number, " \
  "given_names, family_names, aliases, date_of_birth, country_of_birth, facility_id, "      \
  "custody_basis, protections, scheduled_release, retracts, content_hash, retracted_by, "   \
  "received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, " \
  "?16, ?17, ?18, ?19)"

// Binds the state columns ?2..?16 shared by INSERT and UPDATE of a subject.
// `aliases` and `dob` hold encoded values until the statement has run.
void BindSubjectState(Query& q, const Subject& s, std::string& aliases, std::string& dob) {
  q.Bind(2, s.a_number.digits()).Bind(3, s.given_names).Bind(4, s.family_names);
  aliases = AliasesToJson(s.aliases);
  q.Bind(5, aliases);
  if (s.date_of_birth) {
    dob = s.date_of_birth->ToString();
    q.Bind(6, dob);
  }
  q.Bind(7, s.country_of_birth);
  if (s.custody_status) q.Bind(8, Name(*s.custody_status));
  q.Bind(9, s.facility_id);
  if (s.custody_basis) q.Bind(10, Name(*s.custody_basis));
  q.Bind(11, static_cast<int64_t>(s.protections.bits()));
  q.BindOptional(12, OptMicros(s.last_event_at));
  q.BindOptional(13, OptMicros(s.released_at));
  q.BindOptional(14, OptMicros(s.scheduled_release));
  q.BindOptional(15, OptMicros(s.public_changed_at));
  q.BindOptional(16, OptMicros(s.custody_since));
}

}  // namespace

Result<std::vector<std::optional<Facility>>> SqliteCustody::GetFacilities(
    std::span<const std::string> facility_ids) {
  // In process, one prepared statement stepped per id costs what one
  // statement over them all would.
  static const char kSql[] =
      "SELECT facility_id, name, address, city, state, phone, time_zone FROM facilities "
      "WHERE facility_id = ?1";
  std::vector<std::optional<Facility>> found;
  found.reserve(facility_ids.size());
  for (const std::string& id : facility_ids) {
    auto q = Prepare(kSql);
    if (!q) return tl::unexpected(q.error());
    q->Bind(1, std::string_view(id));
    auto row = q->Step("get facility");
    if (!row) return tl::unexpected(row.error());
    if (*row) {
      found.emplace_back(Facility{q->Text(0), q->Text(1), q->Text(2), q->Text(3), q->Text(4),
                                  q->Text(5), q->Text(6)});
    } else {
      found.emplace_back();
    }
  }
  return found;
}

Result<void> SqliteCustody::PutFacility(const Facility& f) {
  static const char kSql[] =
      "INSERT OR REPLACE INTO facilities (facility_id, name, address, city, state, phone, "
      "time_zone) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
  auto q = Prepare(kSql);
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, f.facility_id).Bind(2, f.name).Bind(3, f.address).Bind(4, f.city).Bind(5, f.state);
  q->Bind(6, f.phone).Bind(7, f.time_zone);
  return q->Run("put facility");
}

Result<std::optional<StoredEvent>> SqliteCustody::GetEvent(std::string_view source,
                                                           std::string_view event_id) {
  static const std::string kSql = std::string("SELECT ") + kEventColumns +
                                  " FROM custody_events WHERE source = ?1 AND event_id = ?2";
  auto q = Prepare(kSql.c_str());
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, source).Bind(2, event_id);
  auto row = q->Step("get event");
  if (!row) return tl::unexpected(row.error());
  if (!*row) return std::optional<StoredEvent>();
  auto e = ReadEvent(*q);
  if (!e) return tl::unexpected(e.error());
  return std::optional<StoredEvent>(std::move(*e));
}

Result<std::vector<StoredEvent>> SqliteCustody::EventsOfSubject(int64_t subject_id) {
  static const std::string kSql = std::string("SELECT ") + kEventColumns +
                                  " FROM custody_events WHERE subject_id = ?1 "
                                  "ORDER BY occurred_at, source, event_id";
  auto q = Prepare(kSql.c_str());
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, subject_id);
  std::vector<StoredEvent> out;
  while (true) {
    auto row = q->Step("events of subject");
    if (!row) return tl::unexpected(row.error());
    if (!*row) break;
    auto e = ReadEvent(*q);
    if (!e) return tl::unexpected(e.error());
    out.push_back(std::move(*e));
  }
  return out;
}

Result<std::optional<std::string>> SqliteCustody::FindRetractionOf(std::string_view source,
                                                                   std::string_view event_id) {
  static const char kSql[] =
      "SELECT event_id FROM custody_events WHERE source = ?1 AND retracts = ?2 AND retracts <> '' "
      "ORDER BY occurred_at, event_id LIMIT 1";
  auto q = Prepare(kSql);
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, source).Bind(2, event_id);
  auto row = q->Step("find retraction");
  if (!row) return tl::unexpected(row.error());
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(q->Text(0));
}

Result<bool> SqliteCustody::HasUnmatchedRetractions() {
  static const char kSql[] =
      "SELECT EXISTS (SELECT 1 FROM custody_events r WHERE r.retracts <> '' AND NOT EXISTS "
      "(SELECT 1 FROM custody_events t WHERE t.source = r.source AND t.event_id = r.retracts))";
  auto q = Prepare(kSql);
  if (!q) return tl::unexpected(q.error());
  auto row = q->Step("look for unmatched retractions");
  if (!row) return tl::unexpected(row.error());
  return q->Int(0) != 0;
}

// Returns the new event_pk, or nullopt when an ON CONFLICT clause skipped it.
Result<std::optional<int64_t>> SqliteCustody::WriteEvent(const char* sql, const StoredEvent& s) {
  auto q = Prepare(sql);
  if (!q) return tl::unexpected(q.error());
  const CustodyEvent& e = s.event;
  if (s.subject_id != 0) {
    q->Bind(1, s.subject_id);
  } else {
    q->BindNull(1);
  }
  q->Bind(2, e.source)
      .Bind(3, e.event_id)
      .Bind(4, Name(e.type))
      .Bind(5, ToUnixMicros(e.occurred_at));
  std::string aliases, dob;
  if (e.subject) {
    const SubjectRecord& r = *e.subject;
    aliases = AliasesToJson(r.aliases);
    q->Bind(6, r.a_number.digits()).Bind(7, r.given_names).Bind(8, r.family_names);
    q->Bind(9, aliases).Bind(11, r.country_of_birth);
    if (r.date_of_birth) {
      dob = r.date_of_birth->ToString();
      q->Bind(10, dob);
    }
  }
  q->Bind(12, e.facility_id);
  if (e.custody_basis) q->Bind(13, Name(*e.custody_basis));
  q->Bind(14, static_cast<int64_t>(e.protections.bits()));
  q->BindOptional(15, OptMicros(e.scheduled_release));
  q->Bind(16, e.retracts).BindBlob(17, s.content_hash).Bind(18, s.retracted_by);
  q->Bind(19, ToUnixMicros(s.received_at));
  if (auto r = q->Run("insert event"); !r) {
    return tl::unexpected(r.error().WithContext("event " + e.source + "/" + e.event_id));
  }
  if (sqlite3_changes(db()) == 0) return std::optional<int64_t>();
  return std::optional<int64_t>(sqlite3_last_insert_rowid(db()));
}

Result<int64_t> SqliteCustody::InsertEvent(const StoredEvent& s) {
  auto pk = WriteEvent(VIGIL_INSERT_EVENT_COLUMNS, s);
  if (!pk) return tl::unexpected(pk.error());
  if (!*pk) return Internal("event insert wrote nothing");
  return **pk;
}

Result<std::optional<int64_t>> SqliteCustody::InsertEventIfAbsent(const StoredEvent& s) {
  return WriteEvent(VIGIL_INSERT_EVENT_COLUMNS " ON CONFLICT (source, event_id) DO NOTHING", s);
}

Result<int64_t> SqliteCustody::AllocateSubjectId() {
  if (next_subject_id_ == 0) {
    auto q = Prepare("SELECT coalesce(max(subject_id), 0) + 1 FROM subjects");
    if (!q) return tl::unexpected(q.error());
    auto row = q->Step("allocate subject id");
    if (!row) return tl::unexpected(row.error());
    next_subject_id_ = q->Int(0);
  }
  return next_subject_id_++;
}

Result<void> SqliteCustody::SetRetractedBy(std::string_view source, std::string_view event_id,
                                           std::string_view retraction_id) {
  static const char kSql[] =
      "UPDATE custody_events SET retracted_by = ?3 WHERE source = ?1 AND event_id = ?2";
  auto q = Prepare(kSql);
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, source).Bind(2, event_id).Bind(3, retraction_id);
  VIGIL_RETURN_IF_ERROR(q->Run("retract event"));
  if (sqlite3_changes(db()) == 0) {
    return NotFound("no event " + std::string(source) + "/" + std::string(event_id));
  }
  return {};
}

Result<std::optional<Subject>> SqliteCustody::OneSubject(const char* sql,
                                                         const std::function<void(Query&)>& bind) {
  auto q = Prepare(sql);
  if (!q) return tl::unexpected(q.error());
  bind(*q);
  auto row = q->Step("get subject");
  if (!row) return tl::unexpected(row.error());
  if (!*row) return std::optional<Subject>();
  auto s = ReadSubject(*q);
  if (!s) return tl::unexpected(s.error());
  return std::optional<Subject>(std::move(*s));
}

Result<std::optional<Subject>> SqliteCustody::GetSubjectByANumber(const ANumber& a_number) {
  static const std::string kSql =
      std::string("SELECT ") + kSubjectColumns + " FROM subjects WHERE a_number = ?1";
  return OneSubject(kSql.c_str(), [&](Query& q) { q.Bind(1, a_number.digits()); });
}

Result<std::vector<std::optional<Subject>>> SqliteCustody::GetSubjects(
    std::span<const int64_t> subject_ids) {
  static const std::string kSql =
      std::string("SELECT ") + kSubjectColumns + " FROM subjects WHERE subject_id = ?1";
  std::vector<std::optional<Subject>> found;
  found.reserve(subject_ids.size());
  for (int64_t id : subject_ids) {
    auto one = OneSubject(kSql.c_str(), [&](Query& q) { q.Bind(1, id); });
    if (!one) return tl::unexpected(one.error());
    found.push_back(std::move(*one));
  }
  return found;
}

Result<void> SqliteCustody::ForEachSubject(const std::function<bool(const Subject&)>& fn) {
  static const std::string kSql =
      std::string("SELECT ") + kSubjectColumns + " FROM subjects ORDER BY subject_id";
  auto q = Prepare(kSql.c_str());
  if (!q) return tl::unexpected(q.error());
  while (true) {
    auto row = q->Step("scan subjects");
    if (!row) return tl::unexpected(row.error());
    if (!*row) return {};
    auto s = ReadSubject(*q);
    if (!s) return tl::unexpected(s.error());
    if (!fn(*s)) return {};
  }
}

Result<int64_t> SqliteCustody::InsertSubject(const Subject& s) {
  static const char kSql[] =
      "INSERT INTO subjects (subject_id, a_number, given_names, family_names, aliases, "
      "date_of_birth, country_of_birth, custody_status, facility_id, custody_basis, protections, "
      "last_event_at, released_at, scheduled_release, public_changed_at, custody_since) VALUES "
      "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";
  auto q = Prepare(kSql);
  if (!q) return tl::unexpected(q.error());
  if (s.subject_id != 0) q->Bind(1, s.subject_id);  // else NULL: SQLite picks the next rowid
  std::string aliases, dob;
  BindSubjectState(*q, s, aliases, dob);
  VIGIL_RETURN_IF_ERROR(q->Run("insert subject"));
  int64_t id = sqlite3_last_insert_rowid(db());
  VIGIL_RETURN_IF_ERROR(NoteSubjectChange(id));
  return id;
}

Result<void> SqliteCustody::UpdateSubject(const Subject& s) {
  static const char kSql[] =
      "UPDATE subjects SET given_names = ?3, family_names = ?4, aliases = ?5, "
      "date_of_birth = ?6, country_of_birth = ?7, custody_status = ?8, facility_id = ?9, "
      "custody_basis = ?10, protections = ?11, last_event_at = ?12, released_at = ?13, "
      "scheduled_release = ?14, public_changed_at = ?15, custody_since = ?16 "
      "WHERE subject_id = ?1";
  auto q = Prepare(kSql);
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, s.subject_id);
  std::string aliases, dob;
  BindSubjectState(*q, s, aliases,
                   dob);  // ?2 (the A-number) is bound but unused: identity never changes
  VIGIL_RETURN_IF_ERROR(q->Run("update subject"));
  if (sqlite3_changes(db()) == 0) {
    return NotFound("no subject with id " + std::to_string(s.subject_id));
  }
  return NoteSubjectChange(s.subject_id);
}

Result<void> SqliteCustody::NoteSubjectChange(int64_t subject_id) {
  auto q = Prepare("INSERT INTO subject_changes (subject_id) VALUES (?1)");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, subject_id);
  return q->Run("note subject change");
}

Result<std::vector<std::pair<int64_t, int64_t>>> SqliteCustody::SubjectChangesSince(
    int64_t after_seq, int limit) {
  auto q =
      Prepare("SELECT seq, subject_id FROM subject_changes WHERE seq > ?1 ORDER BY seq LIMIT ?2");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, after_seq).Bind(2, static_cast<int64_t>(limit));
  std::vector<std::pair<int64_t, int64_t>> out;
  while (true) {
    auto row = q->Step("read subject changes");
    if (!row) return tl::unexpected(row.error());
    if (!*row) return out;
    out.emplace_back(q->Int(0), q->Int(1));
  }
}

Result<int64_t> SqliteCustody::LatestSubjectChange() {
  auto q = Prepare("SELECT coalesce(max(seq), 0) FROM subject_changes");
  if (!q) return tl::unexpected(q.error());
  auto row = q->Step("read latest subject change");
  if (!row) return tl::unexpected(row.error());
  return q->Int(0);
}

Result<bool> SqliteCustody::IsEventWithdrawn(int64_t event_pk) {
  auto q = Prepare("SELECT 1 FROM custody_events WHERE event_pk = ?1 AND retracted_by <> ''");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, event_pk);
  auto row = q->Step("read event retraction");
  if (!row) return tl::unexpected(row.error());
  return *row;
}

Result<int64_t> SqliteCustody::InsertReject(const RejectRecord& r) {
  static const char kSql[] =
      "INSERT INTO feed_rejects (received_at, origin, line, field, reason) "
      "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (origin, line, field, reason) DO NOTHING";
  auto q = Prepare(kSql);
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, ToUnixMicros(r.received_at)).Bind(2, r.origin).Bind(3, r.line).Bind(4, r.field);
  q->Bind(5, r.reason);
  VIGIL_RETURN_IF_ERROR(q->Run("insert reject"));
  if (sqlite3_changes(db()) == 0) return int64_t{0};
  return static_cast<int64_t>(sqlite3_last_insert_rowid(db()));
}

Result<std::vector<RejectRecord>> SqliteCustody::RecentRejects(int limit) {
  static const char kSql[] =
      "SELECT reject_id, received_at, origin, line, field, reason FROM feed_rejects "
      "ORDER BY reject_id DESC LIMIT ?1";
  auto q = Prepare(kSql);
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, static_cast<int64_t>(limit));
  std::vector<RejectRecord> out;
  while (true) {
    auto row = q->Step("list rejects");
    if (!row) return tl::unexpected(row.error());
    if (!*row) return out;
    out.push_back(RejectRecord{q->Int(0), FromUnixMicros(q->Int(1)), q->Text(2), q->Int(3),
                               q->Text(4), q->Text(5)});
  }
}

}  // namespace vigil::sqlite_store
