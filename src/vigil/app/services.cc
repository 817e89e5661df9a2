#include "vigil/app/services.h"

#include "vigil/app/commands.h"
#include "vigil/app/secrets.h"
#include "vigil/core/logger.h"
#include "vigil/notify/file_channel.h"
#include "vigil/notify/kannel_channel.h"
#include "vigil/notify/smtp_channel.h"
#include "vigil/notify/twilio_channel.h"

namespace vigil {
namespace {

// The secret key, checked against the one the database was sealed with.
// Every node of a database must be given the same key file: a node with
// another key would hand out refs, seal contacts and sign checkpoints that
// no other node can read, so it refuses to start. A key is never made here,
// only by `vigil secrets init` (and ./scripts/run for the demo): a key made
// silently because a path was wrong would change every ref.
Result<SecretKey> OpenSecretKey(const Config& config, Store* store) {
  const std::string database = ShowStoreUrl(config.store.url);
  const std::string& path = config.secrets.key_file;
  std::optional<std::string> recorded;
  if (store != nullptr) {
    auto reader = store->BeginRead();
    if (!reader) return tl::unexpected(reader.error());
    auto fingerprint = (*reader)->controls().KeyFingerprint();
    if (!fingerprint) return tl::unexpected(fingerprint.error());
    recorded = *fingerprint;
  }
  auto existing = LoadSecretKey(path);
  if (!existing) return tl::unexpected(existing.error());
  if (!*existing) {
    if (recorded) {
      return Unavailable("there is no secret key at " + path + " ([secrets] key_file), and the " +
                         "database " + database + " was sealed with key " + *recorded +
                         ": give this node the key file the other nodes use");
    }
    return Unavailable("there is no secret key at " + path + " ([secrets] key_file) for the " +
                       "database " + database +
                       ": make one with `vigil secrets init` (on one node; copy the file to "
                       "every other), or point [secrets] key_file at the one in use");
  }
  const SecretKey key = **existing;
  const std::string fingerprint = SecretKeyFingerprint(key);
  if (recorded && *recorded != fingerprint) {
    return Unavailable("the secret key at " + path + " (fingerprint " + fingerprint +
                       ") is not the key the database " + database + " was sealed with (" +
                       *recorded + "): give this node the key file the other nodes use");
  }
  if (!recorded && store != nullptr) {
    auto txn = store->BeginWrite();
    if (!txn) return tl::unexpected(txn.error());
    VIGIL_RETURN_IF_ERROR((*txn)->controls().RecordKeyFingerprint(fingerprint));
    VIGIL_RETURN_IF_ERROR((*txn)->Commit());
  }
  return key;
}

}  // namespace

Result<std::unique_ptr<Services>> Services::Open(const Config& config, unsigned parts) {
  auto s = std::make_unique<Services>();
  if (parts & kStore) {
    auto store = OpenStore(config.store.url, SchemaUpgrade::kRefuse);
    if (!store) return tl::unexpected(store.error());
    s->store = std::move(*store);
  }
  if ((parts & ~kStore) == 0) return s;
  auto key = OpenSecretKey(config, s->store.get());
  if (!key) return tl::unexpected(key.error());
  if (parts & kGate) {
    // The refs must be the ones every other node and command hands out.
    auto refs = policy::RefCodec::Create(*key);
    if (!refs) return tl::unexpected(refs.error());
    s->refs = std::make_unique<policy::RefCodec>(std::move(*refs));
    s->policy = std::make_unique<policy::DisclosurePolicy>(
        &s->clock, s->refs.get(), policy::PolicyOptions{config.policy.release_visibility_days});
  }
  if (parts & kVault) {
    auto vault = notify::ContactVault::Create(*key);
    if (!vault) return tl::unexpected(vault.error());
    s->vault = std::make_unique<notify::ContactVault>(std::move(*vault));
  }
  if (parts & kAuditLog) {
    auto log = audit::AuditLog::Create(*key);
    if (!log) return tl::unexpected(log.error());
    s->audit_log = std::make_unique<audit::AuditLog>(std::move(*log));
  }
  return s;
}

Result<std::unique_ptr<audit::Witness>> OpenConfiguredWitness(const Config& config) {
  if (config.audit.witness.empty()) return std::unique_ptr<audit::Witness>();
  auto opened = audit::OpenWitness(config.audit.witness);
  if (!opened) return tl::unexpected(opened.error().WithContext("[audit] witness"));
  Logger::For("audit").Info("audit checkpoints are witnessed at " + (*opened)->Describe());
  return opened;
}

DeliveryChannels MakeDeliveryChannels(const Config& config, const notify::ContactVault& vault) {
  const Logger log = Logger::For("serve");
  DeliveryChannels c;
  if (config.notify.email == "smtp") {
    c.email = std::make_unique<notify::SmtpChannel>(
        notify::SmtpOptions{config.smtp.url, config.smtp.from});
  } else {
    c.email = std::make_unique<notify::FileChannel>(config.file.outbox_dir);
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
  if (config.notify.sms == "twilio" && twilio_configured) {
    c.sms = std::make_unique<notify::TwilioChannel>(twilio, &vault, DeliveryChannel::kSms);
  } else if (config.notify.sms == "kannel") {
    notify::KannelOptions kannel;
    kannel.sendsms_url = config.kannel.sendsms_url;
    kannel.username = config.kannel.username;
    kannel.password = config.kannel.password;
    kannel.from = config.kannel.from;
    kannel.receipt_url = config.server.public_url + "/api/v1/sms/receipt";
    c.sms = std::make_unique<notify::KannelChannel>(kannel, &vault);
  } else if (config.notify.sms == "file") {
    c.sms = std::make_unique<notify::FileChannel>(config.file.outbox_dir);
  } else {
    log.Warn("[twilio] account_sid and auth_token are not set; texts are off");
  }
  if (config.notify.voice == "file") {
    c.voice = std::make_unique<notify::FileChannel>(config.file.outbox_dir);
  } else if (twilio_configured) {
    c.voice = std::make_unique<notify::TwilioChannel>(twilio, &vault, DeliveryChannel::kVoice);
  } else {
    log.Warn("[twilio] account_sid and auth_token are not set; calls are off");
  }
  return c;
}

notify::StalkingAlertOptions MakeAlertOptions(const Config& config) {
  notify::StalkingAlertOptions options;
  const std::string& list = config.alerts.privacy_officers;
  for (size_t start = 0; start < list.size();) {
    size_t end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    if (auto address = notify::NormalizeEmail(list.substr(start, end - start))) {
      options.recipients.push_back(*address);
    }
    start = end + 1;
  }
  options.min_interval = std::chrono::minutes(config.alerts.min_interval_minutes);
  return options;
}

int ExitCodeFor(const Error& error) {
  return error.code() == ErrorCode::kInvalidArgument ? kExitUsage : kExitFailure;
}

}  // namespace vigil
