#include <string>

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
    return InvalidArgument("this build of vigil has no PostgreSQL store backend yet");
  }
  return InvalidArgument("unknown store URL \"" + std::string(url.substr(0, 60)) +
                         "\" (expected sqlite:PATH or postgresql://...)");
}

}  // namespace vigil
