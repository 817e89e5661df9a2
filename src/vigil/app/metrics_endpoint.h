// GET /metrics ([metrics] listen): a small HTTP server of its own, apart
// from the public listener, so what operators scrape is not public. It
// serves metrics::Global() and, computed at each scrape, the outbox's depth
// by state and channel, the audit chain's length and its last checkpoint's
// age, and (in `vigil serve`) the search index's size.
//
// Metrics never stop a node: when the address cannot be listened on, the
// endpoint logs a warning and the process serves without it.
#ifndef VIGIL_APP_METRICS_ENDPOINT_H_
#define VIGIL_APP_METRICS_ENDPOINT_H_

#include <memory>
#include <thread>

#include "vigil/app/config.h"
#include "vigil/core/clock.h"
#include "vigil/http/router.h"
#include "vigil/http/server.h"
#include "vigil/search/name_index.h"
#include "vigil/store/store.h"

namespace vigil {

class MetricsEndpoint {
 public:
  // Starts serving on config.metrics.listen (nothing when it is empty).
  // `store` and `clock` must outlive it; `index` may be null.
  MetricsEndpoint(const Config& config, Store* store, const Clock* clock,
                  const search::NameIndex* index);
  ~MetricsEndpoint();
  MetricsEndpoint(const MetricsEndpoint&) = delete;
  MetricsEndpoint& operator=(const MetricsEndpoint&) = delete;

 private:
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
};

}  // namespace vigil

#endif  // VIGIL_APP_METRICS_ENDPOINT_H_
