// Reads for reports and operators: every event of a period, and how much
// the store holds.
#ifndef VIGIL_STORE_REPORTING_STORE_H_
#define VIGIL_STORE_REPORTING_STORE_H_

#include <cstdint>
#include <functional>

#include "vigil/core/domain.h"
#include "vigil/core/error.h"
#include "vigil/store/custody_store.h"

namespace vigil {

struct StoreCounts {
  int64_t facilities = 0;
  int64_t subjects = 0;
  int64_t events = 0;
  int64_t rejects = 0;
};

class ReportingReads {
 public:
  virtual ~ReportingReads() = default;

  // Calls `fn` for every event (retractions and retracted events included)
  // with from <= occurred_at < to, in (occurred_at, event_pk) order; stops
  // early (and succeeds) when `fn` returns false.
  virtual Result<void> ForEachEventBetween(Timestamp from, Timestamp to,
                                           const std::function<bool(const StoredEvent&)>& fn) = 0;
  virtual Result<StoreCounts> Counts() = 0;
};

}  // namespace vigil

#endif  // VIGIL_STORE_REPORTING_STORE_H_
