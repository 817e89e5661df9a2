// The takedown (DESIGN.md §2.4): the moment a person becomes protected,
// nothing queued about them may go out and their registrations stop,
// without telling anyone why. One operation, used by the feed (a protection
// on an event) and by the agency API (PUT .../protections), always inside
// the transaction that records the protection, so both commit or neither.
#ifndef VIGIL_CUSTODY_TAKEDOWN_H_
#define VIGIL_CUSTODY_TAKEDOWN_H_

#include <cstdint>

#include "vigil/core/error.h"
#include "vigil/store/store.h"

namespace vigil::custody {

struct TakedownCounts {
  int64_t cancelled_notifications = 0;
  int64_t suspended_registrations = 0;
};

// Cancels every notification about the subject not yet handed to a peer
// (verification messages included: a protected person cannot be followed)
// and suspends every pending or active registration of them.
Result<TakedownCounts> Takedown(StoreTransaction& txn, int64_t subject_id, Timestamp now);

}  // namespace vigil::custody

#endif  // VIGIL_CUSTODY_TAKEDOWN_H_
