// vigil's metrics, in the Prometheus text exposition format (GET /metrics on
// its own listener, [metrics] listen). Every family vigil exposes is declared
// once, in metrics.cc, with its type and help: observing an undeclared name
// is a programming error (it is dropped, and counted in
// vigil_metrics_undeclared_total).
//
// Label values come from code, never from a request or a person: route
// *patterns*, status codes, channel and state names, field names of the
// feed schema. No label carries a name, an A-number, a contact or a ref
// (tested in tests/metrics_test.cc by scraping after planting them).
//
// Thread-safe: any thread may observe; Render() may run concurrently.
#ifndef VIGIL_CORE_METRICS_H_
#define VIGIL_CORE_METRICS_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vigil::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

// One sample of a gauge computed when scraped.
struct GaugeSample {
  Labels labels;
  double value = 0;
};

class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Adds `n` to the counter `name`{labels}.
  void Add(std::string_view name, const Labels& labels = {}, double n = 1);
  // Records `value` in the histogram `name`{labels}.
  void Observe(std::string_view name, const Labels& labels, double value);
  // The gauge `name` is computed by `collect` at every scrape (a store
  // count, an index size). A later call for the same name replaces it; an
  // empty `collect` removes it (before what it reads goes away).
  void SetCollector(std::string_view name, std::function<std::vector<GaugeSample>()> collect);

  // Every declared family with its samples, in the text format (version
  // 0.0.4). Families with no samples yet still get HELP and TYPE.
  std::string Render() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The process's registry.
Registry& Global();

}  // namespace vigil::metrics

#endif  // VIGIL_CORE_METRICS_H_
