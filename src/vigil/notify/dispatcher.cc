#include "vigil/notify/dispatcher.h"

#include <sodium.h>

#include <cstdio>
#include <optional>

#include "vigil/core/metrics.h"
#include "vigil/notify/messages.h"

namespace vigil::notify {

// What to do with one claimed notification.
struct Dispatcher::Decision {
  std::optional<NotificationState> settle;  // settle without sending
  std::string why;
  vigil::DeliveryChannel medium = vigil::DeliveryChannel::kEmail;
  std::optional<int64_t> subject_id;
  OutgoingMessage message;
};

Result<std::optional<std::string>> WhyNoLongerOwed(StoreReader& reader, const Notification& n,
                                                   const Registration& r) {
  if (r.state != RegistrationState::kActive) {
    return std::optional<std::string>("registration is " + std::string(Name(r.state)));
  }
  auto blocked = reader.controls().IsNotificationBlocked(r.subject_id);
  if (!blocked) return tl::unexpected(blocked.error());
  if (*blocked) return std::optional<std::string>("notifications about this person are blocked");
  if (n.event_pk && n.kind != "correction") {
    auto withdrawn = reader.custody().IsEventWithdrawn(*n.event_pk);
    if (!withdrawn) return tl::unexpected(withdrawn.error());
    if (*withdrawn) return std::optional<std::string>("the event was retracted");
  }
  return std::optional<std::string>();
}

Dispatcher::Dispatcher(Store* store, const ContactVault* vault,
                       const policy::DisclosurePolicy* policy, const Clock* clock,
                       std::map<vigil::DeliveryChannel, notify::Channel*> channels,
                       DispatcherOptions options)
    : store_(store),
      vault_(vault),
      policy_(policy),
      clock_(clock),
      channels_(std::move(channels)),
      options_(std::move(options)) {}

Dispatcher::~Dispatcher() { Stop(); }

std::chrono::milliseconds Dispatcher::Backoff(int attempt) const {
  auto delay = options_.backoff_base;
  for (int i = 1; i < attempt && delay < options_.backoff_cap; ++i) delay *= 2;
  return std::min(delay, options_.backoff_cap);
}

Dispatcher::Decision Dispatcher::Prepare(const Notification& n) {
  Decision d;
  auto reader = store_->BeginRead();
  if (!reader) {
    d.settle = NotificationState::kTemporaryFailure;
    d.why = "store: " + reader.error().message();
    return d;
  }
  auto reg = (*reader)->registrations().GetRegistration(n.registration_id);
  if (!reg || !*reg) {
    d.settle = NotificationState::kTechnicalFailure;
    d.why = reg ? "registration is gone" : "store: " + reg.error().message();
    return d;
  }
  const Registration& r = **reg;
  d.medium = r.channel;
  d.subject_id = r.subject_id;
  d.message.notification_id = n.notification_id;
  d.message.idempotency_key =
      "vigil-" + std::to_string(n.notification_id) + "-" + std::to_string(n.attempts);
  d.message.language = r.language;
  const bool verification = n.kind == "verify";
  if (verification ? r.state != RegistrationState::kPending
                   : r.state != RegistrationState::kActive) {
    // Unsubscribed, suspended by a takedown, or verified already: not owed.
    d.settle = NotificationState::kCancelled;
    d.why = "registration is " + std::string(Name(r.state));
    return d;
  }
  // The gate again, against the store, whatever was true when it was queued.
  policy::SuppressionReason why = policy::SuppressionReason::kNone;
  auto audience = r.tier == RegistrationTier::kVerified ? policy::Audience::kVerifiedRegistrant
                                                        : policy::Audience::kPublic;
  auto subject = policy_->Disclose(**reader, r.subject_id, audience, &why);
  if (!subject) {
    d.settle = why == policy::SuppressionReason::kStoreError ? NotificationState::kTemporaryFailure
                                                             : NotificationState::kSuppressed;
    d.why = "withheld";
    return d;
  }
  if (!verification) {
    auto owed = WhyNoLongerOwed(**reader, n, r);
    if (!owed) {
      d.settle = NotificationState::kTemporaryFailure;
      d.why = "store: " + owed.error().message();
      return d;
    }
    if (*owed) {
      d.settle = NotificationState::kCancelled;
      d.why = **owed;
      return d;
    }
    if (n.kind == "scheduled_release" && !subject->scheduled_release()) {
      d.settle = NotificationState::kCancelled;
      d.why = "no release is scheduled any more";
      return d;
    }
  }
  auto contact = vault_->Open(r.contact_sealed);
  if (!contact) {
    d.settle = NotificationState::kTechnicalFailure;
    d.why = "contact does not open with this key";
    return d;
  }
  d.message.to = *contact;
  std::string unsubscribe =
      options_.public_url + "/unsubscribe?token=" + vault_->UnsubscribeToken(r.registration_id);
  RenderedMessage text;
  if (verification) {
    auto token = vault_->Open(n.payload_sealed);
    if (!token) {
      d.settle = NotificationState::kTechnicalFailure;
      d.why = "verification token does not open";
      return d;
    }
    std::string url = options_.public_url + "/verify?token=" + *token;
    std::string code = token->substr(token->find('.') + 1);
    if (r.channel == vigil::DeliveryChannel::kEmail) {
      text = RenderVerification(r.language, url);
    } else if (r.channel == vigil::DeliveryChannel::kSms) {
      text.body = RenderSmsVerification(r.language, code, url);
    } else {
      text.body = RenderVoiceVerification(r.language, code);
    }
  } else if (r.channel == vigil::DeliveryChannel::kEmail) {
    // The same token opens the registrant's own page (api/web_pages.h /status).
    text = RenderCustodyNotice(
        r.language, n.kind, *subject, unsubscribe,
        options_.public_url + "/status?token=" + vault_->UnsubscribeToken(r.registration_id));
    d.message.unsubscribe_url = unsubscribe;
  } else if (r.channel == vigil::DeliveryChannel::kSms) {
    text.body = RenderSmsNotice(r.language, n.kind, *subject);
  } else {
    // A call speaks only after the PIN (api/voice_routes.h); the text is for
    // channels that write it down (the file channel).
    text.body = RenderVoiceNotice(r.language, n.kind, *subject);
  }
  d.message.subject = std::move(text.subject);
  d.message.body = std::move(text.body);
  return d;
}

Result<DispatchCounts> Dispatcher::RunOnce() {
  DispatchCounts counts;
  std::vector<Notification> claimed;
  {
    auto txn = store_->BeginWrite();
    if (!txn) return tl::unexpected(txn.error());
    Timestamp now = clock_->Now();
    auto rows = (*txn)->outbox().ClaimDueNotifications(
        now, now + std::chrono::duration_cast<std::chrono::microseconds>(options_.lease),
        options_.batch);
    if (!rows) return tl::unexpected(rows.error());
    VIGIL_RETURN_IF_ERROR((*txn)->Commit());
    claimed = std::move(*rows);
  }
  counts.claimed = static_cast<int>(claimed.size());
  if (Timestamp now = clock_->Now(); now >= next_sweep_) {
    // Receipts that never came: the gateway took the message, and most
    // networks deliver without reporting. Settle rather than wait forever.
    next_sweep_ = now + std::chrono::minutes(1);
    auto txn = store_->BeginWrite();
    if (!txn) return tl::unexpected(txn.error());
    auto settled = (*txn)->outbox().SettleUnreceipted(
        now - std::chrono::duration_cast<std::chrono::microseconds>(options_.receipt_timeout), now,
        "taken by the gateway; no delivery report came");
    if (!settled) return tl::unexpected(settled.error());
    VIGIL_RETURN_IF_ERROR((*txn)->Commit());
    counts.settled_unreceipted = static_cast<int>(*settled);
  }
  // Outcomes are recorded in batches: one write transaction for up to
  // kSettleBatch sends, or for what was sent in the last kSettleInterval,
  // rather than one durable commit per message. A crash before a batch is
  // committed re-sends at most that batch (its rows stay 'sending' until
  // their lease runs out), which the Message-ID lets receivers recognise.
  constexpr size_t kSettleBatch = 64;
  constexpr auto kSettleInterval = std::chrono::milliseconds(200);
  struct Outcome {
    const Notification* n;
    NotificationState to;
    Timestamp at, due;
    std::string detail;
    std::optional<int64_t> subject_id;
    vigil::DeliveryChannel medium;
  };
  std::vector<Outcome> pending;
  auto first_pending = std::chrono::steady_clock::now();
  auto settle = [&]() -> Result<void> {
    if (pending.empty()) return {};
    auto txn = store_->BeginWrite();
    if (!txn) return tl::unexpected(txn.error());
    std::vector<bool> applied;
    for (const Outcome& o : pending) {
      auto done = (*txn)->outbox().FinishNotification(o.n->notification_id, o.n->attempts, o.to,
                                                      o.at, o.due, o.detail);
      if (!done) return tl::unexpected(done.error());
      applied.push_back(*done);
    }
    VIGIL_RETURN_IF_ERROR((*txn)->Commit());
    for (size_t i = 0; i < pending.size(); ++i) {
      if (!applied[i]) continue;  // cancelled or re-claimed meanwhile: theirs to settle
      const Outcome& o = pending[i];
      if (options_.audit) {
        options_.audit("notification", o.subject_id,
                       "notification " + std::to_string(o.n->notification_id) + " (" + o.n->kind +
                           ", " + std::string(Name(o.medium)) + ", attempt " +
                           std::to_string(o.n->attempts) + "): " + std::string(Name(o.to)));
      }
      switch (o.to) {
        case NotificationState::kDelivered:
          ++counts.delivered;
          break;
        case NotificationState::kSent:
          ++counts.accepted;
          break;
        case NotificationState::kTemporaryFailure:
          ++counts.retried;
          break;
        case NotificationState::kSuppressed:
          ++counts.suppressed;
          break;
        case NotificationState::kCancelled:
          ++counts.cancelled;
          break;
        default:
          ++counts.failed;
          break;
      }
    }
    pending.clear();
    return {};
  };
  for (const Notification& n : claimed) {
    Decision d = Prepare(n);
    NotificationState to;
    std::string detail = d.why;
    if (d.settle) {
      to = *d.settle;
    } else {
      auto channel = channels_.find(d.medium);
      if (channel == channels_.end() || channel->second == nullptr) {
        to = NotificationState::kTechnicalFailure;
        detail = "no channel configured for " + std::string(Name(d.medium));
      } else {
        SendResult sent = channel->second->Send(d.message);
        detail = sent.detail;
        to = sent.outcome == SendOutcome::kSent        ? NotificationState::kDelivered
             : sent.outcome == SendOutcome::kAccepted  ? NotificationState::kSent
             : sent.outcome == SendOutcome::kPermanent ? NotificationState::kPermanentFailure
                                                       : NotificationState::kTemporaryFailure;
        const std::string medium(Name(d.medium));
        if (sent.outcome == SendOutcome::kSent || sent.outcome == SendOutcome::kAccepted) {
          metrics::Global().Observe(
              "vigil_dispatch_latency_seconds", {{"channel", medium}},
              std::chrono::duration<double>(clock_->Now() - n.created_at).count());
        } else {
          metrics::Global().Add(
              "vigil_dispatch_provider_errors_total",
              {{"channel", medium},
               {"outcome", sent.outcome == SendOutcome::kPermanent ? "permanent" : "temporary"}});
        }
      }
    }
    sodium_memzero(d.message.to.data(), d.message.to.size());
    Timestamp now = clock_->Now();
    Timestamp due = now;
    if (to == NotificationState::kTemporaryFailure) {
      if (n.attempts >= options_.max_attempts) {
        to = NotificationState::kTechnicalFailure;
        detail = "gave up after " + std::to_string(n.attempts) + " attempts: " + detail;
      } else {
        auto delay = Backoff(n.attempts);
        // Jitter in [50%, 100%] so a recovered peer is not hit by everyone at once.
        auto jitter = std::chrono::milliseconds(
            randombytes_uniform(static_cast<uint32_t>(delay.count() / 2 + 1)));
        due = now + std::chrono::duration_cast<std::chrono::microseconds>(delay - jitter);
      }
    }
    if (pending.empty()) first_pending = std::chrono::steady_clock::now();
    pending.push_back({&n, to, now, due, std::move(detail), d.subject_id, d.medium});
    if (pending.size() >= kSettleBatch ||
        std::chrono::steady_clock::now() - first_pending >= kSettleInterval) {
      VIGIL_RETURN_IF_ERROR(settle());
    }
  }
  VIGIL_RETURN_IF_ERROR(settle());
  return counts;
}

void Dispatcher::Start(std::chrono::milliseconds idle_poll) {
  if (worker_) return;
  worker_ = std::make_unique<BackgroundWorker>(
      BackgroundWorker::Options{"notifications", idle_poll, std::chrono::seconds(30),
                                Logger::For("notify"), "dispatch"},
      [this]() -> Result<BackgroundWorker::Step> {
        auto r = RunOnce();
        if (!r) return tl::unexpected(r.error());
        // A full batch may have more behind it.
        return r->claimed > 0 ? BackgroundWorker::Step::kMore : BackgroundWorker::Step::kIdle;
      });
  worker_->Start();
  queued_elsewhere_ =
      store_->Subscribe(StoreTopic::kOutbox, [worker = worker_.get()] { worker->Wake(); });
}

void Dispatcher::Wake() {
  if (worker_) worker_->Wake();
}

void Dispatcher::Stop() {
  queued_elsewhere_.reset();
  if (worker_) worker_->Stop();
}

}  // namespace vigil::notify
