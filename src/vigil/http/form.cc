#include "vigil/http/form.h"

#include <algorithm>

#include "vigil/core/utf8.h"

namespace vigil::http {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> Decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%') {
      int hi = i + 2 < s.size() ? HexValue(s[i + 1]) : -1;
      int lo = i + 2 < s.size() ? HexValue(s[i + 2]) : -1;
      if (hi < 0 || lo < 0) return InvalidArgument("malformed %-escape in the query string");
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += s[i];
    }
  }
  if (FindInvalidUtf8(out) != std::string::npos) {
    return InvalidArgument("the query string is not valid UTF-8");
  }
  if (FindControlCharacter(out) != std::string::npos) {
    return InvalidArgument("the query string holds a control character");
  }
  return out;
}

}  // namespace

Result<std::map<std::string, std::string>> ParseQueryString(std::string_view query) {
  std::map<std::string, std::string> out;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query.remove_prefix(amp == std::string_view::npos ? query.size() : amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    auto key = Decode(pair.substr(0, eq));
    if (!key) return tl::unexpected(key.error());
    auto value = Decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    if (!value) return tl::unexpected(value.error());
    if (key->size() > kMaxParameterNameBytes || value->size() > kMaxParameterBytes) {
      return InvalidArgument("a query parameter is longer than " +
                             std::to_string(kMaxParameterBytes) + " bytes");
    }
    if (!out.emplace(*key, *value).second) {
      return InvalidArgument("parameter " + ShownParameterName(*key) + " is given more than once");
    }
  }
  return out;
}

std::string_view QueryOf(const Request& req) {
  std::string_view target(req.target().data(), req.target().size());
  size_t q = target.find('?');
  return q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
}

std::string ShownParameterName(std::string_view name) {
  bool plain = !name.empty() && name.size() <= kMaxParameterNameBytes &&
               std::all_of(name.begin(), name.end(),
                           [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
  return plain ? "\"" + std::string(name) + "\"" : "(unprintable)";
}

}  // namespace vigil::http
