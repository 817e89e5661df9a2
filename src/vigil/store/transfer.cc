#include "vigil/store/transfer.h"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <memory>

#include "vigil/store/postgres_parts.h"
#include "vigil/store/postgres_store.h"
#include "vigil/store/sqlite_store.h"

namespace vigil {
namespace {

struct Table {
  const char* name;
  const char* columns;  // the same names in both schemas
  // Its identity column, whose sequence must continue after the copy ("" for none).
  const char* identity;
};

// Every table of the schema (SQLite 18, PostgreSQL 6), parents first.
constexpr Table kTables[] = {
    {"facilities", "facility_id, name, address, city, state, phone, time_zone", ""},
    {"subjects",
     "subject_id, a_number, given_names, family_names, aliases, date_of_birth, country_of_birth, "
     "custody_status, facility_id, custody_basis, protections, last_event_at, released_at, "
     "scheduled_release, public_changed_at, custody_since",
     ""},
    {"custody_events",
     "event_pk, source, event_id, subject_id, type, occurred_at, a_number, given_names, "
     "family_names, aliases, date_of_birth, country_of_birth, facility_id, custody_basis, "
     "protections, scheduled_release, retracts, content_hash, retracted_by, received_at",
     "event_pk"},
    {"subject_changes", "seq, subject_id", "seq"},
    {"suppressed_matches", "match_id, subject_id, occurred_at, channel, reason", "match_id"},
    {"registrations",
     "registration_id, subject_id, channel, contact_sealed, contact_index, language, state, tier, "
     "secret_hash, secret_expires_at, secret_attempts, created_at, ended_at, opted_out, pin_hash, "
     "victim_id",
     "registration_id"},
    {"notifications",
     "notification_id, event_pk, registration_id, kind, state, attempts, due_at, lease_until, "
     "payload_sealed, last_error, created_at, updated_at",
     "notification_id"},
    {"api_keys", "key_id, name, scopes, secret_hash, created_at, revoked_at, sources", ""},
    {"notification_blocks", "subject_id, blocked_at, reason", ""},
    {"audit_log", "seq, at, kind, actor, subject_id, detail, prev_hash, hash", ""},
    {"audit_checkpoints", "seq, at, hash, signature", ""},
    {"feed_rejects", "reject_id, received_at, origin, line, field, reason", "reject_id"},
    {"store_meta", "name, value", ""},
    {"voicemails",
     "voicemail_id, received_at, caller_sealed, recording_url, duration_seconds, language",
     "voicemail_id"},
    {"staff_accounts",
     "name, role, password_hash, totp_sealed, failed_logins, locked_until, session_epoch, "
     "disabled, created_at, last_login_at, totp_last_step",
     ""},
    {"protection_requests",
     "request_id, identifier, subject_id, reason, details, contact_sealed, requested_by, state, "
     "created_at, due_at, decided_by, decided_at, decision_note, language, outcome_sent",
     "request_id"},
};

// Rows go over in COPY batches of about this many bytes.
constexpr size_t kCopyChunk = 1 << 20;

using postgres_store::AppendCopyBytea;
using postgres_store::AppendCopyText;
using postgres_store::PgConnection;

struct SqliteDeleter {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};

// One value in COPY's text format.
void AppendCopyValue(std::string& out, sqlite3_stmt* row, int col) {
  switch (sqlite3_column_type(row, col)) {
    case SQLITE_NULL:
      out += "\\N";
      return;
    case SQLITE_INTEGER:
      out += std::to_string(sqlite3_column_int64(row, col));
      return;
    case SQLITE_BLOB: {
      const auto* p = static_cast<const char*>(sqlite3_column_blob(row, col));
      AppendCopyBytea(out,
                      std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(row, col))));
      return;
    }
    default: {
      const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(row, col));
      AppendCopyText(out, std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(row, col))));
    }
  }
}

class Copier {
 public:
  Copier(sqlite3* from, PgConnection* to) : from_(from), to_(to) {}

  Result<void> Exec(const std::string& sql) { return to_->Exec(sql.c_str(), sql.substr(0, 60)); }

