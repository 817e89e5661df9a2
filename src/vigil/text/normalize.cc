#include "vigil/text/normalize.h"

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf16.h>

#include <algorithm>
#include <array>
#include <iterator>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace vigil::text {
namespace {

// Every ICU transform the normalizer uses.
enum class Tx {
  kRussian,
  kUkrainian,
  kBelarusian,
  kSerbian,
  kMacedonian,
  kKazakh,
  kKirghiz,
  kMongolian,
  kGreekBgn,
  kGreekUngegn,
  kArabicBgn,
  kPersianBgn,
  kPashtoBgn,
  kHebrewBgn,
  kArmenianBgn,
  kGeorgianBgn,
  kMaldivianBgn,
  kAmharicBgn,
  kKoreanBgn,
  kKanaBgn,
  kHanFamilyName,  // pinyin, reading the first character as a family name
  kHan,
  kAnyLatin,
  kLatinAscii,
  kCount,
};

constexpr size_t kTxCount = static_cast<size_t>(Tx::kCount);

// ICU transform ids, indexed by Tx (check with `uconv -L`).
constexpr const char* kTxIds[] = {
    "Russian-Latin/BGN",
    "Ukrainian-Latin/BGN",
    "Belarusian-Latin/BGN",
    "Serbian-Latin/BGN",
    "Macedonian-Latin/BGN",
    "Kazakh-Latin/BGN",
    "Kirghiz-Latin/BGN",
    "Mongolian-Latin/BGN",
    "Greek-Latin/BGN",
    "Greek-Latin/UNGEGN",
    "Arabic-Latin/BGN",
    "Persian-Latin/BGN",
    "Pashto-Latin/BGN",
    "Hebrew-Latin/BGN",
    "Armenian-Latin/BGN",
    "Georgian-Latin/BGN",
    "Maldivian-Latin/BGN",
    "Amharic-Latin/BGN",
    // The BGN Korean rules read conjoining jamo, not precomposed syllables.
    "NFD; Korean-Latin/BGN",
    "ja_Hrkt-ja_Latn/BGN",
    "Han-Latin/Names",
    "Han-Latin",
    "Any-Latin",
    "Latin-ASCII",
};
static_assert(std::size(kTxIds) == kTxCount);

}  // namespace

namespace detail {

class NameTransforms {
 public:
  static Result<std::unique_ptr<NameTransforms>> Create() {
    auto set = std::unique_ptr<NameTransforms>(new NameTransforms());
    for (size_t i = 0; i < kTxCount; ++i) {
      UErrorCode status = U_ZERO_ERROR;
      UParseError parse_error;
      set->tx_[i].reset(icu::Transliterator::createInstance(icu::UnicodeString::fromUTF8(kTxIds[i]),
                                                            UTRANS_FORWARD, parse_error, status));
      if (U_FAILURE(status) || set->tx_[i] == nullptr) {
        return Unavailable(std::string("ICU transliterator \"") + kTxIds[i] +
                           "\" is not available: " + u_errorName(status));
      }
    }
    return set;
  }

  // Throws std::bad_alloc if ICU runs out of memory, as `new` would.
  std::unique_ptr<NameTransforms> Clone() const {
    auto copy = std::unique_ptr<NameTransforms>(new NameTransforms());
    for (size_t i = 0; i < kTxCount; ++i) {
      copy->tx_[i].reset(tx_[i]->clone());
      if (copy->tx_[i] == nullptr) throw std::bad_alloc();
    }
    return copy;
  }

  void Apply(Tx tx, icu::UnicodeString& text) const {
    tx_[static_cast<size_t>(tx)]->transliterate(text);
  }

 private:
  NameTransforms() = default;
  std::array<std::unique_ptr<icu::Transliterator>, kTxCount> tx_;
};

}  // namespace detail

