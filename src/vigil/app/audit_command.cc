// `vigil audit verify`: checks the audit log's hash chain and the
// signatures of its checkpoints, and names the first bad entry.
#include <cstdio>
#include <filesystem>

#include "vigil/app/commands.h"
#include "vigil/app/secrets.h"
#include "vigil/audit/audit_log.h"
#include "vigil/audit/witness.h"
#include "vigil/store/store.h"

namespace vigil {

int RunAuditVerify(const Config& config, const std::string& witness_location) {
  if (!std::filesystem::exists(config.secrets.key_file)) {
    std::fprintf(stderr,
                 "vigil audit verify: the key file %s does not exist; the checkpoints can only "
                 "be checked with the key of the server that signed them ([secrets] key_file)\n",
                 config.secrets.key_file.c_str());
    return kExitUsage;
  }
  auto key = LoadOrCreateSecretKey(config.secrets.key_file);
  if (!key) {
    std::fprintf(stderr, "vigil audit verify: %s\n", key.error().message().c_str());
    return kExitUsage;
  }
  auto log = audit::AuditLog::Create(*key);
  auto store = OpenStore(config.store.url, SchemaUpgrade::kRefuse);
  if (!log || !store) {
    std::fprintf(stderr, "vigil audit verify: %s\n",
                 (!log ? log.error() : store.error()).message().c_str());
    return kExitFailure;
  }
  // --witness, else the configured file witness (an https:// one cannot be
  // read back here: check it with the copy its receiver keeps).
  std::string location = witness_location;
  if (location.empty() && config.audit.witness.rfind("file:", 0) == 0) {
    location = config.audit.witness;
  }
  std::optional<std::vector<AuditCheckpoint>> witnessed;
  if (!location.empty()) {
    auto read = audit::ReadWitness(location);
    if (!read) {
      std::fprintf(stderr, "vigil audit verify: --witness: %s\n", read.error().message().c_str());
      return kExitUsage;
    }
    witnessed = std::move(*read);
  }
  auto report = audit::Verify(**store, log->public_key(), witnessed ? &*witnessed : nullptr);
  if (!report) {
    std::fprintf(stderr, "vigil audit verify: %s\n", report.error().message().c_str());
    return kExitFailure;
  }
  if (!report->intact) {
    std::printf("audit log NOT intact: %s\n", report->problem.c_str());
    return kExitRejected;
  }
  std::printf("audit log intact: %lld entries, %lld signed checkpoints",
              static_cast<long long>(report->entries), static_cast<long long>(report->checkpoints));
  if (witnessed) {
    std::printf(", %lld witnessed (the last at entry %lld)",
                static_cast<long long>(report->witnessed),
                static_cast<long long>(report->last_witnessed ? report->last_witnessed->seq : 0));
  }
  std::printf("\n");
  return kExitOk;
}

}  // namespace vigil
