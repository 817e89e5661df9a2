#include "vigil/audit/audit_log.h"

#include <sodium.h>

#include <cstdio>
#include <map>

#include "vigil/core/key_ring.h"
#include "vigil/core/logger.h"
#include "vigil/core/time_format.h"

namespace vigil::audit {
namespace {

constexpr char kCheckpointContext[] = "vigil audit checkpoint v1";

void AppendInt(std::string& out, int64_t v) {
  for (int i = 0; i < 8; ++i)
    out += static_cast<char>((static_cast<uint64_t>(v) >> (8 * i)) & 0xFF);
}

// What a checkpoint signs: the context, the seq and the entry hash.
std::string CheckpointMessage(int64_t seq, std::string_view hash) {
  std::string m = kCheckpointContext;
  AppendInt(m, seq);
  m.append(hash);
  return m;
}

}  // namespace

Result<AuditLog> AuditLog::Create(const std::array<unsigned char, 32>& secret_key) {
  auto ring = KeyRing::Create(secret_key);
  if (!ring) return tl::unexpected(ring.error());
  AuditLog log;
  auto seed = ring->Derive(KeyPurpose::kAuditSigningSeed);
  crypto_sign_seed_keypair(log.public_key_.data(), log.signing_key_.data(), seed.data());
  sodium_memzero(seed.data(), seed.size());
  log.query_key_ = ring->Derive(KeyPurpose::kAuditQueryHash);
  return log;
}

std::string AuditLog::EntryHash(const AuditEntry& e) {
  std::string data = e.prev_hash;
  AppendInt(data, e.seq);
  AppendInt(data, ToUnixMicros(e.at));
  for (const std::string* field : {&e.kind, &e.actor}) {
    data += *field;
    data += '\0';
  }
  data += e.subject_id ? std::to_string(*e.subject_id) : "-";
  data += '\0';
  data += e.detail;
  std::string out(32, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), out.size(),
                     reinterpret_cast<const unsigned char*>(data.data()), data.size(), nullptr, 0);
  return out;
}

namespace {

// The entry that follows `last` (nullopt: the log is empty).
AuditEntry Following(const std::optional<AuditEntry>& last, const AuditRecord& r, Timestamp now) {
  AuditEntry e;
  e.seq = last ? last->seq + 1 : 1;
  e.at = now;
  e.kind = r.kind;
  e.actor = r.actor;
  e.subject_id = r.subject_id;
  e.detail = r.detail;
  e.prev_hash = last ? last->hash : std::string(32, '\0');
  e.hash = AuditLog::EntryHash(e);
  return e;
}

}  // namespace

Result<AuditEntry> AuditLog::Append(StoreTransaction& txn, const AuditRecord& r,
                                    Timestamp now) const {
  auto last = txn.audit().LastAuditEntry();
  if (!last) return tl::unexpected(last.error());
  AuditEntry e = Following(*last, r, now);
  VIGIL_RETURN_IF_ERROR(txn.audit().AppendAuditEntry(e));
  return e;
}

Result<void> AuditLog::AppendAll(StoreTransaction& txn, const std::deque<AuditRecord>& records,
                                 Timestamp now) const {
  if (records.empty()) return {};
  auto last = txn.audit().LastAuditEntry();
  if (!last) return tl::unexpected(last.error());
  // The writer holds the store's write lock: nobody appends in between.
  std::vector<AuditEntry> entries;
  entries.reserve(records.size());
  for (const AuditRecord& r : records) {
    entries.push_back(Following(entries.empty() ? *last : entries.back(), r, now));
  }
  return txn.audit().AppendAuditEntries(entries);
}

