// How many SMS parts a text costs (3GPP TS 23.038 / 23.040): texts that fit
// the GSM 7-bit default alphabet (with its extension table, whose characters
// take two septets) go as 160 septets in one part or 153 per part when
// concatenated; anything else goes as UCS-2, 70 UTF-16 units in one part or
// 67 per part. An escape pair or a surrogate pair is never split.
#ifndef VIGIL_NOTIFY_SMS_TEXT_H_
#define VIGIL_NOTIFY_SMS_TEXT_H_

#include <string_view>

namespace vigil::notify {

enum class SmsEncoding { kGsm7, kUcs2 };

struct SmsSegments {
  SmsEncoding encoding = SmsEncoding::kGsm7;
  int units = 0;  // septets (GSM-7) or UTF-16 code units (UCS-2)
  int parts = 0;  // 0 for the empty text
};

// `utf8` must be valid UTF-8.
SmsSegments CountSmsSegments(std::string_view utf8);

}  // namespace vigil::notify

#endif  // VIGIL_NOTIFY_SMS_TEXT_H_
