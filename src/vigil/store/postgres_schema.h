// Numbered schema migrations of the PostgreSQL backend. Internal to store/.
#ifndef VIGIL_STORE_POSTGRES_SCHEMA_H_
#define VIGIL_STORE_POSTGRES_SCHEMA_H_

#include <span>

#include "vigil/store/sqlite_schema.h"

namespace vigil::postgres_schema {

using Migration = sqlite_schema::Migration;

// In ascending version order, starting at 1, without gaps.
std::span<const Migration> Migrations();

}  // namespace vigil::postgres_schema

#endif  // VIGIL_STORE_POSTGRES_SCHEMA_H_
