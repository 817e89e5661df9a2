// Registrations (DESIGN.md §3 notify/, §5): taking a request to be told
// about a person, confirming it, and ending it.
//
// Register() decides nothing the caller may show: the HTTP answer is given
// before it runs (api/registration_routes.h), and it runs on a
// RegistrationIntake thread so that neither body nor latency tells a person
// who may be followed from a withheld one or from nobody (§2.3). It asks the
// disclosure gate, applies the limits per contact and per subject, and in
// one transaction writes the pending registration (contact sealed, secret
// hashed) and its verification message in the outbox. A match withheld for
// who the person is goes to `record_withheld` (the stalking alert).
//
// Verify() and Unsubscribe() act on tokens the registrant holds; they are not
// oracles about any person and answer directly.
//
// Thread safety: Registrar methods may be called from any thread (each uses
// its own store transaction). RegistrationIntake is thread-safe.
#ifndef VIGIL_NOTIFY_REGISTRAR_H_
#define VIGIL_NOTIFY_REGISTRAR_H_

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "vigil/core/background_worker.h"
#include "vigil/notify/contact_vault.h"
#include "vigil/policy/disclosure_policy.h"
#include "vigil/policy/ref_codec.h"
#include "vigil/store/store.h"

namespace vigil::notify {

struct RegistrarDependencies {
  Store* store = nullptr;
  const policy::DisclosurePolicy* policy = nullptr;
  const policy::RefCodec* refs = nullptr;
  const ContactVault* vault = nullptr;
  const Clock* clock = nullptr;
  // Told of each registration attempt for a person withheld for who they
  // are. May be empty.
  std::function<void(const SuppressedMatch&)> record_withheld;
  // Called after a verification message is queued (wakes the dispatcher). May be empty.
  std::function<void()> queued;
  // Told of each registration, verification (right or wrong), unsubscribe
  // and SMS keyword, for the audit log: (kind, subject, detail). The detail
  // holds no contact data. May be empty.
  std::function<void(std::string kind, std::optional<int64_t> subject_id, std::string detail)>
      audit;
  int max_live_per_contact = 5;  // pending or active registrations of one contact
  int max_live_per_subject = 1000;
  std::chrono::hours verification_lifetime{24};  // link or code
  int max_verification_attempts = 5;
};

struct RegistrationRequest {
  std::string ref;
  vigil::DeliveryChannel channel = vigil::DeliveryChannel::kEmail;
  std::string contact;   // normalised (NormalizeEmail, NormalizePhone)
  std::string language;  // a built-in catalogue's tag: "en", "es", "zh-Hans", ...
  std::string pin;       // voice: the 4 digits a call will ask for
};

class Registrar {
 public:
  // Every pointer in `deps` must outlive the registrar.
  explicit Registrar(RegistrarDependencies deps);

  // See above. Errors are store failures only; every refusal is silent.
  Result<void> Register(const RegistrationRequest& request);
  // A voice registration made on a call from `request.contact` (the phone
  // hotline): the caller proved the number by calling from it, so it is
  // active at once, with the PIN they chose, and no confirmation call is
  // made. Refused as silently as Register (gate, limits).
  Result<void> RegisterCaller(const RegistrationRequest& request);
  // "I did not register for these calls": ends every voice registration of
  // `contact` (E.164) with no PIN, as STOP does for texts. Returns how many
  // ended.
  Result<int64_t> StopCalls(std::string_view contact);
  // "<registration id>.<secret>" from the verification message: activates
  // the registration. One kInvalidArgument message for every way a token can
  // be wrong; too many wrong guesses burn the secret. kUnavailable on store failure.
  Result<int64_t> Verify(std::string_view token);
  // The code texted to a number (SMS registrations): activates the pending
  // registration of that number whose code it is. Every wrong code counts
  // against each pending registration of the number. Same errors as Verify.
  Result<int64_t> VerifyCode(vigil::DeliveryChannel channel, std::string_view contact,
                             std::string_view code);
  // A text from `contact` (E.164) to our number: STOP ends every SMS
  // registration of that number, START resumes the ones STOP ended, anything
  // else asks for help. Returns the reply to text back (never naming anyone).
  Result<std::string> OnInboundSms(std::string_view contact, std::string_view text);
  // A token from ContactVault::UnsubscribeToken: ends the registration
  // (idempotent). kInvalidArgument for a token this key did not make.
  Result<void> Unsubscribe(std::string_view token);

 private:
  // Register and RegisterCaller: with `proven`, active at once.
  Result<void> Enrol(const RegistrationRequest& request, bool proven);
  RegistrarDependencies deps_;
};

// Runs Register() for accepted requests on a BackgroundWorker, taking
// them every kPoll (never woken by a request: see Submit in registrar.cc).
class RegistrationIntake {
 public:
  // `registrar` is not owned and must outlive the intake.
  explicit RegistrationIntake(Registrar* registrar, size_t max_queued = 10000);
  ~RegistrationIntake();
  // False when the queue is full or stopping (the caller answers everyone alike).
  bool Submit(RegistrationRequest request);
  // Waits until everything submitted so far is processed.
  void Flush();
  // Processes what is queued, then stops.
  void Stop();

 private:
  // Processes what is queued, one request at a time.
  void Drain();
  static constexpr std::chrono::milliseconds kPoll{50};
  Registrar* registrar_;
  const size_t max_queued_;
  std::mutex mu_;
  std::condition_variable drained_;
  std::deque<RegistrationRequest> queue_;  // guarded by mu_
  bool stopping_ = false;                  // guarded by mu_
  int in_flight_ = 0;                      // guarded by mu_
  BackgroundWorker worker_;                // last: starts once everything above exists
};

}  // namespace vigil::notify

#endif  // VIGIL_NOTIFY_REGISTRAR_H_
