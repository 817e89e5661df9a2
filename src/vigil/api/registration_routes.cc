#include "vigil/api/registration_routes.h"

#include <charconv>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <type_traits>

namespace vigil::api {
namespace {

namespace bhttp = boost::beast::http;

constexpr char kAccepted[] =
    R"({"status":"accepted","message":"If this person can be followed, a message is on its way to confirm the registration."})";

std::string HtmlPage(const std::string& title, const std::string& body) {
  return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
         "<title>" + title + " — vigil</title></head><body><main><h1>" + title + "</h1>" + body +
         "</main></body></html>\n";
}

// Only tokens of the shape we issue are echoed into a page.
bool PlainToken(std::string_view t) {
  if (t.empty() || t.size() > 80) return false;
  for (char c : t) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') {
      return false;
    }
  }
  return true;
}

std::string TokenParam(const http::Request& req) {
  std::string_view target(req.target().data(), req.target().size());
  size_t q = target.find('?');
  if (q == std::string_view::npos) return "";
  auto params = ParseQueryString(target.substr(q + 1));
  if (!params) return "";
  auto it = params->find("token");
  return it == params->end() ? "" : it->second;
}

}  // namespace

RegistrationIntake::RegistrationIntake(RegistrationDependencies deps, size_t max_queued)
    : deps_(deps), max_queued_(max_queued), thread_([this] { Run(); }) {}

RegistrationIntake::~RegistrationIntake() { Stop(); }

bool RegistrationIntake::Submit(RegistrationRequest request) {
  std::lock_guard<std::mutex> lock(mu_);
  if (queue_.size() >= max_queued_ || stopping_) return false;
  queue_.push_back(std::move(request));
  wake_.notify_one();
  return true;
}

void RegistrationIntake::Flush() {
  std::unique_lock<std::mutex> lock(mu_);
  drained_.wait(lock, [&] { return (queue_.empty() && in_flight_ == 0) || stopping_; });
}

void RegistrationIntake::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void RegistrationIntake::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) break;  // stopping, and everything accepted is done
    RegistrationRequest request = std::move(queue_.front());
    queue_.pop_front();
    in_flight_ = 1;
    lock.unlock();
    if (auto r = Process(request); !r) {
      std::fprintf(stderr, "vigil: registration not processed: %s\n", r.error().message().c_str());
    }
    lock.lock();
    in_flight_ = 0;
    drained_.notify_all();
  }
  drained_.notify_all();
}

Result<void> RegistrationIntake::Process(const RegistrationRequest& req) {
  auto subject_id = deps_.refs->Decode(req.ref);
  if (!subject_id) return {};  // no such person, as far as anyone may know
  Timestamp now = deps_.clock->Now();
  auto txn = deps_.store->BeginWrite();
  if (!txn) return tl::unexpected(txn.error());
  policy::SuppressionReason why = policy::SuppressionReason::kNone;
  if (!deps_.policy->Disclose(**txn, *subject_id, policy::Audience::kPublic, &why)) {
    if (IsRecordedReason(why) && deps_.recorder) {
      deps_.recorder->Record({*subject_id, now, "registration", std::string(policy::Name(why))});
    }
    return {};
  }
  std::string index = deps_.vault->BlindIndex(req.channel, req.contact);
  auto existing = (*txn)->FindRegistration(*subject_id, req.channel, index);
  if (!existing) return tl::unexpected(existing.error());
  if (*existing && (*existing)->state == RegistrationState::kActive) return {};
  if (!*existing || (*existing)->state != RegistrationState::kPending) {
    auto by_contact = (*txn)->CountLiveRegistrationsByContact(index);
    if (!by_contact) return tl::unexpected(by_contact.error());
    auto by_subject = (*txn)->CountLiveRegistrationsOfSubject(*subject_id);
    if (!by_subject) return tl::unexpected(by_subject.error());
    if (*by_contact >= deps_.max_live_per_contact || *by_subject >= deps_.max_live_per_subject) {
      return {};  // silently: the answer was given already, and is the same
    }
  }
  Registration r = *existing ? **existing : Registration{};
  std::string secret = notify::ContactVault::RandomToken();
  r.state = RegistrationState::kPending;
  r.language = req.language;
  r.secret_hash = deps_.vault->HashSecret(secret);
  r.secret_expires_at =
      now + std::chrono::duration_cast<std::chrono::microseconds>(deps_.verification_lifetime);
  r.secret_attempts = 0;
  r.ended_at.reset();
  if (*existing) {
    VIGIL_RETURN_IF_ERROR((*txn)->UpdateRegistration(r));
  } else {
    r.subject_id = *subject_id;
    r.channel = req.channel;
    r.contact_sealed = deps_.vault->Seal(req.contact);
    r.contact_index = index;
    r.tier = RegistrationTier::kPublic;
    r.created_at = now;
    auto id = (*txn)->InsertRegistration(r);
    if (!id) return tl::unexpected(id.error());
    r.registration_id = *id;
  }
  Notification n;
  n.registration_id = r.registration_id;
  n.kind = "verify";
  n.due_at = now;
  n.created_at = now;
  n.payload_sealed = deps_.vault->Seal(std::to_string(r.registration_id) + "." + secret);
  auto queued = (*txn)->InsertNotification(n);
  if (!queued) return tl::unexpected(queued.error());
  VIGIL_RETURN_IF_ERROR((*txn)->Commit());
  if (deps_.dispatcher) deps_.dispatcher->Wake();
  return {};
}

