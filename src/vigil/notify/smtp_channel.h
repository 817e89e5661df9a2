// The `smtp` channel: one message per SMTP transaction through libcurl,
// STARTTLS when the server offers it. Connections are kept and reused: a
// message goes out on an idle connection of an earlier one when there is
// one (up to kMaxIdleConnections are kept, each closed after a minute idle
// or after any failure). The Message-ID is derived from the
// notification id, so a message re-sent after a crash can be recognised as
// a duplicate by the receiving side (and is counted by our tests). Every
// message carries List-Unsubscribe and List-Unsubscribe-Post (RFC 8058).
// A 4xx reply or a connection failure is temporary, a 5xx permanent.
#ifndef VIGIL_NOTIFY_SMTP_CHANNEL_H_
#define VIGIL_NOTIFY_SMTP_CHANNEL_H_

#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include "vigil/notify/channel.h"

namespace vigil::notify {

struct SmtpOptions {
  std::string url = "smtp://127.0.0.1:2525";  // smtp:// or smtps://
  std::string from = "alerts@example.org";
  std::chrono::seconds timeout{30};
};

class SmtpChannel final : public Channel {
 public:
  explicit SmtpChannel(SmtpOptions options);
  ~SmtpChannel() override;
  SmtpChannel(const SmtpChannel&) = delete;
  SmtpChannel& operator=(const SmtpChannel&) = delete;
  SendResult Send(const OutgoingMessage& message) override;

  static constexpr size_t kMaxIdleConnections = 8;

  // The full RFC 5322 message (headers and base64 body), for tests.
  std::string Compose(const OutgoingMessage& message) const;
  // "<vigil-notification-ID@DOMAIN>", DOMAIN from the From address.
  std::string MessageId(int64_t notification_id) const;

 private:
  // A libcurl easy handle (CURL*, kept opaque here) with its connection.
  void* TakeHandle();
  void ReturnHandle(void* handle, bool reusable);

  SmtpOptions options_;
  std::mutex mu_;
  std::vector<void*> idle_;  // guarded by mu_
};

}  // namespace vigil::notify

#endif  // VIGIL_NOTIFY_SMTP_CHANNEL_H_
