// `vigil secrets init`: make the installation's secret key, explicitly. Every
// node of one database is given a copy of this one file; the database
// records its fingerprint the first time a node opens it with the key, and
// refuses any other key after (services.cc).
#include <cstdio>

#include "vigil/app/commands.h"
#include "vigil/app/secrets.h"

namespace vigil {

int RunSecretsInit(const Config& config) {
  const std::string& path = config.secrets.key_file;
  auto key = CreateSecretKey(path);
  if (!key) {
    std::fprintf(stderr, "vigil secrets init: %s\n", key.error().message().c_str());
    return key.error().code() == ErrorCode::kConflict ? kExitUsage : kExitFailure;
  }
  std::fprintf(stderr,
               "vigil secrets init: made %s (mode 0600). Copy this file to every node of the "
               "database; keep a copy offline: what is sealed with it cannot be read without "
               "it.\n",
               path.c_str());
  std::printf("fingerprint %s\n", SecretKeyFingerprint(*key).c_str());
  return kExitOk;
}

}  // namespace vigil
