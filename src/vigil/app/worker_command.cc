// `vigil worker`: the background work of vigil (background_work.h) without
// an HTTP server, for the many-machine shape: N workers and N serve
// --no-worker nodes on one PostgreSQL database (docs/deployment.md).
#include <csignal>
#include <cstdio>

#include "vigil/app/background_work.h"
#include "vigil/app/commands.h"
#include "vigil/app/metrics_endpoint.h"
#include "vigil/app/services.h"
#include "vigil/audit/audit_log.h"
#include "vigil/core/logger.h"

namespace vigil {

int RunWorker(const Config& config) {
  // SIGTERM and SIGINT are taken by sigwait below: blocked before any thread
  // starts, so every thread inherits the mask and none is killed by them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto services = Services::Open(config, Services::kAll);
  if (!services) {
    std::fprintf(stderr, "vigil worker: %s\n", services.error().message().c_str());
    return ExitCodeFor(services.error());
  }
  Services& svc = **services;
  const Logger log = Logger::For("worker");
  auto witness = OpenConfiguredWitness(config);
  if (!witness) {
    std::fprintf(stderr, "vigil worker: %s\n", witness.error().message().c_str());
    return kExitUsage;
  }
  audit::AuditWriter audit(svc.store.get(), svc.audit_log.get(), &svc.clock,
                           {.witness = witness->get()});
  DeliveryChannels channels = MakeDeliveryChannels(config, *svc.vault);
  {
    BackgroundWork work(config, svc, audit, channels);
    MetricsEndpoint metrics_endpoint(config, svc.store.get(), &svc.clock, nullptr);
    log.Info("worker running", {{"store", ShowStoreUrl(config.store.url)}});
    int signal = 0;
    sigwait(&stop_signals, &signal);
    log.Info("worker stopping", {{"signal", signal == SIGINT ? "SIGINT" : "SIGTERM"}});
  }
  audit.Stop();
  log.Info("stopped");
  return kExitOk;
}

}  // namespace vigil
