// Agency controls (DESIGN.md §7): API keys and the sources they may write,
// blocks on notifications about a person, and the record of searches that
// matched a withheld person (for the stalking alert). Protections and
// overrides themselves are custody events (custody_store.h).
#ifndef VIGIL_STORE_CONTROL_STORE_H_
#define VIGIL_STORE_CONTROL_STORE_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vigil/core/domain.h"
#include "vigil/core/error.h"

namespace vigil {

// A subject search matched but the disclosure gate withheld (DESIGN.md §2.3):
// recorded for the stalking alert. Holds no query text.
struct SuppressedMatch {
  int64_t subject_id = 0;
  Timestamp occurred_at;
  std::string sought_by;  // how the person was sought: "a_number", "name", "registration"
  std::string reason;   // the gate's reason, e.g. "protected"

  bool operator==(const SuppressedMatch&) const = default;
};

class ControlReads {
 public:
  virtual ~ControlReads() = default;

  // Agency API keys, by key id; and all of them, by name.
  virtual Result<std::optional<ApiKey>> GetApiKey(std::string_view key_id) = 0;
  virtual Result<std::vector<ApiKey>> ListApiKeys() = 0;
  // Whether an agency blocked notifications about the subject (SetNotificationBlock).
  virtual Result<bool> IsNotificationBlocked(int64_t subject_id) = 0;
  virtual Result<std::vector<SuppressedMatch>> SuppressedMatchesOf(int64_t subject_id) = 0;
  // Recorded matches with an id above `after_id`, in id order (at most
  // `limit`), each with its id; and the highest id (0 when none).
  virtual Result<std::vector<std::pair<int64_t, SuppressedMatch>>> SuppressedMatchesAfter(
      int64_t after_id, int limit) = 0;
  virtual Result<int64_t> LastSuppressedMatchId() = 0;
  // The fingerprint of the secret key the data was sealed with
  // (RecordKeyFingerprint), or nullopt before one was recorded.
  virtual Result<std::optional<std::string>> KeyFingerprint() = 0;
  // Staff accounts of the console (docs/staff.md), by name; all, by name.
  virtual Result<std::optional<StaffAccount>> GetStaffAccount(std::string_view name) = 0;
  virtual Result<std::vector<StaffAccount>> ListStaffAccounts() = 0;
};

class ControlWrites : public ControlReads {
 public:
  // kConflict when the key id or the name is taken.
  virtual Result<void> InsertApiKey(const ApiKey& key) = 0;
  // Revokes the key with this name (or key id); false when there is none
  // or it was revoked already.
  virtual Result<bool> RevokeApiKey(std::string_view name_or_id, Timestamp now) = 0;
  // Replaces the sources a live key (by name or key id) may write; false
  // when there is no such live key.
  virtual Result<bool> SetApiKeySources(std::string_view name_or_id,
                                        const std::vector<std::string>& sources) = 0;
  // An agency's block on notifications about a subject: with a reason,
  // blocks (replacing an earlier reason); with nullopt, lifts it. Returns
  // whether the block state changed. Queued notifications are left to the
  // caller (OutboxWrites::CancelNotificationsOf).
  virtual Result<bool> SetNotificationBlock(int64_t subject_id,
                                            std::optional<std::string_view> reason,
                                            Timestamp now) = 0;
  // Records each match, in one write (one statement on PostgreSQL).
  virtual Result<void> RecordSuppressedMatches(std::span<const SuppressedMatch> matches) = 0;
  Result<void> RecordSuppressedMatch(const SuppressedMatch& match) {
    return RecordSuppressedMatches(std::span(&match, 1));
  }
  // Records the fingerprint of the secret key every node must share; the
  // same one again changes nothing, another one is kConflict (a database
  // keeps the key it was first sealed with).
  virtual Result<void> RecordKeyFingerprint(std::string_view fingerprint) = 0;
  // kConflict when the name is taken.
  virtual Result<void> InsertStaffAccount(const StaffAccount& account) = 0;
  // Replaces everything but the name and created_at; false when there is no
  // account of that name.
  virtual Result<bool> UpdateStaffAccount(const StaffAccount& account) = 0;
};

}  // namespace vigil

#endif  // VIGIL_STORE_CONTROL_STORE_H_
