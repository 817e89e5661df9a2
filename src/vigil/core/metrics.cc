#include "vigil/core/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <mutex>

namespace vigil::metrics {
namespace {

enum class Type { kCounter, kGauge, kHistogram };

struct Family {
  const char* name;
  Type type;
  const char* help;
};

// Seconds: from half a millisecond (a search) to a minute (a slow provider).
const std::vector<double> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                      0.25,   0.5,   1,      2.5,   5,    10,    60};

// Every family vigil exposes (docs/operations.md lists them too).
const Family kFamilies[] = {
    {"vigil_http_requests_total", Type::kCounter,
     "HTTP requests answered, by route pattern (\"-\" when none matched) and status"},
    {"vigil_http_request_duration_seconds", Type::kHistogram,
     "Time from a request's arrival to its response being written, by route pattern"},
    {"vigil_import_lines_total", Type::kCounter,
     "Feed lines taken by POST /api/v1/agency/events, by result (accepted, duplicate, rejected)"},
    {"vigil_import_rejects_total", Type::kCounter,
     "Feed lines rejected, by the feed field at fault (\"line\" for the line as a whole)"},
    {"vigil_outbox_notifications", Type::kGauge,
     "Notifications in the outbox, by state and channel"},
    {"vigil_dispatch_latency_seconds", Type::kHistogram,
     "From a notice being queued to the provider taking it, by channel"},
    {"vigil_dispatch_provider_errors_total", Type::kCounter,
     "Sends a provider refused or failed, by channel and outcome (temporary, permanent)"},
    {"vigil_takedown_seconds", Type::kHistogram,
     "From a protection request's arrival to the commit that withholds the person, cancels their "
     "pending notices and suspends their registrations"},
    {"vigil_audit_entries", Type::kGauge, "Entries in the audit log's hash chain"},
    {"vigil_audit_last_checkpoint_age_seconds", Type::kGauge,
     "Age of the entry the last signed audit checkpoint covers (-1: none yet)"},
    {"vigil_index_subjects", Type::kGauge, "People in this node's search index"},
    {"vigil_metrics_undeclared_total", Type::kCounter,
     "Observations of a metric vigil does not declare (a bug: should stay 0)"},
};

const Family* Find(std::string_view name) {
  for (const Family& f : kFamilies) {
    if (name == f.name) return &f;
  }
  return nullptr;
}

struct Histogram {
  std::vector<uint64_t> counts = std::vector<uint64_t>(kBuckets.size(), 0);
  uint64_t count = 0;
  double sum = 0;
};

std::string Escape(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string LabelText(const Labels& labels, const char* extra_key = nullptr,
                      const std::string& extra_value = "") {
  std::string out;
  for (const auto& [k, v] : labels) {
    out += (out.empty() ? "" : ",") + k + "=\"" + Escape(v) + "\"";
  }
  if (extra_key != nullptr) {
    out += (out.empty() ? "" : ",") + std::string(extra_key) + "=\"" + extra_value + "\"";
  }
  return out.empty() ? "" : "{" + out + "}";
}

std::string Number(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    return std::to_string(static_cast<long long>(v));
  }
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.9g", v);
  return buffer;
}

}  // namespace

struct Registry::State {
  mutable std::mutex mu;
  std::map<std::string, std::map<Labels, double>> counters;
  std::map<std::string, std::map<Labels, Histogram>> histograms;
  std::map<std::string, std::function<std::vector<GaugeSample>()>> collectors;
};

Registry::Registry() : state_(std::make_unique<State>()) {}
Registry::~Registry() = default;

void Registry::Add(std::string_view name, const Labels& labels, double n) {
  const Family* f = Find(name);
  std::lock_guard lock(state_->mu);
  if (f == nullptr || f->type != Type::kCounter) {
    state_->counters["vigil_metrics_undeclared_total"][{}] += 1;
    return;
  }
  state_->counters[f->name][labels] += n;
}

void Registry::Observe(std::string_view name, const Labels& labels, double value) {
  const Family* f = Find(name);
  std::lock_guard lock(state_->mu);
  if (f == nullptr || f->type != Type::kHistogram) {
    state_->counters["vigil_metrics_undeclared_total"][{}] += 1;
    return;
  }
  Histogram& h = state_->histograms[f->name][labels];
  const auto bucket = std::lower_bound(kBuckets.begin(), kBuckets.end(), value);
  for (auto it = bucket; it != kBuckets.end(); ++it) ++h.counts[it - kBuckets.begin()];
  ++h.count;
  h.sum += value;
}

void Registry::SetCollector(std::string_view name,
                            std::function<std::vector<GaugeSample>()> collect) {
  std::lock_guard lock(state_->mu);
  if (!collect) {
    state_->collectors.erase(std::string(name));
    return;
  }
  state_->collectors[std::string(name)] = std::move(collect);
}

std::string Registry::Render() const {
  // Collectors may query a store: run them outside the lock.
  std::map<std::string, std::function<std::vector<GaugeSample>()>> collectors;
  {
    std::lock_guard lock(state_->mu);
    collectors = state_->collectors;
  }
  std::map<std::string, std::vector<GaugeSample>> gauges;
  for (const auto& [name, collect] : collectors) gauges[name] = collect();

  std::lock_guard lock(state_->mu);
  std::string out;
  for (const Family& f : kFamilies) {
    out += "# HELP " + std::string(f.name) + " " + f.help + "\n";
    out += "# TYPE " + std::string(f.name) + " " +
           (f.type == Type::kCounter ? "counter"
            : f.type == Type::kGauge ? "gauge"
                                     : "histogram") +
           "\n";
    if (f.type == Type::kCounter) {
      auto it = state_->counters.find(f.name);
      if (it == state_->counters.end()) continue;
      for (const auto& [labels, v] : it->second) {
        out += std::string(f.name) + LabelText(labels) + " " + Number(v) + "\n";
      }
    } else if (f.type == Type::kGauge) {
      for (const auto& sample : gauges[f.name]) {
        out += std::string(f.name) + LabelText(sample.labels) + " " + Number(sample.value) + "\n";
      }
    } else {
      auto it = state_->histograms.find(f.name);
      if (it == state_->histograms.end()) continue;
      for (const auto& [labels, h] : it->second) {
        for (size_t i = 0; i < kBuckets.size(); ++i) {
          out += std::string(f.name) + "_bucket" + LabelText(labels, "le", Number(kBuckets[i])) +
                 " " + std::to_string(h.counts[i]) + "\n";
        }
        out += std::string(f.name) + "_bucket" + LabelText(labels, "le", "+Inf") + " " +
               std::to_string(h.count) + "\n";
        out += std::string(f.name) + "_sum" + LabelText(labels) + " " + Number(h.sum) + "\n";
        out += std::string(f.name) + "_count" + LabelText(labels) + " " + std::to_string(h.count) +
               "\n";
      }
    }
  }
  return out;
}

Registry& Global() {
  static Registry* registry = new Registry;  // never destroyed: threads may observe during exit
  return *registry;
}

}  // namespace vigil::metrics
