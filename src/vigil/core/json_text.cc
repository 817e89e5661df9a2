#include "vigil/core/json_text.h"

namespace vigil {

void AppendJsonString(std::string& out, std::string_view s) {
  out.push_back('"');
  size_t plain = 0;  // start of the run of bytes copied as they are
  for (size_t i = 0; i < s.size(); ++i) {
    auto u = static_cast<unsigned char>(s[i]);
    if (u >= 0x20 && u != '"' && u != '\\') continue;
    out.append(s.substr(plain, i - plain));
    plain = i + 1;
    out.push_back('\\');
    switch (u) {
      case '"':
        out.push_back('"');
        break;
      case '\\':
        out.push_back('\\');
        break;
      case '\b':
        out.push_back('b');
        break;
      case '\f':
        out.push_back('f');
        break;
      case '\n':
        out.push_back('n');
        break;
      case '\r':
        out.push_back('r');
        break;
      case '\t':
        out.push_back('t');
        break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        out.append("u00");
        out.push_back(kHex[u >> 4]);
        out.push_back(kHex[u & 0xF]);
      }
    }
  }
  out.append(s.substr(plain));
  out.push_back('"');
}

}  // namespace vigil
