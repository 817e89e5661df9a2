#include "vigil/api/sms_routes.h"

#include <charconv>
#include <cstdio>

#include "vigil/api/search_routes.h"
#include "vigil/http/form.h"
#include "vigil/notify/messages.h"
#include "vigil/notify/phone.h"
#include "vigil/notify/sms_text.h"

namespace vigil::api {
namespace {

namespace bhttp = boost::beast::http;

http::Response Text(const http::Request& req, bhttp::status status, std::string body) {
  http::Response res{status, req.version()};
  res.set(bhttp::field::content_type, "text/plain; charset=utf-8");
  res.keep_alive(req.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

Result<std::map<std::string, std::string>> Params(const http::Request& req) {
  return http::ParseQueryString(http::QueryOf(req));
}

std::string Get(const std::map<std::string, std::string>& params, const char* key) {
  auto it = params.find(key);
  return it == params.end() ? "" : it->second;
}

}  // namespace

void AddSmsRoutes(http::Router& router, SmsRouteDependencies deps) {
  router.Add(
      bhttp::verb::get, "/api/v1/sms/receipt",
      [deps](const http::Request& req, http::RequestContext& ctx) {
        auto params = Params(req);
        if (!params) return http::ErrorResponse(req, ctx, params.error());
        std::string n = Get(*params, "n"), type_text = Get(*params, "type");
        int64_t id = 0;
        int type = 0;
        auto id_parse = std::from_chars(n.data(), n.data() + n.size(), id);
        auto type_parse =
            std::from_chars(type_text.data(), type_text.data() + type_text.size(), type);
        if (id_parse.ec != std::errc() || id_parse.ptr != n.data() + n.size() ||
            type_parse.ec != std::errc() || type_parse.ptr != type_text.data() + type_text.size()) {
          return http::ErrorResponse(
              req, ctx,
              InvalidArgument("n (a notification id) and type (a number) are required").value());
        }
        if (!deps.vault->CheckReceiptToken(id, Get(*params, "k"))) {
          return http::ErrorResponse(
              req, ctx, Error(ErrorCode::kPermissionDenied, "this receipt is not ours"));
        }
        std::optional<NotificationState> to;
        std::string detail;
        Timestamp now = deps.clock->Now();
        Timestamp due = now;
        if (type & 1) {
          to = NotificationState::kDelivered;
          detail = "kannel: delivered to the handset";
        } else if (type & 2) {
          to = NotificationState::kPermanentFailure;
          detail = "kannel: delivery failed";
        } else if (type & 16) {
          to = NotificationState::kTemporaryFailure;
          detail = "kannel: rejected by the SMSC";
          due = now + std::chrono::minutes(5);
        }
        if (!to) return Text(req, bhttp::status::ok, "noted\n");  // buffered, SMSC ack
        auto txn = deps.store->BeginWrite();
        if (!txn) return http::ErrorResponse(req, ctx, txn.error());
        auto applied = (*txn)->outbox().RecordReceipt(id, *to, now, due, detail);
        if (!applied) return http::ErrorResponse(req, ctx, applied.error());
        if (auto c = (*txn)->Commit(); !c) return http::ErrorResponse(req, ctx, c.error());
        if (*applied && deps.audit) {
          deps.audit->Record({"notification", "gateway:kannel", std::nullopt,
                              "notification " + std::to_string(id) + " " + std::string(Name(*to)) +
                                  ": " + detail});
        }
        return Text(req, bhttp::status::ok, *applied ? "recorded\n" : "ignored\n");
      });
  router.Add(bhttp::verb::get, "/api/v1/sms/inbound",
             [deps](const http::Request& req, http::RequestContext& ctx) {
               auto params = Params(req);
               if (!params) return http::ErrorResponse(req, ctx, params.error());
               if (deps.inbound_token.empty() ||
                   !notify::SecretsEqual(Get(*params, "token"), deps.inbound_token)) {
                 return http::ErrorResponse(
                     req, ctx,
                     Error(ErrorCode::kPermissionDenied, "inbound texts need the gateway's token"));
               }
               auto from = notify::NormalizePhone(Get(*params, "from"), deps.default_region,
                                                  notify::PhoneUse::kVoice);
               std::string reply;
               if (!from) {
                 // A short code or a name as sender: nothing of ours to change.
                 reply = notify::SmsKeywordReply(notify::SmsKeyword::kHelp, "en", 0);
               } else {
                 auto r = deps.registrar->OnInboundSms(*from, Get(*params, "text"));
                 // smsbox would text an error page back: fail so it retries instead.
                 if (!r) return http::ErrorResponse(req, ctx, r.error());
                 reply = std::move(*r);
               }
               auto res = Text(req, bhttp::status::ok, reply);
               // smsbox would squeeze the reply into GSM-7 ("m?s"); ask for UCS-2
               // when it needs it (the service needs accept-x-kannel-headers).
               if (notify::CountSmsSegments(reply).encoding == notify::SmsEncoding::kUcs2) {
                 res.set("X-Kannel-Coding", "2");
               }
               return res;
             });
}

}  // namespace vigil::api
