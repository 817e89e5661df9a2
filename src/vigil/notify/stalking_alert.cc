#include "vigil/notify/stalking_alert.h"

#include <cstdio>

#include "vigil/core/time_format.h"

namespace vigil::notify {

StalkingAlerter::StalkingAlerter(Store* store, const policy::DisclosurePolicy* policy,
                                 Channel* email, const Clock* clock, StalkingAlertOptions options)
    : store_(store), policy_(policy), email_(email), clock_(clock), options_(std::move(options)) {}

StalkingAlerter::~StalkingAlerter() { Stop(); }

Result<int> StalkingAlerter::RunOnce() {
  auto reader = store_->BeginRead();
  if (!reader) return tl::unexpected(reader.error());
  if (cursor_ < 0) {
    auto last = (*reader)->controls().LastSuppressedMatchId();
    if (!last) return tl::unexpected(last.error());
    cursor_ = *last;
  }
  while (true) {
    auto matches = (*reader)->controls().SuppressedMatchesAfter(cursor_, 1000);
    if (!matches) return tl::unexpected(matches.error());
    if (matches->empty()) break;
    for (const auto& [id, m] : *matches) {
      cursor_ = id;
      Pending& p = pending_[m.subject_id];
      if (p.by_channel.empty()) p.first = m.occurred_at;
      ++p.by_channel[m.sought_by];
      p.reason = m.reason;
      p.last = m.occurred_at;
    }
  }
  Timestamp now = clock_->Now();
  int sent = 0;
  for (auto it = pending_.begin(); it != pending_.end();) {
    auto last = last_alerted_.find(it->first);
    if (last != last_alerted_.end() &&
        now - last->second <
            std::chrono::duration_cast<std::chrono::microseconds>(options_.min_interval)) {
      ++it;  // too soon: it goes into the next alert
      continue;
    }
    policy::SuppressionReason why;
    auto who = policy_->ReferForStaff(**reader, it->first, &why);
    if (why == policy::SuppressionReason::kStoreError) {
      return Unavailable("stalking alert: reading the person failed");
    }
    const Pending& p = it->second;
    int64_t total = 0;
    std::string how;
    for (const auto& [channel, n] : p.by_channel) {
      total += n;
      how += (how.empty() ? "" : ", ") + std::string("by ") +
             (channel == "a_number" ? "A-number" : channel) + " " + std::to_string(n);
    }
    std::string a_number = who ? who->a_number() : "(unknown)";
    OutgoingMessage message;
    message.subject = "vigil: a withheld person was sought";
    message.body = "The person with A-number " + a_number + " (withheld: " + p.reason +
                   ") was sought " + std::to_string(total) + (total == 1 ? " time" : " times") +
                   " between " + FormatRfc3339(p.first) + " and " + FormatRfc3339(p.last) + ": " +
                   how +
                   ".\n\nNothing was disclosed. vigil keeps no query text and nothing about who "
                   "searched.\nEvery match is listed at GET /api/v1/agency/alerts.\n";
    message.language = "en";
    for (const std::string& to : options_.recipients) {
      if (!email_) break;
      message.notification_id = ++sent_;  // distinct per alert for the Message-ID
      message.to = to;
      SendResult r = email_->Send(message);
      if (r.outcome == SendOutcome::kTemporary) {
        Logger::For("alerts").Warn("stalking alert not sent yet: " + r.detail);
        return sent;  // kept pending; tried again next round
      }
      ++sent;
    }
    last_alerted_[it->first] = now;
    it = pending_.erase(it);
  }
  return sent;
}

void StalkingAlerter::Start(std::chrono::seconds poll) {
  if (worker_) return;
  worker_ = std::make_unique<BackgroundWorker>(
      BackgroundWorker::Options{"stalking alerts", poll, poll * 8, Logger::For("alerts"),
                                "stalking-alerts"},
      [this]() -> Result<BackgroundWorker::Step> {
        auto r = RunOnce();
        if (!r) return tl::unexpected(r.error());
        return BackgroundWorker::Step::kIdle;
      });
  worker_->Start();
}

void StalkingAlerter::Stop() {
  if (worker_) worker_->Stop();
}

}  // namespace vigil::notify
