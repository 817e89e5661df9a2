// The `smtp` channel: one message per SMTP transaction through libcurl,
// STARTTLS when the server offers it. The Message-ID is derived from the
// notification id, so a message re-sent after a crash can be recognised as
// a duplicate by the receiving side (and is counted by our tests). Every
// message carries List-Unsubscribe and List-Unsubscribe-Post (RFC 8058).
// A 4xx reply or a connection failure is temporary, a 5xx permanent.
#ifndef VIGIL_NOTIFY_SMTP_CHANNEL_H_
#define VIGIL_NOTIFY_SMTP_CHANNEL_H_

#include <chrono>
#include <string>

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
  SendResult Send(const OutgoingMessage& message) override;

  // The full RFC 5322 message (headers and base64 body), for tests.
  std::string Compose(const OutgoingMessage& message) const;
  // "<vigil-notification-ID@DOMAIN>", DOMAIN from the From address.
  std::string MessageId(int64_t notification_id) const;

 private:
  SmtpOptions options_;
};

}  // namespace vigil::notify

#endif  // VIGIL_NOTIFY_SMTP_CHANNEL_H_
