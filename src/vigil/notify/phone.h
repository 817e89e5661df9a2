// Telephone numbers for SMS and voice registrations: parsed and
// validated with libphonenumber and kept only in E.164 form ("+12025550143"),
// so that one number written three ways is one contact (dedupe, STOP).
//
// Thread safety: thread-safe (libphonenumber's PhoneNumberUtil is).
#ifndef VIGIL_NOTIFY_PHONE_H_
#define VIGIL_NOTIFY_PHONE_H_

#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/error.h"

namespace vigil::notify {

enum class PhoneUse {
  kSms,    // must be able to receive text messages: mobile numbers only
  kVoice,  // any number that can take a call
};

// `text` as typed ("(202) 555-0143", "+52 55 1234 5678"); numbers without a
// leading "+" are read as numbers of `default_region` (ISO 3166-1 alpha-2).
// kInvalidArgument with a message fit to show the user, starting "contact:".
Result<std::string> NormalizePhone(std::string_view text, std::string_view default_region,
                                   PhoneUse use);

// The countries (ISO 3166-1 alpha-2) that dial `calling_code` ("52" →
// {"MX"}, "1" → {"US", "AG", "AI", ...}), from libphonenumber's metadata;
// empty for digits that are no country's code.
std::vector<std::string> RegionsOfCallingCode(std::string_view calling_code);

// `e164` as someone in `region` dials it: "(760) 561-6100" for a US number
// in the US, "+52 55 1234 5678" from elsewhere; unchanged if unparsable.
std::string PhoneAsDialled(std::string_view e164, std::string_view region);

}  // namespace vigil::notify

#endif  // VIGIL_NOTIFY_PHONE_H_
