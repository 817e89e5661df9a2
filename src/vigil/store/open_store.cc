#include <string>

#include "vigil/store/postgres_store.h"
#include "vigil/store/sqlite_store.h"
#include "vigil/store/store.h"

namespace vigil {

Result<std::unique_ptr<Store>> OpenStore(std::string_view url, SchemaUpgrade postgres) {
  constexpr std::string_view kSqlite = "sqlite:";
  if (url.starts_with(kSqlite)) {
    std::string path(url.substr(kSqlite.size()));
    if (path.empty()) return InvalidArgument("store URL \"sqlite:\" names no file");
    return OpenSqliteStore(path);
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    return OpenPostgresStore(std::string(url), {.migrate = postgres == SchemaUpgrade::kApply});
  }
  return InvalidArgument("unknown store URL \"" + std::string(url.substr(0, 60)) +
                         "\" (expected sqlite:PATH or postgresql://...)");
}

std::string ShowStoreUrl(std::string_view url) {
  std::string out(url);
  // postgresql://user:password@host...
  if (size_t scheme = out.find("://"); scheme != std::string::npos) {
    size_t at = out.find('@', scheme + 3);
    size_t colon = out.find(':', scheme + 3);
    if (at != std::string::npos && colon != std::string::npos && colon < at) {
      out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // password=... as a URL parameter or a key=value pair.
  for (size_t p = out.find("password="); p != std::string::npos; p = out.find("password=", p + 1)) {
    size_t start = p + 9;
    size_t end = out.find_first_of("& ", start);
    out.replace(start, (end == std::string::npos ? out.size() : end) - start, "***");
  }
  return out;
}

}  // namespace vigil
