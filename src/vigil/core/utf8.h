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

}  // namespace vigil

#endif  // VIGIL_CORE_UTF8_H_
