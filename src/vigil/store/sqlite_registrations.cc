// Registrations in SQLite, and retention.
#include "vigil/store/sqlite_parts.h"

namespace vigil::sqlite_store {
namespace {

using row_codec::kRegistrationColumns;
using row_codec::ReadRegistration;
}  // namespace

Result<std::vector<Registration>> SqliteRegistrations::Registrations(Query& q) {
  return row_codec::ReadAll<Registration>(q, "read registrations", ReadRegistration<Query>);
}

Result<std::optional<Registration>> SqliteRegistrations::GetRegistration(int64_t id) {
  static const std::string sql = std::string("SELECT ") + kRegistrationColumns +
                                 " FROM registrations WHERE registration_id = ?1";
  auto q = Prepare(sql.c_str());
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, id);
  auto all = Registrations(*q);
  if (!all) return tl::unexpected(all.error());
  if (all->empty()) return std::optional<Registration>();
  return std::optional<Registration>(std::move(all->front()));
}

Result<std::optional<Registration>> SqliteRegistrations::FindRegistration(
    int64_t subject_id, DeliveryChannel channel, std::string_view contact_index) {
  static const std::string sql = std::string("SELECT ") + kRegistrationColumns +
                                 " FROM registrations WHERE subject_id = ?1 AND channel = ?2 AND "
                                 "contact_index = ?3";
  auto q = Prepare(sql.c_str());
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, subject_id).Bind(2, Name(channel)).BindBlob(3, contact_index);
  auto all = Registrations(*q);
  if (!all) return tl::unexpected(all.error());
  if (all->empty()) return std::optional<Registration>();
  return std::optional<Registration>(std::move(all->front()));
}

Result<std::vector<Registration>> SqliteRegistrations::RegistrationsOf(int64_t subject_id,
                                                                       RegistrationState state) {
  static const std::string sql = std::string("SELECT ") + kRegistrationColumns +
                                 " FROM registrations WHERE subject_id = ?1 AND state = ?2 "
                                 "ORDER BY registration_id";
  auto q = Prepare(sql.c_str());
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, subject_id).Bind(2, Name(state));
  return Registrations(*q);
}

Result<std::vector<Registration>> SqliteRegistrations::RegistrationsByContact(
    DeliveryChannel channel, std::string_view contact_index) {
  static const std::string sql = std::string("SELECT ") + kRegistrationColumns +
                                 " FROM registrations WHERE contact_index = ?1 AND channel = ?2 "
                                 "ORDER BY registration_id";
  auto q = Prepare(sql.c_str());
  if (!q) return tl::unexpected(q.error());
  q->BindBlob(1, contact_index).Bind(2, Name(channel));
  return Registrations(*q);
}

Result<int64_t> SqliteRegistrations::CountLiveRegistrationsByContact(
    std::string_view contact_index) {
  auto q = Prepare(
      "SELECT count(*) FROM registrations WHERE contact_index = ?1 AND state IN ('pending', "
      "'active')");
  if (!q) return tl::unexpected(q.error());
  q->BindBlob(1, contact_index);
  return CountOne(*q, "count registrations of a contact");
}

Result<int64_t> SqliteRegistrations::CountLiveRegistrationsOfSubject(int64_t subject_id) {
  auto q = Prepare(
      "SELECT count(*) FROM registrations WHERE subject_id = ?1 AND state IN ('pending', "
      "'active')");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, subject_id);
  return CountOne(*q, "count registrations of a subject");
}

Result<bool> SqliteRegistrations::AnyActiveRegistrations() {
  auto q = Prepare("SELECT EXISTS (SELECT 1 FROM registrations WHERE state = 'active')");
  if (!q) return tl::unexpected(q.error());
  auto n = CountOne(*q, "look for active registrations");
  if (!n) return tl::unexpected(n.error());
  return *n != 0;
}

Result<int64_t> SqliteRegistrations::InsertRegistration(const Registration& r) {
  auto q = Prepare(
      "INSERT INTO registrations (subject_id, channel, contact_sealed, contact_index, language, "
      "state, tier, secret_hash, secret_expires_at, secret_attempts, created_at, ended_at, "
      "opted_out, pin_hash, victim_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
      "?13, ?14, ?15)");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, r.subject_id).Bind(2, Name(r.channel)).BindBlob(3, r.contact_sealed);
  q->BindBlob(4, r.contact_index).Bind(5, r.language).Bind(6, Name(r.state)).Bind(7, Name(r.tier));
  q->BindBlob(8, r.secret_hash).BindOptional(9, OptMicros(r.secret_expires_at));
  q->Bind(10, static_cast<int64_t>(r.secret_attempts)).Bind(11, ToUnixMicros(r.created_at));
  q->BindOptional(12, OptMicros(r.ended_at)).Bind(13, int64_t{r.opted_out ? 1 : 0});
  q->BindBlob(14, r.pin_hash);
  q->BindOptional(15, r.victim_id.empty() ? std::nullopt : std::optional<std::string>(r.victim_id));
  VIGIL_RETURN_IF_ERROR(q->Run("insert registration"));
  return sqlite3_last_insert_rowid(db());
}

