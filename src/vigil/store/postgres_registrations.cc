// Registrations in PostgreSQL, and retention.
#include "vigil/store/postgres_parts.h"

namespace vigil::postgres_store {
namespace {

using row_codec::kRegistrationColumns;
using row_codec::ReadRegistration;

Result<std::vector<Registration>> Registrations(PgQuery& q) {
  return row_codec::ReadAll<Registration>(q, "read registrations", ReadRegistration<PgQuery>);
}

Result<std::optional<Registration>> First(Result<std::vector<Registration>> all) {
  if (!all) return tl::unexpected(all.error());
  if (all->empty()) return std::optional<Registration>();
  return std::optional<Registration>(std::move(all->front()));
}

}  // namespace

Result<std::optional<Registration>> PgRegistrations::GetRegistration(int64_t id) {
  static const std::string sql = std::string("SELECT ") + kRegistrationColumns +
                                 " FROM registrations WHERE registration_id = $1";
  auto q = Prepare(sql.c_str());
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, id);
  return First(Registrations(*q));
}

Result<std::optional<Registration>> PgRegistrations::FindRegistration(
    int64_t subject_id, DeliveryChannel channel, std::string_view contact_index) {
  static const std::string sql = std::string("SELECT ") + kRegistrationColumns +
                                 " FROM registrations WHERE subject_id = $1 AND channel = $2 AND "
                                 "contact_index = $3";
  auto q = Prepare(sql.c_str());
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, subject_id).Bind(2, Name(channel)).BindBlob(3, contact_index);
  return First(Registrations(*q));
}

Result<std::vector<Registration>> PgRegistrations::RegistrationsOf(int64_t subject_id,
                                                                   RegistrationState state) {
  static const std::string sql = std::string("SELECT ") + kRegistrationColumns +
                                 " FROM registrations WHERE subject_id = $1 AND state = $2 "
                                 "ORDER BY registration_id";
  auto q = Prepare(sql.c_str());
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, subject_id).Bind(2, Name(state));
  return Registrations(*q);
}

Result<std::vector<Registration>> PgRegistrations::RegistrationsByContact(
    DeliveryChannel channel, std::string_view contact_index) {
  static const std::string sql = std::string("SELECT ") + kRegistrationColumns +
                                 " FROM registrations WHERE contact_index = $1 AND channel = $2 "
                                 "ORDER BY registration_id";
  auto q = Prepare(sql.c_str());
  if (!q) return tl::unexpected(q.error());
  q->BindBlob(1, contact_index).Bind(2, Name(channel));
  return Registrations(*q);
}

Result<int64_t> PgRegistrations::CountLiveRegistrationsByContact(std::string_view contact_index) {
  auto q = Prepare(
      "SELECT count(*) FROM registrations WHERE contact_index = $1 AND state IN ('pending', "
      "'active')");
  if (!q) return tl::unexpected(q.error());
  q->BindBlob(1, contact_index);
  return CountOne(*q, "count registrations of a contact");
}

Result<int64_t> PgRegistrations::CountLiveRegistrationsOfSubject(int64_t subject_id) {
  auto q = Prepare(
      "SELECT count(*) FROM registrations WHERE subject_id = $1 AND state IN ('pending', "
      "'active')");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, subject_id);
  return CountOne(*q, "count registrations of a subject");
}

Result<bool> PgRegistrations::AnyActiveRegistrations() {
  auto q = Prepare("SELECT 1 FROM registrations WHERE state = 'active' LIMIT 1");
  if (!q) return tl::unexpected(q.error());
  return q->Step("look for active registrations");
}

Result<int64_t> PgRegistrations::InsertRegistration(const Registration& r) {
  auto q = Prepare(
      "INSERT INTO registrations (subject_id, channel, contact_sealed, contact_index, language, "
      "state, tier, secret_hash, secret_expires_at, secret_attempts, created_at, ended_at, "
      "opted_out, pin_hash, victim_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
      "$13, $14, $15) ON CONFLICT DO NOTHING RETURNING registration_id");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, r.subject_id).Bind(2, Name(r.channel)).BindBlob(3, r.contact_sealed);
  q->BindBlob(4, r.contact_index).Bind(5, r.language).Bind(6, Name(r.state)).Bind(7, Name(r.tier));
  q->BindBlob(8, r.secret_hash).BindOptional(9, OptMicros(r.secret_expires_at));
  q->Bind(10, static_cast<int64_t>(r.secret_attempts)).Bind(11, ToUnixMicros(r.created_at));
  q->BindOptional(12, OptMicros(r.ended_at)).Bind(13, int64_t{r.opted_out ? 1 : 0});
  q->BindBlob(14, r.pin_hash);
  q->BindOptional(15, r.victim_id.empty() ? std::nullopt : std::optional<std::string>(r.victim_id));
  auto id = Returned(*q, "insert registration");
  if (!id) return tl::unexpected(id.error());
  if (!*id) return Conflict("the registration (or its victim id) exists");
  return **id;
}

