// The route table: which Handler answers which method and path.
//
// Patterns are absolute paths whose segments are either literal ("subjects")
// or a named parameter ("{a_number}"), e.g.
//   "/api/v1/agency/subjects/{a_number}/protections".
// Matching is on the path only (the query string is ignored), segment by
// segment and exactly: "/a" does not match "/a/". When several patterns match
// a path, the most specific wins: at the first segment where they differ, a
// literal beats a parameter.
//
// Thread safety: build the table with Add() from one thread before serving;
// after that, Dispatch() and Routes() are const and may be called from any
// number of threads concurrently.
#ifndef VIGIL_HTTP_ROUTER_H_
#define VIGIL_HTTP_ROUTER_H_

#include <boost/beast/http/verb.hpp>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "vigil/http/message.h"

namespace vigil::http {

class Router {
 public:
  Router() = default;
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // Registers `handler` for `method` on `pattern`. A segment is a parameter
  // iff it is "{name}" with a non-empty name; anything else is literal. A
  // pattern without a leading '/' is treated as if it had one. Registering
  // the same method and pattern twice replaces the earlier handler.
  void Add(boost::beast::http::verb method, std::string pattern, Handler handler);

  // Answers `req`. On a match, sets ctx.route to the pattern and
  // ctx.path_params to the (percent-decoded) parameter values, then calls the
  // handler. Otherwise, or on failure, returns a JSON error response:
  //   - no pattern matches the path: 404 (not_found, "no such route");
  //   - a pattern matches but not the method: 405 with an Allow header
  //     (ctx.route is still set to the pattern);
  //   - a parameter is not valid percent-encoding: 400;
  //   - the handler throws: 500 with a generic message (never the
  //     exception's text, which may hold personal data).
  // HEAD on a path that has a GET handler but no HEAD handler runs the GET
  // handler and drops the body, keeping Content-Length.
  Response Dispatch(const Request& req, RequestContext& ctx) const;

  // Renders the 404 (no route) and 500 (a handler threw) answers for a
  // request that wants a page: a browser's (its Accept names text/html) for
  // a path not under /api/. API clients keep the JSON errors. The renderer
  // must not throw.
  using ErrorPage = std::function<Response(const Request&, boost::beast::http::status)>;
  void SetErrorPage(ErrorPage page) { error_page_ = std::move(page); }

  // Every (method, pattern) pair registered, in registration order.
  std::vector<std::pair<boost::beast::http::verb, std::string>> Routes() const;

 private:
  struct Segment {
    std::string text;  // the literal, or the parameter's name
    bool is_param = false;
  };
  struct Route {
    boost::beast::http::verb method;
    std::string pattern;
    std::vector<Segment> segments;
    Handler handler;
  };

  // The answer to a failure: error_page_'s for a browser, else JSON.
  Response Failure(const Request& req, RequestContext& ctx, const Error& error) const;

  std::vector<Route> routes_;
  ErrorPage error_page_;
};

}  // namespace vigil::http

#endif  // VIGIL_HTTP_ROUTER_H_
