// Sends what the outbox owes (DESIGN.md §2.5, §5). Each round claims due
// notifications with a lease in a short write transaction, sends each one
// with no transaction open, and records the outcomes in others (one write
// transaction per 64 sends or per 200 ms of sending, whichever comes first) — where the
// UPDATE's WHERE clause (state 'sending', same attempt) enforces the state
// machine, so a sender whose lease ran out, or a notification cancelled by a
// takedown meanwhile, cannot be overwritten. A crash between send and record
// leaves the row 'sending'; when its lease expires it is claimed and sent
// again (at-least-once; the Message-ID lets receivers and tests spot it).
//
// Before every send the disclosure gate is asked again, against the store: a
// person protected since the notice was queued gets nothing ('suppressed').
// A gateway that reports delivery later (Kannel) leaves the row 'sent' until
// its receipt comes (api/sms_routes.h); one that never comes is settled
// after `receipt_timeout`.
//
// Temporary failures retry with capped exponential backoff and jitter; after
// `max_attempts` the row ends in 'technical_failure'. Nothing is left
// undecided.
//
// Thread safety: RunOnce() from one thread at a time; Start() runs it on a
// thread of its own until Stop().
#ifndef VIGIL_NOTIFY_DISPATCHER_H_
#define VIGIL_NOTIFY_DISPATCHER_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "vigil/core/background_worker.h"
#include "vigil/core/clock.h"
#include "vigil/notify/channel.h"
#include "vigil/notify/contact_vault.h"
#include "vigil/policy/disclosure_policy.h"
#include "vigil/store/store.h"

namespace vigil::notify {

// Why a custody notice (not a verification) is no longer owed, or nullopt
// when it still is: the registration ended or was suspended, an agency
// blocked notices about the person, or the event was retracted (a
// correction is owed instead). Asked before a message goes out and again
// before a call reads it (api/voice_routes.h).
Result<std::optional<std::string>> WhyNoLongerOwed(StoreReader& reader, const Notification& n,
                                                   const Registration& r);

struct DispatcherOptions {
  std::string public_url = "http://127.0.0.1:8080";  // for links in messages
  int batch = 50;
  std::chrono::seconds lease{60};
  int max_attempts = 12;
  std::chrono::milliseconds backoff_base{2000};
  std::chrono::milliseconds backoff_cap{std::chrono::minutes(30)};
  // A message a gateway took ('sent') whose delivery report has not come in
  // this long is settled as delivered.
  std::chrono::hours receipt_timeout{72};
  // Told of each outcome recorded, for the audit log: (kind, subject,
  // detail), with no contact data. May be empty.
  std::function<void(std::string kind, std::optional<int64_t> subject_id, std::string detail)>
      audit;
};

struct DispatchCounts {
  int claimed = 0, delivered = 0, retried = 0, failed = 0, suppressed = 0, cancelled = 0;
  int accepted = 0;             // taken by a gateway; its receipt will settle them
  int settled_unreceipted = 0;  // 'sent' too long without a receipt
};

class Dispatcher {
 public:
  // Nothing is owned; all must outlive the dispatcher. `channels` maps each
  // medium to its channel; a registration whose medium has none fails
  // permanently ('technical_failure').
  Dispatcher(Store* store, const ContactVault* vault, const policy::DisclosurePolicy* policy,
             const Clock* clock, std::map<vigil::DeliveryChannel, notify::Channel*> channels,
             DispatcherOptions options);
  ~Dispatcher();

  // One round: claims up to `batch` due notifications and settles each.
  Result<DispatchCounts> RunOnce();
  // The delay before attempt `attempt` + 1 (without jitter), for tests.
  std::chrono::milliseconds Backoff(int attempt) const;

  void Start(std::chrono::milliseconds idle_poll = std::chrono::milliseconds(200));
  void Stop();
  // Wakes the thread now (after an import, say) instead of at the next poll.
  void Wake();

 private:
  struct Decision;
  Decision Prepare(const Notification& n);

  Store* store_;
  const ContactVault* vault_;
  const policy::DisclosurePolicy* policy_;
  const Clock* clock_;
  std::map<vigil::DeliveryChannel, notify::Channel*> channels_;
  DispatcherOptions options_;
  Timestamp next_sweep_{};                    // RunOnce's thread only
  std::unique_ptr<BackgroundWorker> worker_;  // stopped before the rest goes
  // Wakes the worker when any process queues notices (PostgreSQL); gone
  // before the worker is.
  std::unique_ptr<StoreSubscription> queued_elsewhere_;
};

}  // namespace vigil::notify

#endif  // VIGIL_NOTIFY_DISPATCHER_H_
