// NameNormalizer folds a personal name in any script to the lower-case ASCII
// forms that name matching compares: letters a-z, digits 0-9 and single
// spaces, trimmed.
//
// Steps, per variant: NFKC case folding (full-width forms, ligatures, "ß");
// script-aware transliteration with ICU (the BGN/PCGN transforms where ICU
// has them, Han-Latin for Chinese, Any-Latin for the rest); Latin-ASCII
// ("García" -> "Garcia", "Nguyễn" -> "Nguyen", "Đ" -> "D"); and a last pass
// that deletes apostrophes, quotes, modifier letters and combining marks
// ("O'Brien" -> "obrien", "Olʹga" -> "olga"), turns every other character
// that is not [a-z0-9] into a space, and collapses spaces.
//
// One name can give several variants because a script does not say which
// language or romanisation a name was written in:
//   - Cyrillic: languages whose letters appear (і ї є ґ Ukrainian, ў
//     Belarusian, ђ ћ ј љ њ џ Serbian, ѓ ќ ѕ Macedonian, ә ғ қ ұ һ Kazakh,
//     ң ө ү Kirghiz, ө ү Mongolian), then Russian BGN and Ukrainian BGN
//     ("Григорий" -> "grigoriy", "hryhoriy").
//   - Greek: BGN ("yiorgos") and UNGEGN/ELOT 743, the passport system
//     ("giorgos").
//   - Arabic script: Persian or Pashto BGN when their letters appear, Arabic
//     BGN, and ICU's default Arabic-Latin. Unvocalised Arabic is written
//     without short vowels, so "محمد" gives only "mhmd", not "muhammad".
//   - Hebrew: BGN and ICU's default. Hangul: BGN (McCune-Reischauer) and ICU's
//     default (close to Revised Romanisation). Kana: BGN and ICU's default.
//   - Han: Han-Latin (pinyin; family-name readings for the family name).
//     Japanese kanji also get pinyin: ICU has no kanji-to-romaji transform.
// Names in scripts that write the family name first (Han, Hangul, kana) also
// get the given-name-first order when the family name can be told apart:
// either the name is two space-separated words, or it is 2 to 4 Han or
// Hangul characters (the family name is the first character, or the first
// two for compound family names such as 欧阳 or 남궁). For Han the variants
// are, in this order, syllables spaced and then joined within each name:
// "王秀英" -> "wang xiu ying", "xiu ying wang", "wang xiuying", "xiuying wang".
//
// Normalize() returns the variants deduplicated, the most likely first (the
// first Cyrillic/Arabic-script language above, BGN before ICU's default, the
// name in its written order before the swapped one).
//
// Thread safety: Normalize() may be called concurrently on one instance from
// any number of threads. ICU transliterators are not thread-safe, so each
// thread lazily clones the instance's transliterators on its first call and
// keeps them in thread-local storage until the thread exits (a thread's
// clones of a destroyed normalizer are freed on that thread's next call to
// any normalizer). Note that ICU serialises every rule-based transliteration
// in the process on one internal mutex, so non-ASCII names do not normalise
// faster on more threads; pure-ASCII names never reach ICU's transliterators.
#ifndef VIGIL_TEXT_NORMALIZE_H_
#define VIGIL_TEXT_NORMALIZE_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/error.h"

namespace vigil::text {

namespace detail {
class NameTransforms;  // the ICU transliterators; defined in normalize.cc
}  // namespace detail

class NameNormalizer {
 public:
  // Builds the ICU transliterators: about 150 ms when it is the process's
  // first use of ICU transliteration, a few ms after that, so create one at
  // start-up and share it. Returns kUnavailable when the installed ICU data
  // lacks one of the transforms used.
  static Result<std::unique_ptr<NameNormalizer>> Create();

  NameNormalizer(const NameNormalizer&) = delete;
  NameNormalizer& operator=(const NameNormalizer&) = delete;
  ~NameNormalizer();

  // Returns the normalised variants of `utf8_name`: each non-empty, only
  // [a-z0-9 ], single spaces, no leading or trailing space; no duplicates.
  // Returns an empty vector when nothing is left (an empty name,
  // punctuation only, or a script ICU cannot romanise). Never fails:
  // ill-formed UTF-8 is read as U+FFFD, which becomes a space.
  std::vector<std::string> Normalize(std::string_view utf8_name) const;

 private:
  explicit NameNormalizer(std::shared_ptr<const detail::NameTransforms> prototypes);

  // This thread's clone of `prototypes_`, created on first use.
  const detail::NameTransforms& ThreadTransforms() const;

  // Never used to transliterate, only cloned: shared so that thread-local
  // clones can tell when their normalizer is gone.
  std::shared_ptr<const detail::NameTransforms> prototypes_;
};

}  // namespace vigil::text

#endif  // VIGIL_TEXT_NORMALIZE_H_
