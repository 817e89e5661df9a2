// Agency controls in PostgreSQL: API keys, notification blocks, withheld matches.
#include "vigil/store/postgres_parts.h"

namespace vigil::postgres_store {
namespace {

Result<std::vector<ApiKey>> ReadApiKeys(PgQuery& q) {
  return row_codec::ReadAll<ApiKey>(q, "read api keys", row_codec::ReadApiKey<PgQuery>);
}

}  // namespace

Result<void> PgControls::RecordSuppressedMatches(std::span<const SuppressedMatch> matches) {
  if (matches.empty()) return {};
  // One statement for the batch: each row was a round trip of its own.
  ArrayLiteral subjects, times, channels, reasons;
  for (const SuppressedMatch& m : matches) {
    subjects.Add(m.subject_id);
    times.Add(ToUnixMicros(m.occurred_at));
    channels.Add(m.sought_by);
    reasons.Add(m.reason);
  }
  auto q = Prepare(
      "INSERT INTO suppressed_matches (subject_id, occurred_at, channel, reason) "
      "SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[])");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, subjects.Done()).Bind(2, times.Done()).Bind(3, channels.Done());
  q->Bind(4, reasons.Done());
  return q->Run("record suppressed matches");
}

Result<std::vector<std::pair<int64_t, SuppressedMatch>>> PgControls::SuppressedMatchesAfter(
    int64_t after_id, int limit) {
  auto q = Prepare(
      "SELECT match_id, subject_id, occurred_at, channel, reason FROM suppressed_matches "
      "WHERE match_id > $1 ORDER BY match_id LIMIT $2");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, after_id).Bind(2, int64_t{limit});
  return row_codec::ReadAll<std::pair<int64_t, SuppressedMatch>>(
      *q, "read suppressed matches", [](const PgQuery& r) {
        return std::pair<int64_t, SuppressedMatch>(
            r.Int(0), SuppressedMatch{r.Int(1), FromUnixMicros(r.Int(2)), r.Text(3), r.Text(4)});
      });
}

Result<int64_t> PgControls::LastSuppressedMatchId() {
  auto q = Prepare("SELECT coalesce(max(match_id), 0) FROM suppressed_matches");
  if (!q) return tl::unexpected(q.error());
  return CountOne(*q, "last suppressed match");
}

Result<std::vector<SuppressedMatch>> PgControls::SuppressedMatchesOf(int64_t subject_id) {
  auto q = Prepare(
      "SELECT subject_id, occurred_at, channel, reason FROM suppressed_matches "
      "WHERE subject_id = $1 ORDER BY occurred_at, match_id");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, subject_id);
  return row_codec::ReadAll<SuppressedMatch>(*q, "read suppressed matches", [](const PgQuery& r) {
    return SuppressedMatch{r.Int(0), FromUnixMicros(r.Int(1)), r.Text(2), r.Text(3)};
  });
}

Result<bool> PgControls::SetNotificationBlock(int64_t subject_id,
                                              std::optional<std::string_view> reason,
                                              Timestamp now) {
  auto was = IsNotificationBlocked(subject_id);
  if (!was) return tl::unexpected(was.error());
  auto q = reason ? Prepare(
                        "INSERT INTO notification_blocks (subject_id, blocked_at, reason) VALUES "
                        "($1, $2, $3) ON CONFLICT (subject_id) DO UPDATE SET reason = $3")
                  : Prepare("DELETE FROM notification_blocks WHERE subject_id = $1");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, subject_id);
  if (reason) q->Bind(2, ToUnixMicros(now)).Bind(3, *reason);
  VIGIL_RETURN_IF_ERROR(q->Run("set notification block"));
  return *was != reason.has_value();
}

Result<bool> PgControls::IsNotificationBlocked(int64_t subject_id) {
  auto q = Prepare("SELECT 1 FROM notification_blocks WHERE subject_id = $1");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, subject_id);
  return q->Step("read notification block");
}

Result<std::optional<ApiKey>> PgControls::GetApiKey(std::string_view key_id) {
  static const std::string kSql =
      std::string("SELECT ") + row_codec::kApiKeyColumns + " FROM api_keys WHERE key_id = $1";
  auto q = Prepare(kSql.c_str());
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, key_id);
  auto all = ReadApiKeys(*q);
  if (!all) return tl::unexpected(all.error());
  if (all->empty()) return std::optional<ApiKey>();
  return std::optional<ApiKey>(std::move(all->front()));
}

Result<std::vector<ApiKey>> PgControls::ListApiKeys() {
  static const std::string kSql =
      std::string("SELECT ") + row_codec::kApiKeyColumns + " FROM api_keys ORDER BY name";
  auto q = Prepare(kSql.c_str());
  if (!q) return tl::unexpected(q.error());
  return ReadApiKeys(*q);
}

