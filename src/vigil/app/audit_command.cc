// `vigil audit verify`: checks the audit log's hash chain and the
// signatures of its checkpoints, and names the first bad entry.
#include <cstdio>
#include <filesystem>

#include "vigil/app/commands.h"
#include "vigil/app/services.h"
#include "vigil/audit/audit_log.h"
#include "vigil/audit/witness.h"
#include "vigil/store/store.h"

namespace vigil {

int RunAuditVerify(const Config& config, const std::string& witness_location) {
  // The key the checkpoints were signed with: the database's own, checked
  // against the fingerprint it recorded.
  auto services = Services::Open(config, Services::kStore | Services::kAuditLog);
  if (!services) {
    std::fprintf(stderr, "vigil audit verify: %s\n", services.error().message().c_str());
    return ExitCodeFor(services.error());
  }
  const audit::AuditLog& log = *(*services)->audit_log;
  Store& store = *(*services)->store;
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
  auto report = audit::Verify(store, log.public_key(), witnessed ? &*witnessed : nullptr);
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
