#include "vigil/i18n/catalogue.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "vigil/core/logger.h"

namespace vigil::i18n {
namespace detail {
extern const std::pair<const char*, const char*> kCatalogues[];  // (language, text)
extern const size_t kCatalogueCount;
}  // namespace detail

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// Checks that {} and [[ ]] balance; "" when they do, else why not.
std::string Unbalanced(std::string_view text) {
  int sections = 0;
  bool in_placeholder = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_placeholder) {
      if (c == '}') {
        in_placeholder = false;
      } else if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) {
        return "a placeholder holds only letters, digits and _";
      }
    } else if (c == '{') {
      in_placeholder = true;
    } else if (c == '}') {
      return "a } without its {";
    } else if (text.substr(i, 2) == "[[") {
      ++sections;
      ++i;
    } else if (text.substr(i, 2) == "]]") {
      if (--sections < 0) return "a ]] without its [[";
      ++i;
    }
  }
  if (in_placeholder) return "a { without its }";
  if (sections != 0) return "a [[ without its ]]";
  return "";
}

// Fills `text` from `values`; sets *missing when a placeholder had no value.
std::string Fill(std::string_view text, const std::map<std::string, std::string>& values,
                 bool* missing) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    if (text.substr(i, 2) == "[[") {
      // The matching ]], counting nested sections.
      int depth = 1;
      size_t j = i + 2;
      for (; j < text.size() && depth > 0;) {
        if (text.substr(j, 2) == "[[") {
          ++depth;
          j += 2;
        } else if (text.substr(j, 2) == "]]") {
          --depth;
          j += 2;
        } else {
          ++j;
        }
      }
      bool inner_missing = false;
      std::string inner = Fill(text.substr(i + 2, j - i - 4), values, &inner_missing);
      if (!inner_missing) out += inner;
      i = j;
    } else if (text[i] == '{') {
      size_t end = text.find('}', i);
      std::string key(text.substr(i + 1, end - i - 1));
      auto it = values.find(key);
      if (it == values.end() || it->second.empty()) {
        *missing = true;
      } else {
        out += it->second;
      }
      i = end + 1;
    } else {
      out += text[i++];
    }
  }
  return out;
}

}  // namespace

Result<Catalogue> Catalogue::Parse(std::string_view text, std::string_view name) {
  Catalogue c;
  int line_number = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = Trim(text.substr(start, end - start));
    ++line_number;
    start = end + 1;
    auto fail = [&](const std::string& why) {
      return InvalidArgument(std::string(name) + ":" + std::to_string(line_number) + ": " + why);
    };
    if (line.empty() || line.front() == '#') continue;
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) return fail("expected KEY = TEXT");
    std::string key(Trim(line.substr(0, eq)));
    if (key.empty()) return fail("the key is empty");
    for (char ch : key) {
      if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '.' && ch != '_') {
        return fail("a key holds only letters, digits, '.' and '_' (\"" + key.substr(0, 40) +
                    "\")");
      }
    }
    std::string_view raw = Trim(line.substr(eq + 1));
    std::string value;
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '\\') {
        value += raw[i];
        continue;
      }
      if (i + 1 < raw.size() && raw[i + 1] == 'n') {
        value += '\n';
      } else if (i + 1 < raw.size() && raw[i + 1] == '\\') {
        value += '\\';
      } else {
        return fail("only \\n and \\\\ are escapes");
      }
      ++i;
    }
    if (std::string why = Unbalanced(value); !why.empty()) return fail(why + " in " + key);
    if (!c.messages_.emplace(key, std::move(value)).second) {
      return fail("the key " + key + " is given twice");
    }
    if (end == text.size()) break;
  }
  return c;
}

const std::string* Catalogue::Find(std::string_view key) const {
  auto it = messages_.find(key);
  return it == messages_.end() ? nullptr : &it->second;
}

const std::string& Catalogue::Get(std::string_view key) const {
  static const std::string kEmpty;
  const std::string* found = Find(key);
  return found ? *found : kEmpty;
}

std::vector<std::string> Catalogue::Keys() const {
  std::vector<std::string> out;
  for (const auto& [key, text] : messages_) out.push_back(key);
  return out;
}

namespace {

struct BuiltIn {
  std::vector<std::string> languages;  // in kOrder, then in file-name order
  std::map<std::string, Catalogue, std::less<>> catalogues;
};

const BuiltIn& BuiltIns() {
  static const BuiltIn* const built_in = [] {
    auto* b = new BuiltIn;
    for (size_t i = 0; i < detail::kCatalogueCount; ++i) {
      const auto& [language, text] = detail::kCatalogues[i];
      auto c = Catalogue::Parse(text, "catalogue/" + std::string(language) + ".txt");
      if (!c) {
        Logger::For("i18n").Error(c.error().message());
        std::abort();
      }
      b->catalogues.emplace(language, std::move(*c));
      b->languages.push_back(language);
    }
    if (!b->catalogues.count("en")) {
      Logger::For("i18n").Error("catalogue/en.txt is missing");
      std::abort();
    }
    // English, then Spanish, then the others by how many of the people
    // in US immigration custody speak them; a new file goes last.
    static constexpr std::array<std::string_view, 9> kOrder = {"en", "es", "ht", "pt", "zh-Hans",
                                                               "vi", "ar", "ru", "fr"};
    auto rank = [](const std::string& l) {
      return std::find(kOrder.begin(), kOrder.end(), l) - kOrder.begin();
    };
    std::stable_sort(b->languages.begin(), b->languages.end(),
                     [&](const std::string& x, const std::string& y) { return rank(x) < rank(y); });
    return b;
  }();
  return *built_in;
}

}  // namespace

const Catalogue& BuiltInCatalogue(std::string_view language) {
  const BuiltIn& b = BuiltIns();
  auto it = b.catalogues.find(language);
  return it != b.catalogues.end() ? it->second : b.catalogues.find("en")->second;
}

const std::vector<std::string>& BuiltInLanguages() { return BuiltIns().languages; }

std::string FillTemplate(std::string_view text, const std::map<std::string, std::string>& values) {
  bool missing = false;
  return Fill(text, values, &missing);
}

std::set<std::string> Placeholders(std::string_view text) {
  std::set<std::string> out;
  for (size_t i = text.find('{'); i != std::string_view::npos; i = text.find('{', i + 1)) {
    size_t end = text.find('}', i);
    if (end == std::string_view::npos) break;
    out.emplace(text.substr(i + 1, end - i - 1));
  }
  return out;
}

}  // namespace vigil::i18n
