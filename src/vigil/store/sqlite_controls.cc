// Agency controls in SQLite: API keys, notification blocks, withheld matches.
#include "vigil/store/sqlite_parts.h"

namespace vigil::sqlite_store {
namespace {

Result<std::vector<ApiKey>> ReadApiKeys(Query& q) {
  return row_codec::ReadAll<ApiKey>(q, "read api keys", row_codec::ReadApiKey<Query>);
}
}  // namespace

Result<void> SqliteControls::RecordSuppressedMatches(std::span<const SuppressedMatch> matches) {
  for (const SuppressedMatch& m : matches) {
    auto q = Prepare(
        "INSERT INTO suppressed_matches (subject_id, occurred_at, channel, reason) "
        "VALUES (?1, ?2, ?3, ?4)");
    if (!q) return tl::unexpected(q.error());
    q->Bind(1, m.subject_id).Bind(2, ToUnixMicros(m.occurred_at)).Bind(3, m.sought_by);
    q->Bind(4, m.reason);
    VIGIL_RETURN_IF_ERROR(q->Run("record suppressed match"));
  }
  return {};
}

Result<std::vector<std::pair<int64_t, SuppressedMatch>>> SqliteControls::SuppressedMatchesAfter(
    int64_t after_id, int limit) {
  auto q = Prepare(
      "SELECT match_id, subject_id, occurred_at, channel, reason FROM suppressed_matches "
      "WHERE match_id > ?1 ORDER BY match_id LIMIT ?2");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, after_id).Bind(2, int64_t{limit});
  std::vector<std::pair<int64_t, SuppressedMatch>> out;
  while (true) {
    auto row = q->Step("read suppressed matches");
    if (!row) return tl::unexpected(row.error());
    if (!*row) return out;
    out.emplace_back(q->Int(0),
                     SuppressedMatch{q->Int(1), FromUnixMicros(q->Int(2)), q->Text(3), q->Text(4)});
  }
}

Result<int64_t> SqliteControls::LastSuppressedMatchId() {
  auto q = Prepare("SELECT coalesce(max(match_id), 0) FROM suppressed_matches");
  if (!q) return tl::unexpected(q.error());
  return CountOne(*q, "last suppressed match");
}

Result<std::vector<SuppressedMatch>> SqliteControls::SuppressedMatchesOf(int64_t subject_id) {
  auto q = Prepare(
      "SELECT subject_id, occurred_at, channel, reason FROM suppressed_matches "
      "WHERE subject_id = ?1 ORDER BY occurred_at, match_id");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, subject_id);
  std::vector<SuppressedMatch> out;
  while (true) {
    auto row = q->Step("read suppressed matches");
    if (!row) return tl::unexpected(row.error());
    if (!*row) return out;
    out.push_back({q->Int(0), FromUnixMicros(q->Int(1)), q->Text(2), q->Text(3)});
  }
}

Result<bool> SqliteControls::SetNotificationBlock(int64_t subject_id,
                                                  std::optional<std::string_view> reason,
                                                  Timestamp now) {
  auto was = IsNotificationBlocked(subject_id);
  if (!was) return tl::unexpected(was.error());
  auto q = reason ? Prepare(
                        "INSERT INTO notification_blocks (subject_id, blocked_at, reason) VALUES "
                        "(?1, ?2, ?3) ON CONFLICT (subject_id) DO UPDATE SET reason = ?3")
                  : Prepare("DELETE FROM notification_blocks WHERE subject_id = ?1");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, subject_id);
  if (reason) q->Bind(2, ToUnixMicros(now)).Bind(3, *reason);
  VIGIL_RETURN_IF_ERROR(q->Run("set notification block"));
  return *was != reason.has_value();
}

Result<bool> SqliteControls::IsNotificationBlocked(int64_t subject_id) {
  auto q = Prepare("SELECT 1 FROM notification_blocks WHERE subject_id = ?1");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, subject_id);
  auto row = q->Step("read notification block");
  if (!row) return tl::unexpected(row.error());
  return *row;
}

Result<std::optional<ApiKey>> SqliteControls::GetApiKey(std::string_view key_id) {
  static const std::string kSql =
      std::string("SELECT ") + row_codec::kApiKeyColumns + " FROM api_keys WHERE key_id = ?1";
  auto q = Prepare(kSql.c_str());
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, key_id);
  auto all = ReadApiKeys(*q);
  if (!all) return tl::unexpected(all.error());
  if (all->empty()) return std::optional<ApiKey>();
  return std::optional<ApiKey>(std::move(all->front()));
}

Result<std::vector<ApiKey>> SqliteControls::ListApiKeys() {
  auto q = Prepare(
      "SELECT key_id, name, scopes, secret_hash, created_at, revoked_at, sources FROM api_keys "
      "ORDER BY name");
  if (!q) return tl::unexpected(q.error());
  return ReadApiKeys(*q);
}

