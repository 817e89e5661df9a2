#include <string>

#include "vigil/store/postgres_store.h"
#include "vigil/store/sqlite_store.h"
#include "vigil/store/store.h"

namespace vigil {

Result<std::unique_ptr<Store>> OpenStore(std::string_view url) {
  constexpr std::string_view kSqlite = "sqlite:";
  if (url.starts_with(kSqlite)) {
    std::string path(url.substr(kSqlite.size()));
    if (path.empty()) return InvalidArgument("store URL \"sqlite:\" names no file");
    return OpenSqliteStore(path);
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    return OpenPostgresStore(std::string(url));
  }
  return InvalidArgument("unknown store URL \"" + std::string(url.substr(0, 60)) +
                         "\" (expected sqlite:PATH or postgresql://...)");
}

}  // namespace vigil
