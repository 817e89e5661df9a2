// The audit log's entries and checkpoints (audit/audit_log.h chains and
// signs them; the store only keeps them in order).
#ifndef VIGIL_STORE_AUDIT_STORE_H_
#define VIGIL_STORE_AUDIT_STORE_H_

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "vigil/core/domain.h"
#include "vigil/core/error.h"

namespace vigil {

class AuditReads {
 public:
  virtual ~AuditReads() = default;

  // The newest entry; entries after `after_seq` in seq order (at most
  // `limit`); every checkpoint in seq order; the seq the newest checkpoint
  // covers (nullopt: none yet).
  virtual Result<std::optional<AuditEntry>> LastAuditEntry() = 0;
  virtual Result<std::vector<AuditEntry>> AuditEntriesAfter(int64_t after_seq, int limit) = 0;
  virtual Result<std::vector<AuditCheckpoint>> AuditCheckpoints() = 0;
  virtual Result<std::optional<int64_t>> LastAuditCheckpointSeq() = 0;
};

class AuditWrites : public AuditReads {
 public:
  // Appends audit entries in order, each under its seq, in one write (one
  // statement on PostgreSQL); kConflict when a seq is taken (another writer
  // appended first: roll back and read the last entry again).
  virtual Result<void> AppendAuditEntries(std::span<const AuditEntry> entries) = 0;
  Result<void> AppendAuditEntry(const AuditEntry& entry) {
    return AppendAuditEntries(std::span(&entry, 1));
  }
  virtual Result<void> InsertAuditCheckpoint(const AuditCheckpoint& checkpoint) = 0;
};

}  // namespace vigil

#endif  // VIGIL_STORE_AUDIT_STORE_H_
