#include "vigil/notify/smtp_channel.h"

#include <curl/curl.h>
#include <sodium.h>

#include <cstring>
#include <ctime>
#include <mutex>

namespace vigil::notify {
namespace {

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string Base64(std::string_view data) {
  std::string out(sodium_base64_encoded_len(data.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(data.data()),
                    data.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

// RFC 2047 encoded word for a header that may hold non-ASCII text.
std::string EncodedWord(std::string_view text) {
  bool ascii = true;
  for (unsigned char c : text) ascii = ascii && c >= 0x20 && c < 0x7f;
  if (ascii) return std::string(text);
  return "=?UTF-8?B?" + Base64(text) + "?=";
}

std::string RfcDate() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

struct Upload {
  std::string_view data;
  size_t offset = 0;
};

size_t ReadPayload(char* out, size_t size, size_t n, void* user) {
  auto* up = static_cast<Upload*>(user);
  size_t room = size * n;
  size_t left = up->data.size() - up->offset;
  size_t take = left < room ? left : room;
  std::memcpy(out, up->data.data() + up->offset, take);
  up->offset += take;
  return take;
}

}  // namespace

SmtpChannel::SmtpChannel(SmtpOptions options) : options_(std::move(options)) { GlobalInit(); }

SmtpChannel::~SmtpChannel() {
  for (void* handle : idle_) curl_easy_cleanup(static_cast<CURL*>(handle));
}

void* SmtpChannel::TakeHandle() {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      void* handle = idle_.back();
      idle_.pop_back();
      curl_easy_reset(static_cast<CURL*>(handle));  // keeps its open connection
      return handle;
    }
  }
  return curl_easy_init();
}

void SmtpChannel::ReturnHandle(void* handle, bool reusable) {
  if (reusable) {
    std::lock_guard lock(mu_);
    if (idle_.size() < kMaxIdleConnections) {
      idle_.push_back(handle);
      return;
    }
  }
  curl_easy_cleanup(static_cast<CURL*>(handle));
}

std::string SmtpChannel::MessageId(int64_t notification_id) const {
  size_t at = options_.from.rfind('@');
  std::string domain = at == std::string::npos ? "vigil.invalid" : options_.from.substr(at + 1);
  return "<vigil-notification-" + std::to_string(notification_id) + "@" + domain + ">";
}

std::string SmtpChannel::Compose(const OutgoingMessage& m) const {
  std::string out;
  out += "Date: " + RfcDate() + "\r\n";
  out += "From: " + options_.from + "\r\n";
  out += "To: " + m.to + "\r\n";
  out += "Subject: " + EncodedWord(m.subject) + "\r\n";
  out += "Message-ID: " + MessageId(m.notification_id) + "\r\n";
  if (!m.idempotency_key.empty()) out += "X-Vigil-Idempotency-Key: " + m.idempotency_key + "\r\n";
  out += "Content-Language: " + m.language + "\r\n";
  out += "Auto-Submitted: auto-generated\r\n";
  if (!m.unsubscribe_url.empty()) {
    out += "List-Unsubscribe: <" + m.unsubscribe_url + ">\r\n";
    out += "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n";
  }
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=UTF-8\r\n";
  out += "Content-Transfer-Encoding: base64\r\n\r\n";
  std::string body;
  for (char c : m.body) {
    if (c == '\n') body += '\r';
    body += c;
  }
  std::string encoded = Base64(body);
  for (size_t i = 0; i < encoded.size(); i += 76) out += encoded.substr(i, 76) + "\r\n";
  return out;
}

SendResult SmtpChannel::Send(const OutgoingMessage& m) {
  std::string payload = Compose(m);
  CURL* curl = static_cast<CURL*>(TakeHandle());
  if (curl == nullptr) return {SendOutcome::kTemporary, "smtp: curl_easy_init failed"};
  std::string rcpt = "<" + m.to + ">";
  std::string from = "<" + options_.from + ">";
  curl_slist* recipients = curl_slist_append(nullptr, rcpt.c_str());
  Upload upload{payload};
  char error[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(curl, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadPayload);
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  // An idle connection is closed after a minute rather than kept for ever.
  curl_easy_setopt(curl, CURLOPT_MAXAGE_CONN, 60L);
  CURLcode rc = curl_easy_perform(curl);
  long code = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);  // `error` ends with this call
  curl_slist_free_all(recipients);
  // After a failure the connection's state is unknown: start the next
  // message on a fresh one.
  ReturnHandle(curl, rc == CURLE_OK);
  if (rc == CURLE_OK) return {SendOutcome::kSent, "smtp: accepted"};
  // The curl message may quote the server, which may quote the address:
  // keep only the reply code and curl's own description.
  std::string detail = "smtp: " + std::string(curl_easy_strerror(rc));
  if (code > 0) detail += " (reply " + std::to_string(code) + ")";
  if (code >= 500 && code < 600) return {SendOutcome::kPermanent, detail};
  return {SendOutcome::kTemporary, detail};
}

}  // namespace vigil::notify
