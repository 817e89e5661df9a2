// The audit log (DESIGN.md §2.8, §3 audit/): append-only and
// hash-chained. Entry N holds the hash of entry N-1, and its own hash is
// BLAKE2b-256 over that and its fields, so editing, deleting, inserting or
// reordering entries breaks the chain at the first entry touched.
// Periodic checkpoints sign (Ed25519, libsodium) the hash of the newest
// entry, so that someone who can rewrite the whole table still cannot forge
// a checkpoint without the server's key; each is also published to a
// witness outside the database (audit/witness.h), so that cutting entries
// off the end and deleting the checkpoints that covered them is caught too.
// Verify() checks all of it and names the first bad entry.
//
// Entries hold no contact data and no query text: a search is recorded as a
// keyed hash of its query (QueryHash) and the refs it disclosed.
//
// Thread safety: AuditLog is immutable after Create; AuditWriter is
// thread-safe.
#ifndef VIGIL_AUDIT_AUDIT_LOG_H_
#define VIGIL_AUDIT_AUDIT_LOG_H_

#include <array>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "vigil/audit/witness.h"
#include "vigil/core/clock.h"
#include "vigil/store/batch_writer.h"
#include "vigil/store/store.h"

namespace vigil::audit {

struct AuditRecord {
  std::string kind, actor;
  std::optional<int64_t> subject_id;
  std::string detail;
};

class AuditLog {
 public:
  // Derives the signing key and the query-hash key from the server's secret key.
  static Result<AuditLog> Create(const std::array<unsigned char, 32>& secret_key);

  // Appends `record` after the newest entry, in the caller's transaction.
  Result<AuditEntry> Append(StoreTransaction& txn, const AuditRecord& record, Timestamp now) const;
  // Appends `records` in order, as Append each would, reading the newest
  // entry once (the writer's batches: one read, not one per record).
  Result<void> AppendAll(StoreTransaction& txn, const std::deque<AuditRecord>& records,
                         Timestamp now) const;
  // Signs a checkpoint of the newest entry unless the newest checkpoint
  // covers it already. Returns the one written, if any.
  Result<std::optional<AuditCheckpoint>> Checkpoint(StoreTransaction& txn, Timestamp now) const;

  // A keyed hash of a search's canonical query (hex, 32 chars): equal
  // queries give equal hashes; the text cannot be recovered from it.
  std::string QueryHash(std::string_view canonical_query) const;
  // The Ed25519 public key that checks the checkpoints.
  const std::array<unsigned char, 32>& public_key() const { return public_key_; }

  // The hash an entry must have (for Verify and tests).
  static std::string EntryHash(const AuditEntry& entry);

 private:
  AuditLog() = default;
  std::array<unsigned char, 64> signing_key_{};
  std::array<unsigned char, 32> public_key_{};
  std::array<unsigned char, 32> query_key_{};
};

struct VerifyReport {
  bool intact = true;
  int64_t entries = 0, checkpoints = 0;
  int64_t witnessed = 0;  // witnessed checkpoints checked
  std::optional<AuditCheckpoint> last_witnessed;
  int64_t bad_seq = 0;  // the first bad entry (or checkpoint), when not intact
  std::string problem;  // e.g. "entry 17 was altered: its hash does not match its contents"
};

// Reads the whole log and its checkpoints from `store`. With `witnessed`
// (the checkpoints a witness holds, ReadWitness), each must be signed by
// this key, present among the database's checkpoints, and covered by the
// log; a failure names the last witnessed checkpoint.
Result<VerifyReport> Verify(Store& store, const std::array<unsigned char, 32>& public_key,
                            const std::vector<AuditCheckpoint>* witnessed = nullptr);

struct AuditWriterOptions {
  // Where each checkpoint is published after its batch commits; null for
  // none. Not owned; must outlive the writer.
  Witness* witness = nullptr;
  // Publish at most one checkpoint this often (the newest; each covers the
  // ones before). The last is published at Stop().
  std::chrono::milliseconds witness_interval{1000};
};

// Appends records on a thread of its own, in batches (one transaction per
// batch), and signs a checkpoint after each batch: for the read path
// (searches), which should not wait for a write transaction.
class AuditWriter {
 public:
  // Nothing is owned; all must outlive the writer.
  AuditWriter(Store* store, const AuditLog* log, const Clock* clock,
              AuditWriterOptions options = {});
  // Queues a record (drops it, counting, if 100,000 are waiting). A batch
  // the store refuses is tried again until Stop().
  void Record(AuditRecord record) { writer_.Record(std::move(record)); }
  // Waits until everything recorded so far is written.
  void Flush() { writer_.Flush(); }
  // Writes what is queued, stops, and publishes the last checkpoint.
  void Stop();
  int64_t dropped() const { return writer_.dropped(); }

 private:
  bool Write(const std::deque<AuditRecord>& batch);
  void PublishPending(bool now);
  Store* store_;
  const AuditLog* log_;
  const Clock* clock_;
  AuditWriterOptions options_;
  // Written by the writer's thread only (and by Stop() after it ends).
  std::optional<AuditCheckpoint> unpublished_;
  std::optional<Timestamp> last_published_at_;
  std::string last_witness_error_;
  BatchWriter<AuditRecord> writer_;  // last: its thread calls Write
};

}  // namespace vigil::audit

#endif  // VIGIL_AUDIT_AUDIT_LOG_H_
