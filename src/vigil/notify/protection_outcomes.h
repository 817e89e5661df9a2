// Telling the people who asked for a protection what was decided
// (docs/staff.md), at the e-mail address or phone number they gave, in the
// language of the page they asked from — and nothing the public may not
// see: "not listed" after a confirmation, for a request that named nobody,
// and for a person now withheld for any reason; "still listed" only for a
// person the public search shows at that moment.
//
// At least once: a request is marked told (outcome_sent) after its channel
// took the message, so a crash in between tells again. A channel's
// permanent refusal marks it too (with nothing more to try). Each message
// is audited ("protection_outcome"), without the contact.
//
// Thread safety: RunOnce from one thread (the worker's).
#ifndef VIGIL_NOTIFY_PROTECTION_OUTCOMES_H_
#define VIGIL_NOTIFY_PROTECTION_OUTCOMES_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "vigil/core/background_worker.h"
#include "vigil/core/clock.h"
#include "vigil/notify/channel.h"
#include "vigil/notify/contact_vault.h"
#include "vigil/policy/disclosure_policy.h"
#include "vigil/store/store.h"

namespace vigil::notify {

class ProtectionOutcomes {
 public:
  using AuditFn =
      std::function<void(std::string kind, std::optional<int64_t> subject, std::string detail)>;
  // Nothing is owned; all must outlive this. `email` or `sms` may be null:
  // a request whose contact needs it waits (and is logged) until one is set.
  ProtectionOutcomes(Store* store, const policy::DisclosurePolicy* policy,
                     const ContactVault* vault, Channel* email, Channel* sms, const Clock* clock,
                     AuditFn audit = {});
  ~ProtectionOutcomes();

  // Tells every decided request not yet told. Returns how many were told.
  Result<int> RunOnce();
  void Start(std::chrono::seconds poll = std::chrono::seconds(10));
  void Stop();

 private:
  Store* store_;
  const policy::DisclosurePolicy* policy_;
  const ContactVault* vault_;
  Channel* email_;
  Channel* sms_;
  const Clock* clock_;
  AuditFn audit_;
  std::unique_ptr<BackgroundWorker> worker_;  // last: stopped before the rest goes
};

}  // namespace vigil::notify

#endif  // VIGIL_NOTIFY_PROTECTION_OUTCOMES_H_