Result<std::optional<AuditCheckpoint>> AuditLog::Checkpoint(StoreTransaction& txn,
                                                            Timestamp now) const {
  auto last = txn.audit().LastAuditEntry();
  if (!last) return tl::unexpected(last.error());
  if (!*last) return std::optional<AuditCheckpoint>();
  // The newest checkpoint only: reading them all made every batch slower
  // than the one before.
  auto covered = txn.audit().LastAuditCheckpointSeq();
  if (!covered) return tl::unexpected(covered.error());
  if (*covered && **covered >= (*last)->seq) return std::optional<AuditCheckpoint>();
  AuditCheckpoint c;
  c.seq = (*last)->seq;
  c.at = now;
  c.hash = (*last)->hash;
  std::string message = CheckpointMessage(c.seq, c.hash);
  c.signature.assign(crypto_sign_BYTES, '\0');
  crypto_sign_detached(reinterpret_cast<unsigned char*>(c.signature.data()), nullptr,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       signing_key_.data());
  VIGIL_RETURN_IF_ERROR(txn.audit().InsertAuditCheckpoint(c));
  return std::optional<AuditCheckpoint>(std::move(c));
}

std::string AuditLog::QueryHash(std::string_view query) const {
  unsigned char mac[16];
  crypto_generichash(mac, sizeof mac, reinterpret_cast<const unsigned char*>(query.data()),
                     query.size(), query_key_.data(), query_key_.size());
  char hex[33];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  return hex;
}

namespace {

bool SignedBy(const AuditCheckpoint& c, const std::array<unsigned char, 32>& public_key) {
  std::string message = CheckpointMessage(c.seq, c.hash);
  return c.signature.size() == crypto_sign_BYTES &&
         crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(c.signature.data()),
                                     reinterpret_cast<const unsigned char*>(message.data()),
                                     message.size(), public_key.data()) == 0;
}

}  // namespace

Result<VerifyReport> Verify(Store& store, const std::array<unsigned char, 32>& public_key,
                            const std::vector<AuditCheckpoint>* witnessed) {
  if (sodium_init() < 0) return Unavailable("libsodium failed to initialise");
  VerifyReport report;
  auto reader = store.BeginRead();
  if (!reader) return tl::unexpected(reader.error());
  auto fail = [&](int64_t seq, std::string problem) {
    report.intact = false;
    report.bad_seq = seq;
    report.problem = std::move(problem);
    return report;
  };
  std::map<int64_t, std::string> hashes;  // of every entry, for the checkpoints
  std::string prev(32, '\0');
  int64_t expected = 1;
  while (true) {
    auto batch = (*reader)->audit().AuditEntriesAfter(expected - 1, 10000);
    if (!batch) return tl::unexpected(batch.error());
    if (batch->empty()) break;
    for (const AuditEntry& e : *batch) {
      std::string n = std::to_string(expected);
      if (e.seq != expected) {
        return fail(expected, "entry " + n + " is missing: the log goes from entry " +
                                  std::to_string(expected - 1) + " to entry " +
                                  std::to_string(e.seq));
      }
      if (e.prev_hash != prev) {
        return fail(e.seq, "entry " + n + " does not follow entry " + std::to_string(e.seq - 1) +
                               ": entries were reordered, inserted or replaced");
      }
      if (AuditLog::EntryHash(e) != e.hash) {
        return fail(e.seq, "entry " + n + " was altered: its hash does not match its contents");
      }
      prev = e.hash;
      hashes[e.seq] = e.hash;
      ++report.entries;
      ++expected;
    }
  }
  auto checkpoints = (*reader)->audit().AuditCheckpoints();
  if (!checkpoints) return tl::unexpected(checkpoints.error());
  int64_t last_good = 0;  // the newest checkpoint that matched
  // The witness first: what it holds was published outside the database,
  // so it says how far the log reached, whatever was done to the database.
  if (witnessed != nullptr) {
    std::map<int64_t, const AuditCheckpoint*> stored;
    for (const AuditCheckpoint& c : *checkpoints) stored[c.seq] = &c;
    const AuditCheckpoint* last = nullptr;
    for (const AuditCheckpoint& c : *witnessed) {
      if (!SignedBy(c, public_key)) continue;  // not this server's: proves nothing
      if (last == nullptr || c.seq >= last->seq) last = &c;
    }
    report.last_witnessed = last ? std::optional<AuditCheckpoint>(*last) : std::nullopt;
    const std::string last_text = last ? "; the last witnessed checkpoint is at entry " +
                                             std::to_string(last->seq) + " (" +
                                             FormatRfc3339(last->at) + ")"
                                       : "";
    for (const AuditCheckpoint& c : *witnessed) {
      std::string n = std::to_string(c.seq);
      if (!SignedBy(c, public_key)) {
        return fail(c.seq, "the witnessed checkpoint at entry " + n +
                               " is not signed by this server's key" + last_text);
      }
      auto entry = hashes.find(c.seq);
      if (entry == hashes.end()) {
        return fail(c.seq, "the log ends at entry " + std::to_string(expected - 1) +
                               ", before the witnessed checkpoint at entry " + n +
                               ": entries were cut off the end" + last_text);
      }
      if (entry->second != c.hash) {
        return fail(c.seq, "entry " + n + " is not the entry the witness saw signed" + last_text);
      }
      auto kept = stored.find(c.seq);
      if (kept == stored.end() || kept->second->hash != c.hash) {
        return fail(c.seq, "the witnessed checkpoint at entry " + n + " (" + FormatRfc3339(c.at) +
                               ") is missing from the database: checkpoints were deleted" +
                               last_text);
      }
      ++report.witnessed;
    }
  }
  for (const AuditCheckpoint& c : *checkpoints) {
    std::string n = std::to_string(c.seq);
    if (!SignedBy(c, public_key)) {
      return fail(c.seq, "the checkpoint at entry " + n + " is not signed by this server's key");
    }
    auto it = hashes.find(c.seq);
    if (it == hashes.end()) {
      return fail(c.seq, "entries up to " + n + " were signed, but the log ends at entry " +
                             std::to_string(expected - 1) + ": entries were cut off the end");
    }
    if (it->second != c.hash) {
      return fail(last_good + 1, "entries " + std::to_string(last_good + 1) + " to " + n +
                                     " were rewritten: entry " + n +
                                     " is not the entry the checkpoint signed");
    }
    last_good = c.seq;
    ++report.checkpoints;
  }
  return report;
}

