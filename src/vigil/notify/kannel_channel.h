// SMS through a Kannel gateway (DESIGN.md §3 notify/): each message
// is one GET to smsbox's `sendsms` interface. Kannel answers 202 when it has
// taken the message; the handset's fate comes later as a delivery report on
// `dlr-url`, which carries the notification id and a MAC of it
// (ContactVault::ReceiptToken) so that nobody else can settle a message.
// So a taken message is kAccepted (state 'sent'), and the receipt route
// (api/sms_routes.h) moves it to 'delivered' or a failure.
//
// Texts that fit GSM-7 go as they are; anything else is sent as UCS-2
// (coding=2), both handed over as UTF-8.
//
// Thread safety: thread-safe (a libcurl easy handle per send).
#ifndef VIGIL_NOTIFY_KANNEL_CHANNEL_H_
#define VIGIL_NOTIFY_KANNEL_CHANNEL_H_

#include <chrono>
#include <string>

#include "vigil/notify/channel.h"
#include "vigil/notify/contact_vault.h"

namespace vigil::notify {

struct KannelOptions {
  std::string sendsms_url = "http://127.0.0.1:13013/cgi-bin/sendsms";
  std::string username, password;
  std::string from;  // sender number or short code; empty lets Kannel choose
  // Where Kannel reports delivery: our public URL + "/api/v1/sms/receipt".
  std::string receipt_url;
  std::chrono::seconds timeout{30};
};

class KannelChannel final : public Channel {
 public:
  // `vault` (for receipt tokens) is not owned and must outlive the channel.
  KannelChannel(KannelOptions options, const ContactVault* vault);
  // The sendsms URL for a message (holds the number and password: never log it).
  std::string SendUrl(const OutgoingMessage& message) const;
  SendResult Send(const OutgoingMessage& message) override;

 private:
  KannelOptions options_;
  const ContactVault* vault_;
};

}  // namespace vigil::notify

#endif  // VIGIL_NOTIFY_KANNEL_CHANNEL_H_
