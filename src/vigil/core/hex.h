// Lower-case hexadecimal for bytes: hashes, signatures and keys in logs,
// audit listings and witness lines.
#ifndef VIGIL_CORE_HEX_H_
#define VIGIL_CORE_HEX_H_

#include <string>
#include <string_view>

namespace vigil {

inline std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

}  // namespace vigil

#endif  // VIGIL_CORE_HEX_H_
