// Registration for notices (DESIGN.md §7, issue 4):
//
//   POST /api/v1/registrations          {"ref","channel","contact","language"}
//   POST /api/v1/registrations/verify   {"token"}
//   GET  /unsubscribe?token=T           a page with a one-button form
//   POST /unsubscribe?token=T           RFC 8058 one-click (List-Unsubscribe=One-Click)
//
// The answer to a registration is decided before anything about the person
// is looked at: a well-formed request gets 202 and the same body whether the
// ref names a disclosable person, a withheld one, or nobody (§2.3). The work
// itself — the gate, limits per contact and per subject, the pending row and
// its verification message in the outbox — happens on the intake's own
// thread, so neither the body nor the latency can tell them apart. A match
// withheld for who the person is is recorded for the stalking alert.
//
// Only the email channel is offered so far; sms and voice are refused with
// 400 for every ref alike.
#ifndef VIGIL_API_REGISTRATION_ROUTES_H_
#define VIGIL_API_REGISTRATION_ROUTES_H_

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "vigil/api/search_routes.h"
#include "vigil/http/router.h"
#include "vigil/notify/contact_vault.h"
#include "vigil/notify/dispatcher.h"
#include "vigil/policy/ref_codec.h"

namespace vigil::api {

struct RegistrationDependencies {
  Store* store = nullptr;
  const policy::DisclosurePolicy* policy = nullptr;
  const policy::RefCodec* refs = nullptr;
  const notify::ContactVault* vault = nullptr;
  const Clock* clock = nullptr;
  http::RateLimiter* limiter = nullptr;         // may be null
  SuppressedMatchRecorder* recorder = nullptr;  // may be null
  notify::Dispatcher* dispatcher = nullptr;     // may be null: woken when set
  int max_live_per_contact = 5;    // pending or active registrations of one contact
  int max_live_per_subject = 1000;
  std::chrono::hours verification_lifetime{24};
  int max_verification_attempts = 5;
};

struct RegistrationRequest {
  std::string ref;
  Channel channel = Channel::kEmail;
  std::string contact;  // normalised
  std::string language;
};

// Processes accepted registration requests on a thread of its own.
class RegistrationIntake {
 public:
  explicit RegistrationIntake(RegistrationDependencies deps, size_t max_queued = 10000);
  ~RegistrationIntake();
  // False when the queue is full (the caller answers 503 to everyone alike).
  bool Submit(RegistrationRequest request);
  void Flush();
  void Stop();

  // The work for one request (for tests; Submit runs it on the thread).
  Result<void> Process(const RegistrationRequest& request);

 private:
  void Run();
  RegistrationDependencies deps_;
  const size_t max_queued_;
  std::mutex mu_;
  std::condition_variable wake_, drained_;
  std::deque<RegistrationRequest> queue_;  // guarded by mu_
  bool stopping_ = false;                  // guarded by mu_
  int in_flight_ = 0;                      // guarded by mu_
  std::thread thread_;
};

// Adds the routes above. Everything must outlive the router.
void AddRegistrationRoutes(http::Router& router, RegistrationIntake* intake,
                           RegistrationDependencies deps);

}  // namespace vigil::api

#endif  // VIGIL_API_REGISTRATION_ROUTES_H_
