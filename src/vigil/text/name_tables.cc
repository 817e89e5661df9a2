#include "vigil/text/name_tables.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <utility>

namespace vigil::text {
namespace detail {
extern const NameTableFile kNameTableFiles[];  // generated from names/*
extern const size_t kNameTableFileCount;
}  // namespace detail

namespace {

constexpr std::string_view kLanguages[] = {"es", "en", "pt", "ar", "fr", "ru"};

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t end = s.find(sep, start);
    out.push_back(s.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

// Whether `s` is one or more words of [a-z] separated by single spaces.
bool IsNameText(std::string_view s) {
  if (s.empty() || s.front() == ' ' || s.back() == ' ') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == ' ' ? s[i - 1] == ' ' : (c < 'a' || c > 'z')) return false;
  }
  return true;
}

std::vector<std::string> Words(std::string_view s) {
  std::vector<std::string> out;
  for (auto w : Split(s, ' ')) out.emplace_back(w);
  return out;
}

// Calls `line(fields, error)` for each line of `file` that is not blank or
// a comment; `error(why)` makes the error for that line.
using LineError = std::function<Error(const std::string&)>;
Result<void> ForEachLine(const NameTableFile& file, size_t fields,
                         const std::function<Result<void>(const std::vector<std::string_view>&,
                                                          const LineError&)>& line) {
  size_t number = 0;
  for (std::string_view text : Split(file.text, '\n')) {
    ++number;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (text.empty() || text.front() == '#') continue;
    LineError error = [&](const std::string& why) {
      return Error{ErrorCode::kInvalidArgument,
                   std::string(file.name) + ":" + std::to_string(number) + ": " + why};
    };
    auto parts = Split(text, '\t');
    if (parts.size() != fields) {
      return tl::unexpected(error("expected " + std::to_string(fields) +
                                  " tab-separated fields, found " + std::to_string(parts.size())));
    }
    if (auto r = line(parts, error); !r) return r;
  }
  return {};
}

// A field of names separated by commas, each valid.
Result<std::vector<std::string_view>> NameList(std::string_view field, const char* what,
                                               const LineError& error) {
  auto names = Split(field, ',');
  for (auto n : names) {
    if (!IsNameText(n)) {
      return tl::unexpected(error(std::string(what) + " '" + std::string(n) +
                                  "' is not lower-case a-z words separated by single spaces"));
    }
  }
  return names;
}

}  // namespace

std::span<const NameTableFile> NameTables::BuiltInFiles() {
  return {detail::kNameTableFiles, detail::kNameTableFileCount};
}

const NameTables& NameTables::BuiltIn() {
  static const NameTables* tables = [] {
    auto parsed = Parse(BuiltInFiles());
    if (!parsed) {
      std::fprintf(stderr, "vigil: built-in name tables: %s\n", parsed.error().ToString().c_str());
      std::abort();
    }
    return new NameTables(std::move(*parsed));
  }();
  return *tables;
}

