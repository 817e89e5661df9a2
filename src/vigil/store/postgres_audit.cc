// The audit log's rows, and the reporting reads, in PostgreSQL.
#include "vigil/core/hex.h"
#include "vigil/store/postgres_parts.h"

namespace vigil::postgres_store {
namespace {

using row_codec::kAuditColumns;

Result<std::vector<AuditEntry>> ReadAuditEntries(PgQuery& q) {
  return row_codec::ReadAll<AuditEntry>(q, "read audit log", row_codec::ReadAuditEntry<PgQuery>);
}

}  // namespace

Result<std::optional<AuditEntry>> PgAudit::LastAuditEntry() {
  static const std::string sql =
      std::string("SELECT ") + kAuditColumns + " FROM audit_log ORDER BY seq DESC LIMIT 1";
  auto q = Prepare(sql.c_str());
  if (!q) return tl::unexpected(q.error());
  auto all = ReadAuditEntries(*q);
  if (!all) return tl::unexpected(all.error());
  if (all->empty()) return std::optional<AuditEntry>();
  return std::optional<AuditEntry>(std::move(all->front()));
}

Result<std::vector<AuditEntry>> PgAudit::AuditEntriesAfter(int64_t after_seq, int limit) {
  static const std::string sql = std::string("SELECT ") + kAuditColumns +
                                 " FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2";
  auto q = Prepare(sql.c_str());
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, after_seq).Bind(2, int64_t{limit});
  return ReadAuditEntries(*q);
}

Result<std::vector<AuditCheckpoint>> PgAudit::AuditCheckpoints() {
  auto q = Prepare("SELECT seq, at, hash, signature FROM audit_checkpoints ORDER BY seq");
  if (!q) return tl::unexpected(q.error());
  return row_codec::ReadAll<AuditCheckpoint>(*q, "read audit checkpoints", [](const PgQuery& r) {
    return AuditCheckpoint{r.Int(0), FromUnixMicros(r.Int(1)), r.Blob(2), r.Blob(3)};
  });
}

Result<std::optional<int64_t>> PgAudit::LastAuditCheckpointSeq() {
  auto q = Prepare("SELECT seq FROM audit_checkpoints ORDER BY seq DESC LIMIT 1");
  if (!q) return tl::unexpected(q.error());
  return Returned(*q, "read the last audit checkpoint");
}

Result<void> PgAudit::AppendAuditEntries(std::span<const AuditEntry> entries) {
  if (entries.empty()) return {};
  if (entries.size() == 1) {
    const AuditEntry& e = entries.front();
    auto q = Prepare(
        "INSERT INTO audit_log (seq, at, kind, actor, subject_id, detail, prev_hash, hash) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING");
    if (!q) return tl::unexpected(q.error());
    q->Bind(1, e.seq).Bind(2, ToUnixMicros(e.at)).Bind(3, e.kind).Bind(4, e.actor);
    q->BindOptional(5, e.subject_id).Bind(6, e.detail).BindBlob(7, e.prev_hash).BindBlob(8, e.hash);
    auto n = Changed(*q, "append audit entry");
    if (!n) return tl::unexpected(n.error());
    if (*n == 0) return Conflict("audit entry " + std::to_string(e.seq) + " exists");
    return {};
  }
  // A batch in one statement (the audit writer's: each row was a round
  // trip). Hashes go as bytea's hex form.
  auto hex = [](std::string_view bytes) { return "\\x" + Hex(bytes); };
  ArrayLiteral seqs, ats, kinds, actors, subjects, details, prevs, hashes;
  for (const AuditEntry& e : entries) {
    seqs.Add(e.seq);
    ats.Add(ToUnixMicros(e.at));
    kinds.Add(e.kind);
    actors.Add(e.actor);
    subjects.Add(e.subject_id);
    details.Add(e.detail);
    prevs.Add(hex(e.prev_hash));
    hashes.Add(hex(e.hash));
  }
  auto q = Prepare(
      "INSERT INTO audit_log (seq, at, kind, actor, subject_id, detail, prev_hash, hash) "
      "SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::bigint[], "
      "$6::text[], $7::bytea[], $8::bytea[]) ON CONFLICT DO NOTHING");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, seqs.Done()).Bind(2, ats.Done()).Bind(3, kinds.Done()).Bind(4, actors.Done());
  q->Bind(5, subjects.Done()).Bind(6, details.Done()).Bind(7, prevs.Done());
  q->Bind(8, hashes.Done());
  auto n = Changed(*q, "append audit entries");
  if (!n) return tl::unexpected(n.error());
  if (*n != static_cast<int64_t>(entries.size())) {
    return Conflict("audit entries " + std::to_string(entries.front().seq) + ".." +
                    std::to_string(entries.back().seq) + ": some exist");
  }
  return {};
}

Result<void> PgAudit::InsertAuditCheckpoint(const AuditCheckpoint& c) {
  auto q = Prepare(
      "INSERT INTO audit_checkpoints (seq, at, hash, signature) VALUES ($1, $2, $3, $4) "
      "ON CONFLICT (seq) DO UPDATE SET at = excluded.at, hash = excluded.hash, "
      "signature = excluded.signature");
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, c.seq).Bind(2, ToUnixMicros(c.at)).BindBlob(3, c.hash).BindBlob(4, c.signature);
  return q->Run("insert audit checkpoint");
}

Result<void> PgReporting::ForEachEventBetween(Timestamp from, Timestamp to,
                                              const std::function<bool(const StoredEvent&)>& fn) {
  static const std::string kSql = std::string("SELECT ") + row_codec::kEventColumns +
                                  " FROM custody_events WHERE occurred_at >= $1 AND "
                                  "occurred_at < $2 ORDER BY occurred_at, event_pk";
  auto q = Prepare(kSql.c_str());
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, ToUnixMicros(from)).Bind(2, ToUnixMicros(to));
  while (true) {
    auto row = q->Step("events between");
    if (!row) return tl::unexpected(row.error());
    if (!*row) return {};
    auto e = row_codec::ReadEvent(*q);
    if (!e) return tl::unexpected(e.error());
    if (!fn(*e)) return {};
  }
}

Result<StoreCounts> PgReporting::Counts() {
  auto q = Prepare(
      "SELECT (SELECT count(*) FROM facilities), (SELECT count(*) FROM subjects), "
      "(SELECT count(*) FROM custody_events), (SELECT count(*) FROM feed_rejects)");
  if (!q) return tl::unexpected(q.error());
  auto row = q->Step("count rows");
  if (!row) return tl::unexpected(row.error());
  return StoreCounts{q->Int(0), q->Int(1), q->Int(2), q->Int(3)};
}

}  // namespace vigil::postgres_store
