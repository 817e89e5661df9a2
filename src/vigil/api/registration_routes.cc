#include "vigil/api/registration_routes.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <optional>
#include <type_traits>

#include "vigil/api/agency_keys.h"
#include "vigil/api/search_routes.h"
#include "vigil/core/hex.h"
#include "vigil/http/json_body.h"
#include "vigil/i18n/catalogue.h"
#include "vigil/i18n/local_time.h"
#include "vigil/notify/phone.h"

namespace vigil::api {
namespace {

namespace bhttp = boost::beast::http;

constexpr char kAccepted[] =
    R"({"status":"accepted","message":"If this person can be followed, a message is on its way to confirm the registration."})";

}  // namespace

bool IsPin(std::string_view pin) {
  return pin.size() == 4 && pin.find_first_not_of("0123456789") == std::string_view::npos;
}

RegistrationLimit TakeRegistrationTokens(const RegistrationLimits* limits,
                                         const std::string& address, const std::string& contact,
                                         const std::string& ref, std::chrono::seconds* retry) {
  if (!limits) return RegistrationLimit::kNone;
  if (limits->per_address && !address.empty() && !limits->per_address->Allow(address, retry)) {
    return RegistrationLimit::kAddress;
  }
  if (limits->per_contact) {
    // A per-process key: the limiter's memory holds no contact.
    static const std::array<unsigned char, crypto_generichash_KEYBYTES> kKey = [] {
      std::array<unsigned char, crypto_generichash_KEYBYTES> key{};
      randombytes_buf(key.data(), key.size());
      return key;
    }();
    std::array<unsigned char, 16> digest{};
    crypto_generichash(digest.data(), digest.size(),
                       reinterpret_cast<const unsigned char*>(contact.data()), contact.size(),
                       kKey.data(), kKey.size());
    if (!limits->per_contact->Allow(
            Hex(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size())),
            retry)) {
      return RegistrationLimit::kContact;
    }
  }
  if (limits->per_person && !limits->per_person->Allow(ref, retry)) {
    return RegistrationLimit::kPerson;
  }
  return RegistrationLimit::kNone;
}