Result<void> PgRegistrations::UpdateRegistration(const Registration& r) {
  auto q = Prepare(
      "UPDATE registrations SET language = $2, state = $3, tier = $4, secret_hash = $5, "
      "secret_expires_at = $6, secret_attempts = $7, ended_at = $8, opted_out = $9, "
      "pin_hash = $10, victim_id = $11 WHERE registration_id = $1");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, r.registration_id).Bind(2, r.language).Bind(3, Name(r.state)).Bind(4, Name(r.tier));
  q->BindBlob(5, r.secret_hash).BindOptional(6, OptMicros(r.secret_expires_at));
  q->Bind(7, static_cast<int64_t>(r.secret_attempts)).BindOptional(8, OptMicros(r.ended_at));
  q->Bind(9, int64_t{r.opted_out ? 1 : 0}).BindBlob(10, r.pin_hash);
  q->BindOptional(11, r.victim_id.empty() ? std::nullopt : std::optional<std::string>(r.victim_id));
  auto n = Changed(*q, "update registration");
  if (!n) return tl::unexpected(n.error());
  if (*n == 0) return NotFound("no registration " + std::to_string(r.registration_id));
  return {};
}

Result<int64_t> PgRegistrations::SuspendRegistrationsOf(int64_t subject_id) {
  auto q = Prepare(
      "UPDATE registrations SET state = 'suspended' WHERE subject_id = $1 AND (state IN "
      "('pending', 'active') OR (state = 'unsubscribed' AND opted_out = 1))");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, subject_id);
  return Changed(*q, "suspend registrations");
}

Result<int64_t> PgRegistrations::OptOut(DeliveryChannel channel, std::string_view contact_index,
                                        Timestamp now) {
  auto q = Prepare(
      "UPDATE registrations SET opted_out = (state = 'active')::int, state = 'unsubscribed', "
      "ended_at = $3, secret_hash = '\\x' WHERE contact_index = $1 AND channel = $2 AND state IN "
      "('pending', 'active')");
  if (!q) return tl::unexpected(q.error());
  q->BindBlob(1, contact_index).Bind(2, Name(channel)).Bind(3, ToUnixMicros(now));
  return Changed(*q, "opt out");
}

Result<int64_t> PgRegistrations::OptIn(DeliveryChannel channel, std::string_view contact_index) {
  auto q = Prepare(
      "UPDATE registrations SET state = 'active', opted_out = 0, ended_at = NULL "
      "WHERE contact_index = $1 AND channel = $2 AND state = 'unsubscribed' AND opted_out = 1");
  if (!q) return tl::unexpected(q.error());
  q->BindBlob(1, contact_index).Bind(2, Name(channel));
  return Changed(*q, "opt in");
}

Result<std::pair<int64_t, int64_t>> PgRegistrations::Purge(Timestamp contacts_before,
                                                           Timestamp notifications_before) {
  auto contacts = Prepare(
      "UPDATE registrations SET contact_sealed = '\\x', secret_hash = '\\x', pin_hash = '\\x', "
      "contact_index = CASE WHEN opted_out = 1 THEN contact_index "
      "ELSE convert_to('purged:' || registration_id, 'UTF8') END "
      "WHERE state IN ('unsubscribed', 'bounced') AND ended_at < $1 AND contact_sealed <> '\\x'");
  if (!contacts) return tl::unexpected(contacts.error());
  contacts->Bind(1, ToUnixMicros(contacts_before));
  auto purged = Changed(*contacts, "purge contacts");
  if (!purged) return tl::unexpected(purged.error());
  auto payloads = Prepare(
      "UPDATE notifications SET payload_sealed = '\\x' WHERE updated_at < $1 AND "
      "payload_sealed <> '\\x' AND state IN ('delivered', 'permanent_failure', "
      "'technical_failure', 'suppressed', 'cancelled', 'acknowledged')");
  if (!payloads) return tl::unexpected(payloads.error());
  payloads->Bind(1, ToUnixMicros(notifications_before));
  auto cleared = Changed(*payloads, "purge notification payloads");
  if (!cleared) return tl::unexpected(cleared.error());
  auto voicemails = Prepare("DELETE FROM voicemails WHERE received_at < $1");
  if (!voicemails) return tl::unexpected(voicemails.error());
  voicemails->Bind(1, ToUnixMicros(contacts_before));
  auto deleted = Changed(*voicemails, "purge voicemails");
  if (!deleted) return tl::unexpected(deleted.error());
  auto requests = Prepare(
      "UPDATE protection_requests SET contact_sealed = '\\x' WHERE decided_at < $1 AND "
      "contact_sealed <> '\\x'");
  if (!requests) return tl::unexpected(requests.error());
  requests->Bind(1, ToUnixMicros(contacts_before));
  auto forgotten = Changed(*requests, "purge protection request contacts");
  if (!forgotten) return tl::unexpected(forgotten.error());
  return std::pair<int64_t, int64_t>(*purged + *deleted + *forgotten, *cleared);
}

