// How a message leaves vigil: one interface per medium (DESIGN.md §3 notify/).
// A Channel is handed a rendered message and a plain-text address (opened
// from the vault just before the call, never logged) and says how it went.
// Sending must be idempotent for a notification id where the medium allows
// (SMTP Message-ID, the file name), because a crash after a send but before
// its outcome is recorded makes the dispatcher send again.
//
// Thread safety: implementations are thread-safe.
#ifndef VIGIL_NOTIFY_CHANNEL_H_
#define VIGIL_NOTIFY_CHANNEL_H_

#include <cstdint>
#include <string>

namespace vigil::notify {

struct OutgoingMessage {
  int64_t notification_id = 0;
  // "vigil-<notification id>-<attempt>": the same for every request of one
  // send attempt, so a provider that honours idempotency keys (Twilio's
  // I-Twilio-Idempotency-Token; the X-Vigil-Idempotency-Key header of an
  // email) can tell a repeat of that attempt from a new one.
  std::string idempotency_key;
  std::string to;               // email address or E.164 number; never logged
  std::string subject;          // email only
  std::string body;             // plain text, UTF-8
  std::string language;         // a built-in catalogue's tag
  std::string unsubscribe_url;  // one-click (RFC 8058) target, may be empty
};

enum class SendOutcome {
  kSent,       // the peer accepted it: delivered, as far as we will ever know
  kAccepted,   // a gateway took it and will report delivery later ('sent')
  kTemporary,  // try again later (4xx, connection refused, timeout)
  kPermanent,  // will never work (5xx, invalid address)
};

struct SendResult {
  SendOutcome outcome = SendOutcome::kSent;
  std::string detail;  // for the outbox row: no contact data
};

class Channel {
 public:
  virtual ~Channel() = default;
  virtual SendResult Send(const OutgoingMessage& message) = 0;
};

}  // namespace vigil::notify

#endif  // VIGIL_NOTIFY_CHANNEL_H_