void AddRegistrationRoutes(http::Router& router, notify::Registrar* registrar,
                           notify::RegistrationIntake* intake, const RegistrationLimits* limits,
                           RegistrationRouteOptions options) {
  router.Add(bhttp::verb::post, "/api/v1/registrations",
             [intake, limits, options](const http::Request& req, http::RequestContext& ctx) {
               auto fail = [&](const auto& e) {
                 if constexpr (std::is_same_v<std::decay_t<decltype(e)>, Error>) {
                   return http::ErrorResponse(req, ctx, e);
                 } else {
                   return http::ErrorResponse(req, ctx, e.value());
                 }
               };
               // An advocate's key, when one is sent: a wrong one is refused
               // rather than read as no key.
               std::optional<ApiKey> advocate;
               if (req.find(bhttp::field::authorization) != req.end()) {
                 if (!options.key_store) {
                   return fail(Error(ErrorCode::kUnauthenticated,
                                     "this server takes no keys on registrations"));
                 }
                 auto key = Authenticate(*options.key_store, req, kAdvocateScope);
                 if (!key) return fail(key.error());
                 advocate = std::move(*key);
               }
               auto body = http::JsonObjectBody::Parse(
                   req.body(), {"ref", "channel", "contact", "language", "pin"});
               if (!body) return fail(body.error());
               std::string failure;
               auto field = [&](const char* k) {
                 auto v = body->String(k, 320);
                 if (!v && failure.empty()) failure = v.error().message();
                 return v ? *v : std::string();
               };
               for (const char* k : {"ref", "channel", "contact", "language", "pin"}) field(k);
               if (!failure.empty()) return fail(InvalidArgument(failure));
               notify::RegistrationRequest r;
               r.ref = field("ref");
               if (r.ref.empty() || r.ref.size() > 64) {
                 return fail(InvalidArgument("ref is required: the ref of a search result"));
               }
               std::string channel = field("channel");
               if (channel.empty()) channel = "email";
               auto medium = ParseChannel(channel);
               if (!medium) return fail(InvalidArgument("channel must be email, sms or voice"));
               if ((*medium == DeliveryChannel::kVoice && !options.voice) ||
                   (*medium == DeliveryChannel::kSms && !options.sms)) {
                 return fail(InvalidArgument("channel " + channel +
                                             " is not offered by this server; use email"));
               }
               r.channel = *medium;
               auto contact = *medium == DeliveryChannel::kEmail
                                  ? notify::NormalizeEmail(field("contact"))
                                  : notify::NormalizePhone(field("contact"),
                                                           options.default_region,
                                                           *medium == DeliveryChannel::kSms
                                                               ? notify::PhoneUse::kSms
                                                               : notify::PhoneUse::kVoice);
               if (!contact) return fail(contact.error());
               r.contact = *contact;
               if (*medium == DeliveryChannel::kVoice) {
                 r.pin = field("pin");
                 if (!IsPin(r.pin)) {
                   return fail(InvalidArgument(
                       "pin: choose 4 digits; every call asks for them before it says anything"));
                 }
               } else if (body->Has("pin")) {
                 return fail(InvalidArgument("pin is only for channel voice"));
               }
               r.language = field("language");
               if (r.language.empty()) r.language = "en";
               const auto& languages = i18n::BuiltInLanguages();
               if (std::find(languages.begin(), languages.end(), r.language) == languages.end()) {
                 std::string all;
                 for (const std::string& l : languages) all += (all.empty() ? "" : ", ") + l;
                 return fail(InvalidArgument("language must be one of " + all));
               }
               std::chrono::seconds retry{0};
               RegistrationLimit hit = TakeRegistrationTokens(
                   limits, advocate ? std::string() : ctx.client_address, r.contact, r.ref, &retry);
               if (hit != RegistrationLimit::kNone) {
                 const char* who = hit == RegistrationLimit::kAddress   ? "from this address"
                                   : hit == RegistrationLimit::kContact ? "for this contact"
                                                                        : "for this person";
                 auto res = fail(Error(ErrorCode::kResourceExhausted,
                                       std::string("too many registrations ") + who +
                                           "; try again in " + i18n::WaitInWords("en", retry)));
                 res.set(bhttp::field::retry_after, std::to_string(retry.count()));
                 return res;
               }
               if (advocate && options.audit) {
                 options.audit->Record(
                     {"registration_by_advocate", "api:" + advocate->name, std::nullopt,
                      "channel " + std::string(Name(r.channel)) + ", language " + r.language});
               }
               if (!intake->Submit(std::move(r))) {
                 return fail(Unavailable("registration is busy; try again in a minute"));
               }
               return http::JsonResponse(req, bhttp::status::accepted, kAccepted);
             });
  router.Add(bhttp::verb::post, "/api/v1/registrations/verify",
             [registrar, options](const http::Request& req, http::RequestContext& ctx) {
               auto body = http::JsonObjectBody::Parse(req.body(),
                                                       {"token", "channel", "contact", "code"});
               if (!body) return http::ErrorResponse(req, ctx, body.error());
               auto text = [&](const char* k) {
                 auto v = body->String(k, 200);
                 return v ? *v : std::string();
               };
               Result<int64_t> r;
               if (!text("token").empty()) {
                 r = registrar->Verify(text("token"));
               } else if ((text("channel") == "sms" || text("channel") == "voice") &&
                          !text("contact").empty() && !text("code").empty()) {
                 auto medium = text("channel") == "sms" ? DeliveryChannel::kSms : DeliveryChannel::kVoice;
                 auto number = notify::NormalizePhone(text("contact"), options.default_region,
                                                      notify::PhoneUse::kVoice);
                 if (!number) return http::ErrorResponse(req, ctx, number.error());
                 r = registrar->VerifyCode(medium, *number, text("code"));
               } else {
                 return http::ErrorResponse(
                     req, ctx,
                     InvalidArgument("the body must be {\"token\": \"...\"} or {\"channel\": "
                                     "\"sms\" or \"voice\", \"contact\": \"+1...\", \"code\": \"123456\"}")
                         .value());
               }
               if (!r) return http::ErrorResponse(req, ctx, r.error());
               return http::JsonResponse(req, bhttp::status::ok, R"({"status":"active"})");
             });
}

}  // namespace vigil::api
