// vigil's one outbound HTTP client (libcurl), for the SMS and voice
// gateways and the audit witness: the same timeouts, no signals, one global
// initialisation, and errors that never repeat the URL (it may hold a
// password or a phone number).
//
// Thread-safe: Fetch may be called from any thread (each call has its own
// curl handle).
#ifndef VIGIL_NET_HTTP_CLIENT_H_
#define VIGIL_NET_HTTP_CLIENT_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/error.h"

namespace vigil::net {

struct HttpRequest {
  std::string url;
  // POSTed when set (with the content type of `headers`, else form
  // encoding); a GET otherwise.
  std::optional<std::string> body;
  std::vector<std::string> headers;  // "Name: value"
  // HTTP basic authentication when `user` is set.
  std::string user, password;
  std::chrono::seconds timeout{10};
  std::chrono::seconds connect_timeout{5};
};

struct HttpResponse {
  long status = 0;
  std::string body;
};

// Sends `request` and returns whatever status came back. kUnavailable,
// with curl's description of the failure (never the URL), when no response
// came: refused, timed out, unresolvable.
Result<HttpResponse> Fetch(const HttpRequest& request);

// Percent-encodes `value` for a query string or form body.
std::string UrlEscape(std::string_view value);

}  // namespace vigil::net

#endif  // VIGIL_NET_HTTP_CLIENT_H_
