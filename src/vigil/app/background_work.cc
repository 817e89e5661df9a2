#include "vigil/app/background_work.h"

#include "vigil/app/commands.h"
#include "vigil/core/logger.h"

namespace vigil {
namespace {

notify::DispatcherOptions DispatchOptions(const Config& config, audit::AuditWriter& audit) {
  notify::DispatcherOptions options;
  options.public_url = config.server.public_url;
  options.lease = std::chrono::seconds(config.notify.lease_seconds);
  options.audit = [&audit](std::string kind, std::optional<int64_t> subject, std::string detail) {
    audit.Record({std::move(kind), "system", subject, std::move(detail)});
  };
  return options;
}

}  // namespace

BackgroundWork::BackgroundWork(const Config& config, Services& services, audit::AuditWriter& audit,
                               const DeliveryChannels& channels)
    : dispatcher_(services.store.get(), services.vault.get(), services.policy.get(),
                  &services.clock, channels.ByMedium(), DispatchOptions(config, audit)),
      alerter_(services.store.get(), services.policy.get(), channels.email.get(), &services.clock,
               MakeAlertOptions(config)),
      outcomes_(services.store.get(), services.policy.get(), services.vault.get(),
                channels.email.get(), channels.sms.get(), &services.clock,
                [&audit](std::string kind, std::optional<int64_t> subject, std::string detail) {
                  audit.Record({std::move(kind), "system", subject, std::move(detail)});
                }),
      // Retention, hourly (and once at start).
      retention_({"retention", std::chrono::hours(1), std::chrono::hours(1),
                  Logger::For("retention"), "retention"},
                 [&config, &services]() -> Result<BackgroundWorker::Step> {
                   auto r = PurgeOnce(*services.store, config, services.clock.Now());
                   if (!r) return tl::unexpected(r.error());
                   return BackgroundWorker::Step::kIdle;
                 }) {
  dispatcher_.Start();
  alerter_.Start();
  outcomes_.Start();
  retention_.Start();
}

void BackgroundWork::Stop() {
  dispatcher_.Stop();
  alerter_.Stop();
  outcomes_.Stop();
  retention_.Stop();
}

}  // namespace vigil
