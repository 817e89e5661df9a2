// UTF-8 validation. Pure functions; thread-safe.
#ifndef VIGIL_CORE_UTF8_H_
#define VIGIL_CORE_UTF8_H_

#include <cstddef>
#include <string_view>

namespace vigil {

// Returns the byte offset of the first byte that is not part of well-formed
// UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above
// U+10FFFF), or std::string_view::npos if `text` is valid.
size_t FindInvalidUtf8(std::string_view text);

// Returns the byte offset of the first character no name or other text
// field may hold, or npos: C0 controls (tab, line feed and carriage return
// included: a name is one line), DEL, C1 controls, the line and paragraph
// separators U+2028/U+2029, and the invisible bidirectional formatting
// characters (U+200E, U+200F, U+202A..U+202E, U+2066..U+2069) that make a
// name display as something other than what it is. `text` must be valid
// UTF-8.
size_t FindControlCharacter(std::string_view text);

}  // namespace vigil

#endif  // VIGIL_CORE_UTF8_H_
