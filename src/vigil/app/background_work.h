// The work a vigil process does besides answering requests: sending the
// notices owed (the dispatcher and its sweepers), the stalking alert, the
// outcomes of protection requests, and retention. `vigil serve` runs it in-process unless told
// --no-worker; `vigil worker` runs only this, so on PostgreSQL any number of HTTP nodes and workers
// share one database (outbox claims are leased with FOR UPDATE SKIP LOCKED, and a settlement
// applies only to its claim's own attempt).
//
// Thread-safe: Wake() may be called from any thread. Stop() before the
// services and channels it was given are destroyed.
#ifndef VIGIL_APP_BACKGROUND_WORK_H_
#define VIGIL_APP_BACKGROUND_WORK_H_

#include <memory>

#include "vigil/app/config.h"
#include "vigil/app/services.h"
#include "vigil/audit/audit_log.h"
#include "vigil/core/background_worker.h"
#include "vigil/notify/dispatcher.h"
#include "vigil/notify/protection_outcomes.h"
#include "vigil/notify/stalking_alert.h"

namespace vigil {

class BackgroundWork {
 public:
  // Starts every loop. `services` (with kAll), `audit` and `channels` must
  // outlive it.
  BackgroundWork(const Config& config, Services& services, audit::AuditWriter& audit,
                 const DeliveryChannels& channels);
  ~BackgroundWork() { Stop(); }
  BackgroundWork(const BackgroundWork&) = delete;
  BackgroundWork& operator=(const BackgroundWork&) = delete;

  // A notice was queued: send it now rather than at the next poll.
  void Wake() { dispatcher_.Wake(); }
  // Lets each loop finish its step, then ends them. Idempotent.
  void Stop();

 private:
  notify::Dispatcher dispatcher_;
  notify::StalkingAlerter alerter_;
  notify::ProtectionOutcomes outcomes_;
  BackgroundWorker retention_;  // last: stopped first
};

}  // namespace vigil

#endif  // VIGIL_APP_BACKGROUND_WORK_H_
