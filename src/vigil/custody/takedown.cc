#include "vigil/custody/takedown.h"

namespace vigil::custody {

Result<TakedownCounts> Takedown(StoreTransaction& txn, int64_t subject_id, Timestamp now) {
  TakedownCounts counts;
  auto cancelled = txn.outbox().CancelNotificationsOf(subject_id, now, /*verifications=*/true);
  if (!cancelled) return tl::unexpected(cancelled.error());
  counts.cancelled_notifications = *cancelled;
  auto suspended = txn.registrations().SuspendRegistrationsOf(subject_id);
  if (!suspended) return tl::unexpected(suspended.error());
  counts.suspended_registrations = *suspended;
  return counts;
}

}  // namespace vigil::custody