namespace {

using detail::NameTransforms;

// Scripts, as far as the choice of transforms is concerned.
enum class ScriptGroup {
  kOther,
  kCyrillic,
  kGreek,
  kArabic,
  kHebrew,
  kArmenian,
  kGeorgian,
  kThaana,
  kEthiopic,
  kHangul,
  kKana,
  kHan
};

ScriptGroup GroupOf(UScriptCode script) {
  switch (script) {
    case USCRIPT_CYRILLIC:
      return ScriptGroup::kCyrillic;
    case USCRIPT_GREEK:
      return ScriptGroup::kGreek;
    case USCRIPT_ARABIC:
      return ScriptGroup::kArabic;
    case USCRIPT_HEBREW:
      return ScriptGroup::kHebrew;
    case USCRIPT_ARMENIAN:
      return ScriptGroup::kArmenian;
    case USCRIPT_GEORGIAN:
      return ScriptGroup::kGeorgian;
    case USCRIPT_THAANA:
      return ScriptGroup::kThaana;
    case USCRIPT_ETHIOPIC:
      return ScriptGroup::kEthiopic;
    case USCRIPT_HANGUL:
      return ScriptGroup::kHangul;
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA:
    case USCRIPT_KATAKANA_OR_HIRAGANA:
      return ScriptGroup::kKana;
    case USCRIPT_HAN:
      return ScriptGroup::kHan;
    default:
      return ScriptGroup::kOther;
  }
}

// Whether `cp` is written in a script other than Latin (letters only:
// punctuation and digits are Common).
bool IsNonLatinLetter(UChar32 cp) {
  UErrorCode status = U_ZERO_ERROR;
  const UScriptCode script = uscript_getScript(cp, &status);
  return script != USCRIPT_LATIN && script != USCRIPT_COMMON && script != USCRIPT_INHERITED &&
         script != USCRIPT_UNKNOWN && u_isalpha(cp);
}

bool IsLatin(UChar32 cp) {
  UErrorCode status = U_ZERO_ERROR;
  return uscript_getScript(cp, &status) == USCRIPT_LATIN;
}

bool ContainsAny(const icu::UnicodeString& text, std::u16string_view chars) {
  for (char16_t c : chars) {
    if (text.indexOf(c) >= 0) return true;
  }
  return false;
}

bool IsAscii(const icu::UnicodeString& text) {
  const char16_t* p = text.getBuffer();
  return std::all_of(p, p + text.length(), [](char16_t c) { return c < 0x80; });
}

// The transforms to try for the letters of one script, most likely first.
std::vector<Tx> ChoicesFor(ScriptGroup group, const icu::UnicodeString& text) {
  std::vector<Tx> choices;
  auto add = [&choices](Tx tx) {
    if (std::find(choices.begin(), choices.end(), tx) == choices.end()) choices.push_back(tx);
  };
  switch (group) {
    case ScriptGroup::kCyrillic:
      // Letters that Russian lacks point at the language; text is case-folded.
      if (ContainsAny(text, u"\u04D9\u0493\u049B\u04B1\u04BB")) add(Tx::kKazakh);  // ә ғ қ ұ һ
      if (ContainsAny(text, u"\u04A3")) add(Tx::kKirghiz);                         // ң
      if (ContainsAny(text, u"\u04E9\u04AF")) {                                    // ө ү
        add(Tx::kMongolian);
        add(Tx::kKirghiz);
      }
      if (ContainsAny(text, u"\u0452\u045B")) add(Tx::kSerbian);           // ђ ћ
      if (ContainsAny(text, u"\u0453\u045C\u0455")) add(Tx::kMacedonian);  // ѓ ќ ѕ
      if (ContainsAny(text, u"\u0458\u0459\u045A\u045F")) {                // ј љ њ џ
        add(Tx::kSerbian);
        add(Tx::kMacedonian);
      }
      if (ContainsAny(text, u"\u045E")) add(Tx::kBelarusian);                   // ў
      if (ContainsAny(text, u"\u0456\u0457\u0454\u0491")) add(Tx::kUkrainian);  // і ї є ґ
      add(Tx::kRussian);
      add(Tx::kUkrainian);
      break;
    case ScriptGroup::kGreek:
      add(Tx::kGreekBgn);
      add(Tx::kGreekUngegn);
      break;
    case ScriptGroup::kArabic:
      // ټ ډ ړ ږ ښ ځ څ ګ ڼ ۍ ې are Pashto; پ چ ژ گ ک ی are Persian (and Pashto, Urdu).
      if (ContainsAny(text,
                      u"\u067C\u0689\u0693\u0696\u069A\u0681\u0685\u06AB\u06BC\u06CD\u06D0")) {
        add(Tx::kPashtoBgn);
      }
      if (ContainsAny(text, u"\u067E\u0686\u0698\u06AF\u06A9\u06CC")) add(Tx::kPersianBgn);
      add(Tx::kArabicBgn);
      add(Tx::kAnyLatin);
      break;
    case ScriptGroup::kHebrew:
      add(Tx::kHebrewBgn);
      add(Tx::kAnyLatin);
      break;
    case ScriptGroup::kArmenian:
      add(Tx::kArmenianBgn);
      break;
    case ScriptGroup::kGeorgian:
      add(Tx::kGeorgianBgn);
      break;
    case ScriptGroup::kThaana:
      add(Tx::kMaldivianBgn);
      break;
    case ScriptGroup::kEthiopic:
      add(Tx::kAmharicBgn);
      break;
    case ScriptGroup::kHangul:
      add(Tx::kKoreanBgn);
      add(Tx::kAnyLatin);
      break;
    case ScriptGroup::kKana:
      add(Tx::kKanaBgn);
      add(Tx::kAnyLatin);
      break;
    case ScriptGroup::kHan:
      add(Tx::kHanFamilyName);
      break;
    case ScriptGroup::kOther:
      add(Tx::kAnyLatin);
      break;
  }
  return choices;
}

// Removed rather than turned into a space, so "O'Brien" -> "obrien" and the
// BGN soft sign in "Olʹga" (Latin-ASCII: "Ol'ga") -> "olga".
bool IsDeleted(UChar32 cp) {
  if (cp < 0x80) return cp == '\'' || cp == '"' || cp == '`';
  if (cp == 0x2018 || cp == 0x2019 || cp == 0x201B) return true;  // ‘ ’ ‛
  switch (u_charType(cp)) {
    case U_MODIFIER_LETTER:  // ʹ ʺ ʻ ʼ ʿ
    case U_MODIFIER_SYMBOL:  // ´ ˜
    case U_NON_SPACING_MARK:
    case U_COMBINING_SPACING_MARK:
    case U_ENCLOSING_MARK:
    case U_FORMAT_CHAR:  // soft hyphen, zero-width joiner
      return true;
    default:
      return false;
  }
}

// The last pass: [a-z0-9] kept, deletions dropped, anything else a
// separator; single spaces, trimmed.
std::string FinalPass(const icu::UnicodeString& text) {
  std::string out;
  out.reserve(text.length());
  bool separator = false;
  for (int32_t i = 0; i < text.length();) {
    const UChar32 cp = text.char32At(i);
    i += U16_LENGTH(cp);
    char c = 0;
    if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
      c = static_cast<char>(cp);
    } else if (cp >= 'A' && cp <= 'Z') {
      c = static_cast<char>(cp - 'A' + 'a');
    } else if (cp == 0x0259 || cp == 0x018F) {  // ə Ə: Latin-ASCII keeps them; "Əliyev" is "Aliyev"
      c = 'a';
    } else if (cp >= 0x80 && u_charType(cp) == U_DECIMAL_DIGIT_NUMBER) {
      c = static_cast<char>('0' + u_charDigitValue(cp));
    } else if (IsDeleted(cp)) {
      continue;
    } else {
      separator = true;
      continue;
    }
    if (separator && !out.empty()) out.push_back(' ');
    separator = false;
    out.push_back(c);
  }
  return out;
}

