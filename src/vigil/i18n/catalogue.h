// The message catalogue: every word vigil says to the public — each notice
// (event type × channel × language) and each web page — in
// catalogue/<language>.txt, plain text a translator can edit, embedded in
// the binary at build time. notify/ and api/ both read it; no message lives
// in code. The format is
// described at the top of catalogue/en.txt: "KEY = TEXT" lines, "\n" for a
// line break, {placeholders}, and [[optional parts]] left out when a
// placeholder in them has no value.
//
// Thread safety: Catalogue is immutable after Parse; BuiltInCatalogue may be
// called from any thread.
#ifndef VIGIL_I18N_CATALOGUE_H_
#define VIGIL_I18N_CATALOGUE_H_

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/error.h"

namespace vigil::i18n {

class Catalogue {
 public:
  // kInvalidArgument "NAME:LINE: why" for a line that is not "KEY = TEXT", a
  // key used twice, an unknown escape, or unbalanced {} or [[ ]].
  static Result<Catalogue> Parse(std::string_view text, std::string_view name);

  // The message under `key`, or nullptr.
  const std::string* Find(std::string_view key) const;
  // The message under `key`; "" when it is missing (the tests make sure none is).
  const std::string& Get(std::string_view key) const;
  std::vector<std::string> Keys() const;

 private:
  std::map<std::string, std::string, std::less<>> messages_;
};

// The catalogue built in for `language` (its file's name: "es" is
// catalogue/es.txt); English for a language there is no file for. All are
// checked when first used; a broken one (which the tests rule out) stops
// the process with the parse error.
const Catalogue& BuiltInCatalogue(std::string_view language);
// The languages built in: en, es, ht, pt, zh-Hans, vi, ar, ru, fr (by how
// many of the people vigil serves speak them), then any other file by name. Each
// catalogue names itself (`language.name`, in its own language) and the
// voice locale its calls are spoken in (`language.voice`, e.g. "es-MX").
const std::vector<std::string>& BuiltInLanguages();

// `text` with each {key} replaced by values[key]. A [[...]] part (they
// nest) is dropped when any placeholder in it is missing or empty; outside
// one, a missing placeholder becomes "".
std::string FillTemplate(std::string_view text, const std::map<std::string, std::string>& values);

// The placeholder names `text` uses.
std::set<std::string> Placeholders(std::string_view text);

}  // namespace vigil::i18n

#endif  // VIGIL_I18N_CATALOGUE_H_
