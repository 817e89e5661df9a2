// Escaping for HTML and XML text, shared by every renderer that writes
// markup (the web pages, the HTML report).
#ifndef VIGIL_CORE_MARKUP_H_
#define VIGIL_CORE_MARKUP_H_

#include <string>
#include <string_view>

namespace vigil {

// Escapes & < > " ' so that `text` is inert in element content and in
// quoted attribute values.
std::string HtmlEscape(std::string_view text);

}  // namespace vigil

#endif  // VIGIL_CORE_MARKUP_H_
