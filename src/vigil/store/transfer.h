// Moving an installation from one machine to many: every row of a SQLite
// database copied into an empty PostgreSQL one (`vigil migrate --from
// sqlite:PATH --to postgresql://...`, docs/deployment.md).
//
// The copy is one PostgreSQL transaction: it lands whole or not at all. The
// SQLite file is first brought to the current schema and then only read; the
// PostgreSQL database is migrated, must hold no rows, and after the copy its
// identity sequences continue after the copied ids. Row counts are compared
// table by table before the commit.
#ifndef VIGIL_STORE_TRANSFER_H_
#define VIGIL_STORE_TRANSFER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "vigil/core/error.h"

namespace vigil {

struct TableCopied {
  std::string table;
  int64_t rows = 0;
};

// Copies `sqlite_path` into the database at `postgres_url`. `progress`, if
// set, is told each table as it is done. kConflict when the target holds
// rows already; kUnavailable when either database fails.
Result<std::vector<TableCopied>> CopySqliteToPostgres(
    const std::string& sqlite_path, const std::string& postgres_url,
    const std::function<void(const TableCopied&)>& progress = nullptr);

}  // namespace vigil

#endif  // VIGIL_STORE_TRANSFER_H_
