#include "vigil/notify/sms_text.h"

#include <vector>

namespace vigil::notify {
namespace {

std::vector<char32_t> Decode(std::string_view s) {
  std::vector<char32_t> out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < len && i + k < s.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    out.push_back(cp);
    i += len;
  }
  return out;
}

// The GSM 03.38 default alphabet, outside ASCII letters and digits.
constexpr std::u32string_view kGsmBasic =
    U"@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./:;<=>?¡ÄÖÑÜ§¿äöñüà";
constexpr std::u32string_view kGsmExtension = U"\f^{}\\[~]|€";

// Septets for one character, or 0 when it is not in the GSM alphabet.
int Septets(char32_t c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return 1;
  if (kGsmBasic.find(c) != std::u32string_view::npos) return 1;
  if (kGsmExtension.find(c) != std::u32string_view::npos) return 2;
  return 0;
}

// Parts needed for `costs` (units per character) at `single` units in one
// part or `multi` per part, never splitting a character.
int Parts(const std::vector<int>& costs, int total, int single, int multi) {
  if (total == 0) return 0;
  if (total <= single) return 1;
  int parts = 1, used = 0;
  for (int c : costs) {
    if (used + c > multi) {
      ++parts;
      used = 0;
    }
    used += c;
  }
  return parts;
}

}  // namespace

SmsSegments CountSmsSegments(std::string_view utf8) {
  std::vector<char32_t> text = Decode(utf8);
  std::vector<int> costs;
  costs.reserve(text.size());
  SmsSegments out;
  for (char32_t c : text) {
    int septets = Septets(c);
    if (septets == 0) {
      out.encoding = SmsEncoding::kUcs2;
      break;
    }
    costs.push_back(septets);
    out.units += septets;
  }
  if (out.encoding == SmsEncoding::kGsm7) {
    out.parts = Parts(costs, out.units, 160, 153);
    return out;
  }
  costs.clear();
  out.units = 0;
  for (char32_t c : text) {
    int units = c > 0xFFFF ? 2 : 1;
    costs.push_back(units);
    out.units += units;
  }
  out.parts = Parts(costs, out.units, 70, 67);
  return out;
}

}  // namespace vigil::notify
