// The SQLite backend of Store: the embedded default.
//
// One file in WAL mode with synchronous=FULL, so a committed transaction
// survives power loss and readers never block the writer. Schema migrations
// (sqlite_schema.cc, described in docs/storage.md) are applied on open.
// Thread-safe as Store promises: one writer connection guarded by a mutex
// (and SQLite's own lock across processes), a pool of reader connections.
#ifndef VIGIL_STORE_SQLITE_STORE_H_
#define VIGIL_STORE_SQLITE_STORE_H_

#include <memory>
#include <string>

#include "vigil/store/store.h"

namespace vigil {

// Opens (creating if missing) the database at `path` and migrates it to the
// current schema. kUnavailable with the path and SQLite's reason on failure;
// kConflict if the file's schema is newer than this binary knows.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path);

// The pragmas every vigil SQLite connection runs, in order. Exposed so the
// ingest benchmark's bare-SQLite baseline uses exactly the same durability.
const char* SqliteConnectionPragmas();

// The DDL of the custody_events table, for the same benchmark baseline.
const char* SqliteCustodyEventsDdl();

}  // namespace vigil

#endif  // VIGIL_STORE_SQLITE_STORE_H_