Result<void> PgControls::InsertApiKey(const ApiKey& k) {
  auto q = Prepare(
      "INSERT INTO api_keys (key_id, name, scopes, secret_hash, created_at, revoked_at, sources) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, k.key_id).Bind(2, k.name).Bind(3, row_codec::JoinWords(k.scopes));
  q->BindBlob(4, k.secret_hash).Bind(5, ToUnixMicros(k.created_at));
  q->BindOptional(6, OptMicros(k.revoked_at)).Bind(7, row_codec::JoinWords(k.sources));
  auto n = Changed(*q, "insert api key");
  if (!n) return tl::unexpected(n.error());
  if (*n == 0) return Conflict("a key named \"" + k.name.substr(0, 60) + "\" exists already");
  return {};
}

Result<bool> PgControls::RevokeApiKey(std::string_view name_or_id, Timestamp now) {
  auto q = Prepare(
      "UPDATE api_keys SET revoked_at = $2 WHERE (name = $1 OR key_id = $1) AND revoked_at IS "
      "NULL");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, name_or_id).Bind(2, ToUnixMicros(now));
  auto n = Changed(*q, "revoke api key");
  if (!n) return tl::unexpected(n.error());
  return *n > 0;
}

Result<bool> PgControls::SetApiKeySources(std::string_view name_or_id,
                                          const std::vector<std::string>& sources) {
  auto q = Prepare(
      "UPDATE api_keys SET sources = $2 WHERE (name = $1 OR key_id = $1) AND revoked_at IS NULL");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, name_or_id).Bind(2, row_codec::JoinWords(sources));
  auto n = Changed(*q, "set api key sources");
  if (!n) return tl::unexpected(n.error());
  return *n > 0;
}

Result<std::optional<std::string>> PgControls::KeyFingerprint() {
  auto q = Prepare("SELECT value FROM store_meta WHERE name = 'key_fingerprint'");
  if (!q) return tl::unexpected(q.error());
  auto row = q->Step("read the key fingerprint");
  if (!row) return tl::unexpected(row.error());
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(q->Text(0));
}

Result<void> PgControls::RecordKeyFingerprint(std::string_view fingerprint) {
  auto q = Prepare(
      "INSERT INTO store_meta (name, value) VALUES ('key_fingerprint', $1) "
      "ON CONFLICT (name) DO NOTHING");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, fingerprint);
  VIGIL_RETURN_IF_ERROR(q->Run("record the key fingerprint"));
  auto recorded = KeyFingerprint();
  if (!recorded) return tl::unexpected(recorded.error());
  if (*recorded != fingerprint) {
    return Conflict("the database was sealed with another key (fingerprint " +
                    recorded->value_or("") + ")");
  }
  return {};
}

Result<std::optional<StaffAccount>> PgControls::GetStaffAccount(std::string_view name) {
  static const std::string kSql = std::string("SELECT ") + row_codec::kStaffAccountColumns +
                                  " FROM staff_accounts WHERE name = $1";
  auto q = Prepare(kSql.c_str());
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, name);
  auto all = row_codec::ReadAll<StaffAccount>(*q, "read staff account",
                                              row_codec::ReadStaffAccount<PgQuery>);
  if (!all) return tl::unexpected(all.error());
  if (all->empty()) return std::optional<StaffAccount>();
  return std::optional<StaffAccount>(std::move(all->front()));
}

Result<std::vector<StaffAccount>> PgControls::ListStaffAccounts() {
  static const std::string kSql = std::string("SELECT ") + row_codec::kStaffAccountColumns +
                                  " FROM staff_accounts ORDER BY name";
  auto q = Prepare(kSql.c_str());
  if (!q) return tl::unexpected(q.error());
  return row_codec::ReadAll<StaffAccount>(*q, "list staff accounts",
                                          row_codec::ReadStaffAccount<PgQuery>);
}

Result<void> PgControls::InsertStaffAccount(const StaffAccount& a) {
  auto q = Prepare(
      "INSERT INTO staff_accounts (name, role, password_hash, totp_sealed, failed_logins, "
      "locked_until, session_epoch, disabled, created_at, last_login_at, totp_last_step) VALUES "
      "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, a.name).Bind(2, a.role).Bind(3, a.password_hash).BindBlob(4, a.totp_sealed);
  q->Bind(5, a.failed_logins).BindOptional(6, OptMicros(a.locked_until)).Bind(7, a.session_epoch);
  q->Bind(8, int64_t{a.disabled ? 1 : 0}).Bind(9, ToUnixMicros(a.created_at));
  q->BindOptional(10, OptMicros(a.last_login_at)).Bind(11, a.totp_last_step);
  auto n = Changed(*q, "insert staff account");
  if (!n) return tl::unexpected(n.error());
  if (*n == 0) return Conflict("an account named \"" + a.name.substr(0, 60) + "\" exists already");
  return {};
}

Result<bool> PgControls::UpdateStaffAccount(const StaffAccount& a) {
  auto q = Prepare(
      "UPDATE staff_accounts SET role = $2, password_hash = $3, totp_sealed = $4, "
      "failed_logins = $5, locked_until = $6, session_epoch = $7, disabled = $8, "
      "last_login_at = $9, totp_last_step = $10 WHERE name = $1");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, a.name).Bind(2, a.role).Bind(3, a.password_hash).BindBlob(4, a.totp_sealed);
  q->Bind(5, a.failed_logins).BindOptional(6, OptMicros(a.locked_until)).Bind(7, a.session_epoch);
  q->Bind(8, int64_t{a.disabled ? 1 : 0}).BindOptional(9, OptMicros(a.last_login_at));
  q->Bind(10, a.totp_last_step);
  auto n = Changed(*q, "update staff account");
  if (!n) return tl::unexpected(n.error());
  return *n > 0;
}

}  // namespace vigil::postgres_store
