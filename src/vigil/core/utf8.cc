#include "vigil/core/utf8.h"

namespace vigil {

size_t FindInvalidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size(), i = 0;
  while (i < n) {
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;  // bounds of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;  // overlong
      if (c == 0xED) hi = 0x9F;  // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;  // overlong
      if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
    } else {
      return i;
    }
    if (i + len > n) return i;
    if (p[i + 1] < lo || p[i + 1] > hi) return i;
    for (size_t k = 2; k < len; ++k) {
      if (p[i + k] < 0x80 || p[i + k] > 0xBF) return i;
    }
    i += len;
  }
  return std::string_view::npos;
}

size_t FindControlCharacter(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  for (size_t i = 0; i < n; ++i) {
    const unsigned char c = p[i];
    if (c < 0x20 || c == 0x7F) return i;
    // C1: U+0080..U+009F are C2 80..C2 9F.
    if (c == 0xC2 && i + 1 < n && p[i + 1] <= 0x9F) return i;
    // U+2000..U+206F are E2 80 xx and E2 81 xx.
    if (c == 0xE2 && i + 2 < n) {
      const unsigned char b = p[i + 1], x = p[i + 2];
      if (b == 0x80 &&
          (x == 0x8E || x == 0x8F || x == 0xA8 || x == 0xA9 || (x >= 0xAA && x <= 0xAE))) {
        return i;
      }
      if (b == 0x81 && x >= 0xA6 && x <= 0xA9) return i;
    }
  }
  return std::string_view::npos;
}

}  // namespace vigil
