// HTTP messages as vigil's handlers see them, and the helpers that build
// responses.
//
// A Handler is a plain function from request to response: it can be called
// without sockets, and it runs synchronously on a server worker thread.
// HttpStatusFor() is the one place where vigil::ErrorCode values become HTTP
// statuses; handlers report failure by returning ErrorResponse(...).
//
// Thread safety: all functions here are pure and thread-safe. Request,
// Response and RequestContext are plain values (thread-compatible).
#ifndef VIGIL_HTTP_MESSAGE_H_
#define VIGIL_HTTP_MESSAGE_H_

#include <functional>
#include <map>
#include <string>
#include <utility>  // before Asio/Beast headers

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/verb.hpp>

#include "vigil/core/error.h"

namespace vigil::http {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;

// What the server and router know about a request beyond its bytes.
struct RequestContext {
  // Either the client's X-Request-Id (1-64 chars of [A-Za-z0-9._-]) or 16
  // random hex chars. Echoed in the X-Request-Id response header.
  std::string request_id;
  // Remote IP address as text, e.g. "127.0.0.1" or "::1".
  std::string client_address;
  // The matched route pattern, e.g.
  // "/api/v1/agency/subjects/{a_number}/protections", or "" when no route
  // matched. Safe to log; the raw target is not (it can carry names and
  // A-numbers).
  std::string route;
  // Values of the pattern's {name} segments, percent-decoded.
  std::map<std::string, std::string> path_params;
};

using Handler = std::function<Response(const Request&, RequestContext&)>;

// A response with `body` and Content-Type "application/json; charset=utf-8".
// HTTP version and keep-alive follow `req`; Content-Length is set.
Response JsonResponse(const Request& req, boost::beast::http::status status, std::string body);

// As JsonResponse, with Content-Type "text/plain; charset=utf-8".
Response TextResponse(const Request& req, boost::beast::http::status status, std::string body);

// As JsonResponse, with Content-Type "text/html; charset=utf-8".
Response HtmlResponse(const Request& req, boost::beast::http::status status, std::string body);

// The HTTP status for a domain error code: invalid_argument 400,
// permission_denied 403, not_found 404, conflict 409, resource_exhausted 429,
// internal 500, unavailable 503.
boost::beast::http::status HttpStatusFor(vigil::ErrorCode code);

// A JSON error response with status HttpStatusFor(error.code()):
//   {"error":{"code":"not_found","message":"...","request_id":"..."}}
// The message is sent to the client as is: it must not hold personal data.
Response ErrorResponse(const Request& req, const RequestContext& ctx, const vigil::Error& error);

// As above, with an explicit transport-level status that no domain code maps
// to (405, 413, 431). The body's "code" is still ErrorCodeName(error.code()).
Response ErrorResponse(const Request& req, const RequestContext& ctx,
                       boost::beast::http::status status, const vigil::Error& error);

}  // namespace vigil::http

#endif  // VIGIL_HTTP_MESSAGE_H_