namespace {

// Checks a verification token "<registration id>.<secret>" and activates the
// registration. One message for every way it can fail.
Result<void> Verify(const RegistrationDependencies& deps, std::string_view token) {
  const Error invalid(ErrorCode::kInvalidArgument,
                      "this confirmation link is not valid or has expired; register again");
  size_t dot = token.find('.');
  int64_t id = 0;
  if (dot == std::string_view::npos || dot == 0 || dot > 18) return tl::unexpected(invalid);
  auto [ptr, ec] = std::from_chars(token.data(), token.data() + dot, id);
  if (ec != std::errc() || ptr != token.data() + dot) return tl::unexpected(invalid);
  auto txn = deps.store->BeginWrite();
  if (!txn) return Unavailable("registration is unavailable; try again");
  auto reg = (*txn)->GetRegistration(id);
  if (!reg) return Unavailable("registration is unavailable; try again");
  if (!*reg || (*reg)->state != RegistrationState::kPending || (*reg)->secret_hash.empty()) {
    return tl::unexpected(invalid);
  }
  Registration r = **reg;
  Timestamp now = deps.clock->Now();
  bool good = notify::SecretsEqual(deps.vault->HashSecret(token.substr(dot + 1)), r.secret_hash) &&
              r.secret_expires_at && now <= *r.secret_expires_at &&
              r.secret_attempts < deps.max_verification_attempts;
  if (good) {
    r.state = RegistrationState::kActive;
    r.secret_hash.clear();
    r.secret_expires_at.reset();
  } else {
    ++r.secret_attempts;
    // Too many wrong guesses burn the secret.
    if (r.secret_attempts >= deps.max_verification_attempts) r.secret_hash.clear();
  }
  if (!(*txn)->UpdateRegistration(r) || !(*txn)->Commit()) {
    return Unavailable("registration is unavailable; try again");
  }
  if (!good) return tl::unexpected(invalid);
  return {};
}

Result<void> Unsubscribe(const RegistrationDependencies& deps, std::string_view token) {
  auto id = deps.vault->CheckUnsubscribeToken(token);
  if (!id) return tl::unexpected(id.error());
  auto txn = deps.store->BeginWrite();
  if (!txn) return Unavailable("unsubscribing is unavailable; try again");
  auto reg = (*txn)->GetRegistration(*id);
  if (!reg) return Unavailable("unsubscribing is unavailable; try again");
  if (!*reg) return {};  // nothing left to stop
  Registration r = **reg;
  if (r.state == RegistrationState::kUnsubscribed) return {};
  r.state = RegistrationState::kUnsubscribed;
  r.ended_at = deps.clock->Now();
  r.secret_hash.clear();
  if (!(*txn)->UpdateRegistration(r) || !(*txn)->Commit()) {
    return Unavailable("unsubscribing is unavailable; try again");
  }
  return {};
}

}  // namespace

