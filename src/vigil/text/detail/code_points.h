// Lenient UTF-8 decoding for the string metrics and Double Metaphone. Pure
// functions; thread-safe.
#ifndef VIGIL_TEXT_DETAIL_CODE_POINTS_H_
#define VIGIL_TEXT_DETAIL_CODE_POINTS_H_

#include <string>
#include <string_view>

namespace vigil::text::detail {

// U+FFFD, what each byte of ill-formed UTF-8 decodes to.
inline constexpr char32_t kReplacementCharacter = 0xFFFD;

// Decodes `utf8` into code points. Never fails: every byte that does not
// start a well-formed sequence (RFC 3629: no overlong forms, no surrogates,
// nothing above U+10FFFF) becomes one U+FFFD, and decoding resumes at the
// next byte.
std::u32string DecodeUtf8Lossy(std::string_view utf8);

}  // namespace vigil::text::detail

#endif  // VIGIL_TEXT_DETAIL_CODE_POINTS_H_
