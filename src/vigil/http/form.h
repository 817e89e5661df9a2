// Query strings and form bodies (application/x-www-form-urlencoded): the one
// reader of both for every route, so the JSON API, the web pages, the SMS
// and voice webhooks and the agency reads refuse the same malformed input
// the same way.
#ifndef VIGIL_HTTP_FORM_H_
#define VIGIL_HTTP_FORM_H_

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "vigil/core/error.h"
#include "vigil/http/message.h"

namespace vigil::http {

// The longest value a parameter may have: four bytes (the most UTF-8 needs)
// for each of the 101 characters the longest field allows.
inline constexpr size_t kMaxParameterBytes = 404;
inline constexpr size_t kMaxParameterNameBytes = 40;

// Decodes `query` ("a=1&b=two+words", no leading '?'). kInvalidArgument,
// saying why, for a malformed %-escape, invalid UTF-8, a control
// character, a name or value over the limits, or a repeated name.
Result<std::map<std::string, std::string>> ParseQueryString(std::string_view query);

// What follows '?' in the request target; empty when there is none.
std::string_view QueryOf(const Request& req);

// A parameter name as an error message may show it: quoted when it is
// plain lower_snake_case, else "(unprintable)" — never echoing odd bytes.
std::string ShownParameterName(std::string_view name);

}  // namespace vigil::http

#endif  // VIGIL_HTTP_FORM_H_
