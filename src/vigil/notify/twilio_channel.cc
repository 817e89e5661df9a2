#include "vigil/notify/twilio_channel.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <cstring>

#include "vigil/net/http_client.h"

namespace vigil::notify {
namespace {}  // namespace

std::string TwilioSignature(std::string_view auth_token, std::string_view url,
                            const std::map<std::string, std::string>& params) {
  std::string data(url);
  for (const auto& [name, value] : params) data += name + value;  // std::map: sorted by name
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha1(), auth_token.data(), static_cast<int>(auth_token.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &len);
  std::string out(sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), mac, len, sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

TwilioChannel::TwilioChannel(TwilioOptions options, const ContactVault* vault,
                             vigil::DeliveryChannel medium)
    : options_(std::move(options)), vault_(vault), medium_(medium) {}

std::string TwilioChannel::CallbackUrl(std::string_view route, int64_t notification_id) const {
  return options_.public_url + std::string(route) + "?n=" + std::to_string(notification_id) +
         "&k=" + vault_->ReceiptToken(notification_id);
}

SendResult TwilioChannel::Send(const OutgoingMessage& m) {
  const bool call = medium_ == vigil::DeliveryChannel::kVoice;
  std::string url = options_.api_base + "/2010-04-01/Accounts/" + options_.account_sid +
                    (call ? "/Calls.json" : "/Messages.json");
  std::string form = "To=" + net::UrlEscape(m.to) + "&From=" + net::UrlEscape(options_.from);
  if (call) {
    form += "&Url=" + net::UrlEscape(CallbackUrl("/api/v1/voice/answer", m.notification_id));
    form +=
        "&StatusCallback=" + net::UrlEscape(CallbackUrl("/api/v1/voice/status", m.notification_id));
  } else {
    form += "&Body=" + net::UrlEscape(m.body);
    form += "&StatusCallback=" +
            net::UrlEscape(CallbackUrl("/api/v1/twilio/sms-status", m.notification_id));
  }
  net::HttpRequest request;
  request.url = url;
  request.body = std::move(form);
  if (!m.idempotency_key.empty()) {
    request.headers.push_back("I-Twilio-Idempotency-Token: " + m.idempotency_key);
  }
  request.user = options_.account_sid;
  request.password = options_.auth_token;
  request.timeout = options_.timeout;
  request.connect_timeout = std::chrono::seconds(10);
  auto response = net::Fetch(request);
  if (!response) return {SendOutcome::kTemporary, "twilio: " + response.error().message()};
  const long code = response->status;
  // Twilio's errors are JSON {"code", "message"}; the message may quote the
  // number, so keep only the HTTP status.
  std::string status = "twilio: HTTP " + std::to_string(code);
  if (code == 201 || code == 200) {
    return {SendOutcome::kAccepted, status + (call ? " call placed" : " message queued")};
  }
  if (code == 400 || code == 404) return {SendOutcome::kPermanent, status + " refused"};
  return {SendOutcome::kTemporary, status};  // 401/403 (credentials), 429, 5xx
}

}  // namespace vigil::notify