Result<void> SqliteRegistrations::UpdateRegistration(const Registration& r) {
  auto q = Prepare(
      "UPDATE registrations SET language = ?2, state = ?3, tier = ?4, secret_hash = ?5, "
      "secret_expires_at = ?6, secret_attempts = ?7, ended_at = ?8, opted_out = ?9, "
      "pin_hash = ?10, victim_id = ?11 WHERE registration_id = ?1");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, r.registration_id).Bind(2, r.language).Bind(3, Name(r.state)).Bind(4, Name(r.tier));
  q->BindBlob(5, r.secret_hash).BindOptional(6, OptMicros(r.secret_expires_at));
  q->Bind(7, static_cast<int64_t>(r.secret_attempts)).BindOptional(8, OptMicros(r.ended_at));
  q->Bind(9, int64_t{r.opted_out ? 1 : 0}).BindBlob(10, r.pin_hash);
  q->BindOptional(11, r.victim_id.empty() ? std::nullopt : std::optional<std::string>(r.victim_id));
  VIGIL_RETURN_IF_ERROR(q->Run("update registration"));
  if (sqlite3_changes(db()) == 0) {
    return NotFound("no registration " + std::to_string(r.registration_id));
  }
  return {};
}

Result<int64_t> SqliteRegistrations::SuspendRegistrationsOf(int64_t subject_id) {
  auto q = Prepare(
      "UPDATE registrations SET state = 'suspended' WHERE subject_id = ?1 AND (state IN "
      "('pending', 'active') OR (state = 'unsubscribed' AND opted_out = 1))");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, subject_id);
  VIGIL_RETURN_IF_ERROR(q->Run("suspend registrations"));
  return sqlite3_changes(db());
}

Result<int64_t> SqliteRegistrations::OptOut(DeliveryChannel channel, std::string_view contact_index,
                                            Timestamp now) {
  auto q = Prepare(
      "UPDATE registrations SET opted_out = (state = 'active'), state = 'unsubscribed', "
      "ended_at = ?3, secret_hash = x'' WHERE contact_index = ?1 AND channel = ?2 AND state IN "
      "('pending', 'active')");
  if (!q) return tl::unexpected(q.error());
  q->BindBlob(1, contact_index).Bind(2, Name(channel)).Bind(3, ToUnixMicros(now));
  VIGIL_RETURN_IF_ERROR(q->Run("opt out"));
  return sqlite3_changes(db());
}

Result<int64_t> SqliteRegistrations::OptIn(DeliveryChannel channel,
                                           std::string_view contact_index) {
  auto q = Prepare(
      "UPDATE registrations SET state = 'active', opted_out = 0, ended_at = NULL "
      "WHERE contact_index = ?1 AND channel = ?2 AND state = 'unsubscribed' AND opted_out = 1");
  if (!q) return tl::unexpected(q.error());
  q->BindBlob(1, contact_index).Bind(2, Name(channel));
  VIGIL_RETURN_IF_ERROR(q->Run("opt in"));
  return sqlite3_changes(db());
}

Result<std::pair<int64_t, int64_t>> SqliteRegistrations::Purge(Timestamp contacts_before,
                                                               Timestamp notifications_before) {
  auto contacts = Prepare(
      "UPDATE registrations SET contact_sealed = x'', secret_hash = x'', pin_hash = x'', "
      "contact_index = CASE WHEN opted_out = 1 THEN contact_index "
      "ELSE CAST('purged:' || registration_id AS BLOB) END "
      "WHERE state IN ('unsubscribed', 'bounced') AND ended_at < ?1 AND contact_sealed <> x''");
  if (!contacts) return tl::unexpected(contacts.error());
  contacts->Bind(1, ToUnixMicros(contacts_before));
  VIGIL_RETURN_IF_ERROR(contacts->Run("purge contacts"));
  int64_t purged = sqlite3_changes(db());
  auto payloads = Prepare(
      "UPDATE notifications SET payload_sealed = x'' WHERE updated_at < ?1 AND "
      "payload_sealed <> x'' AND state IN ('delivered', 'permanent_failure', "
      "'technical_failure', 'suppressed', 'cancelled', 'acknowledged')");
  if (!payloads) return tl::unexpected(payloads.error());
  payloads->Bind(1, ToUnixMicros(notifications_before));
  VIGIL_RETURN_IF_ERROR(payloads->Run("purge notification payloads"));
  const int64_t wiped = sqlite3_changes(db());
  auto voicemails = Prepare("DELETE FROM voicemails WHERE received_at < ?1");
  if (!voicemails) return tl::unexpected(voicemails.error());
  voicemails->Bind(1, ToUnixMicros(contacts_before));
  VIGIL_RETURN_IF_ERROR(voicemails->Run("purge voicemails"));
  purged += sqlite3_changes(db());
  auto requests = Prepare(
      "UPDATE protection_requests SET contact_sealed = x'' WHERE decided_at < ?1 AND "
      "contact_sealed <> x''");
  if (!requests) return tl::unexpected(requests.error());
  requests->Bind(1, ToUnixMicros(contacts_before));
  VIGIL_RETURN_IF_ERROR(requests->Run("purge protection request contacts"));
  purged += sqlite3_changes(db());
  return std::pair<int64_t, int64_t>(purged, wiped);
}

