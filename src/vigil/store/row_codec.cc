#include "vigil/store/row_codec.h"

#include <nlohmann/json.hpp>

#include "vigil/core/json_document.h"

namespace vigil::row_codec {

std::string AliasesToJson(const std::vector<std::string>& aliases) {
  if (aliases.empty()) return "[]";
  return nlohmann::json(aliases).dump();
}

// Read with the project's one JSON reader, like everything else.
std::vector<std::string> AliasesFromJson(const std::string& text) {
  if (text == "[]") return {};
  JsonDocument doc;
  std::vector<std::string> out;
  if (!doc.Parse(text) || !doc.root().is_array()) return out;
  for (size_t i = 0; i < doc.root().size(); ++i) {
    if (doc.root()[i].is_string()) out.emplace_back(doc.root()[i].text());
  }
  return out;
}

std::string JoinWords(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

std::vector<std::string> SplitWords(const std::string& text) {
  std::vector<std::string> out;
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace vigil::row_codec
