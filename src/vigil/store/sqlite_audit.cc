// The audit log's rows in SQLite.
#include "vigil/store/sqlite_parts.h"

namespace vigil::sqlite_store {
namespace {

using row_codec::kAuditColumns;

Result<std::vector<AuditEntry>> ReadAuditEntries(Query& q) {
  return row_codec::ReadAll<AuditEntry>(q, "read audit log", row_codec::ReadAuditEntry<Query>);
}
}  // namespace

Result<std::optional<AuditEntry>> SqliteAudit::LastAuditEntry() {
  static const std::string sql =
      std::string("SELECT ") + kAuditColumns + " FROM audit_log ORDER BY seq DESC LIMIT 1";
  auto q = Prepare(sql.c_str());
  if (!q) return tl::unexpected(q.error());
  auto all = ReadAuditEntries(*q);
  if (!all) return tl::unexpected(all.error());
  if (all->empty()) return std::optional<AuditEntry>();
  return std::optional<AuditEntry>(std::move(all->front()));
}

Result<std::vector<AuditEntry>> SqliteAudit::AuditEntriesAfter(int64_t after_seq, int limit) {
  static const std::string sql = std::string("SELECT ") + kAuditColumns +
                                 " FROM audit_log WHERE seq > ?1 ORDER BY seq LIMIT ?2";
  auto q = Prepare(sql.c_str());
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, after_seq).Bind(2, int64_t{limit});
  return ReadAuditEntries(*q);
}

Result<std::vector<AuditCheckpoint>> SqliteAudit::AuditCheckpoints() {
  auto q = Prepare("SELECT seq, at, hash, signature FROM audit_checkpoints ORDER BY seq");
  if (!q) return tl::unexpected(q.error());
  std::vector<AuditCheckpoint> out;
  while (true) {
    auto row = q->Step("read audit checkpoints");
    if (!row) return tl::unexpected(row.error());
    if (!*row) return out;
    out.push_back({q->Int(0), FromUnixMicros(q->Int(1)), q->Blob(2), q->Blob(3)});
  }
}

Result<std::optional<int64_t>> SqliteAudit::LastAuditCheckpointSeq() {
  auto q = Prepare("SELECT seq FROM audit_checkpoints ORDER BY seq DESC LIMIT 1");
  if (!q) return tl::unexpected(q.error());
  auto row = q->Step("read the last audit checkpoint");
  if (!row) return tl::unexpected(row.error());
  if (!*row) return std::optional<int64_t>();
  return std::optional<int64_t>(q->Int(0));
}

Result<void> SqliteAudit::AppendAuditEntries(std::span<const AuditEntry> entries) {
  for (const AuditEntry& e : entries) {
    auto q = Prepare(
        "INSERT INTO audit_log (seq, at, kind, actor, subject_id, detail, prev_hash, hash) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING");
    if (!q) return tl::unexpected(q.error());
    q->Bind(1, e.seq).Bind(2, ToUnixMicros(e.at)).Bind(3, e.kind).Bind(4, e.actor);
    q->BindOptional(5, e.subject_id).Bind(6, e.detail).BindBlob(7, e.prev_hash).BindBlob(8, e.hash);
    VIGIL_RETURN_IF_ERROR(q->Run("append audit entry"));
    if (sqlite3_changes(db()) == 0) {
      return Conflict("audit entry " + std::to_string(e.seq) + " exists");
    }
  }
  return {};
}

Result<void> SqliteAudit::InsertAuditCheckpoint(const AuditCheckpoint& c) {
  auto q = Prepare(
      "INSERT OR REPLACE INTO audit_checkpoints (seq, at, hash, signature) VALUES (?1, ?2, ?3, "
      "?4)");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, c.seq).Bind(2, ToUnixMicros(c.at)).BindBlob(3, c.hash).BindBlob(4, c.signature);
  return q->Run("insert audit checkpoint");
}
}  // namespace vigil::sqlite_store
