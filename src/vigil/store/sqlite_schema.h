// Numbered schema migrations of the SQLite backend. Internal to store/.
#ifndef VIGIL_STORE_SQLITE_SCHEMA_H_
#define VIGIL_STORE_SQLITE_SCHEMA_H_

#include <span>

namespace vigil::sqlite_schema {

struct Migration {
  int version;
  const char* description;
  const char* sql;
};

// In ascending version order, starting at 1, without gaps.
std::span<const Migration> Migrations();

extern const char kCustodyEventsDdl[];

}  // namespace vigil::sqlite_schema

#endif  // VIGIL_STORE_SQLITE_SCHEMA_H_
