#include "vigil/api/twiml.h"

#include "vigil/notify/contact_vault.h"
#include "vigil/notify/twilio_channel.h"

namespace vigil::api {

namespace bhttp = boost::beast::http;

bool SignedByProvider(const http::Request& req, std::string_view auth_token,
                      std::string_view public_url, const std::map<std::string, std::string>& form) {
  auto header = req.find("X-Twilio-Signature");
  if (auth_token.empty() || header == req.end() || header->value().empty()) return false;
  const std::string url =
      std::string(public_url) + std::string(req.target().data(), req.target().size());
  return notify::SecretsEqual(notify::TwilioSignature(auth_token, url, form),
                              std::string_view(header->value().data(), header->value().size()));
}

http::Response TwimlResponse(const http::Request& req, const std::string& verbs) {
  http::Response res{bhttp::status::ok, req.version()};
  res.set(bhttp::field::content_type, "text/xml; charset=utf-8");
  res.set(bhttp::field::cache_control, "no-store");
  res.keep_alive(req.keep_alive());
  res.body() = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response>" + verbs + "</Response>\n";
  res.prepare_payload();
  return res;
}

}  // namespace vigil::api