// What Latin-ASCII does to the common accented letter, without its rule
// engine (a quarter of an index load went to it): a letter whose canonical
// decomposition is an ASCII letter and combining diacritics (é, ñ, ễ, ç, ǎ)
// becomes that letter. Returns false, leaving `text` alone, when any
// character is something else (ß, ø, æ, đ, ł, a lone mark, a symbol), and
// the caller runs Latin-ASCII itself. NameNormalizerTest.
// TheLatinShortcutFoldsEveryLetterAsLatinAsciiDoes holds the two equal.
bool FoldDecomposableLatin(icu::UnicodeString& text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status)) return false;
  icu::UnicodeString out, decomposition;
  for (int32_t i = 0; i < text.length();) {
    const UChar32 cp = text.char32At(i);
    i += U16_LENGTH(cp);
    if (cp < 0x80) {
      out.append(cp);
      continue;
    }
    if (!nfd->getDecomposition(cp, decomposition) || decomposition.length() < 2) return false;
    const UChar32 base = decomposition.charAt(0);
    if (base >= 0x80 || !u_isalpha(base)) return false;
    for (int32_t j = 1; j < decomposition.length(); ++j) {
      const char16_t mark = decomposition.charAt(j);
      if (mark < 0x0300 || mark > 0x036F) return false;  // Combining Diacritical Marks
    }
    out.append(base);
  }
  text = std::move(out);
  return true;
}

// Latin-ASCII (only if needed; it is a rule-based transform) and the final
// pass. `shortcut`: FoldDecomposableLatin first.
std::string Fold(icu::UnicodeString text, const NameTransforms& tx, bool shortcut = true) {
  if (!IsAscii(text) && !(shortcut && FoldDecomposableLatin(text))) {
    tx.Apply(Tx::kLatinAscii, text);
  }
  return FinalPass(text);
}

