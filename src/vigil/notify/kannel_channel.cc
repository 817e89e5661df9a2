#include "vigil/notify/kannel_channel.h"

#include "vigil/net/http_client.h"
#include "vigil/notify/sms_text.h"

namespace vigil::notify {
namespace {

// Delivery reports wanted: delivered (1), failed (2), rejected by the SMSC (16).
constexpr int kDlrMask = 1 | 2 | 16;

}  // namespace

KannelChannel::KannelChannel(KannelOptions options, const ContactVault* vault)
    : options_(std::move(options)), vault_(vault) {}

std::string KannelChannel::SendUrl(const OutgoingMessage& m) const {
  std::string id = std::to_string(m.notification_id);
  std::string receipt = options_.receipt_url + "?n=" + id +
                        "&k=" + vault_->ReceiptToken(m.notification_id) +
                        "&type=%d";  // Kannel puts the report type in place of %d
  std::string url = options_.sendsms_url;
  url += url.find('?') == std::string::npos ? '?' : '&';
  url += "username=" + net::UrlEscape(options_.username);
  url += "&password=" + net::UrlEscape(options_.password);
  if (!options_.from.empty()) url += "&from=" + net::UrlEscape(options_.from);
  url += "&to=" + net::UrlEscape(m.to);
  url += "&text=" + net::UrlEscape(m.body) + "&charset=UTF-8";
  if (CountSmsSegments(m.body).encoding == SmsEncoding::kUcs2) url += "&coding=2";
  url += "&dlr-mask=" + std::to_string(kDlrMask) + "&dlr-url=" + net::UrlEscape(receipt);
  return url;
}

SendResult KannelChannel::Send(const OutgoingMessage& m) {
  net::HttpRequest request;
  request.url = SendUrl(m);
  request.timeout = options_.timeout;
  request.connect_timeout = std::chrono::seconds(10);
  auto response = net::Fetch(request);
  // curl's own description only (Fetch never repeats the URL): the URL
  // holds the number and the password.
  if (!response) return {SendOutcome::kTemporary, "kannel: " + response.error().message()};
  const long code = response->status;
  std::string status = "kannel: HTTP " + std::to_string(code);
  if (code == 202 || code == 200) return {SendOutcome::kAccepted, status + " accepted"};
  // 400: Kannel refuses the number or the text — sending again will not help.
  if (code == 400) return {SendOutcome::kPermanent, status + " refused the message"};
  // 403 (credentials), 503 (queue full) and the rest: fixable, so wait.
  return {SendOutcome::kTemporary, status};
}

}  // namespace vigil::notify
