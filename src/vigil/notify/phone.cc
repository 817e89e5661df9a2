#include "vigil/notify/phone.h"

#include <phonenumbers/phonenumberutil.h>

#include <cctype>
#include <list>

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

std::vector<std::string> RegionsOfCallingCode(std::string_view calling_code) {
  if (calling_code.empty() || calling_code.size() > 3) return {};
  int code = 0;
  for (char c : calling_code) {
    if (c < '0' || c > '9') return {};
    code = code * 10 + (c - '0');
  }
  if (code == 0 || calling_code.front() == '0') return {};
  std::list<std::string> regions;
  i18n::phonenumbers::PhoneNumberUtil::GetInstance()->GetRegionCodesForCountryCallingCode(code,
                                                                                          &regions);
  std::vector<std::string> out;
  for (std::string& r : regions) {
    if (r != "001") out.push_back(std::move(r));  // "001": non-geographic entities
  }
  return out;
}

std::string PhoneAsDialled(std::string_view e164, std::string_view region) {
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  i18n::phonenumbers::PhoneNumber number;
  if (util.Parse(std::string(e164), std::string(region), &number) !=
      PhoneNumberUtil::NO_PARSING_ERROR) {
    return std::string(e164);
  }
  std::string home;
  util.GetRegionCodeForNumber(number, &home);
  std::string out;
  util.Format(number, home == region ? PhoneNumberUtil::NATIONAL : PhoneNumberUtil::INTERNATIONAL,
              &out);
  return out;
}

}  // namespace vigil::notify
