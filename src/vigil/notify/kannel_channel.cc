#include "vigil/notify/kannel_channel.h"

#include <curl/curl.h>

#include <mutex>

#include "vigil/notify/sms_text.h"

namespace vigil::notify {
namespace {

// Delivery reports wanted: delivered (1), failed (2), rejected by the SMSC (16).
constexpr int kDlrMask = 1 | 2 | 16;

std::string Escape(CURL* curl, const std::string& s) {
  char* e = curl_easy_escape(curl, s.data(), static_cast<int>(s.size()));
  std::string out = e ? e : "";
  curl_free(e);
  return out;
}

size_t Discard(char*, size_t size, size_t n, void*) { return size * n; }

}  // namespace

KannelChannel::KannelChannel(KannelOptions options, const ContactVault* vault)
    : options_(std::move(options)), vault_(vault) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string KannelChannel::SendUrl(const OutgoingMessage& m) const {
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return "";
  std::string id = std::to_string(m.notification_id);
  std::string receipt = options_.receipt_url + "?n=" + id +
                        "&k=" + vault_->ReceiptToken(m.notification_id) +
                        "&type=%d";  // Kannel puts the report type in place of %d
  std::string url = options_.sendsms_url;
  url += url.find('?') == std::string::npos ? '?' : '&';
  url += "username=" + Escape(curl, options_.username);
  url += "&password=" + Escape(curl, options_.password);
  if (!options_.from.empty()) url += "&from=" + Escape(curl, options_.from);
  url += "&to=" + Escape(curl, m.to);
  url += "&text=" + Escape(curl, m.body) + "&charset=UTF-8";
  if (CountSmsSegments(m.body).encoding == SmsEncoding::kUcs2) url += "&coding=2";
  url += "&dlr-mask=" + std::to_string(kDlrMask) + "&dlr-url=" + Escape(curl, receipt);
  curl_easy_cleanup(curl);
  return url;
}

SendResult KannelChannel::Send(const OutgoingMessage& m) {
  std::string url = SendUrl(m);
  CURL* curl = curl_easy_init();
  if (curl == nullptr || url.empty()) {
    if (curl) curl_easy_cleanup(curl);
    return {SendOutcome::kTemporary, "kannel: curl_easy_init failed"};
  }
  char error[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Discard);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  CURLcode rc = curl_easy_perform(curl);
  long code = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) {
    // curl's own description only: the URL holds the number and password.
    return {SendOutcome::kTemporary, "kannel: " + std::string(curl_easy_strerror(rc))};
  }
  std::string status = "kannel: HTTP " + std::to_string(code);
  if (code == 202 || code == 200) return {SendOutcome::kAccepted, status + " accepted"};
  // 400: Kannel refuses the number or the text — sending again will not help.
  if (code == 400) return {SendOutcome::kPermanent, status + " refused the message"};
  // 403 (credentials), 503 (queue full) and the rest: fixable, so wait.
  return {SendOutcome::kTemporary, status};
}

}  // namespace vigil::notify