Result<int64_t> SqliteRegistrations::InsertVoicemail(const Voicemail& v) {
  auto q = Prepare(
      "INSERT INTO voicemails (received_at, caller_sealed, recording_url, duration_seconds, "
      "language) VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, ToUnixMicros(v.received_at)).BindBlob(2, v.caller_sealed).Bind(3, v.recording_url);
  q->Bind(4, v.duration_seconds).Bind(5, v.language);
  VIGIL_RETURN_IF_ERROR(q->Run("insert voicemail"));
  return sqlite3_last_insert_rowid(db());
}

Result<std::vector<Voicemail>> SqliteRegistrations::Voicemails(int limit) {
  auto q = Prepare(
      "SELECT voicemail_id, received_at, caller_sealed, recording_url, duration_seconds, "
      "language FROM voicemails ORDER BY voicemail_id DESC LIMIT ?1");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, static_cast<int64_t>(limit));
  return row_codec::ReadAll<Voicemail>(*q, "list voicemails", row_codec::ReadVoicemail<Query>);
}

Result<std::optional<ProtectionRequest>> SqliteRegistrations::GetProtectionRequest(
    int64_t request_id) {
  static const std::string kSql = std::string("SELECT ") + row_codec::kProtectionRequestColumns +
                                  " FROM protection_requests WHERE request_id = ?1";
  auto q = Prepare(kSql.c_str());
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, request_id);
  auto all = row_codec::ReadAll<ProtectionRequest>(*q, "read protection request",
                                                   row_codec::ReadProtectionRequest<Query>);
  if (!all) return tl::unexpected(all.error());
  if (all->empty()) return std::optional<ProtectionRequest>();
  return std::optional<ProtectionRequest>(std::move(all->front()));
}

Result<std::vector<ProtectionRequest>> SqliteRegistrations::ProtectionRequests(
    std::string_view state, int limit) {
  // Two statements rather than "?2 = '' OR state = ?2", which SQLite would
  // answer by scanning the table instead of protection_requests_by_state.
  static const std::string kAll = std::string("SELECT ") + row_codec::kProtectionRequestColumns +
                                  " FROM protection_requests ORDER BY request_id LIMIT ?1";
  static const std::string kInState = std::string("SELECT ") +
                                      row_codec::kProtectionRequestColumns +
                                      " FROM protection_requests WHERE state = ?2 "
                                      "ORDER BY request_id LIMIT ?1";
  auto q = Prepare(state.empty() ? kAll.c_str() : kInState.c_str());
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, static_cast<int64_t>(limit));
  if (!state.empty()) q->Bind(2, state);
  return row_codec::ReadAll<ProtectionRequest>(*q, "list protection requests",
                                               row_codec::ReadProtectionRequest<Query>);
}

Result<int64_t> SqliteRegistrations::InsertProtectionRequest(const ProtectionRequest& r) {
  auto q = Prepare(
      "INSERT INTO protection_requests (identifier, subject_id, reason, details, contact_sealed, "
      "requested_by, state, created_at, due_at, decided_by, decided_at, decision_note, language, "
      "outcome_sent) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, r.identifier).Bind(2, r.subject_id).Bind(3, r.reason).Bind(4, r.details);
  q->BindBlob(5, r.contact_sealed).Bind(6, r.requested_by).Bind(7, r.state);
  q->Bind(8, ToUnixMicros(r.created_at)).Bind(9, ToUnixMicros(r.due_at)).Bind(10, r.decided_by);
  q->BindOptional(11, OptMicros(r.decided_at)).Bind(12, r.decision_note).Bind(13, r.language);
  q->BindOptional(14, OptMicros(r.outcome_sent));
  VIGIL_RETURN_IF_ERROR(q->Run("insert protection request"));
  return sqlite3_last_insert_rowid(db());
}

Result<bool> SqliteRegistrations::UpdateProtectionRequest(const ProtectionRequest& r) {
  auto q = Prepare(
      "UPDATE protection_requests SET state = ?2, decided_by = ?3, decided_at = ?4, "
      "decision_note = ?5, outcome_sent = ?6 WHERE request_id = ?1");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, r.request_id).Bind(2, r.state).Bind(3, r.decided_by);
  q->BindOptional(4, OptMicros(r.decided_at)).Bind(5, r.decision_note);
  q->BindOptional(6, OptMicros(r.outcome_sent));
  VIGIL_RETURN_IF_ERROR(q->Run("update protection request"));
  return sqlite3_changes(db()) > 0;
}

}  // namespace vigil::sqlite_store
