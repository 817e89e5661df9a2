// Reporting reads in SQLite: period scans and counts.
#include "vigil/store/sqlite_parts.h"

namespace vigil::sqlite_store {
using row_codec::ReadEvent;

Result<void> SqliteReporting::ForEachEventBetween(
    Timestamp from, Timestamp to, const std::function<bool(const StoredEvent&)>& fn) {
  // No index on occurred_at (it would slow every import for the sake of a
  // rare report): a report reads the table once.
  static const std::string kSql = std::string("SELECT ") + kEventColumns +
                                  " FROM custody_events WHERE occurred_at >= ?1 AND "
                                  "occurred_at < ?2 ORDER BY occurred_at, event_pk";
  auto q = Prepare(kSql.c_str());
  if (!q) return tl::unexpected(q.error());
  q->Bind(1, ToUnixMicros(from)).Bind(2, ToUnixMicros(to));
  while (true) {
    auto row = q->Step("events between");
    if (!row) return tl::unexpected(row.error());
    if (!*row) return {};
    auto e = ReadEvent(*q);
    if (!e) return tl::unexpected(e.error());
    if (!fn(*e)) return {};
  }
}

Result<StoreCounts> SqliteReporting::Counts() {
  static const char kSql[] =
      "SELECT (SELECT count(*) FROM facilities), (SELECT count(*) FROM subjects), "
      "(SELECT count(*) FROM custody_events), (SELECT count(*) FROM feed_rejects)";
  auto q = Prepare(kSql);
  if (!q) return tl::unexpected(q.error());
  auto row = q->Step("count rows");
  if (!row) return tl::unexpected(row.error());
  return StoreCounts{q->Int(0), q->Int(1), q->Int(2), q->Int(3)};
}
}  // namespace vigil::sqlite_store
