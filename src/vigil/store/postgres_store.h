// The PostgreSQL backend of Store, for more than one machine: any number of
// vigil processes on one database (docs/deployment.md).
//
// Durability is the server's: a commit returns once PostgreSQL has made it
// durable (synchronous_commit as configured; with synchronous replication,
// on the standby too). Writers are serialised across every process by a
// transaction-scoped advisory lock, as the Store contract promises: the
// change sequences (subject_changes.seq, the audit seq) are then assigned
// in commit order, so a follower that reads "after seq N" never misses a
// change committed later under a smaller number. Readers run REPEATABLE
// READ, READ ONLY: one snapshot per reader, never blocked by writers.
//
// A connection the server dropped (a restart, a failover) is discarded and
// the next transaction opens a new one, so a process rides out a failover
// without a restart; libpq's multi-host URLs with
// target_session_attrs=read-write find the new primary.
// Thread-safe as Store promises.
#ifndef VIGIL_STORE_POSTGRES_STORE_H_
#define VIGIL_STORE_POSTGRES_STORE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "vigil/store/store.h"

namespace vigil {

// The transaction-scoped advisory lock every writer takes: one writer at a
// time across every process on the database (store/transfer.cc takes it too).
inline constexpr int64_t kPostgresWriterLock = 0x76696769'6c000001;  // "vigil" 1

struct PostgresStoreOptions {
  // Apply missing schema migrations (`vigil migrate`, imports, tests). When
  // false, a database whose schema is behind this binary's is refused with
  // kUnavailable saying to run `vigil migrate` (`vigil serve`).
  bool migrate = true;
};

// Opens the database at `url` ("postgresql://..." or a libpq key=value
// string). kUnavailable naming the server when it cannot connect; kConflict
// when the schema is newer than this binary knows.
Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& url,
                                                 PostgresStoreOptions options = {});

// The schema version this binary brings, and the one the database at `url`
// has (0 for an empty database).
int LatestPostgresSchemaVersion();
Result<int> PostgresSchemaVersion(const std::string& url);

}  // namespace vigil

#endif  // VIGIL_STORE_POSTGRES_STORE_H_
