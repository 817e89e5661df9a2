// The words of notifications, in English and Spanish: short, stating the
// custody basis in plain words, the facility and time, a safety line, and
// how to stop. Content about a person comes only from the disclosure gate's
// projection (DESIGN.md §2.1): these functions cannot take a Subject.
#ifndef VIGIL_NOTIFY_MESSAGES_H_
#define VIGIL_NOTIFY_MESSAGES_H_

#include <string>

#include "vigil/policy/disclosure_policy.h"

namespace vigil::notify {

struct RenderedMessage {
  std::string subject;  // email only
  std::string body;
};

// `language` "es" selects Spanish; anything else English.
RenderedMessage RenderVerification(const std::string& language, const std::string& verify_url);
// `kind` is the event type that caused the notice ("transferred", ...).
RenderedMessage RenderCustodyNotice(const std::string& language, const std::string& kind,
                                    const policy::DisclosedSubject& subject,
                                    const std::string& unsubscribe_url);

}  // namespace vigil::notify

#endif  // VIGIL_NOTIFY_MESSAGES_H_
