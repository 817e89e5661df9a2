#include "vigil/text/tokens.h"

#include "vigil/text/name_tables.h"

namespace vigil::text {

bool IsNameParticle(std::string_view word) { return NameTables::BuiltIn().IsParticle(word); }

std::vector<NameToken> Tokenize(std::string_view normalized) {
  std::vector<NameToken> tokens;
  size_t pos = 0;
  while (pos < normalized.size()) {
    const size_t start = normalized.find_first_not_of(' ', pos);
    if (start == std::string_view::npos) break;
    size_t end = normalized.find(' ', start);
    if (end == std::string_view::npos) end = normalized.size();
    const std::string_view word = normalized.substr(start, end - start);
    tokens.push_back(NameToken{std::string(word), IsNameParticle(word)});
    pos = end;
  }
  if (!tokens.empty()) tokens.back().particle = false;
  return tokens;
}

}  // namespace vigil::text
