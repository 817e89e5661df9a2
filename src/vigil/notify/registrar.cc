#include "vigil/notify/registrar.h"

#include <charconv>
#include <cstdio>

#include "vigil/notify/messages.h"

namespace vigil::notify {

Registrar::Registrar(RegistrarDependencies deps) : deps_(std::move(deps)) {}

Result<void> Registrar::Register(const RegistrationRequest& req) { return Enrol(req, false); }

Result<void> Registrar::RegisterCaller(const RegistrationRequest& req) {
  if (req.channel != vigil::DeliveryChannel::kVoice) {
    return InvalidArgument("only a call proves a phone number");
  }
  return Enrol(req, true);
}

Result<int64_t> Registrar::StopCalls(std::string_view contact) {
  const std::string index = deps_.vault->BlindIndex(vigil::DeliveryChannel::kVoice, contact);
  auto txn = deps_.store->BeginWrite();
  if (!txn) return tl::unexpected(txn.error());
  auto ended =
      (*txn)->registrations().OptOut(vigil::DeliveryChannel::kVoice, index, deps_.clock->Now());
  if (!ended) return tl::unexpected(ended.error());
  VIGIL_RETURN_IF_ERROR((*txn)->Commit());
  if (deps_.audit) {
    deps_.audit("unsubscribe", 0,
                "hotline: a caller who did not register stopped " + std::to_string(*ended) +
                    " voice registration(s) of their number");
  }
  return *ended;
}

Result<void> Registrar::Enrol(const RegistrationRequest& req, bool proven) {
  // A ref that was never made (forged, garbled) goes the same way as one of
  // a person now withheld, through the transaction and the gate (with an id
  // no subject has), so that the work a registration causes does not tell
  // the two apart (DESIGN.md §2.3; bench/oracle_bench).
  constexpr int64_t kNoSubject = 0;  // subject ids start at 1
  const std::optional<int64_t> decoded = deps_.refs->Decode(req.ref);
  const int64_t subject_id = decoded.value_or(kNoSubject);
  Timestamp now = deps_.clock->Now();
  // One transaction from the gate to the outbox row, so a takedown cannot
  // slip in between.
  auto txn = deps_.store->BeginWrite();
  if (!txn) return tl::unexpected(txn.error());
  policy::SuppressionReason why = policy::SuppressionReason::kNone;
  if (!deps_.policy->Disclose(**txn, subject_id, policy::Audience::kPublic, &why)) {
    if (policy::IsRecordedReason(why)) {
      if (deps_.record_withheld) {
        deps_.record_withheld({subject_id, now, "registration", std::string(policy::Name(why))});
      }
      if (deps_.audit) {
        deps_.audit("suppressed_match", subject_id,
                    "sought by registration; withheld: " + std::string(policy::Name(why)));
      }
    }
    return {};
  }
  std::string index = deps_.vault->BlindIndex(req.channel, req.contact);
  if (req.channel == vigil::DeliveryChannel::kSms) {
    // A number that texted STOP gets nothing more until it texts START.
    auto mine = (*txn)->registrations().RegistrationsByContact(req.channel, index);
    if (!mine) return tl::unexpected(mine.error());
    for (const Registration& r : *mine) {
      if (r.opted_out && r.state == RegistrationState::kUnsubscribed) return {};
    }
  }
  auto existing = (*txn)->registrations().FindRegistration(subject_id, req.channel, index);
  if (!existing) return tl::unexpected(existing.error());
  if (*existing && (*existing)->state == RegistrationState::kActive) return {};
  if (!*existing || (*existing)->state != RegistrationState::kPending) {
    auto by_contact = (*txn)->registrations().CountLiveRegistrationsByContact(index);
    if (!by_contact) return tl::unexpected(by_contact.error());
    auto by_subject = (*txn)->registrations().CountLiveRegistrationsOfSubject(subject_id);
    if (!by_subject) return tl::unexpected(by_subject.error());
    if (*by_contact >= deps_.max_live_per_contact || *by_subject >= deps_.max_live_per_subject) {
      return {};  // silently: the answer was given already, and is the same
    }
  }
  Registration r = *existing ? **existing : Registration{};
  // A link carries a long secret; a number gets a code a person can type.
  std::string secret = req.channel == vigil::DeliveryChannel::kEmail
                           ? ContactVault::RandomToken()
                           : ContactVault::RandomDigits(6);
  r.state = proven ? RegistrationState::kActive : RegistrationState::kPending;
  r.language = req.language;
  r.secret_hash = deps_.vault->HashSecret(secret);
  r.secret_expires_at =
      now + std::chrono::duration_cast<std::chrono::microseconds>(deps_.verification_lifetime);
  r.secret_attempts = 0;
  r.ended_at.reset();
  if (req.channel == vigil::DeliveryChannel::kVoice) r.pin_hash = deps_.vault->HashPin(req.pin);
  if (*existing) {
    VIGIL_RETURN_IF_ERROR((*txn)->registrations().UpdateRegistration(r));
  } else {
    r.subject_id = subject_id;
    r.channel = req.channel;
    r.contact_sealed = deps_.vault->Seal(req.contact);
    r.contact_index = index;
    r.tier = RegistrationTier::kPublic;
    r.created_at = now;
    auto id = (*txn)->registrations().InsertRegistration(r);
    if (!id) return tl::unexpected(id.error());
    r.registration_id = *id;
  }
  if (proven) {
    VIGIL_RETURN_IF_ERROR((*txn)->Commit());
    if (deps_.audit) {
      deps_.audit("registration", r.subject_id,
                  "registration " + std::to_string(r.registration_id) +
                      " by voice: active, made on a hotline call from the number");
    }
    return {};
  }
  Notification n;
  n.registration_id = r.registration_id;
  n.kind = "verify";
  n.due_at = now;
  n.created_at = now;
  n.payload_sealed = deps_.vault->Seal(std::to_string(r.registration_id) + "." + secret);
  auto queued = (*txn)->outbox().InsertNotification(n);
  if (!queued) return tl::unexpected(queued.error());
  VIGIL_RETURN_IF_ERROR((*txn)->Commit());
  if (deps_.queued) deps_.queued();
  if (deps_.audit) {
    deps_.audit("registration", r.subject_id,
                "registration " + std::to_string(r.registration_id) + " by " +
                    std::string(Name(r.channel)) + ": pending, confirmation queued");
  }
  return {};
}

Result<int64_t> Registrar::Verify(std::string_view token) {
  const Error invalid(ErrorCode::kInvalidArgument,
                      "this confirmation link is not valid or has expired; register again");
  size_t dot = token.find('.');
  int64_t id = 0;
  if (dot == std::string_view::npos || dot == 0 || dot > 18) return tl::unexpected(invalid);
  auto [ptr, ec] = std::from_chars(token.data(), token.data() + dot, id);
  if (ec != std::errc() || ptr != token.data() + dot) return tl::unexpected(invalid);
  auto txn = deps_.store->BeginWrite();
  if (!txn) return Unavailable("registration is unavailable; try again");
  auto reg = (*txn)->registrations().GetRegistration(id);
  if (!reg) return Unavailable("registration is unavailable; try again");
  if (!*reg || (*reg)->state != RegistrationState::kPending || (*reg)->secret_hash.empty()) {
    return tl::unexpected(invalid);
  }
  Registration r = **reg;
  Timestamp now = deps_.clock->Now();
  bool good = SecretsEqual(deps_.vault->HashSecret(token.substr(dot + 1)), r.secret_hash) &&
              r.secret_expires_at && now <= *r.secret_expires_at &&
              r.secret_attempts < deps_.max_verification_attempts;
  if (good) {
    r.state = RegistrationState::kActive;
    r.secret_hash.clear();
    r.secret_expires_at.reset();
  } else {
    ++r.secret_attempts;
    // Too many wrong guesses burn the secret.
    if (r.secret_attempts >= deps_.max_verification_attempts) r.secret_hash.clear();
  }
  if (!(*txn)->registrations().UpdateRegistration(r) || !(*txn)->Commit()) {
    return Unavailable("registration is unavailable; try again");
  }
  if (deps_.audit) {
    deps_.audit("verification", r.subject_id,
                "registration " + std::to_string(r.registration_id) +
                    (good ? ": confirmed" : ": wrong or expired secret"));
  }
  if (!good) return tl::unexpected(invalid);
  return r.registration_id;
}

Result<int64_t> Registrar::VerifyCode(vigil::DeliveryChannel channel, std::string_view contact,
                                      std::string_view code) {
  const Error invalid(ErrorCode::kInvalidArgument,
                      "this code is not valid or has expired; register again");
  if (code.size() != 6 || code.find_first_not_of("0123456789") != std::string_view::npos) {
    return tl::unexpected(invalid);
  }
  auto txn = deps_.store->BeginWrite();
  if (!txn) return Unavailable("registration is unavailable; try again");
  auto mine = (*txn)->registrations().RegistrationsByContact(
      channel, deps_.vault->BlindIndex(channel, contact));
  if (!mine) return Unavailable("registration is unavailable; try again");
  Timestamp now = deps_.clock->Now();
  std::string hash = deps_.vault->HashSecret(code);
  bool matched = false;
  int64_t confirmed = 0;
  for (Registration r : *mine) {
    if (r.state != RegistrationState::kPending || r.secret_hash.empty()) continue;
    bool good = !matched && SecretsEqual(hash, r.secret_hash) && r.secret_expires_at &&
                now <= *r.secret_expires_at && r.secret_attempts < deps_.max_verification_attempts;
    if (good) {
      matched = true;
      confirmed = r.registration_id;
      r.state = RegistrationState::kActive;
      r.secret_hash.clear();
      r.secret_expires_at.reset();
    } else {
      // A six-digit code is guessable: every wrong try counts against every
      // pending registration of the number, and enough of them burn it.
      ++r.secret_attempts;
      if (r.secret_attempts >= deps_.max_verification_attempts) r.secret_hash.clear();
    }
    if (!(*txn)->registrations().UpdateRegistration(r))
      return Unavailable("registration is unavailable; try again");
    if (deps_.audit) {
      deps_.audit("verification", r.subject_id,
                  "registration " + std::to_string(r.registration_id) +
                      (r.state == RegistrationState::kActive ? ": confirmed by code"
                                                             : ": wrong or expired code"));
    }
  }
  if (!(*txn)->Commit()) return Unavailable("registration is unavailable; try again");
  if (!matched) return tl::unexpected(invalid);
  return confirmed;
}

Result<std::string> Registrar::OnInboundSms(std::string_view contact, std::string_view text) {
  SmsKeyword keyword = ParseSmsKeyword(text);
  std::string index = deps_.vault->BlindIndex(vigil::DeliveryChannel::kSms, contact);
  auto txn = deps_.store->BeginWrite();
  if (!txn) return tl::unexpected(txn.error());
  auto mine = (*txn)->registrations().RegistrationsByContact(vigil::DeliveryChannel::kSms, index);
  if (!mine) return tl::unexpected(mine.error());
  // Answer in the language the number registered in, English otherwise.
  std::string language = mine->empty() ? "en" : mine->back().language;
  int64_t changed = 0;
  if (keyword == SmsKeyword::kStop) {
    auto n =
        (*txn)->registrations().OptOut(vigil::DeliveryChannel::kSms, index, deps_.clock->Now());
    if (!n) return tl::unexpected(n.error());
    changed = *n;
  } else if (keyword == SmsKeyword::kStart) {
    auto n = (*txn)->registrations().OptIn(vigil::DeliveryChannel::kSms, index);
    if (!n) return tl::unexpected(n.error());
    changed = *n;
  }
  VIGIL_RETURN_IF_ERROR((*txn)->Commit());
  if (deps_.audit && keyword != SmsKeyword::kHelp) {
    deps_.audit("sms_keyword", std::nullopt,
                std::string(keyword == SmsKeyword::kStop ? "STOP" : "START") + ": " +
                    std::to_string(changed) + " registrations");
  }
  return SmsKeywordReply(keyword, language, changed);
}

Result<void> Registrar::Unsubscribe(std::string_view token) {
  auto id = deps_.vault->CheckUnsubscribeToken(token);
  if (!id) return tl::unexpected(id.error());
  auto txn = deps_.store->BeginWrite();
  if (!txn) return Unavailable("unsubscribing is unavailable; try again");
  auto reg = (*txn)->registrations().GetRegistration(*id);
  if (!reg) return Unavailable("unsubscribing is unavailable; try again");
  if (!*reg || (*reg)->state == RegistrationState::kUnsubscribed) return {};  // nothing to stop
  Registration r = **reg;
  r.state = RegistrationState::kUnsubscribed;
  r.ended_at = deps_.clock->Now();
  r.secret_hash.clear();
  if (!(*txn)->registrations().UpdateRegistration(r) || !(*txn)->Commit()) {
    return Unavailable("unsubscribing is unavailable; try again");
  }
  if (deps_.audit) {
    deps_.audit("unsubscribe", r.subject_id,
                "registration " + std::to_string(r.registration_id) + ": unsubscribed");
  }
  return {};
}

RegistrationIntake::RegistrationIntake(Registrar* registrar, size_t max_queued)
    : registrar_(registrar),
      max_queued_(max_queued),
      worker_({"registrations", kPoll, kPoll, Logger::For("notify"), "registrations"},
              [this]() -> Result<BackgroundWorker::Step> {
                Drain();
                return BackgroundWorker::Step::kIdle;
              }) {
  worker_.Start();
}

RegistrationIntake::~RegistrationIntake() { Stop(); }

// No wake-up: the intake polls (its worker runs every kPoll), so that a registration's work never
// runs while its own answer is being written. Done at once, the extra work
// of a withheld person's ref (a suppressed match recorded, audited) would
// compete with that answer for the CPU and make it measurably slower than
// a forged ref's (DESIGN.md §2.3; bench/oracle_bench).
bool RegistrationIntake::Submit(RegistrationRequest request) {
  std::lock_guard<std::mutex> lock(mu_);
  if (queue_.size() >= max_queued_ || stopping_) return false;
  queue_.push_back(std::move(request));
  return true;
}

void RegistrationIntake::Flush() {
  std::unique_lock<std::mutex> lock(mu_);
  drained_.wait(lock, [&] { return (queue_.empty() && in_flight_ == 0) || stopping_; });
}

void RegistrationIntake::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    stopping_ = true;  // refuses new requests
  }
  worker_.Stop();
  Drain();  // everything accepted is done
  drained_.notify_all();
}

void RegistrationIntake::Drain() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!queue_.empty()) {
    RegistrationRequest request = std::move(queue_.front());
    queue_.pop_front();
    in_flight_ = 1;
    lock.unlock();
    if (auto r = registrar_->Register(request); !r) {
      Logger::For("notify").Warn("registration not processed: " + r.error().message());
    }
    lock.lock();
    in_flight_ = 0;
    drained_.notify_all();
  }
}

}  // namespace vigil::notify
