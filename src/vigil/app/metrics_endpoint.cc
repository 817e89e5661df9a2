#include "vigil/app/metrics_endpoint.h"

#include "vigil/core/logger.h"
#include "vigil/core/metrics.h"

namespace vigil {
namespace {

// The gauges read from the store at each scrape. A store that cannot be
// read leaves them out of that scrape (Prometheus then shows them stale).
void SetStoreCollectors(Store* store, const Clock* clock) {
  metrics::Registry& m = metrics::Global();
  m.SetCollector("vigil_outbox_notifications", [store] {
    std::vector<metrics::GaugeSample> out;
    auto reader = store->BeginRead();
    if (!reader) return out;
    auto depth = (*reader)->outbox().NotificationDepth();
    if (!depth) return out;
    for (const auto& d : *depth) {
      out.push_back({{{"state", d.state}, {"channel", d.channel}}, static_cast<double>(d.count)});
    }
    return out;
  });
  m.SetCollector("vigil_audit_entries", [store] {
    std::vector<metrics::GaugeSample> out;
    auto reader = store->BeginRead();
    if (!reader) return out;
    auto last = (*reader)->audit().LastAuditEntry();
    if (!last) return out;
    out.push_back({{}, *last ? static_cast<double>((*last)->seq) : 0.0});
    return out;
  });
  m.SetCollector("vigil_audit_last_checkpoint_age_seconds", [store, clock] {
    std::vector<metrics::GaugeSample> out;
    auto reader = store->BeginRead();
    if (!reader) return out;
    auto seq = (*reader)->audit().LastAuditCheckpointSeq();
    if (!seq) return out;
    if (!*seq) {
      out.push_back({{}, -1});
      return out;
    }
    auto entry = (*reader)->audit().AuditEntriesAfter(**seq - 1, 1);
    if (!entry || entry->empty()) return out;
    out.push_back({{}, std::chrono::duration<double>(clock->Now() - entry->front().at).count()});
    return out;
  });
}

}  // namespace

MetricsEndpoint::MetricsEndpoint(const Config& config, Store* store, const Clock* clock,
                                 const search::NameIndex* index) {
  if (config.metrics.listen.empty()) return;
  const Logger log = Logger::For("metrics");
  SetStoreCollectors(store, clock);
  if (index != nullptr) {
    metrics::Global().SetCollector("vigil_index_subjects", [index] {
      return std::vector<metrics::GaugeSample>{{{}, static_cast<double>(index->size())}};
    });
  }
  router_.Add(
      boost::beast::http::verb::get, "/metrics",
      [](const http::Request& req, http::RequestContext&) {
        http::Response r =
            http::TextResponse(req, boost::beast::http::status::ok, metrics::Global().Render());
        r.set(boost::beast::http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
        return r;
      });
  auto listen = ParseListenAddress(config.metrics.listen);  // checked with the configuration
  http::ServerOptions options;
  options.address = listen->first == "localhost" ? "127.0.0.1" : listen->first;
  options.port = listen->second;
  options.threads = 1;
  options.thread_name = "metrics";
  options.shutdown_grace = std::chrono::seconds(1);
  auto server = http::Server::Create(options, &router_, nullptr);
  if (!server) {
    log.Warn("serving without /metrics: " + server.error().message());
    return;
  }
  server_ = std::move(*server);
  log.Info("metrics on http://" + options.address + ":" + std::to_string(server_->port()) +
           "/metrics");
  thread_ = std::thread([this] { server_->Run(); });
}

MetricsEndpoint::~MetricsEndpoint() {
  if (server_) server_->Stop();
  if (thread_.joinable()) thread_.join();
  // The collectors read the store and the index, which go after this.
  for (const char* name : {"vigil_outbox_notifications", "vigil_audit_entries",
                           "vigil_audit_last_checkpoint_age_seconds", "vigil_index_subjects"}) {
    metrics::Global().SetCollector(name, {});
  }
}

}  // namespace vigil
