// `vigil serve`: the HTTP server over the configured store.
#include <cstdio>
#include <functional>

#include "vigil/api/agency_routes.h"
#include "vigil/api/health_routes.h"
#include "vigil/api/registration_routes.h"
#include "vigil/api/search_routes.h"
#include "vigil/api/sms_routes.h"
#include "vigil/api/voice_routes.h"
#include "vigil/api/web_pages.h"
#include "vigil/app/commands.h"
#include "vigil/app/secrets.h"
#include "vigil/audit/audit_log.h"
#include "vigil/core/background_worker.h"
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

int RunServe(const Config& config) {
  auto listen = ParseListenAddress(config.server.listen);
  if (!listen) {
    std::fprintf(stderr, "vigil serve: %s\n", listen.error().message().c_str());
    return kExitUsage;
  }
  auto store = OpenStore(config.store.url);
  if (!store) {
    std::fprintf(stderr, "vigil serve: %s\n", store.error().message().c_str());
    return store.error().code() == ErrorCode::kInvalidArgument ? kExitUsage : kExitFailure;
  }
  auto key = LoadOrCreateSecretKey(config.secrets.key_file);
  if (!key) {
    std::fprintf(stderr, "vigil serve: %s\n", key.error().message().c_str());
    return key.error().code() == ErrorCode::kInvalidArgument ? kExitUsage : kExitFailure;
  }
  auto refs = policy::RefCodec::Create(*key);
  auto normalizer = text::NameNormalizer::Create();
  if (!refs || !normalizer) {
    std::fprintf(stderr, "vigil serve: %s\n",
                 (!refs ? refs.error() : normalizer.error()).message().c_str());
    return kExitFailure;
  }
  SystemClock clock;
  policy::DisclosurePolicy policy(&clock, &*refs, {config.policy.release_visibility_days});
  search::NameIndex index(normalizer->get());
  search::IndexFollower follower(
      store->get(), &index, [&policy](const Subject& s) { return api::PublicListing(policy, s); });
  auto loaded = follower.LoadAll();
  if (!loaded) {
    std::fprintf(stderr, "vigil serve: loading the name index: %s\n",
                 loaded.error().message().c_str());
    return kExitFailure;
  }
  std::fprintf(stderr, "vigil: indexed %lld subjects\n", static_cast<long long>(*loaded));
  // Imports and other nodes commit to the store; follow them.
  follower.Start(std::chrono::milliseconds(250));
  http::RateLimiter limiter(config.limits.search_per_minute, &clock);
  auto audit_log = audit::AuditLog::Create(*key);
  if (!audit_log) {
    std::fprintf(stderr, "vigil serve: %s\n", audit_log.error().message().c_str());
    return kExitFailure;
  }
  std::unique_ptr<audit::Witness> witness;
  if (!config.audit.witness.empty()) {
    auto opened = audit::OpenWitness(config.audit.witness);
    if (!opened) {
      std::fprintf(stderr, "vigil serve: %s\n", opened.error().message().c_str());
      return kExitUsage;
    }
    witness = std::move(*opened);
    std::fprintf(stderr, "vigil: audit checkpoints are witnessed at %s\n",
                 witness->Describe().c_str());
  }
  audit::AuditWriter audit(store->get(), &*audit_log, &clock, {.witness = witness.get()});
  api::SuppressedMatchRecorder recorder(store->get(), &index, &audit);

  // Notifications: the email channel the configuration names.
  auto vault = notify::ContactVault::Create(*key);
  if (!vault) {
    std::fprintf(stderr, "vigil serve: %s\n", vault.error().message().c_str());
    return kExitFailure;
  }
  std::unique_ptr<notify::Channel> email;
  if (config.notify.email == "smtp") {
    email = std::make_unique<notify::SmtpChannel>(
        notify::SmtpOptions{config.smtp.url, config.smtp.from});
  } else if (config.notify.email == "file") {
    email = std::make_unique<notify::FileChannel>(config.file.outbox_dir);
  } else {
    std::fprintf(stderr, "vigil serve: notify.email must be \"smtp\" or \"file\", not \"%s\"\n",
                 config.notify.email.c_str());
    return kExitUsage;
  }
  // Texts: Kannel, a Twilio-compatible provider, or the outbox directory.
  // Calls: a Twilio-compatible provider, or the outbox directory.
  notify::TwilioOptions twilio;
  twilio.api_base = config.twilio.api_base;
  twilio.account_sid = config.twilio.account_sid;
  twilio.auth_token = config.twilio.auth_token;
  twilio.from = config.twilio.from;
  twilio.public_url = config.server.public_url;
  const bool twilio_configured = !twilio.account_sid.empty() && !twilio.auth_token.empty();
  std::unique_ptr<notify::Channel> sms;
  if (config.notify.sms == "twilio" && twilio_configured) {
    sms = std::make_unique<notify::TwilioChannel>(twilio, &*vault, DeliveryChannel::kSms);
  } else if (config.notify.sms == "kannel") {
    notify::KannelOptions kannel;
    kannel.sendsms_url = config.kannel.sendsms_url;
    kannel.username = config.kannel.username;
    kannel.password = config.kannel.password;
    kannel.from = config.kannel.from;
    kannel.receipt_url = config.server.public_url + "/api/v1/sms/receipt";
    sms = std::make_unique<notify::KannelChannel>(kannel, &*vault);
  } else if (config.notify.sms == "file") {
    sms = std::make_unique<notify::FileChannel>(config.file.outbox_dir);
  } else {
    std::fprintf(stderr, "vigil: [twilio] account_sid and auth_token are not set; texts are off\n");
  }
  std::unique_ptr<notify::Channel> voice;
  if (config.notify.voice == "file") {
    voice = std::make_unique<notify::FileChannel>(config.file.outbox_dir);
  } else if (twilio_configured) {
    voice = std::make_unique<notify::TwilioChannel>(twilio, &*vault, DeliveryChannel::kVoice);
  } else {
    std::fprintf(stderr, "vigil: [twilio] account_sid and auth_token are not set; calls are off\n");
  }
  notify::DispatcherOptions dispatch_options;
  dispatch_options.public_url = config.server.public_url;
  dispatch_options.lease = std::chrono::seconds(config.notify.lease_seconds);
  dispatch_options.audit = [&audit](std::string kind, std::optional<int64_t> subject,
                                    std::string detail) {
    audit.Record({std::move(kind), "system", subject, std::move(detail)});
  };
  notify::Dispatcher dispatcher(
      store->get(), &*vault, &policy, &clock,
      {{DeliveryChannel::kEmail, email.get()}, {DeliveryChannel::kSms, sms.get()}, {DeliveryChannel::kVoice, voice.get()}},
      dispatch_options);
  dispatcher.Start();
  // The stalking alert: privacy officers, by email.
  notify::StalkingAlertOptions alert_options;
  for (size_t start = 0; start < config.alerts.privacy_officers.size();) {
    size_t end = config.alerts.privacy_officers.find(',', start);
    if (end == std::string::npos) end = config.alerts.privacy_officers.size();
    auto address =
        notify::NormalizeEmail(config.alerts.privacy_officers.substr(start, end - start));
    if (!address) {
      std::fprintf(stderr, "vigil serve: [alerts] privacy_officers: %s\n",
                   address.error().message().c_str());
      return kExitUsage;
    }
    alert_options.recipients.push_back(*address);
    start = end + 1;
  }
  alert_options.min_interval = std::chrono::minutes(config.alerts.min_interval_minutes);
  notify::StalkingAlerter alerter(store->get(), &policy, email.get(), &clock, alert_options);
  alerter.Start();
  // Retention, hourly (and once at start).
  BackgroundWorker retention(
      {"retention", std::chrono::hours(1), std::chrono::hours(1), Logger::For("retention")},
      [&]() -> Result<BackgroundWorker::Step> {
        auto r = PurgeOnce(**store, config, clock.Now());
        if (!r) return tl::unexpected(r.error());
        return BackgroundWorker::Step::kIdle;
      });
  retention.Start();
  http::RateLimiter registration_limiter(config.limits.registrations_per_hour, &clock,
                                         std::chrono::hours(1));
  notify::RegistrarDependencies registration;
  registration.store = store->get();
  registration.policy = &policy;
  registration.refs = &*refs;
  registration.vault = &*vault;
  registration.clock = &clock;
  registration.record_withheld = [&recorder](const SuppressedMatch& m) { recorder.Record(m); };
  registration.queued = [&dispatcher] { dispatcher.Wake(); };
  registration.audit = [&audit](std::string kind, std::optional<int64_t> subject,
                                std::string detail) {
    audit.Record({std::move(kind), "public", subject, std::move(detail)});
  };
  notify::Registrar registrar(registration);
  notify::RegistrationIntake intake(&registrar);

  http::Router router;
  api::AddHealthRoutes(router, store->get());
  api::SearchDependencies search{store->get(), &index,    &policy,     &clock,
                                 &limiter,     &recorder, &*audit_log, &audit};
  api::AddSearchRoutes(router, search);
  api::RegistrationRouteOptions registration_options{
      .sms = sms != nullptr,
      .voice = voice != nullptr,
      .default_region = config.notify.default_region};
  api::RegistrationPages pages{&registrar, &intake, &registration_limiter, registration_options};
  api::AddWebPages(router, search, &pages);
  api::AddRegistrationRoutes(router, &registrar, &intake, &registration_limiter,
                             registration_options);
  api::AddSmsRoutes(router, {store->get(), &*vault, &registrar, &clock, config.kannel.inbound_token,
                             config.notify.default_region, &audit});
  api::VoiceRouteDependencies voice_routes{store->get(),
                                           &*vault,
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
  api::AddAgencyRoutes(
      router, {store->get(), &clock, [&dispatcher] { dispatcher.Wake(); }, &*audit_log, &audit,
               &*vault, &policy, config.notify.default_region});

  http::ServerOptions options;
  options.address = listen->first == "localhost" ? "127.0.0.1" : listen->first;
  options.port = listen->second;
  options.threads = static_cast<int>(config.server.threads);
  http::AccessLog access_log;
  auto server = http::Server::Create(options, &router, &access_log);
  if (!server) {
    std::fprintf(stderr, "vigil serve: %s\n", server.error().message().c_str());
    return kExitFailure;
  }
  std::fprintf(stderr, "vigil: serving on http://%s:%u (store %s)\n", options.address.c_str(),
               static_cast<unsigned>((*server)->port()), config.store.url.c_str());
  (*server)->Run();
  follower.Stop();
  intake.Stop();
  dispatcher.Stop();
  recorder.Stop();
  alerter.Stop();
  retention.Stop();
  audit.Stop();
  std::fprintf(stderr, "vigil: stopped\n");
  return kExitOk;
}

}  // namespace vigil
