// `vigil serve`: the HTTP server over the configured store.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>

#include "vigil/api/agency_routes.h"
#include "vigil/api/health_routes.h"
#include "vigil/api/hotline_routes.h"
#include "vigil/api/registration_routes.h"
#include "vigil/api/search_routes.h"
#include "vigil/api/sms_routes.h"
#include "vigil/api/staff_console.h"
#include "vigil/api/voice_routes.h"
#include "vigil/api/web_pages.h"
#include "vigil/app/background_work.h"
#include "vigil/app/commands.h"
#include "vigil/app/metrics_endpoint.h"
#include "vigil/app/secrets.h"
#include "vigil/app/services.h"
#include "vigil/audit/audit_log.h"
#include "vigil/core/background_worker.h"
#include "vigil/core/metrics.h"
#include "vigil/http/server.h"
#include "vigil/notify/dispatcher.h"
#include "vigil/notify/file_channel.h"
#include "vigil/notify/kannel_channel.h"
#include "vigil/notify/smtp_channel.h"
#include "vigil/notify/stalking_alert.h"
#include "vigil/notify/twilio_channel.h"
#include "vigil/search/index_follower.h"
#include "vigil/store/store.h"

namespace vigil {

int RunServe(const Config& config, const ServeArgs& args) {
  auto listen = ParseListenAddress(config.server.listen);
  if (!listen) {
    std::fprintf(stderr, "vigil serve: %s\n", listen.error().message().c_str());
    return kExitUsage;
  }
  auto services = Services::Open(config, Services::kAll);
  if (!services) {
    std::fprintf(stderr, "vigil serve: %s\n", services.error().message().c_str());
    return ExitCodeFor(services.error());
  }
  Services& svc = **services;
  auto normalizer = text::NameNormalizer::Create();
  if (!normalizer) {
    std::fprintf(stderr, "vigil serve: %s\n", normalizer.error().message().c_str());
    return kExitFailure;
  }
  Store* store = svc.store.get();
  const Clock& clock = svc.clock;
  const policy::DisclosurePolicy& policy = *svc.policy;
  search::NameIndex index(normalizer->get());
  search::IndexFollower follower(
      store, &index, [&policy](const Subject& s) { return api::PublicListing(policy, s); });
  const Logger log = Logger::For("serve");
  // What the index depends on beside the build (which the snapshot checks
  // itself): the store and the settings the classifier reads.
  const std::string snapshot_identity = config.store.url + "\nrelease_visibility_days=" +
                                        std::to_string(config.policy.release_visibility_days);
  const std::string snapshot = SnapshotPath(config);
  auto seconds_since = [](std::chrono::steady_clock::time_point t) {
    return std::to_string(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count());
  };
  Result<int64_t> loaded = 0;
  bool from_snapshot = false;
  std::error_code absent;  // an unreadable directory reads as no snapshot (LoadAll)
  if (!snapshot.empty() && std::filesystem::exists(snapshot, absent)) {
    const auto started = std::chrono::steady_clock::now();
    loaded = follower.LoadSnapshot(snapshot, snapshot_identity);
    if (loaded) {
      from_snapshot = true;
      log.Info("loaded the name index from its snapshot", {{"subjects", std::to_string(*loaded)},
                                                           {"file", snapshot},
                                                           {"seconds", seconds_since(started)}});
    } else {
      log.Warn("not using the name index snapshot; indexing the store instead",
               {{"file", snapshot}, {"why", loaded.error().message()}});
    }
  }
  if (!from_snapshot) {
    loaded = follower.LoadAll();
    if (!loaded) {
      std::fprintf(stderr, "vigil serve: loading the name index: %s\n",
                   loaded.error().message().c_str());
      return kExitFailure;
    }
    log.Info("indexed the store", {{"subjects", std::to_string(*loaded)}});
  }
  // Imports and other nodes commit to the store; follow them.
  follower.Start(std::chrono::milliseconds(250));
  http::RateLimiter limiter(config.limits.search_per_minute, &clock);
  auto witness = OpenConfiguredWitness(config);
  if (!witness) {
    std::fprintf(stderr, "vigil serve: %s\n", witness.error().message().c_str());
    return kExitUsage;
  }
  audit::AuditWriter audit(store, svc.audit_log.get(), &clock, {.witness = witness->get()});
  api::SuppressedMatchRecorder recorder(store, &index, &audit);

  // Notifications: the transports the configuration names.
  DeliveryChannels channels = MakeDeliveryChannels(config, *svc.vault);
  // Sending, the stalking alert and retention, unless other processes
  // (`vigil worker`) do them.
  std::unique_ptr<BackgroundWork> work;
  if (args.with_worker) {
    work = std::make_unique<BackgroundWork>(config, svc, audit, channels);
  } else {
    log.Info("--no-worker: this process sends no notices; run `vigil worker` beside it");
  }
  auto wake_sender = [&work] {
    if (work) work->Wake();
  };
  http::RateLimiter per_address(config.limits.registrations_per_hour, &clock,
                                std::chrono::hours(1));
  http::RateLimiter per_contact(config.limits.registrations_per_contact_per_day, &clock,
                                std::chrono::hours(24));
  http::RateLimiter per_person(config.limits.registrations_per_person_per_hour, &clock,
                               std::chrono::hours(1));
  api::RegistrationLimits registration_limits{&per_address, &per_contact, &per_person};
  notify::RegistrarDependencies registration;
  registration.store = store;
  registration.policy = &policy;
  registration.refs = svc.refs.get();
  registration.vault = svc.vault.get();
  registration.clock = &clock;
  registration.record_withheld = [&recorder](const SuppressedMatch& m) { recorder.Record(m); };
  registration.queued = wake_sender;
  registration.audit = [&audit](std::string kind, std::optional<int64_t> subject,
                                std::string detail) {
    audit.Record({std::move(kind), "public", subject, std::move(detail)});
  };
  notify::Registrar registrar(registration);
  notify::RegistrationIntake intake(&registrar);

  http::Router router;
  api::AddHealthRoutes(router, store);
  api::SearchDependencies search{
      store, &index, &policy, &clock, &limiter, &recorder, svc.audit_log.get(), &audit};
  api::AddSearchRoutes(router, search);
  api::RegistrationRouteOptions registration_options{.sms = channels.sms != nullptr,
                                                     .voice = channels.voice != nullptr,
                                                     .default_region = config.notify.default_region,
                                                     .key_store = store,
                                                     .audit = &audit};
  // Protection requests, from the public pages and the staff console.
  const api::ProtectionDesk desk{store,
                                 &clock,
                                 svc.refs.get(),
                                 svc.vault.get(),
                                 svc.audit_log.get(),
                                 wake_sender,
                                 std::chrono::hours(config.staff.request_target_hours)};
  api::RegistrationPages pages{&registrar,           &intake,         &registration_limits,
                               registration_options, svc.vault.get(), &desk};
  api::AddWebPages(router, search, &pages,
                   {.exit_url = config.web.exit_url,
                    .dv_hotline = config.web.domestic_violence_hotline,
                    .trafficking_hotline = config.web.trafficking_hotline});
  api::AddRegistrationRoutes(router, &registrar, &intake, &registration_limits,
                             registration_options);
  api::AddSmsRoutes(router, {store, svc.vault.get(), &registrar, &clock,
                             config.kannel.inbound_token, config.notify.default_region, &audit});
  api::VoiceRouteDependencies voice_routes{store,
                                           svc.vault.get(),
                                           &policy,
                                           &registrar,
                                           &clock,
                                           config.twilio.auth_token,
                                           config.server.public_url};
  voice_routes.retry_unanswered =
      std::chrono::minutes(config.notify.voice_retry_unanswered_minutes);
  voice_routes.retry_answered = std::chrono::minutes(config.notify.voice_retry_answered_minutes);
  voice_routes.give_up_after = std::chrono::hours(config.notify.voice_give_up_hours);
  voice_routes.audit = &audit;
  api::AddVoiceRoutes(router, voice_routes);
  http::RateLimiter hotline_limiter(config.limits.search_per_minute, &clock);
  api::HotlineDependencies hotline;
  hotline.search = search;
  hotline.vault = svc.vault.get();
  hotline.registrar = &registrar;
  hotline.limiter = &hotline_limiter;
  hotline.auth_token = config.twilio.auth_token;
  hotline.public_url = config.server.public_url;
  hotline.options = *HotlineOptionsOf(config);  // checked with the rest of the configuration
  hotline.store_voicemail = [store](const Voicemail& v) -> Result<void> {
    auto txn = store->BeginWrite();
    if (!txn) return tl::unexpected(txn.error());
    auto id = (*txn)->registrations().InsertVoicemail(v);
    if (!id) return tl::unexpected(id.error());
    return (*txn)->Commit();
  };
  hotline.audit = &audit;
  api::AddHotlineRoutes(router, hotline);
  api::AddAgencyRoutes(router, {store, &clock, wake_sender, svc.audit_log.get(), &audit,
                                svc.vault.get(), &policy, config.notify.default_region});
  api::StaffConsoleDependencies console;
  console.desk = desk;
  console.policy = &policy;
  console.login.idle_timeout = std::chrono::minutes(config.staff.idle_timeout_minutes);
  api::AddStaffConsole(router, console);

  http::ServerOptions options;
  options.address = listen->first == "localhost" ? "127.0.0.1" : listen->first;
  options.port = listen->second;
  options.threads = static_cast<int>(config.server.threads);
  options.metrics = &metrics::Global();
  http::AccessLog access_log;
  access_log.set_json(config.log.format == "json");
  auto server = http::Server::Create(options, &router, &access_log);
  if (!server) {
    std::fprintf(stderr, "vigil serve: %s\n", server.error().message().c_str());
    return kExitFailure;
  }
  log.Info("serving on http://" + options.address + ":" + std::to_string((*server)->port()),
           {{"store", ShowStoreUrl(config.store.url)}, {"public_url", config.server.public_url}});
  {
    MetricsEndpoint metrics_endpoint(config, store, &clock, &index);
    (*server)->Run();
  }
  follower.Stop();
  if (!snapshot.empty()) {
    // For the next start; a failure costs only that start's time.
    const auto started = std::chrono::steady_clock::now();
    if (auto saved = follower.SaveSnapshot(snapshot, snapshot_identity); !saved) {
      log.Warn("could not save the name index snapshot",
               {{"file", snapshot}, {"why", saved.error().message()}});
    } else {
      log.Info("saved the name index snapshot",
               {{"file", snapshot}, {"seconds", seconds_since(started)}});
    }
  }
  intake.Stop();
  if (work) work->Stop();
  recorder.Stop();
  audit.Stop();
  log.Info("stopped");
  return kExitOk;
}

}  // namespace vigil
