// What vigil knows about names as data: the tables in text/names/ (their
// formats, sources and licence are in names/README.md) — familiar forms
// (hypocorisms) and clerical abbreviations of given names, name particles,
// the Arabic theophoric prefixes and divine names, the romanisations of
// Chinese and Korean surnames, and the syllables of Hanyu Pinyin with their
// Wade-Giles and Yale spellings.
//
// The files are compiled into the binary and parsed once, at the first use
// of BuiltIn() (the server's start-up builds the name index, which uses
// them); Parse() reads any set of them, for tests and tools. Every name in a
// table is written as NameNormalizer writes names: lower-case ASCII words
// separated by single spaces.
//
// Thread safety: a NameTables is immutable once built; BuiltIn() is safe to
// call from any thread.
#ifndef VIGIL_TEXT_NAME_TABLES_H_
#define VIGIL_TEXT_NAME_TABLES_H_

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "vigil/core/error.h"

namespace vigil::text {

// One table file: its name (e.g. "hypocorisms.tsv") and contents.
struct NameTableFile {
  std::string_view name;
  std::string_view text;
};

class NameTables {
  // Looks strings up by string_view without building a std::string.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Set = std::unordered_set<std::string, Hash, std::equal_to<>>;
  template <typename V>
  using Map = std::unordered_map<std::string, V, Hash, std::equal_to<>>;

 public:
  // A fuller form a short form stands for.
  struct FullForm {
    std::vector<std::string> words;  // "jean baptiste" -> {"jean", "baptiste"}
    bool abbreviation = false;       // from abbreviations.tsv, else a hypocorism
  };

  // The tables compiled into this binary. Aborts with the file and line if
  // one is malformed (a build that ships a broken table must not serve;
  // name_tables_test parses them on every test run).
  static const NameTables& BuiltIn();
  // The built-in files as compiled in.
  static std::span<const NameTableFile> BuiltInFiles();

  // Parses the files named hypocorisms.tsv, abbreviations.tsv,
  // particles.tsv, han_surnames.tsv, pinyin_syllables.txt and
  // wade_giles.tsv (each required; others are an error). A malformed line
  // gives kInvalidArgument naming the file and line and saying why.
  static Result<NameTables> Parse(std::span<const NameTableFile> files);

  // The fuller forms of `short_form` (one or more words, normalised):
  // "pepe" -> jose, "fco" -> francisco, "jb" -> jean baptiste. Empty if none.
  const std::vector<FullForm>& FullForms(std::string_view short_form) const;
  // The one-word short forms of the one-word name `full`: "francisco" ->
  // paco, pancho, fco. Empty if none.
  struct ShortForm {
    std::string word;
    bool abbreviation = false;
  };
  const std::vector<ShortForm>& ShortForms(std::string_view full) const;
  // The most words any short form has ("ma del c": 3).
  size_t MaxShortFormWords() const { return max_short_words_; }

  // A word that precedes a name and may be dropped or written joined to it
  // ("van", "de", "al", "bin").
  bool IsParticle(std::string_view word) const { return particles_.count(word) > 0; }
  // A word written before a name, apart or joined to it, that is not
  // dropped like a particle because it is also a name (Ben).
  bool IsPrefix(std::string_view word) const { return prefixes_.count(word) > 0; }
  // The particles and prefixes, for splitting a word written joined
  // ("vandenberg", "benmoussa").
  const std::vector<std::string>& JoinablePrefixes() const { return joinable_; }
  // "abd", "abdul", "abdel", ...: the first part of an Arabic theophoric name.
  bool IsAbdPrefix(std::string_view word) const { return abd_.count(word) > 0; }
  // "rahman", "rahim", "allah", ...: what follows Abd in a theophoric name.
  bool IsDivineName(std::string_view word) const { return divine_.count(word) > 0; }
  const Set& DivineNames() const { return divine_; }

  // The surnames `word` may be a romanisation of, as "zh:<pinyin>" or
  // "ko:<revised romanisation>" ("wong" -> zh:wang, zh:huang). A canonical
  // form maps to itself. Empty if none.
  const std::vector<std::string>& HanSurnames(std::string_view word) const;
  // The pinyin syllables a syllable written in pinyin, Wade-Giles or Yale
  // (apostrophes and umlauts gone) may stand for; null if it is none.
  const std::vector<std::string>* SyllableReadings(std::string_view syllable) const;
  // The longest syllable in any scheme, in letters.
  size_t MaxSyllableLetters() const { return max_syllable_letters_; }

 private:
  NameTables() = default;

  Map<std::vector<FullForm>> full_forms_;
  Map<std::vector<ShortForm>> short_forms_;
  size_t max_short_words_ = 1;
  Set particles_, prefixes_, abd_, divine_;
  std::vector<std::string> joinable_;
  Map<std::vector<std::string>> han_surnames_;
  Map<std::vector<std::string>> syllables_;
  size_t max_syllable_letters_ = 0;
};

}  // namespace vigil::text

#endif  // VIGIL_TEXT_NAME_TABLES_H_
