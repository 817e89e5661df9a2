// Witnesses of the audit log (DESIGN.md §2.8): each signed checkpoint is
// published outside the database as it is made, so that someone who can
// rewrite the database — cut entries off the end of the log and delete the
// checkpoints that covered them — is still caught by `vigil audit verify
// --witness`: the log must reach every witnessed checkpoint, and hold it.
//
//   file:DIR       appends one line per checkpoint to DIR/audit-checkpoints.log
//                  (created with the directory, owner-only), opened O_APPEND and
//                  synced after each line. Give the directory to an account the
//                  database's writers cannot write as, or ship it off the host.
//   https://HOST/  POSTs the same line (text/plain) to the URL; any 2xx is
//   http://HOST/   taken. (http only makes sense on loopback or for tests.)
//
// A line is "vigil-audit-checkpoint v1 <seq> <at RFC 3339> <hash hex>
// <signature hex>": everything needed to check it with the server's public
// key alone.
//
// Thread safety: a Witness is used by one thread at a time (AuditWriter's).
#ifndef VIGIL_AUDIT_WITNESS_H_
#define VIGIL_AUDIT_WITNESS_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/domain.h"
#include "vigil/core/error.h"

namespace vigil::audit {

class Witness {
 public:
  virtual ~Witness() = default;
  // Publishes `checkpoint`; kUnavailable when it could not be (the caller
  // tries the next one).
  virtual Result<void> Publish(const AuditCheckpoint& checkpoint) = 0;
  // Where it publishes, for messages ("file:/var/lib/vigil/witness/").
  virtual std::string Describe() const = 0;
};

// The witness `url` names: "file:DIR", "https://..." or "http://...".
// kInvalidArgument for anything else, or a directory that cannot be made.
Result<std::unique_ptr<Witness>> OpenWitness(std::string_view url);

// The line a witness publishes for `checkpoint` (no newline).
std::string WitnessLine(const AuditCheckpoint& checkpoint);

// The checkpoints a file witness holds, in the order written: `location` is
// "file:DIR", a directory, or the log file itself. kInvalidArgument naming
// the line for one that is not a witness line; kNotFound when there is no
// such file.
Result<std::vector<AuditCheckpoint>> ReadWitness(std::string_view location);

}  // namespace vigil::audit

#endif  // VIGIL_AUDIT_WITNESS_H_