Result<NameTables> NameTables::Parse(std::span<const NameTableFile> files) {
  std::map<std::string_view, const NameTableFile*> by_name;
  for (const auto& f : files) {
    static const std::string_view kKnown[] = {"hypocorisms.tsv",      "abbreviations.tsv",
                                              "particles.tsv",        "han_surnames.tsv",
                                              "pinyin_syllables.txt", "wade_giles.tsv"};
    if (std::find(std::begin(kKnown), std::end(kKnown), f.name) == std::end(kKnown)) {
      return InvalidArgument("name tables: unknown file '" + std::string(f.name) + "'");
    }
    if (!by_name.emplace(f.name, &f).second) {
      return InvalidArgument("name tables: '" + std::string(f.name) + "' given twice");
    }
  }
  auto file = [&](std::string_view name) -> Result<const NameTableFile*> {
    auto it = by_name.find(name);
    if (it == by_name.end()) {
      return InvalidArgument("name tables: '" + std::string(name) + "' is missing");
    }
    return it->second;
  };
  NameTables t;

  for (const auto& table :
       {std::pair{"hypocorisms.tsv", false}, std::pair{"abbreviations.tsv", true}}) {
    // Not a structured binding: lambdas may not capture those before C++20's
    // P1091 (clang, for the fuzz build, refuses).
    const bool abbreviation = table.second;
    auto f = file(table.first);
    if (!f) return tl::unexpected(f.error());
    auto r = ForEachLine(**f, 3, [&](const auto& parts, const LineError& error) -> Result<void> {
      if (std::find(std::begin(kLanguages), std::end(kLanguages), parts[0]) ==
          std::end(kLanguages)) {
        return tl::unexpected(
            error("unknown language '" + std::string(parts[0]) + "' (es, en, pt, ar, fr, ru)"));
      }
      if (!IsNameText(parts[1])) {
        return tl::unexpected(error("short form '" + std::string(parts[1]) +
                                    "' is not lower-case a-z words separated by single spaces"));
      }
      auto fulls = NameList(parts[2], "full form", error);
      if (!fulls) return tl::unexpected(fulls.error());
      auto& forms = t.full_forms_[std::string(parts[1])];
      for (auto full : *fulls) {
        FullForm form{Words(full), abbreviation};
        if (full == parts[1]) return tl::unexpected(error("a name is not a short form of itself"));
        bool seen = std::any_of(forms.begin(), forms.end(),
                                [&](const FullForm& f) { return f.words == form.words; });
        if (seen) continue;
        if (form.words.size() == 1 && parts[1].find(' ') == std::string_view::npos) {
          t.short_forms_[form.words[0]].push_back({std::string(parts[1]), abbreviation});
        }
        forms.push_back(std::move(form));
      }
      t.max_short_words_ = std::max(t.max_short_words_, Words(parts[1]).size());
      return {};
    });
    if (!r) return tl::unexpected(r.error());
  }

  {
    auto f = file("particles.tsv");
    if (!f) return tl::unexpected(f.error());
    auto r = ForEachLine(**f, 2, [&](const auto& parts, const LineError& error) -> Result<void> {
      if (!IsNameText(parts[0]) || parts[0].find(' ') != std::string_view::npos) {
        return tl::unexpected(error("'" + std::string(parts[0]) + "' is not one word of a-z"));
      }
      std::string word(parts[0]);
      if (parts[1] == "particle") {
        if (t.particles_.insert(word).second) t.joinable_.push_back(word);
      } else if (parts[1] == "prefix") {
        if (t.prefixes_.insert(word).second) t.joinable_.push_back(word);
      } else if (parts[1] == "abd") {
        t.abd_.insert(word);
      } else if (parts[1] == "divine") {
        t.divine_.insert(word);
      } else {
        return tl::unexpected(error("unknown role '" + std::string(parts[1]) +
                                    "' (particle, prefix, abd or divine)"));
      }
      return {};
    });
    if (!r) return tl::unexpected(r.error());
  }

  {
    auto f = file("pinyin_syllables.txt");
    if (!f) return tl::unexpected(f.error());
    auto r = ForEachLine(**f, 1, [&](const auto& parts, const LineError& error) -> Result<void> {
      if (!IsNameText(parts[0]) || parts[0].find(' ') != std::string_view::npos) {
        return tl::unexpected(error("'" + std::string(parts[0]) + "' is not one syllable of a-z"));
      }
      std::string s(parts[0]);
      auto& readings = t.syllables_[s];
      if (std::find(readings.begin(), readings.end(), s) == readings.end()) readings.push_back(s);
      t.max_syllable_letters_ = std::max(t.max_syllable_letters_, s.size());
      return {};
    });
    if (!r) return tl::unexpected(r.error());
  }
  // Wade-Giles and Yale spellings, checked against the pinyin syllables.
  {
    std::unordered_set<std::string> pinyin;
    for (const auto& [s, readings] : t.syllables_) pinyin.insert(s);
    auto f = file("wade_giles.tsv");
    if (!f) return tl::unexpected(f.error());
    auto r = ForEachLine(**f, 2, [&](const auto& parts, const LineError& error) -> Result<void> {
      std::string_view spelling = parts[0];
      if (spelling.substr(0, 5) == "yale:") spelling.remove_prefix(5);
      if (!IsNameText(spelling) || spelling.find(' ') != std::string_view::npos) {
        return tl::unexpected(error("'" + std::string(spelling) + "' is not one syllable of a-z"));
      }
      auto readings = NameList(parts[1], "pinyin syllable", error);
      if (!readings) return tl::unexpected(readings.error());
      auto& to = t.syllables_[std::string(spelling)];
      for (auto reading : *readings) {
        if (pinyin.count(std::string(reading)) == 0) {
          return tl::unexpected(
              error("'" + std::string(reading) + "' is not in pinyin_syllables.txt"));
        }
        if (std::find(to.begin(), to.end(), reading) == to.end()) to.emplace_back(reading);
      }
      t.max_syllable_letters_ = std::max(t.max_syllable_letters_, spelling.size());
      return {};
    });
    if (!r) return tl::unexpected(r.error());
  }

  {
    auto f = file("han_surnames.tsv");
    if (!f) return tl::unexpected(f.error());
    auto r = ForEachLine(**f, 3, [&](const auto& parts, const LineError& error) -> Result<void> {
      if (parts[0] != "zh" && parts[0] != "ko" && parts[0] != "vi") {
        return tl::unexpected(error("unknown system '" + std::string(parts[0]) + "' (zh, ko, vi)"));
      }
      if (!IsNameText(parts[1])) {
        return tl::unexpected(error("surname '" + std::string(parts[1]) + "' is not a-z"));
      }
      auto variants = NameList(parts[2], "variant", error);
      if (!variants) return tl::unexpected(variants.error());
      std::string canonical = std::string(parts[0]) + ":" + std::string(parts[1]);
      auto add = [&](std::string_view spelling) {
        auto& to = t.han_surnames_[std::string(spelling)];
        if (std::find(to.begin(), to.end(), canonical) == to.end()) to.push_back(canonical);
      };
      add(parts[1]);
      for (auto v : *variants) add(v);
      return {};
    });
    if (!r) return tl::unexpected(r.error());
  }
  return t;
}

const std::vector<NameTables::FullForm>& NameTables::FullForms(std::string_view short_form) const {
  static const std::vector<FullForm> kNone;
  auto it = full_forms_.find(short_form);
  return it == full_forms_.end() ? kNone : it->second;
}

const std::vector<NameTables::ShortForm>& NameTables::ShortForms(std::string_view full) const {
  static const std::vector<ShortForm> kNone;
  auto it = short_forms_.find(full);
  return it == short_forms_.end() ? kNone : it->second;
}

const std::vector<std::string>& NameTables::HanSurnames(std::string_view word) const {
  static const std::vector<std::string> kNone;
  auto it = han_surnames_.find(word);
  return it == han_surnames_.end() ? kNone : it->second;
}

const std::vector<std::string>* NameTables::SyllableReadings(std::string_view syllable) const {
  auto it = syllables_.find(syllable);
  return it == syllables_.end() ? nullptr : &it->second;
}

}  // namespace vigil::text
