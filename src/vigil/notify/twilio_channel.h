// Calls and texts through a Twilio-compatible provider (DESIGN.md §3
// notify/), in the shape of Twilio's REST API:
//   POST {api_base}/2010-04-01/Accounts/{sid}/Calls.json     To, From, Url, StatusCallback
//   POST {api_base}/2010-04-01/Accounts/{sid}/Messages.json  To, From, Body, StatusCallback
// with HTTP basic auth (account sid, auth token). A 201 means the provider
// took it (kAccepted, state 'sent'); what happened comes back on the
// callbacks (api/voice_routes.h), whose URLs carry the notification id and a
// MAC of it. A call says nothing itself: the provider fetches `Url`, where
// vigil answers with TwiML that asks for the PIN first.
//
// Thread safety: thread-safe (a libcurl easy handle per send).
#ifndef VIGIL_NOTIFY_TWILIO_CHANNEL_H_
#define VIGIL_NOTIFY_TWILIO_CHANNEL_H_

#include <chrono>
#include <map>
#include <string>
#include <string_view>

#include "vigil/core/vocabulary.h"
#include "vigil/notify/channel.h"
#include "vigil/notify/contact_vault.h"

namespace vigil::notify {

struct TwilioOptions {
  std::string api_base = "https://api.twilio.com";
  std::string account_sid, auth_token;
  std::string from;        // our number, E.164
  std::string public_url;  // where the provider reaches vigil's callbacks
  std::chrono::seconds timeout{30};
};

// Twilio's request signature (X-Twilio-Signature): base64 of the HMAC-SHA1,
// keyed by the auth token, of the full URL the provider requested followed
// by each POST parameter's name and value, sorted by name.
std::string TwilioSignature(std::string_view auth_token, std::string_view url,
                            const std::map<std::string, std::string>& params);

class TwilioChannel final : public Channel {
 public:
  // `medium` is kVoice (calls) or kSms (texts). `vault` (for the callback
  // MACs) is not owned and must outlive the channel.
  TwilioChannel(TwilioOptions options, const ContactVault* vault, vigil::DeliveryChannel medium);
  SendResult Send(const OutgoingMessage& message) override;

  // The callback URLs of a notification, as sent to the provider.
  std::string CallbackUrl(std::string_view route, int64_t notification_id) const;

 private:
  TwilioOptions options_;
  const ContactVault* vault_;
  vigil::DeliveryChannel medium_;
};

}  // namespace vigil::notify

#endif  // VIGIL_NOTIFY_TWILIO_CHANNEL_H_