  Result<int64_t> CountIn(const char* table) {
    PGresult* r = PQexec(to_->conn(), (std::string("SELECT count(*) FROM ") + table).c_str());
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
      Error e = to_->ErrorOf(r, std::string("counting ") + table);
      PQclear(r);
      return tl::unexpected(std::move(e));
    }
    int64_t n = std::strtoll(PQgetvalue(r, 0, 0), nullptr, 10);
    PQclear(r);
    return n;
  }

  // Copies one table; returns its rows.
  Result<int64_t> Copy(const Table& t) {
    sqlite3_stmt* raw = nullptr;
    const std::string select = std::string("SELECT ") + t.columns + " FROM " + t.name;
    if (sqlite3_prepare_v2(from_, select.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
      return Unavailable("sqlite: reading " + std::string(t.name) + ": " + sqlite3_errmsg(from_));
    }
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> row(raw, sqlite3_finalize);
    VIGIL_RETURN_IF_ERROR(StartCopy(t));
    std::string chunk;
    int64_t rows = 0;
    const int columns = sqlite3_column_count(raw);
    int rc;
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
      for (int c = 0; c < columns; ++c) {
        if (c > 0) chunk += '\t';
        AppendCopyValue(chunk, raw, c);
      }
      chunk += '\n';
      ++rows;
      if (chunk.size() >= kCopyChunk) {
        if (auto put = Put(chunk); !put) return Abandon(t, put.error());
        chunk.clear();
      }
    }
    if (rc != SQLITE_DONE) {
      return Abandon(t, Error(ErrorCode::kUnavailable, "sqlite: reading " + std::string(t.name) +
                                                           ": " + sqlite3_errmsg(from_)));
    }
    if (!chunk.empty()) {
      if (auto put = Put(chunk); !put) return Abandon(t, put.error());
    }
    VIGIL_RETURN_IF_ERROR(EndCopy(t, nullptr));
    if (*t.identity != '\0') {
      // New rows continue after the copied ids.
      VIGIL_RETURN_IF_ERROR(Exec(std::string("SELECT setval(pg_get_serial_sequence('") + t.name +
                                 "', '" + t.identity + "'), coalesce((SELECT max(" + t.identity +
                                 ") FROM " + t.name + "), 0) + 1, false)"));
    }
    auto copied = CountIn(t.name);
    if (!copied) return tl::unexpected(copied.error());
    if (*copied != rows) {
      return Internal(std::string(t.name) + ": read " + std::to_string(rows) +
                      " rows from SQLite but PostgreSQL holds " + std::to_string(*copied));
    }
    return rows;
  }

 private:
  Result<void> StartCopy(const Table& t) {
    const std::string sql = std::string("COPY ") + t.name + " (" + t.columns + ") FROM STDIN";
    PGresult* r = PQexec(to_->conn(), sql.c_str());
    if (PQresultStatus(r) != PGRES_COPY_IN) {
      Error e = to_->ErrorOf(r, std::string("copying ") + t.name);
      PQclear(r);
      return tl::unexpected(std::move(e));
    }
    PQclear(r);
    return {};
  }
  Result<void> Put(const std::string& data) {
    if (PQputCopyData(to_->conn(), data.data(), static_cast<int>(data.size())) != 1) {
      return tl::unexpected(to_->ErrorOf(nullptr, "copy"));
    }
    return {};
  }
  // Ends the COPY (failing it with `abort`, when given) and reads every
  // result, so the connection can take the next command (the ROLLBACK).
  Result<void> EndCopy(const Table& t, const char* abort) {
    if (PQputCopyEnd(to_->conn(), abort) != 1) return tl::unexpected(to_->ErrorOf(nullptr, "copy"));
    Result<void> out;
    while (PGresult* r = PQgetResult(to_->conn())) {
      if (PQresultStatus(r) != PGRES_COMMAND_OK && out) {
        out = tl::unexpected(to_->ErrorOf(r, std::string("copying ") + t.name));
      }
      PQclear(r);
    }
    return out;
  }
  tl::unexpected<Error> Abandon(const Table& t, const Error& why) {
    EndCopy(t, "the copy was abandoned");
    return tl::unexpected(why);
  }

  sqlite3* from_;
  PgConnection* to_;
};

}  // namespace

Result<std::vector<TableCopied>> CopySqliteToPostgres(
    const std::string& sqlite_path, const std::string& postgres_url,
    const std::function<void(const TableCopied&)>& progress) {
  // Both at the current schema first: the same tables and columns.
  {
    auto migrated = OpenSqliteStore(sqlite_path);
    if (!migrated) return tl::unexpected(migrated.error());
  }
  {
    auto migrated = OpenPostgresStore(postgres_url, {.migrate = true});
    if (!migrated) return tl::unexpected(migrated.error());
  }
  sqlite3* raw_db = nullptr;
  if (sqlite3_open_v2(sqlite_path.c_str(), &raw_db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    std::string why = raw_db ? sqlite3_errmsg(raw_db) : "out of memory";
    sqlite3_close_v2(raw_db);
    return Unavailable("cannot open " + sqlite_path + ": " + why);
  }
  std::unique_ptr<sqlite3, SqliteDeleter> from(raw_db);
  auto to = PgConnection::Open(postgres_url);
  if (!to) return tl::unexpected(to.error());
  Copier copier(from.get(), to->get());
  // One snapshot of the SQLite file, one transaction in PostgreSQL.
  if (sqlite3_exec(from.get(), "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return Unavailable("sqlite: begin: " + std::string(sqlite3_errmsg(from.get())));
  }
  VIGIL_RETURN_IF_ERROR(copier.Exec("BEGIN"));
  // Nothing else writes meanwhile: every vigil writer takes this lock.
  VIGIL_RETURN_IF_ERROR(
      copier.Exec("SELECT pg_advisory_xact_lock(" + std::to_string(kPostgresWriterLock) + ")"));
  for (const Table& t : kTables) {
    auto n = copier.CountIn(t.name);
    if (!n) return tl::unexpected(n.error());
    if (*n != 0) {
      copier.Exec("ROLLBACK");
      return Conflict("the PostgreSQL database is not empty (" + std::string(t.name) + " has " +
                      std::to_string(*n) + " rows); copy into an empty one");
    }
  }
  std::vector<TableCopied> out;
  for (const Table& t : kTables) {
    auto rows = copier.Copy(t);
    if (!rows) {
      copier.Exec("ROLLBACK");
      return tl::unexpected(rows.error());
    }
    out.push_back({t.name, *rows});
    if (progress) progress(out.back());
  }
  VIGIL_RETURN_IF_ERROR(copier.Exec("COMMIT"));
  return out;
}

}  // namespace vigil
