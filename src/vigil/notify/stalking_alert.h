// The stalking alert (DESIGN.md §2): when searches or registrations
// match a person vigil withholds (protected, a minor), privacy officers are
// told by email — which person (by A-number), how often and how they were
// sought (by A-number, by name, by registration) — and nothing about the
// searcher, never the query text. At most one alert per person per
// `min_interval`; what is sought meanwhile goes into the next one.
//
// It reads the suppressed matches the search and registration paths record
// (store), from where it was when it started: matches recorded while it was
// not running are in GET /api/v1/agency/alerts, not in an email.
//
// Thread safety: RunOnce() from one thread at a time; Start() runs it on a
// thread of its own until Stop().
#ifndef VIGIL_NOTIFY_STALKING_ALERT_H_
#define VIGIL_NOTIFY_STALKING_ALERT_H_

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "vigil/core/background_worker.h"
#include "vigil/core/clock.h"
#include "vigil/notify/channel.h"
#include "vigil/policy/disclosure_policy.h"
#include "vigil/store/store.h"

namespace vigil::notify {

struct StalkingAlertOptions {
  std::vector<std::string> recipients;  // privacy officers' addresses
  std::chrono::minutes min_interval{60};
};

class StalkingAlerter {
 public:
  // Nothing is owned; all must outlive the alerter. `email` may be null (no
  // emails; nothing else changes).
  StalkingAlerter(Store* store, const policy::DisclosurePolicy* policy, Channel* email,
                  const Clock* clock, StalkingAlertOptions options);
  ~StalkingAlerter();

  // Reads new matches and sends the alerts that are due. Returns how many
  // emails were sent.
  Result<int> RunOnce();
  void Start(std::chrono::seconds poll = std::chrono::seconds(30));
  void Stop();

 private:
  struct Pending {
    std::map<std::string, int64_t> by_channel;
    std::string reason;
    Timestamp first, last;
  };
  Store* store_;
  const policy::DisclosurePolicy* policy_;  // names the person, for staff
  Channel* email_;
  const Clock* clock_;
  StalkingAlertOptions options_;
  int64_t cursor_ = -1;                        // the last match read; -1 before the first run
  std::map<int64_t, Pending> pending_;         // by subject
  std::map<int64_t, Timestamp> last_alerted_;  // by subject
  int64_t sent_ = 0;
  std::unique_ptr<BackgroundWorker> worker_;  // last: stopped before the rest goes
};

}  // namespace vigil::notify

#endif  // VIGIL_NOTIFY_STALKING_ALERT_H_
