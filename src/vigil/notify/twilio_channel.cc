#include "vigil/notify/twilio_channel.h"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <cstring>
#include <mutex>

namespace vigil::notify {
namespace {

std::string Escape(CURL* curl, const std::string& s) {
  char* e = curl_easy_escape(curl, s.data(), static_cast<int>(s.size()));
  std::string out = e ? e : "";
  curl_free(e);
  return out;
}

size_t Collect(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

}  // namespace

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
    : options_(std::move(options)), vault_(vault), medium_(medium) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string TwilioChannel::CallbackUrl(std::string_view route, int64_t notification_id) const {
  return options_.public_url + std::string(route) + "?n=" + std::to_string(notification_id) +
         "&k=" + vault_->ReceiptToken(notification_id);
}

SendResult TwilioChannel::Send(const OutgoingMessage& m) {
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return {SendOutcome::kTemporary, "twilio: curl_easy_init failed"};
  const bool call = medium_ == vigil::DeliveryChannel::kVoice;
  std::string url = options_.api_base + "/2010-04-01/Accounts/" + options_.account_sid +
                    (call ? "/Calls.json" : "/Messages.json");
  std::string form = "To=" + Escape(curl, m.to) + "&From=" + Escape(curl, options_.from);
  if (call) {
    form += "&Url=" + Escape(curl, CallbackUrl("/api/v1/voice/answer", m.notification_id));
    form +=
        "&StatusCallback=" + Escape(curl, CallbackUrl("/api/v1/voice/status", m.notification_id));
  } else {
    form += "&Body=" + Escape(curl, m.body);
    form += "&StatusCallback=" +
            Escape(curl, CallbackUrl("/api/v1/twilio/sms-status", m.notification_id));
  }
  std::string response;
  char error[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, form.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
  curl_easy_setopt(curl, CURLOPT_USERNAME, options_.account_sid.c_str());
  curl_easy_setopt(curl, CURLOPT_PASSWORD, options_.auth_token.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  CURLcode rc = curl_easy_perform(curl);
  long code = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK)
    return {SendOutcome::kTemporary, "twilio: " + std::string(curl_easy_strerror(rc))};
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