// Romanises `text` with `chain` (at most one transform per script, each
// leaving other scripts alone), then Any-Latin for any letters still not
// Latin, then Fold().
std::string Romanize(icu::UnicodeString text, const std::vector<Tx>& chain,
                     const NameTransforms& tx) {
  for (Tx t : chain) tx.Apply(t, text);
  for (int32_t i = 0; i < text.length();) {
    const UChar32 cp = text.char32At(i);
    if (IsNonLatinLetter(cp)) {
      tx.Apply(Tx::kAnyLatin, text);
      break;
    }
    i += U16_LENGTH(cp);
  }
  return Fold(std::move(text), tx);
}

void AddVariant(std::string variant, std::vector<std::string>& variants) {
  if (variant.empty()) return;
  if (std::find(variants.begin(), variants.end(), variant) != variants.end()) return;
  variants.push_back(std::move(variant));
}

std::string WithoutSpaces(std::string s) {
  s.erase(std::remove(s.begin(), s.end(), ' '), s.end());
  return s;
}

// Family names of two characters, which would otherwise be read as a
// one-character family name and the start of the given name.
constexpr std::array<std::u16string_view, 38> kCompoundHanFamilyNames = {
    u"欧阳", u"歐陽", u"司马", u"司馬", u"诸葛", u"諸葛", u"上官", u"东方", u"東方", u"皇甫",
    u"尉迟", u"尉遲", u"公孙", u"公孫", u"慕容", u"令狐", u"夏侯", u"长孙", u"長孫", u"宇文",
    u"司徒", u"轩辕", u"軒轅", u"端木", u"独孤", u"獨孤", u"南宫", u"南宮", u"西门", u"西門",
    u"申屠", u"呼延", u"澹台", u"澹臺", u"万俟", u"萬俟", u"闻人", u"聞人",
};
constexpr std::array<std::u16string_view, 8> kCompoundKoreanFamilyNames = {
    u"남궁", u"황보", u"제갈", u"선우", u"독고", u"사공", u"서문", u"동방",
};

struct FamilyAndGiven {
  icu::UnicodeString family;
  icu::UnicodeString given;
};

// Splits a name written family name first, if that can be done reliably.
// `parts` are the name's space-separated words, all in `group`.
std::optional<FamilyAndGiven> SplitFamilyFirst(ScriptGroup group,
                                               const std::vector<icu::UnicodeString>& parts) {
  if (parts.size() == 2) return FamilyAndGiven{parts[0], parts[1]};
  if (parts.size() != 1 || (group != ScriptGroup::kHan && group != ScriptGroup::kHangul)) {
    return std::nullopt;
  }
  const icu::UnicodeString& name = parts[0];
  const int32_t chars = name.countChar32();
  if (chars < 2 || chars > 4) return std::nullopt;
  int32_t family_chars = 1;
  if (chars >= 3) {
    const icu::UnicodeString first_two = name.tempSubString(0, name.moveIndex32(0, 2));
    const std::u16string_view first(first_two.getBuffer(), first_two.length());
    const bool compound =
        group == ScriptGroup::kHan
            ? std::ranges::find(kCompoundHanFamilyNames, first) != kCompoundHanFamilyNames.end()
            : std::ranges::find(kCompoundKoreanFamilyNames, first) !=
                  kCompoundKoreanFamilyNames.end();
    if (compound) family_chars = 2;
  }
  const int32_t split = name.moveIndex32(0, family_chars);
  return FamilyAndGiven{icu::UnicodeString(name, 0, split), icu::UnicodeString(name, split)};
}

}  // namespace

NameNormalizer::NameNormalizer(std::shared_ptr<const detail::NameTransforms> prototypes)
    : prototypes_(std::move(prototypes)) {}

NameNormalizer::~NameNormalizer() = default;

Result<std::unique_ptr<NameNormalizer>> NameNormalizer::Create() {
  UErrorCode status = U_ZERO_ERROR;
  icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status)) {
    return Unavailable(std::string("ICU NFKC_Casefold data is not available: ") +
                       u_errorName(status));
  }
  auto transforms = NameTransforms::Create();
  if (!transforms) return tl::unexpected(transforms.error());
  return std::unique_ptr<NameNormalizer>(
      new NameNormalizer(std::shared_ptr<const NameTransforms>(std::move(*transforms))));
}

