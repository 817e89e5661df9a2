// The composition root: what vigil's commands are made of — the store, the
// clock, the keys, the disclosure gate, the contact vault, the audit log,
// the delivery channels — built in one place from a validated Config, so
// each command (commands.h) is a thin function over them and a new backend
// or channel is wired here and nowhere else (docs/architecture.md).
#ifndef VIGIL_APP_SERVICES_H_
#define VIGIL_APP_SERVICES_H_

#include <map>
#include <memory>

#include "vigil/app/config.h"
#include "vigil/audit/audit_log.h"
#include "vigil/audit/witness.h"
#include "vigil/core/clock.h"
#include "vigil/notify/channel.h"
#include "vigil/notify/contact_vault.h"
#include "vigil/notify/stalking_alert.h"
#include "vigil/policy/disclosure_policy.h"
#include "vigil/policy/ref_codec.h"
#include "vigil/store/store.h"

namespace vigil {

struct Services {
  // What a command asks for; the rest stays null. Anything but kStore reads
  // (or, the first time, creates) the secret key file.
  enum Part : unsigned {
    kStore = 1,
    kGate = 2,      // refs and the disclosure policy
    kVault = 4,     // the contact vault
    kAuditLog = 8,  // the audit log's keys
    kAll = 15,
  };

  // Builds the parts asked for. kInvalidArgument for a configuration that
  // names something impossible (a store URL, a key file readable by
  // others), kUnavailable when a resource cannot be opened; each error says
  // which setting or file.
  static Result<std::unique_ptr<Services>> Open(const Config& config, unsigned parts);

  SystemClock clock;
  std::unique_ptr<Store> store;
  std::unique_ptr<policy::RefCodec> refs;
  std::unique_ptr<policy::DisclosurePolicy> policy;
  std::unique_ptr<notify::ContactVault> vault;
  std::unique_ptr<audit::AuditLog> audit_log;
};

// The transports each delivery channel goes out by, as configured ([notify]
// email, sms, voice). `sms` and `voice` are null when their provider is not
// configured (logged); the vault signs delivery-receipt URLs.
struct DeliveryChannels {
  std::unique_ptr<notify::Channel> email, sms, voice;

  std::map<DeliveryChannel, notify::Channel*> ByMedium() const {
    return {{DeliveryChannel::kEmail, email.get()},
            {DeliveryChannel::kSms, sms.get()},
            {DeliveryChannel::kVoice, voice.get()}};
  }
};
DeliveryChannels MakeDeliveryChannels(const Config& config, const notify::ContactVault& vault);

// The witness [audit] witness names, or nullptr when none is configured;
// kInvalidArgument for a witness URL that cannot be used.
Result<std::unique_ptr<audit::Witness>> OpenConfiguredWitness(const Config& config);

// The stalking alert's settings ([alerts]); the addresses were checked
// when the configuration was loaded.
notify::StalkingAlertOptions MakeAlertOptions(const Config& config);

// The process exit code for a failure to build services or run a command:
// kExitUsage for a configuration problem, kExitFailure otherwise.
int ExitCodeFor(const Error& error);

}  // namespace vigil

#endif  // VIGIL_APP_SERVICES_H_
