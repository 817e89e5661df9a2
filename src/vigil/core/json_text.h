// Writing JSON text directly, for the few outputs hot enough that building a
// DOM first shows up in profiles (the public search answer). The bytes are
// those nlohmann's dump() writes for the same value, so either may produce a
// given response. Pure functions; thread-safe.
#ifndef VIGIL_CORE_JSON_TEXT_H_
#define VIGIL_CORE_JSON_TEXT_H_

#include <string>
#include <string_view>

namespace vigil {

// Appends `s` (UTF-8) as a JSON string: quoted, with '"', '\\' and control
// characters escaped (\b \f \n \r \t, else \u00xx), everything else as is.
void AppendJsonString(std::string& out, std::string_view s);

}  // namespace vigil

#endif  // VIGIL_CORE_JSON_TEXT_H_