const NameTransforms& NameNormalizer::ThreadTransforms() const {
  struct Clone {
    std::weak_ptr<const NameTransforms> owner;
    std::unique_ptr<NameTransforms> transforms;
  };
  // Function-local, so constructed on a thread's first call; destroyed when
  // the thread exits.
  thread_local std::vector<Clone> clones;
  std::erase_if(clones, [](const Clone& c) { return c.owner.expired(); });
  for (const Clone& c : clones) {
    if (!c.owner.owner_before(prototypes_) && !prototypes_.owner_before(c.owner)) {
      return *c.transforms;
    }
  }
  clones.push_back(Clone{prototypes_, prototypes_->Clone()});
  return *clones.back().transforms;
}

std::vector<std::string> NameNormalizer::Normalize(std::string_view utf8_name) const {
  std::vector<std::string> variants;
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
  // fromUTF8 reads each ill-formed sequence as U+FFFD.
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8_name.data(), static_cast<int32_t>(utf8_name.size())));
  if (U_SUCCESS(status)) {
    icu::UnicodeString folded = nfkc_cf->normalize(text, status);
    if (U_SUCCESS(status)) text = std::move(folded);
  }

  // Which scripts occur, in order of first appearance, and the words of the
  // name (for names written family name first).
  std::vector<ScriptGroup> groups;
  std::vector<icu::UnicodeString> words;
  bool one_group_only = true;  // every letter is in groups[0]
  int32_t word_start = -1;
  for (int32_t i = 0; i <= text.length();) {
    const UChar32 cp = i < text.length() ? text.char32At(i) : ' ';
    const bool space = u_isUWhiteSpace(cp);
    if (space && word_start >= 0) {
      words.emplace_back(text, word_start, i - word_start);
      word_start = -1;
    } else if (!space && word_start < 0) {
      word_start = i;
    }
    if (!space && IsNonLatinLetter(cp)) {
      UErrorCode script_status = U_ZERO_ERROR;
      const ScriptGroup group = GroupOf(uscript_getScript(cp, &script_status));
      if (std::find(groups.begin(), groups.end(), group) == groups.end()) groups.push_back(group);
    } else if (!space && (u_isdigit(cp) || u_ispunct(cp) || IsLatin(cp))) {
      // Latin letters, digits, punctuation ("约翰·史密斯"); marks such as the
      // kana length mark "ー" are Common but belong to the name.
      one_group_only = false;
    }
    if (i == text.length()) break;
    i += U16_LENGTH(cp);
  }

  const NameTransforms& tx = ThreadTransforms();
  if (groups.empty()) {
    AddVariant(Fold(std::move(text), tx), variants);
    return variants;
  }

  one_group_only = one_group_only && groups.size() == 1;
  const bool family_first = groups[0] == ScriptGroup::kHan || groups[0] == ScriptGroup::kHangul ||
                            groups[0] == ScriptGroup::kKana;
  if (one_group_only && family_first) {
    if (auto split = SplitFamilyFirst(groups[0], words)) {
      for (Tx choice : ChoicesFor(groups[0], text)) {
        // Only the family name takes family-name readings of Han characters.
        const Tx given_choice = choice == Tx::kHanFamilyName ? Tx::kHan : choice;
        const std::string family = Romanize(split->family, {choice}, tx);
        const std::string given = Romanize(split->given, {given_choice}, tx);
        if (family.empty() || given.empty()) continue;
        AddVariant(family + " " + given, variants);
        AddVariant(given + " " + family, variants);
        AddVariant(WithoutSpaces(family) + " " + WithoutSpaces(given), variants);
        AddVariant(WithoutSpaces(given) + " " + WithoutSpaces(family), variants);
      }
      if (!variants.empty()) return variants;
    }
  }

  // The most likely transform for every script, then each other choice for
  // one script at a time.
  std::vector<std::vector<Tx>> choices;
  std::vector<Tx> chain;
  for (ScriptGroup group : groups) {
    choices.push_back(ChoicesFor(group, text));
    chain.push_back(choices.back().front());
  }
  AddVariant(Romanize(text, chain, tx), variants);
  for (size_t g = 0; g < groups.size(); ++g) {
    for (size_t c = 1; c < choices[g].size(); ++c) {
      std::vector<Tx> alternative = chain;
      alternative[g] = choices[g][c];
      AddVariant(Romanize(text, alternative, tx), variants);
    }
  }
  return variants;
}

}  // namespace vigil::text
