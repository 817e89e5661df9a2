// What a command that renders people outside `vigil serve` (export,
// report) needs: the store, and the same disclosure gate and refs as the
// server, from the same configuration and secret key.
#ifndef VIGIL_APP_OFFLINE_GATE_H_
#define VIGIL_APP_OFFLINE_GATE_H_

#include <memory>

#include "vigil/app/config.h"
#include "vigil/core/clock.h"
#include "vigil/policy/disclosure_policy.h"
#include "vigil/policy/ref_codec.h"
#include "vigil/store/store.h"

namespace vigil {

struct OfflineGate {
  std::unique_ptr<Store> store;
  std::unique_ptr<policy::RefCodec> refs;
  SystemClock clock;
  std::unique_ptr<policy::DisclosurePolicy> policy;
};

// Opens the store and makes the gate; errors as OpenStore and
// LoadOrCreateSecretKey give them.
Result<std::unique_ptr<OfflineGate>> OpenOfflineGate(const Config& config);

}  // namespace vigil

#endif  // VIGIL_APP_OFFLINE_GATE_H_
