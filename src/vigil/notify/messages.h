// The words of notifications, in every built-in language: short, stating the
// custody basis in plain words, the facility and time, a safety line, and
// how to stop. Content about a person comes only from the disclosure gate's
// projection (DESIGN.md §2.1): these functions cannot take a Subject.
#ifndef VIGIL_NOTIFY_MESSAGES_H_
#define VIGIL_NOTIFY_MESSAGES_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "vigil/policy/disclosure_policy.h"

namespace vigil::notify {

struct RenderedMessage {
  std::string subject;  // email only
  std::string body;
};

// `language` names a built-in catalogue ("es", "zh-Hans", ...); anything else is English.
RenderedMessage RenderVerification(const std::string& language, const std::string& verify_url);
// `kind` is the event type that caused the notice ("transferred", ...).
// `status_url`, when given, ends the body with the way to the registrant's
// own page (email.status_line).
RenderedMessage RenderCustodyNotice(const std::string& language, const std::string& kind,
                                    const policy::DisclosedSubject& subject,
                                    const std::string& unsubscribe_url,
                                    const std::string& status_url = "");

// Text messages: one short part where the language allows (GSM-7), with
// the safety line and how to stop.
std::string RenderSmsVerification(const std::string& language, const std::string& code,
                                  const std::string& verify_url);
std::string RenderSmsNotice(const std::string& language, const std::string& kind,
                            const policy::DisclosedSubject& subject);

// What an inbound text asked for (the keywords carriers require).
enum class SmsKeyword { kStop, kStart, kHelp };
// Reads the first word of an inbound text, case-insensitively: STOP,
// STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT (and Spanish PARAR, BAJA) stop;
// START, UNSTOP (ALTA) resume; HELP, INFO (AYUDA) and anything else ask for help.
SmsKeyword ParseSmsKeyword(std::string_view text);
// The reply to an inbound keyword. It never names a person.
std::string SmsKeywordReply(SmsKeyword keyword, const std::string& language, int64_t changed);

// Phone calls. A call asks for the registrant's PIN before it says anything
// about anyone (VoicePrompt::kAskPin), then reads the notice.
std::string RenderVoiceVerification(const std::string& language, const std::string& code);
std::string RenderVoiceNotice(const std::string& language, const std::string& kind,
                              const policy::DisclosedSubject& subject);
enum class VoicePrompt {
  kAskPin,      // "This is vigil... enter your four-digit PIN"
  kWrongPin,    // and ask again
  kNoPin,       // we will call again; goodbye
  kNothingNow,  // there is no message for you now (withheld, or settled)
  kMenu,        // press 1 to hear it again, 9 to stop these calls
  kStopped,     // no more calls; goodbye
  kGoodbye,
};
std::string VoiceText(const std::string& language, VoicePrompt prompt);
// The <Say language=...> of a registration language: "es-MX" or "en-US".
std::string VoiceLanguage(const std::string& language);

}  // namespace vigil::notify

#endif  // VIGIL_NOTIFY_MESSAGES_H_