AuditWriter::AuditWriter(Store* store, const AuditLog* log, const Clock* clock,
                         AuditWriterOptions options)
    : store_(store),
      log_(log),
      clock_(clock),
      options_(options),
      writer_([this](const std::deque<AuditRecord>& batch) { return Write(batch); },
              {.keep_failed = true, .what = "audit entries", .thread_name = "audit-writer"}) {}

// One transaction per batch, with a signed checkpoint of its end. An audit
// entry is not dropped for a busy store: the writer offers it again. The
// checkpoint is published only once it is committed: a witness must never
// hold one the database does not.
bool AuditWriter::Write(const std::deque<AuditRecord>& batch) {
  auto txn = store_->BeginWrite();
  if (!txn) return false;
  if (!log_->AppendAll(**txn, batch, clock_->Now())) return false;
  auto checkpoint = log_->Checkpoint(**txn, clock_->Now());
  if (!checkpoint || !(*txn)->Commit()) return false;
  if (*checkpoint) unpublished_ = std::move(**checkpoint);
  PublishPending(/*now=*/false);
  return true;
}

void AuditWriter::PublishPending(bool now) {
  if (options_.witness == nullptr || !unpublished_) return;
  const Timestamp t = clock_->Now();
  if (!now && last_published_at_ && t - *last_published_at_ < options_.witness_interval) return;
  auto published = options_.witness->Publish(*unpublished_);
  if (!published) {
    // Said once until it changes; the next checkpoint is tried as usual.
    if (published.error().message() != last_witness_error_) {
      last_witness_error_ = published.error().message();
      Logger::For("audit").Warn(last_witness_error_ + " (will retry)");
    }
    return;
  }
  last_witness_error_.clear();
  last_published_at_ = t;
  unpublished_.reset();
}

void AuditWriter::Stop() {
  writer_.Stop();
  PublishPending(/*now=*/true);
}

}  // namespace vigil::audit