Result<void> SqliteControls::InsertApiKey(const ApiKey& k) {
  const std::string scopes = row_codec::JoinWords(k.scopes);
  const std::string sources = row_codec::JoinWords(k.sources);
  auto q = Prepare(
      "INSERT INTO api_keys (key_id, name, scopes, secret_hash, created_at, revoked_at, sources) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, k.key_id).Bind(2, k.name).Bind(3, scopes).BindBlob(4, k.secret_hash);
  q->Bind(5, ToUnixMicros(k.created_at)).BindOptional(6, OptMicros(k.revoked_at)).Bind(7, sources);
  VIGIL_RETURN_IF_ERROR(q->Run("insert api key"));
  if (sqlite3_changes(db()) == 0) {
    return Conflict("a key named \"" + k.name.substr(0, 60) + "\" exists already");
  }
  return {};
}

Result<bool> SqliteControls::RevokeApiKey(std::string_view name_or_id, Timestamp now) {
  auto q = Prepare(
      "UPDATE api_keys SET revoked_at = ?2 WHERE (name = ?1 OR key_id = ?1) AND revoked_at IS "
      "NULL");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, name_or_id).Bind(2, ToUnixMicros(now));
  VIGIL_RETURN_IF_ERROR(q->Run("revoke api key"));
  return sqlite3_changes(db()) > 0;
}

Result<bool> SqliteControls::SetApiKeySources(std::string_view name_or_id,
                                              const std::vector<std::string>& sources) {
  const std::string joined = row_codec::JoinWords(sources);
  auto q = Prepare(
      "UPDATE api_keys SET sources = ?2 WHERE (name = ?1 OR key_id = ?1) AND revoked_at IS NULL");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, name_or_id).Bind(2, joined);
  VIGIL_RETURN_IF_ERROR(q->Run("set api key sources"));
  return sqlite3_changes(db()) > 0;
}
Result<std::optional<std::string>> SqliteControls::KeyFingerprint() {
  auto q = Prepare("SELECT value FROM store_meta WHERE name = 'key_fingerprint'");
  if (!q) return tl::unexpected(q.error());
  auto row = q->Step("read the key fingerprint");
  if (!row) return tl::unexpected(row.error());
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(q->Text(0));
}

Result<void> SqliteControls::RecordKeyFingerprint(std::string_view fingerprint) {
  auto q = Prepare(
      "INSERT INTO store_meta (name, value) VALUES ('key_fingerprint', ?1) "
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
Result<std::optional<StaffAccount>> SqliteControls::GetStaffAccount(std::string_view name) {
  static const std::string kSql = std::string("SELECT ") + row_codec::kStaffAccountColumns +
                                  " FROM staff_accounts WHERE name = ?1";
  auto q = Prepare(kSql.c_str());
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, name);
  auto all = row_codec::ReadAll<StaffAccount>(*q, "read staff account",
                                              row_codec::ReadStaffAccount<Query>);
  if (!all) return tl::unexpected(all.error());
  if (all->empty()) return std::optional<StaffAccount>();
  return std::optional<StaffAccount>(std::move(all->front()));
}

Result<std::vector<StaffAccount>> SqliteControls::ListStaffAccounts() {
  static const std::string kSql = std::string("SELECT ") + row_codec::kStaffAccountColumns +
                                  " FROM staff_accounts ORDER BY name";
  auto q = Prepare(kSql.c_str());
  if (!q) return tl::unexpected(q.error());
  return row_codec::ReadAll<StaffAccount>(*q, "list staff accounts",
                                          row_codec::ReadStaffAccount<Query>);
}

Result<void> SqliteControls::InsertStaffAccount(const StaffAccount& a) {
  auto q = Prepare(
      "INSERT INTO staff_accounts (name, role, password_hash, totp_sealed, failed_logins, "
      "locked_until, session_epoch, disabled, created_at, last_login_at, totp_last_step) VALUES "
      "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT DO NOTHING");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, a.name).Bind(2, a.role).Bind(3, a.password_hash).BindBlob(4, a.totp_sealed);
  q->Bind(5, a.failed_logins).BindOptional(6, OptMicros(a.locked_until)).Bind(7, a.session_epoch);
  q->Bind(8, int64_t{a.disabled ? 1 : 0}).Bind(9, ToUnixMicros(a.created_at));
  q->BindOptional(10, OptMicros(a.last_login_at)).Bind(11, a.totp_last_step);
  VIGIL_RETURN_IF_ERROR(q->Run("insert staff account"));
  if (sqlite3_changes(db()) == 0) {
    return Conflict("an account named \"" + a.name.substr(0, 60) + "\" exists already");
  }
  return {};
}

Result<bool> SqliteControls::UpdateStaffAccount(const StaffAccount& a) {
  auto q = Prepare(
      "UPDATE staff_accounts SET role = ?2, password_hash = ?3, totp_sealed = ?4, "
      "failed_logins = ?5, locked_until = ?6, session_epoch = ?7, disabled = ?8, "
      "last_login_at = ?9, totp_last_step = ?10 WHERE name = ?1");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, a.name).Bind(2, a.role).Bind(3, a.password_hash).BindBlob(4, a.totp_sealed);
  q->Bind(5, a.failed_logins).BindOptional(6, OptMicros(a.locked_until)).Bind(7, a.session_epoch);
  q->Bind(8, int64_t{a.disabled ? 1 : 0}).BindOptional(9, OptMicros(a.last_login_at));
  q->Bind(10, a.totp_last_step);
  VIGIL_RETURN_IF_ERROR(q->Run("update staff account"));
  return sqlite3_changes(db()) > 0;
}

}  // namespace vigil::sqlite_store