void AddRegistrationRoutes(http::Router& router, RegistrationIntake* intake,
                           RegistrationDependencies deps) {
  router.Add(bhttp::verb::post, "/api/v1/registrations",
             [intake, deps](const http::Request& req, http::RequestContext& ctx) {
               auto fail = [&](const auto& e) {
                 if constexpr (std::is_same_v<std::decay_t<decltype(e)>, Error>) {
                   return http::ErrorResponse(req, ctx, e);
                 } else {
                   return http::ErrorResponse(req, ctx, e.value());
                 }
               };
               if (deps.limiter) {
                 std::chrono::seconds retry{0};
                 if (!deps.limiter->Allow(ctx.client_address, &retry)) {
                   auto res = fail(Error(ErrorCode::kResourceExhausted,
                                         "too many registrations from this address; try again in " +
                                             std::to_string(retry.count()) + " s"));
                   res.set(bhttp::field::retry_after, std::to_string(retry.count()));
                   return res;
                 }
               }
               auto body = nlohmann::json::parse(req.body(), nullptr, false);
               if (!body.is_object()) {
                 return fail(InvalidArgument("the body must be a JSON object"));
               }
               for (const auto& [key, value] : body.items()) {
                 if (key != "ref" && key != "channel" && key != "contact" && key != "language") {
                   return fail(InvalidArgument(
                       "unknown field (expected ref, channel, contact, language)"));
                 }
                 if (!value.is_string()) return fail(InvalidArgument(key + " must be a string"));
               }
               auto field = [&](const char* k) {
                 return body.contains(k) ? body[k].get<std::string>() : std::string();
               };
               RegistrationRequest r;
               r.ref = field("ref");
               if (r.ref.empty() || r.ref.size() > 64) {
                 return fail(InvalidArgument("ref is required: the ref of a search result"));
               }
               std::string channel = field("channel");
               if (channel.empty()) channel = "email";
               if (channel != "email") {
                 return fail(InvalidArgument("channel \"" + std::string(channel == "sms" ? "sms" :
                                             channel == "voice" ? "voice" : "?") +
                                             "\" is not offered by this server yet; use email"));
               }
               auto contact = notify::NormalizeEmail(field("contact"));
               if (!contact) return fail(contact.error());
               r.contact = *contact;
               r.language = field("language");
               if (r.language.empty()) r.language = "en";
               if (r.language != "en" && r.language != "es") {
                 return fail(InvalidArgument("language must be \"en\" or \"es\""));
               }
               if (!intake->Submit(std::move(r))) {
                 return fail(Unavailable("registration is busy; try again in a minute"));
               }
               return http::JsonResponse(req, bhttp::status::accepted, kAccepted);
             });
  router.Add(bhttp::verb::post, "/api/v1/registrations/verify",
             [deps](const http::Request& req, http::RequestContext& ctx) {
               auto body = nlohmann::json::parse(req.body(), nullptr, false);
               if (!body.is_object() || !body.contains("token") || !body["token"].is_string()) {
                 return http::ErrorResponse(
                     req, ctx, InvalidArgument("the body must be {\"token\": \"...\"}").value());
               }
               auto r = Verify(deps, body["token"].get<std::string>());
               if (!r) return http::ErrorResponse(req, ctx, r.error());
               return http::JsonResponse(req, bhttp::status::ok, R"({"status":"active"})");
             });
  router.Add(bhttp::verb::get, "/verify", [](const http::Request& req, http::RequestContext&) {
    // A page, not an action: mail scanners follow links, people press buttons.
    std::string token = TokenParam(req);
    if (!PlainToken(token)) {
      return http::HtmlResponse(req, bhttp::status::bad_request,
                                HtmlPage("Link not valid", "<p>This link is not complete. Open "
                                                           "it again from the message.</p>"));
    }
    return http::HtmlResponse(
        req, bhttp::status::ok,
        HtmlPage("Confirm your registration",
                 "<form method=\"post\" action=\"/verify?token=" + token +
                     "\"><button type=\"submit\">Confirm</button></form>"));
  });
  router.Add(bhttp::verb::post, "/verify", [deps](const http::Request& req, http::RequestContext&) {
    auto r = Verify(deps, TokenParam(req));
    if (!r) {
      return http::HtmlResponse(req, bhttp::status::bad_request,
                                HtmlPage("Link not valid", "<p>" + r.error().message() + "</p>"));
    }
    return http::HtmlResponse(req, bhttp::status::ok,
                              HtmlPage("Registration confirmed",
                                       "<p>You will be told when this person's custody changes. "
                                       "Every message says how to stop.</p>"));
  });
  router.Add(bhttp::verb::get, "/unsubscribe", [](const http::Request& req, http::RequestContext&) {
    std::string token = TokenParam(req);
    if (!PlainToken(token)) {
      return http::HtmlResponse(req, bhttp::status::bad_request,
                                HtmlPage("Link not valid", "<p>This link is not complete.</p>"));
    }
    return http::HtmlResponse(
        req, bhttp::status::ok,
        HtmlPage("Stop notices", "<form method=\"post\" action=\"/unsubscribe?token=" + token +
                                     "\"><button type=\"submit\">Stop notices</button></form>"));
  });
  // RFC 8058: mail clients POST "List-Unsubscribe=One-Click" here.
  router.Add(bhttp::verb::post, "/unsubscribe",
             [deps](const http::Request& req, http::RequestContext&) {
               auto r = Unsubscribe(deps, TokenParam(req));
               if (!r) {
                 return http::HtmlResponse(req, bhttp::status::bad_request,
                                           HtmlPage("Link not valid", "<p>" + r.error().message() +
                                                                          "</p>"));
               }
               return http::HtmlResponse(req, bhttp::status::ok,
                                         HtmlPage("Notices stopped",
                                                  "<p>You will receive no more notices.</p>"));
             });
}

}  // namespace vigil::api