Result<int64_t> PgRegistrations::InsertVoicemail(const Voicemail& v) {
  auto q = Prepare(
      "INSERT INTO voicemails (received_at, caller_sealed, recording_url, duration_seconds, "
      "language) VALUES ($1, $2, $3, $4, $5) RETURNING voicemail_id");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, ToUnixMicros(v.received_at)).BindBlob(2, v.caller_sealed).Bind(3, v.recording_url);
  q->Bind(4, v.duration_seconds).Bind(5, v.language);
  return CountOne(*q, "insert voicemail");
}

Result<std::vector<Voicemail>> PgRegistrations::Voicemails(int limit) {
  auto q = Prepare(
      "SELECT voicemail_id, received_at, caller_sealed, recording_url, duration_seconds, "
      "language FROM voicemails ORDER BY voicemail_id DESC LIMIT $1");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, static_cast<int64_t>(limit));
  return row_codec::ReadAll<Voicemail>(*q, "list voicemails", row_codec::ReadVoicemail<PgQuery>);
}

Result<std::optional<ProtectionRequest>> PgRegistrations::GetProtectionRequest(int64_t request_id) {
  static const std::string kSql = std::string("SELECT ") + row_codec::kProtectionRequestColumns +
                                  " FROM protection_requests WHERE request_id = $1";
  auto q = Prepare(kSql.c_str());
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, request_id);
  auto all = row_codec::ReadAll<ProtectionRequest>(*q, "read protection request",
                                                   row_codec::ReadProtectionRequest<PgQuery>);
  if (!all) return tl::unexpected(all.error());
  if (all->empty()) return std::optional<ProtectionRequest>();
  return std::optional<ProtectionRequest>(std::move(all->front()));
}

Result<std::vector<ProtectionRequest>> PgRegistrations::ProtectionRequests(std::string_view state,
                                                                           int limit) {
  // Two statements, as in SQLite: one plan each, the second through
  // protection_requests_by_state.
  static const std::string kAll = std::string("SELECT ") + row_codec::kProtectionRequestColumns +
                                  " FROM protection_requests ORDER BY request_id LIMIT $1";
  static const std::string kInState = std::string("SELECT ") +
                                      row_codec::kProtectionRequestColumns +
                                      " FROM protection_requests WHERE state = $2 "
                                      "ORDER BY request_id LIMIT $1";
  auto q = Prepare(state.empty() ? kAll.c_str() : kInState.c_str());
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, static_cast<int64_t>(limit));
  if (!state.empty()) q->Bind(2, state);
  return row_codec::ReadAll<ProtectionRequest>(*q, "list protection requests",
                                               row_codec::ReadProtectionRequest<PgQuery>);
}

Result<int64_t> PgRegistrations::InsertProtectionRequest(const ProtectionRequest& r) {
  auto q = Prepare(
      "INSERT INTO protection_requests (identifier, subject_id, reason, details, contact_sealed, "
      "requested_by, state, created_at, due_at, decided_by, decided_at, decision_note, language, "
      "outcome_sent) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) "
      "RETURNING request_id");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, r.identifier).Bind(2, r.subject_id).Bind(3, r.reason).Bind(4, r.details);
  q->BindBlob(5, r.contact_sealed).Bind(6, r.requested_by).Bind(7, r.state);
  q->Bind(8, ToUnixMicros(r.created_at)).Bind(9, ToUnixMicros(r.due_at)).Bind(10, r.decided_by);
  q->BindOptional(11, OptMicros(r.decided_at)).Bind(12, r.decision_note).Bind(13, r.language);
  q->BindOptional(14, OptMicros(r.outcome_sent));
  return CountOne(*q, "insert protection request");
}

Result<bool> PgRegistrations::UpdateProtectionRequest(const ProtectionRequest& r) {
  auto q = Prepare(
      "UPDATE protection_requests SET state = $2, decided_by = $3, decided_at = $4, "
      "decision_note = $5, outcome_sent = $6 WHERE request_id = $1");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, r.request_id).Bind(2, r.state).Bind(3, r.decided_by);
  q->BindOptional(4, OptMicros(r.decided_at)).Bind(5, r.decision_note);
  q->BindOptional(6, OptMicros(r.outcome_sent));
  auto n = Changed(*q, "update protection request");
  if (!n) return tl::unexpected(n.error());
  return *n > 0;
}

}  // namespace vigil::postgres_store
