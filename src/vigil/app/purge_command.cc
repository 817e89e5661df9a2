// `vigil purge` (and the hourly job in `vigil serve`): retention.
#include <cstdio>

#include "vigil/app/commands.h"
#include "vigil/store/store.h"

namespace vigil {

Result<std::pair<int64_t, int64_t>> PurgeOnce(Store& store, const Config& config, Timestamp now) {
  auto txn = store.BeginWrite();
  if (!txn) return tl::unexpected(txn.error());
  auto days = [](int64_t n) { return std::chrono::duration_cast<std::chrono::microseconds>(
                                  std::chrono::hours(24 * n)); };
  auto counts = (*txn)->registrations().Purge(now - days(config.retention.contact_days),
                              now - days(config.retention.notification_days));
  if (!counts) return tl::unexpected(counts.error());
  VIGIL_RETURN_IF_ERROR((*txn)->Commit());
  return *counts;
}

int RunPurge(const Config& config) {
  auto store = OpenStore(config.store.url, SchemaUpgrade::kRefuse);
  if (!store) {
    std::fprintf(stderr, "vigil purge: %s\n", store.error().message().c_str());
    return kExitFailure;
  }
  SystemClock clock;
  auto counts = PurgeOnce(**store, config, clock.Now());
  if (!counts) {
    std::fprintf(stderr, "vigil purge: %s\n", counts.error().message().c_str());
    return kExitFailure;
  }
  std::printf(
      "purged the contacts of %lld ended registrations (ended over %lld days ago); wiped %lld "
      "notification payloads (settled over %lld days ago)\n",
      static_cast<long long>(counts->first), static_cast<long long>(config.retention.contact_days),
      static_cast<long long>(counts->second),
      static_cast<long long>(config.retention.notification_days));
  return kExitOk;
}

}  // namespace vigil
