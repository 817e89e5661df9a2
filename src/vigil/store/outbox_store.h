// The notification outbox (DESIGN.md §5): one row per notice owed to a
// registration, moved through its states by the dispatcher and by the
// gateways' reports. The state machine lives in the statements, so a late
// or repeated report, or a sender whose lease expired, cannot undo a state.
#ifndef VIGIL_STORE_OUTBOX_STORE_H_
#define VIGIL_STORE_OUTBOX_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vigil/core/domain.h"
#include "vigil/core/error.h"

namespace vigil {

class OutboxReads {
 public:
  virtual ~OutboxReads() = default;

  virtual Result<std::optional<Notification>> GetNotification(int64_t notification_id) = 0;
  virtual Result<std::vector<Notification>> NotificationsOfRegistration(
      int64_t registration_id) = 0;
  // How many notifications are in each state (name -> count), for tests and metrics.
  virtual Result<std::vector<std::pair<std::string, int64_t>>> NotificationStateCounts() = 0;
  // How many notifications are in each state on each channel (the outbox's
  // depth, for metrics); states and channels with none are left out.
  struct Depth {
    std::string state;
    std::string channel;
    int64_t count = 0;
  };
  virtual Result<std::vector<Depth>> NotificationDepth() = 0;
};

class OutboxWrites : public OutboxReads {
 public:
  // Adds an outbox row; nullopt (and nothing written) when a row for the
  // same (event_pk, registration_id) exists.
  virtual Result<std::optional<int64_t>> InsertNotification(const Notification& notification) = 0;
  // Queues one `created` notification of `kind` for event `event_pk`, due at
  // `now`, for every active registration of the subject (one statement;
  // existing (event, registration) rows are left alone). Returns how many.
  // With `verified_only`, only registrations of tier kVerified (advance
  // release notice). Nothing is queued while the subject is blocked.
  virtual Result<int64_t> QueueNotificationsForEvent(int64_t subject_id, int64_t event_pk,
                                                     std::string_view kind, Timestamp now,
                                                     bool verified_only) = 0;
  // Event `retracted_pk` was withdrawn by event `retraction_pk`: its
  // notifications not yet handed to a peer (created, temporary_failure) are
  // cancelled, and every still-active registration whose notice of it went
  // out (delivered, acknowledged; a text or email also while sending or
  // sent — a call tells nothing until its PIN) is owed a `correction`
  // under `retraction_pk` (unless the subject is blocked). Returns
  // {cancelled, corrections queued}.
  virtual Result<std::pair<int64_t, int64_t>> QueueCorrections(int64_t retracted_pk,
                                                               int64_t retraction_pk,
                                                               Timestamp now) = 0;
  // Claims up to `limit` notifications that are due at `now` — created or
  // temporary_failure with due_at <= now, or sending with an expired lease
  // (its sender died) — moving each to kSending with `lease_until` and
  // attempts + 1. Returns them as claimed.
  virtual Result<std::vector<Notification>> ClaimDueNotifications(Timestamp now,
                                                                  Timestamp lease_until,
                                                                  int limit) = 0;
  // Records the outcome of the send started as attempt `attempt`: only when
  // the row is still kSending with that attempt (a sender whose lease
  // expired, or a cancelled row, cannot be overwritten). `to` must be a
  // terminal state, kSent (awaiting a receipt; see RecordReceipt) or
  // kTemporaryFailure (then due again at `due_at`). Returns whether it applied.
  virtual Result<bool> FinishNotification(int64_t notification_id, int attempt,
                                          NotificationState to, Timestamp now, Timestamp due_at,
                                          std::string_view error) = 0;
  // A gateway's report for a notification it took (a delivery report, a
  // call's outcome, a PIN entered): moves it to `to` (a terminal state, or
  // kTemporaryFailure due again at `due_at`) only while it is kSent — or
  // still kSending, when the report outran the sender's own record; that
  // record then finds the row settled and leaves it. Late or repeated
  // reports change nothing. Returns whether it applied.
  virtual Result<bool> RecordReceipt(int64_t notification_id, NotificationState to, Timestamp now,
                                     Timestamp due_at, std::string_view detail) = 0;
  // Settles kSent notifications not updated since `sent_before` (their
  // receipt never came) as kDelivered with `detail`. Returns how many.
  virtual Result<int64_t> SettleUnreceipted(Timestamp sent_before, Timestamp now,
                                            std::string_view detail) = 0;
  // Cancels every notification of the subject not yet handed to a peer
  // (created, sending, temporary_failure) — with `verifications` false,
  // every one but verification messages (a block stops notices, not the
  // confirming of a registration). Returns how many.
  virtual Result<int64_t> CancelNotificationsOf(int64_t subject_id, Timestamp now,
                                                bool verifications) = 0;
};

}  // namespace vigil

#endif  // VIGIL_STORE_OUTBOX_STORE_H_
