#include "vigil/notify/phone.h"

#include <phonenumbers/phonenumberutil.h>

#include <cctype>

namespace vigil::notify {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

Result<std::string> NormalizePhone(std::string_view text, std::string_view default_region,
                                   PhoneUse use) {
  if (text.size() > 40) return InvalidArgument("contact: the phone number is too long");
  bool digits = false;
  for (unsigned char c : text) {
    if (c >= '0' && c <= '9') digits = true;
    // Letters would let libphonenumber read vanity numbers ("1-800-FLOWERS")
    // and extensions; neither can receive a notice.
    if (c < 0x20 || c >= 0x7f || std::isalpha(c)) {
      return InvalidArgument(
          "contact: a phone number holds only digits, spaces, '+', '-', '.' and parentheses");
    }
  }
  if (!digits) return InvalidArgument("contact: give a phone number");
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  PhoneNumber number;
  auto parsed = util.Parse(std::string(text), std::string(default_region), &number);
  if (parsed != PhoneNumberUtil::NO_PARSING_ERROR) {
    return InvalidArgument(
        "contact: not a phone number (include the country code, e.g. +1 202 555 0143)");
  }
  if (!util.IsValidNumber(number)) {
    return InvalidArgument("contact: this is not a valid phone number for its country");
  }
  auto type = util.GetNumberType(number);
  if (use == PhoneUse::kSms && type != PhoneNumberUtil::MOBILE &&
      type != PhoneNumberUtil::FIXED_LINE_OR_MOBILE) {
    return InvalidArgument(
        "contact: this number cannot receive text messages; give a mobile number, or choose a "
        "phone call");
  }
  if (type == PhoneNumberUtil::PREMIUM_RATE || type == PhoneNumberUtil::SHARED_COST ||
      type == PhoneNumberUtil::PAGER) {
    return InvalidArgument("contact: this kind of number cannot receive notices");
  }
  std::string e164;
  util.Format(number, PhoneNumberUtil::E164, &e164);
  return e164;
}

}  // namespace vigil::notify
