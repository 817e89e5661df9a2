#include "vigil/notify/protection_outcomes.h"

#include "vigil/core/logger.h"
#include "vigil/i18n/catalogue.h"

namespace vigil::notify {

ProtectionOutcomes::ProtectionOutcomes(Store* store, const policy::DisclosurePolicy* policy,
                                       const ContactVault* vault, Channel* email, Channel* sms,
                                       const Clock* clock, AuditFn audit)
    : store_(store),
      policy_(policy),
      vault_(vault),
      email_(email),
      sms_(sms),
      clock_(clock),
      audit_(std::move(audit)) {}

ProtectionOutcomes::~ProtectionOutcomes() { Stop(); }

Result<int> ProtectionOutcomes::RunOnce() {
  std::vector<ProtectionRequest> due;
  {
    auto reader = store_->BeginRead();
    if (!reader) return tl::unexpected(reader.error());
    for (const char* state : {"confirmed", "rejected"}) {
      auto decided = (*reader)->registrations().ProtectionRequests(state, 100000);
      if (!decided) return tl::unexpected(decided.error());
      for (ProtectionRequest& r : *decided) {
        if (!r.outcome_sent && !r.contact_sealed.empty()) due.push_back(std::move(r));
      }
    }
  }
  int told = 0;
  for (ProtectionRequest& r : due) {
    auto contact = vault_->Open(r.contact_sealed);
    if (!contact) continue;  // sealed under another key: nothing to do but wait for purge
    Channel* channel = contact->find('@') != std::string::npos ? email_ : sms_;
    if (channel == nullptr) {
      Logger::For("outcomes")
          .Warn("a protection request's outcome waits for a channel",
                {{"request", std::to_string(r.request_id)}});
      continue;
    }
    // Still listed only if the public search shows the person right now.
    bool listed = false;
    if (r.state == "rejected" && r.subject_id != 0) {
      auto reader = store_->BeginRead();
      if (!reader) return tl::unexpected(reader.error());
      policy::SuppressionReason why;
      listed =
          policy_->Disclose(**reader, r.subject_id, policy::Audience::kPublic, &why).has_value();
      if (why == policy::SuppressionReason::kStoreError) {
        return Unavailable("the store failed while checking a protection request's person");
      }
    }
    const i18n::Catalogue& words = i18n::BuiltInCatalogue(r.language);
    OutgoingMessage m;
    m.notification_id = -r.request_id;  // apart from the outbox's ids
    m.idempotency_key = "vigil-protection-" + std::to_string(r.request_id);
    m.to = *contact;
    m.language = r.language;
    m.subject = words.Get("protect.outcome_subject");
    m.body = i18n::FillTemplate(
        words.Get(listed ? "protect.outcome_still_listed" : "protect.outcome_not_listed"),
        {{"identifier", r.identifier}});
    const SendResult sent = channel->Send(m);
    if (sent.outcome == SendOutcome::kTemporary) continue;  // the next run tries again
    auto txn = store_->BeginWrite();
    if (!txn) return tl::unexpected(txn.error());
    r.outcome_sent = clock_->Now();
    auto updated = (*txn)->registrations().UpdateProtectionRequest(r);
    if (!updated) return tl::unexpected(updated.error());
    VIGIL_RETURN_IF_ERROR((*txn)->Commit());
    if (audit_) {
      audit_("protection_outcome", r.subject_id != 0 ? std::optional(r.subject_id) : std::nullopt,
             "request " + std::to_string(r.request_id) +
                 "; told: " + (listed ? "still listed" : "not listed") +
                 (sent.outcome == SendOutcome::kPermanent ? "; refused for good: " + sent.detail
                                                          : ""));
    }
    ++told;
  }
  return told;
}

void ProtectionOutcomes::Start(std::chrono::seconds poll) {
  if (worker_) return;
  worker_ = std::make_unique<BackgroundWorker>(
      BackgroundWorker::Options{"protection outcomes", poll, poll * 8, Logger::For("outcomes"),
                                "outcomes"},
      [this]() -> Result<BackgroundWorker::Step> {
        auto r = RunOnce();
        if (!r) return tl::unexpected(r.error());
        return BackgroundWorker::Step::kIdle;
      });
  worker_->Start();
}

void ProtectionOutcomes::Stop() {
  if (worker_) worker_->Stop();
}

}  // namespace vigil::notify
