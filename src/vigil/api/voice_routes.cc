#include "vigil/api/voice_routes.h"

#include <charconv>
#include <optional>
#include <variant>

#include "vigil/api/search_routes.h"
#include "vigil/api/twiml.h"
#include "vigil/core/markup.h"
#include "vigil/http/form.h"
#include "vigil/notify/dispatcher.h"
#include "vigil/notify/messages.h"
#include "vigil/notify/twilio_channel.h"

namespace vigil::api {
namespace {

namespace bhttp = boost::beast::http;
using notify::VoicePrompt;

// TwiML is XML: the HTML escape (&amp; &lt; &gt; &quot; &#39;) is also a
// correct XML escape.
std::string XmlEscape(std::string_view text) { return HtmlEscape(text); }

http::Response Twiml(const http::Request& req, const std::string& verbs) {
  return TwimlResponse(req, verbs);
}

std::string Say(const std::string& language, const std::string& text) {
  return "<Say language=\"" + notify::VoiceLanguage(language) + "\">" + XmlEscape(text) + "</Say>";
}

std::string Gather(const std::string& action, int digits, const std::string& inner) {
  return "<Gather input=\"dtmf\" numDigits=\"" + std::to_string(digits) +
         "\" timeout=\"10\" action=\"" + XmlEscape(action) + "\" method=\"POST\">" + inner +
         "</Gather>";
}

// One verified callback: the notification and registration it is about.
struct Callback {
  std::map<std::string, std::string> form;  // the POST parameters
  Notification notification;
  Registration registration;
  int try_number = 1;
};

int64_t Number(const std::string& text) {
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  return ec == std::errc() && ptr == text.data() + text.size() ? v : 0;
}

std::string Get(const std::map<std::string, std::string>& m, const char* key) {
  auto it = m.find(key);
  return it == m.end() ? "" : it->second;
}

// Checks the signature and the MAC and loads what the callback is about;
// an error response otherwise.
std::variant<Callback, http::Response> Open(const VoiceRouteDependencies& deps,
                                            const http::Request& req, http::RequestContext& ctx) {
  auto form = http::ParseQueryString(req.body());
  auto query = http::ParseQueryString(http::QueryOf(req));
  if (!form || !query) {
    return http::ErrorResponse(req, ctx, InvalidArgument("malformed callback").value());
  }
  if (!SignedByProvider(req, deps.auth_token, deps.public_url, *form)) {
    return http::ErrorResponse(req, ctx,
                               Error(ErrorCode::kPermissionDenied, "the signature is not valid"));
  }
  int64_t id = Number(Get(*query, "n"));
  if (!deps.vault->CheckReceiptToken(id, Get(*query, "k"))) {
    return http::ErrorResponse(req, ctx,
                               Error(ErrorCode::kPermissionDenied, "this callback is not ours"));
  }
  auto reader = deps.store->BeginRead();
  if (!reader) return http::ErrorResponse(req, ctx, reader.error());
  auto n = (*reader)->outbox().GetNotification(id);
  if (!n) return http::ErrorResponse(req, ctx, n.error());
  if (!*n) return http::ErrorResponse(req, ctx, NotFound("no such notification").value());
  auto r = (*reader)->registrations().GetRegistration((*n)->registration_id);
  if (!r) return http::ErrorResponse(req, ctx, r.error());
  if (!*r) return http::ErrorResponse(req, ctx, NotFound("no such registration").value());
  Callback cb{std::move(*form), std::move(**n), std::move(**r), 1};
  cb.try_number = static_cast<int>(std::max<int64_t>(1, Number(Get(*query, "try"))));
  return cb;
}

// Still out with the provider: not yet settled.
bool Pending(NotificationState s) {
  return s == NotificationState::kSending || s == NotificationState::kSent;
}

// The audit entry of a report that settled (or re-queued) a notice.
void AuditOutcome(const VoiceRouteDependencies& deps, int64_t id, NotificationState to,
                  const std::string& detail, bool applied) {
  if (!applied || !deps.audit) return;
  deps.audit->Record(
      {"notification", "gateway:twilio", std::nullopt,
       "notification " + std::to_string(id) + " " + std::string(Name(to)) + ": " + detail});
}

// Records a report in its own transaction; false when the row had settled.
Result<bool> Record(const VoiceRouteDependencies& deps, int64_t id, NotificationState to,
                    Timestamp due, const std::string& detail) {
  auto txn = deps.store->BeginWrite();
  if (!txn) return tl::unexpected(txn.error());
  auto applied = (*txn)->outbox().RecordReceipt(id, to, deps.clock->Now(), due, detail);
  if (!applied) return tl::unexpected(applied.error());
  VIGIL_RETURN_IF_ERROR((*txn)->Commit());
  AuditOutcome(deps, id, to, detail, *applied);
  return *applied;
}

std::string Url(const VoiceRouteDependencies& deps, const char* route, const Callback& cb,
                int try_number = 0) {
  int64_t id = cb.notification.notification_id;
  std::string url =
      deps.public_url + route + "?n=" + std::to_string(id) + "&k=" + deps.vault->ReceiptToken(id);
  if (try_number > 0) url += "&try=" + std::to_string(try_number);
  return url;
}

// The notice for the registrant as the gate allows it now, or nullopt.
std::optional<std::string> Notice(const VoiceRouteDependencies& deps, StoreReader& reader,
                                  const Callback& cb, policy::SuppressionReason* why) {
  auto audience = cb.registration.tier == RegistrationTier::kVerified
                      ? policy::Audience::kVerifiedRegistrant
                      : policy::Audience::kPublic;
  auto subject = deps.policy->Disclose(reader, cb.registration.subject_id, audience, why);
  if (!subject) return std::nullopt;
  return notify::RenderVoiceNotice(cb.registration.language, cb.notification.kind, *subject);
}

http::Response Answer(const VoiceRouteDependencies& deps, const http::Request& req,
                      const Callback& cb) {
  const std::string& lang = cb.registration.language;
  if (cb.notification.kind == "verify") {
    auto token = deps.vault->Open(cb.notification.payload_sealed);
    if (!token || !Pending(cb.notification.state)) {
      return Twiml(req, Say(lang, notify::VoiceText(lang, VoicePrompt::kNothingNow)) + "<Hangup/>");
    }
    std::string code = token->substr(token->find('.') + 1);
    return Twiml(req, Say(lang, notify::RenderVoiceVerification(lang, code)) + "<Hangup/>");
  }
  if (!Pending(cb.notification.state)) {
    return Twiml(req, Say(lang, notify::VoiceText(lang, VoicePrompt::kNothingNow)) + "<Hangup/>");
  }
  // The PIN first: nothing about anyone is said to whoever picked up.
  return Twiml(req, Gather(Url(deps, "/api/v1/voice/pin", cb, 1), 4,
                           Say(lang, notify::VoiceText(lang, VoicePrompt::kAskPin))) +
                        Say(lang, notify::VoiceText(lang, VoicePrompt::kNoPin)) + "<Hangup/>");
}

std::string NoticeAndMenu(const VoiceRouteDependencies& deps, const Callback& cb,
                          const std::string& notice) {
  const std::string& lang = cb.registration.language;
  return Say(lang, notice) +
         Gather(Url(deps, "/api/v1/voice/menu", cb), 1,
                Say(lang, notify::VoiceText(lang, VoicePrompt::kMenu))) +
         Say(lang, notify::VoiceText(lang, VoicePrompt::kGoodbye)) + "<Hangup/>";
}

http::Response Pin(const VoiceRouteDependencies& deps, const http::Request& req,
                   http::RequestContext& ctx, const Callback& cb) {
  const std::string& lang = cb.registration.language;
  const std::string nothing =
      Say(lang, notify::VoiceText(lang, VoicePrompt::kNothingNow)) + "<Hangup/>";
  if (!Pending(cb.notification.state) || cb.notification.kind == "verify")
    return Twiml(req, nothing);
  std::string digits = Get(cb.form, "Digits");
  if (cb.registration.pin_hash.empty() ||
      !notify::SecretsEqual(deps.vault->HashPin(digits), cb.registration.pin_hash)) {
    if (cb.try_number < deps.pin_tries) {
      return Twiml(req, Gather(Url(deps, "/api/v1/voice/pin", cb, cb.try_number + 1), 4,
                               Say(lang, notify::VoiceText(lang, VoicePrompt::kWrongPin))) +
                            Say(lang, notify::VoiceText(lang, VoicePrompt::kNoPin)) + "<Hangup/>");
    }
    return Twiml(req, Say(lang, notify::VoiceText(lang, VoicePrompt::kNoPin)) + "<Hangup/>");
  }
  // The gate again, and the outcome, in one transaction.
  auto txn = deps.store->BeginWrite();
  if (!txn) return http::ErrorResponse(req, ctx, txn.error());
  Timestamp now = deps.clock->Now();
  const int64_t id = cb.notification.notification_id;
  std::optional<std::string> notice;
  NotificationState to = NotificationState::kAcknowledged;
  std::string detail = "PIN entered; notice read";
  auto reg = (*txn)->registrations().GetRegistration(cb.registration.registration_id);
  if (!reg || !*reg) return http::ErrorResponse(req, ctx, Unavailable("store").value());
  auto owed = notify::WhyNoLongerOwed(**txn, cb.notification, **reg);
  if (!owed) return http::ErrorResponse(req, ctx, owed.error());
  if (*owed) {
    // Blocked, retracted or ended since the call was placed: nothing is read.
    to = NotificationState::kCancelled;
    detail = **owed;
  } else {
    policy::SuppressionReason why = policy::SuppressionReason::kNone;
    notice = Notice(deps, **txn, cb, &why);
    if (!notice) {
      if (why == policy::SuppressionReason::kStoreError) {
        return http::ErrorResponse(req, ctx, Unavailable("store").value());
      }
      to = NotificationState::kSuppressed;
      detail = "withheld";
    }
  }
  auto applied = (*txn)->outbox().RecordReceipt(id, to, now, now, detail);
  if (!applied) return http::ErrorResponse(req, ctx, applied.error());
  if (auto c = (*txn)->Commit(); !c) return http::ErrorResponse(req, ctx, c.error());
  AuditOutcome(deps, id, to, detail, *applied);
  if (!*applied || !notice) return Twiml(req, nothing);
  return Twiml(req, NoticeAndMenu(deps, cb, *notice));
}

http::Response Menu(const VoiceRouteDependencies& deps, const http::Request& req,
                    http::RequestContext& ctx, const Callback& cb) {
  const std::string& lang = cb.registration.language;
  const std::string nothing =
      Say(lang, notify::VoiceText(lang, VoicePrompt::kNothingNow)) + "<Hangup/>";
  // Only after the PIN was entered on this notice.
  if (cb.notification.state != NotificationState::kAcknowledged) return Twiml(req, nothing);
  std::string digits = Get(cb.form, "Digits");
  if (digits == "9") {
    auto stopped =
        deps.registrar->Unsubscribe(deps.vault->UnsubscribeToken(cb.registration.registration_id));
    if (!stopped) return http::ErrorResponse(req, ctx, stopped.error());
    return Twiml(req, Say(lang, notify::VoiceText(lang, VoicePrompt::kStopped)) + "<Hangup/>");
  }
  if (digits != "1") {
    return Twiml(req, Say(lang, notify::VoiceText(lang, VoicePrompt::kGoodbye)) + "<Hangup/>");
  }
  auto reader = deps.store->BeginRead();
  if (!reader) return http::ErrorResponse(req, ctx, reader.error());
  policy::SuppressionReason why = policy::SuppressionReason::kNone;
  auto reg = (*reader)->registrations().GetRegistration(cb.registration.registration_id);
  if (!reg || !*reg) return Twiml(req, nothing);
  auto owed = notify::WhyNoLongerOwed(**reader, cb.notification, **reg);
  if (!owed || *owed) return Twiml(req, nothing);
  auto notice = Notice(deps, **reader, cb, &why);
  if (!notice) return Twiml(req, nothing);
  return Twiml(req, NoticeAndMenu(deps, cb, *notice));
}

http::Response Status(const VoiceRouteDependencies& deps, const http::Request& req,
                      http::RequestContext& ctx, const Callback& cb) {
  std::string status = Get(cb.form, "CallStatus");
  if (!Pending(cb.notification.state)) return Twiml(req, "");  // settled: late or repeated
  Timestamp now = deps.clock->Now();
  NotificationState to = NotificationState::kTemporaryFailure;
  Timestamp due = now;
  std::string detail;
  const bool answered = status == "completed";
  if (cb.notification.kind == "verify" && answered) {
    to = NotificationState::kDelivered;
    detail = "twilio: verification call completed";
  } else if (now - cb.notification.created_at >=
             std::chrono::duration_cast<std::chrono::microseconds>(deps.give_up_after)) {
    to = NotificationState::kPermanentFailure;
    detail = "twilio: no PIN within " + std::to_string(deps.give_up_after.count()) + " hours";
  } else if (answered) {
    due = now + std::chrono::duration_cast<std::chrono::microseconds>(deps.retry_answered);
    detail = "twilio: answered without the PIN; calling again";
  } else {
    due = now + std::chrono::duration_cast<std::chrono::microseconds>(deps.retry_unanswered);
    detail = "twilio: not answered (" + status.substr(0, 20) + "); calling again";
  }
  auto applied = Record(deps, cb.notification.notification_id, to, due, detail);
  if (!applied) return http::ErrorResponse(req, ctx, applied.error());
  return Twiml(req, "");
}

http::Response SmsStatus(const VoiceRouteDependencies& deps, const http::Request& req,
                         http::RequestContext& ctx, const Callback& cb) {
  std::string status = Get(cb.form, "MessageStatus");
  std::optional<NotificationState> to;
  if (status == "delivered") to = NotificationState::kDelivered;
  if (status == "undelivered" || status == "failed") to = NotificationState::kPermanentFailure;
  if (to) {
    Timestamp now = deps.clock->Now();
    auto applied = Record(deps, cb.notification.notification_id, *to, now, "twilio: " + status);
    if (!applied) return http::ErrorResponse(req, ctx, applied.error());
  }
  return Twiml(req, "");
}

template <typename Handler>
http::Handler Verified(VoiceRouteDependencies deps, Handler handler) {
  return [deps, handler](const http::Request& req, http::RequestContext& ctx) {
    auto opened = Open(deps, req, ctx);
    if (auto* res = std::get_if<http::Response>(&opened)) return std::move(*res);
    return handler(deps, req, ctx, std::get<Callback>(opened));
  };
}

}  // namespace

void AddVoiceRoutes(http::Router& router, VoiceRouteDependencies deps) {
  router.Add(
      bhttp::verb::post, "/api/v1/voice/answer",
      Verified(deps, [](const VoiceRouteDependencies& d, const http::Request& req,
                        http::RequestContext&, const Callback& cb) { return Answer(d, req, cb); }));
  router.Add(bhttp::verb::post, "/api/v1/voice/pin", Verified(deps, Pin));
  router.Add(bhttp::verb::post, "/api/v1/voice/menu", Verified(deps, Menu));
  router.Add(bhttp::verb::post, "/api/v1/voice/status", Verified(deps, Status));
  router.Add(bhttp::verb::post, "/api/v1/twilio/sms-status", Verified(deps, SmsStatus));
}

}  // namespace vigil::api
