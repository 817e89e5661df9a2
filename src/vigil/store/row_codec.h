// Inside the store backends: turning a result row into the store's values,
// the same for every backend. A Row is anything with the accessors of the
// backends' query types (sqlite_parts.h, postgres_parts.h): IsNull(col),
// Int(col), Text(col), Blob(col), OptInt(col), columns numbered from 0 in
// the order of the k*Columns lists below. Stored values were validated on
// the way in; one that no longer parses means the database was edited by
// hand or corrupted, and is reported as kInternal naming the column.
// Only store backends include this.
#ifndef VIGIL_STORE_ROW_CODEC_H_
#define VIGIL_STORE_ROW_CODEC_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "vigil/store/store.h"

namespace vigil::row_codec {

inline constexpr char kSubjectColumns[] =
    "subject_id, a_number, given_names, family_names, aliases, date_of_birth, country_of_birth, "
    "custody_status, facility_id, custody_basis, protections, last_event_at, released_at, "
    "scheduled_release, public_changed_at, custody_since";
inline constexpr char kEventColumns[] =
    "event_pk, subject_id, source, event_id, type, occurred_at, a_number, given_names, "
    "family_names, aliases, date_of_birth, country_of_birth, facility_id, custody_basis, "
    "protections, scheduled_release, retracts, content_hash, retracted_by, received_at";
inline constexpr char kRegistrationColumns[] =
    "registration_id, subject_id, channel, contact_sealed, contact_index, language, state, tier, "
    "secret_hash, secret_expires_at, secret_attempts, created_at, ended_at, opted_out, pin_hash, "
    "victim_id";
inline constexpr char kNotificationColumns[] =
    "notification_id, event_pk, registration_id, kind, state, attempts, due_at, lease_until, "
    "payload_sealed, last_error, created_at, updated_at";
inline constexpr char kApiKeyColumns[] =
    "key_id, name, scopes, secret_hash, created_at, revoked_at, sources";
inline constexpr char kStaffAccountColumns[] =
    "name, role, password_hash, totp_sealed, failed_logins, locked_until, session_epoch, "
    "disabled, created_at, last_login_at, totp_last_step";
inline constexpr char kProtectionRequestColumns[] =
    "request_id, identifier, subject_id, reason, details, contact_sealed, requested_by, state, "
    "created_at, due_at, decided_by, decided_at, decision_note, language, outcome_sent";
inline constexpr char kAuditColumns[] = "seq, at, kind, actor, subject_id, detail, prev_hash, hash";

// Timestamps are stored as microseconds since the Unix epoch.
inline std::optional<int64_t> OptMicros(const std::optional<Timestamp>& t) {
  if (!t) return std::nullopt;
  return ToUnixMicros(*t);
}
inline std::optional<Timestamp> OptTime(const std::optional<int64_t>& v) {
  if (!v) return std::nullopt;
  return FromUnixMicros(*v);
}

template <typename T>
Result<T> Decode(Result<T> r, const char* column) {
  if (!r) {
    return Internal(std::string("corrupt value in column ") + column + ": " + r.error().message());
  }
  return r;
}

// Aliases are a JSON array of strings; most people have none.
std::string AliasesToJson(const std::vector<std::string>& aliases);
std::vector<std::string> AliasesFromJson(const std::string& text);

// Words kept space-separated in one column (key scopes and sources).
std::string JoinWords(const std::vector<std::string>& words);
std::vector<std::string> SplitWords(const std::string& text);

template <typename Row>
Result<std::optional<PartialDate>> ReadDate(const Row& q, int col) {
  if (q.IsNull(col)) return std::optional<PartialDate>();
  auto d = Decode(ParsePartialDate(q.Text(col)), "date_of_birth");
  if (!d) return tl::unexpected(d.error());
  return std::optional<PartialDate>(*d);
}

// A row selected with kSubjectColumns.
template <typename Row>
Result<Subject> ReadSubject(const Row& q) {
  Subject s;
  s.subject_id = q.Int(0);
  auto a = Decode(ANumber::Parse(q.Text(1)), "a_number");
  if (!a) return tl::unexpected(a.error());
  s.a_number = *a;
  s.given_names = q.Text(2);
  s.family_names = q.Text(3);
  s.aliases = AliasesFromJson(q.Text(4));
  auto dob = ReadDate(q, 5);
  if (!dob) return tl::unexpected(dob.error());
  s.date_of_birth = *dob;
  s.country_of_birth = q.Text(6);
  if (!q.IsNull(7)) {
    auto st = Decode(ParseCustodyStatus(q.Text(7)), "custody_status");
    if (!st) return tl::unexpected(st.error());
    s.custody_status = *st;
  }
  s.facility_id = q.Text(8);
  if (!q.IsNull(9)) {
    auto b = Decode(ParseCustodyBasis(q.Text(9)), "custody_basis");
    if (!b) return tl::unexpected(b.error());
    s.custody_basis = *b;
  }
  s.protections = ProtectionSet::FromBits(static_cast<uint32_t>(q.Int(10)));
  s.last_event_at = OptTime(q.OptInt(11));
  s.released_at = OptTime(q.OptInt(12));
  s.scheduled_release = OptTime(q.OptInt(13));
  s.public_changed_at = OptTime(q.OptInt(14));
  s.custody_since = OptTime(q.OptInt(15));
  return s;
}

// A row selected with kEventColumns.
template <typename Row>
Result<StoredEvent> ReadEvent(const Row& q) {
  StoredEvent s;
  s.event_pk = q.Int(0);
  s.subject_id = q.IsNull(1) ? 0 : q.Int(1);
  CustodyEvent& e = s.event;
  e.source = q.Text(2);
  e.event_id = q.Text(3);
  auto type = Decode(ParseEventType(q.Text(4)), "type");
  if (!type) return tl::unexpected(type.error());
  e.type = *type;
  e.occurred_at = FromUnixMicros(q.Int(5));
  if (!q.IsNull(6)) {
    SubjectRecord r;
    auto a = Decode(ANumber::Parse(q.Text(6)), "a_number");
    if (!a) return tl::unexpected(a.error());
    r.a_number = *a;
    r.given_names = q.Text(7);
    r.family_names = q.Text(8);
    r.aliases = AliasesFromJson(q.Text(9));
    auto dob = ReadDate(q, 10);
    if (!dob) return tl::unexpected(dob.error());
    r.date_of_birth = *dob;
    r.country_of_birth = q.Text(11);
    e.subject = std::move(r);
  }
  e.facility_id = q.Text(12);
  if (!q.IsNull(13)) {
    auto b = Decode(ParseCustodyBasis(q.Text(13)), "custody_basis");
    if (!b) return tl::unexpected(b.error());
    e.custody_basis = *b;
  }
  e.protections = ProtectionSet::FromBits(static_cast<uint32_t>(q.Int(14)));
  e.scheduled_release = OptTime(q.OptInt(15));
  e.retracts = q.Text(16);
  s.content_hash = q.Blob(17);
  s.retracted_by = q.Text(18);
  s.received_at = FromUnixMicros(q.Int(19));
  return s;
}

// A row selected with kRegistrationColumns.
template <typename Row>
Result<Registration> ReadRegistration(const Row& q) {
  Registration r;
  r.registration_id = q.Int(0);
  r.subject_id = q.Int(1);
  auto channel = Decode(ParseChannel(q.Text(2)), "channel");
  if (!channel) return tl::unexpected(channel.error());
  r.channel = *channel;
  r.contact_sealed = q.Blob(3);
  r.contact_index = q.Blob(4);
  r.language = q.Text(5);
  auto state = Decode(ParseRegistrationState(q.Text(6)), "state");
  if (!state) return tl::unexpected(state.error());
  r.state = *state;
  auto tier = Decode(ParseRegistrationTier(q.Text(7)), "tier");
  if (!tier) return tl::unexpected(tier.error());
  r.tier = *tier;
  r.secret_hash = q.Blob(8);
  r.secret_expires_at = OptTime(q.OptInt(9));
  r.secret_attempts = static_cast<int>(q.Int(10));
  r.created_at = FromUnixMicros(q.Int(11));
  r.ended_at = OptTime(q.OptInt(12));
  r.opted_out = q.Int(13) != 0;
  r.pin_hash = q.Blob(14);
  r.victim_id = q.Text(15);
  return r;
}

// A row selected with kNotificationColumns.
template <typename Row>
Result<Notification> ReadNotification(const Row& q) {
  Notification n;
  n.notification_id = q.Int(0);
  n.event_pk = q.OptInt(1);
  n.registration_id = q.Int(2);
  n.kind = q.Text(3);
  auto state = Decode(ParseNotificationState(q.Text(4)), "state");
  if (!state) return tl::unexpected(state.error());
  n.state = *state;
  n.attempts = static_cast<int>(q.Int(5));
  n.due_at = FromUnixMicros(q.Int(6));
  n.lease_until = OptTime(q.OptInt(7));
  n.payload_sealed = q.Blob(8);
  n.last_error = q.Text(9);
  n.created_at = FromUnixMicros(q.Int(10));
  n.updated_at = FromUnixMicros(q.Int(11));
  return n;
}

// A row selected with kApiKeyColumns.
template <typename Row>
ApiKey ReadApiKey(const Row& q) {
  ApiKey k;
  k.key_id = q.Text(0);
  k.name = q.Text(1);
  k.scopes = SplitWords(q.Text(2));
  k.secret_hash = q.Blob(3);
  k.created_at = FromUnixMicros(q.Int(4));
  k.revoked_at = OptTime(q.OptInt(5));
  k.sources = SplitWords(q.Text(6));
  return k;
}

// A row selected with kAuditColumns.
template <typename Row>
AuditEntry ReadAuditEntry(const Row& q) {
  AuditEntry e;
  e.seq = q.Int(0);
  e.at = FromUnixMicros(q.Int(1));
  e.kind = q.Text(2);
  e.actor = q.Text(3);
  e.subject_id = q.OptInt(4);
  e.detail = q.Text(5);
  e.prev_hash = q.Blob(6);
  e.hash = q.Blob(7);
  return e;
}

// A row selected as (voicemail_id, received_at, caller_sealed,
// recording_url, duration_seconds, language).
template <typename Row>
Voicemail ReadVoicemail(const Row& q) {
  Voicemail v;
  v.voicemail_id = q.Int(0);
  v.received_at = FromUnixMicros(q.Int(1));
  v.caller_sealed = q.Blob(2);
  v.recording_url = q.Text(3);
  v.duration_seconds = q.Int(4);
  v.language = q.Text(5);
  return v;
}

// A row selected with kStaffAccountColumns.
template <typename Row>
StaffAccount ReadStaffAccount(const Row& q) {
  StaffAccount a;
  a.name = q.Text(0);
  a.role = q.Text(1);
  a.password_hash = q.Text(2);
  a.totp_sealed = q.Blob(3);
  a.failed_logins = q.Int(4);
  a.locked_until = OptTime(q.OptInt(5));
  a.session_epoch = q.Int(6);
  a.disabled = q.Int(7) != 0;
  a.created_at = FromUnixMicros(q.Int(8));
  a.last_login_at = OptTime(q.OptInt(9));
  a.totp_last_step = q.Int(10);
  return a;
}

// A row selected with kProtectionRequestColumns.
template <typename Row>
ProtectionRequest ReadProtectionRequest(const Row& q) {
  ProtectionRequest r;
  r.request_id = q.Int(0);
  r.identifier = q.Text(1);
  r.subject_id = q.Int(2);
  r.reason = q.Text(3);
  r.details = q.Text(4);
  r.contact_sealed = q.Blob(5);
  r.requested_by = q.Text(6);
  r.state = q.Text(7);
  r.created_at = FromUnixMicros(q.Int(8));
  r.due_at = FromUnixMicros(q.Int(9));
  r.decided_by = q.Text(10);
  r.decided_at = OptTime(q.OptInt(11));
  r.decision_note = q.Text(12);
  r.language = q.Text(13);
  r.outcome_sent = OptTime(q.OptInt(14));
  return r;
}

// Every row of `q` read by `read` (which returns T or Result<T>).
template <typename T, typename Query, typename ReadFn>
Result<std::vector<T>> ReadAll(Query& q, std::string_view what, ReadFn read) {
  std::vector<T> out;
  while (true) {
    auto row = q.Step(what);
    if (!row) return tl::unexpected(row.error());
    if (!*row) return out;
    if constexpr (std::is_same_v<decltype(read(q)), T>) {
      out.push_back(read(q));
    } else {
      auto value = read(q);
      if (!value) return tl::unexpected(value.error());
      out.push_back(std::move(*value));
    }
  }
}

}  // namespace vigil::row_codec

#endif  // VIGIL_STORE_ROW_CODEC_H_
