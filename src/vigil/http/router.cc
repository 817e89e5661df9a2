#include "vigil/http/router.h"

#include <algorithm>
#include <exception>
#include <optional>
#include <string_view>

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>

namespace vigil::http {
namespace {

namespace bhttp = boost::beast::http;

// Splits "/a/b/c" into {"a","b","c"}; "/" into {}; "/a/" into {"a",""}.
std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.empty() || path == "/") return out;
  if (path.front() == '/') path.remove_prefix(1);
  while (true) {
    size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes %XX escapes; returns nullopt on a malformed escape.
std::optional<std::string> PercentDecode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size()) return std::nullopt;
    int hi = HexValue(in[i + 1]);
    int lo = HexValue(in[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

}  // namespace

void Router::Add(bhttp::verb method, std::string pattern, Handler handler) {
  if (pattern.empty() || pattern.front() != '/') pattern.insert(0, "/");
  std::vector<Segment> segments;
  for (std::string_view part : SplitPath(pattern)) {
    if (part.size() > 2 && part.front() == '{' && part.back() == '}') {
      segments.push_back({std::string(part.substr(1, part.size() - 2)), true});
    } else {
      segments.push_back({std::string(part), false});
    }
  }
  for (Route& route : routes_) {
    if (route.method == method && route.pattern == pattern) {
      route.handler = std::move(handler);
      return;
    }
  }
  routes_.push_back({method, std::move(pattern), std::move(segments), std::move(handler)});
}

std::vector<std::pair<bhttp::verb, std::string>> Router::Routes() const {
  std::vector<std::pair<bhttp::verb, std::string>> out;
  out.reserve(routes_.size());
  for (const Route& route : routes_) out.emplace_back(route.method, route.pattern);
  return out;
}

Response Router::Dispatch(const Request& req, RequestContext& ctx) const {
  ctx.route.clear();
  ctx.path_params.clear();

  const auto target = req.target();
  std::string_view path(target.data(), target.size());
  path = path.substr(0, path.find_first_of("?#"));
  const std::vector<std::string_view> parts = SplitPath(path);

  auto matches = [&parts](const Route& route) {
    if (route.segments.size() != parts.size()) return false;
    for (size_t i = 0; i < parts.size(); ++i) {
      const Segment& seg = route.segments[i];
      if (seg.is_param ? parts[i].empty() : seg.text != parts[i]) return false;
    }
    return true;
  };
  // True if `a` is strictly more specific than `b` (both match `parts`).
  auto more_specific = [](const Route& a, const Route& b) {
    for (size_t i = 0; i < a.segments.size(); ++i) {
      if (a.segments[i].is_param != b.segments[i].is_param) {
        return !a.segments[i].is_param;
      }
    }
    return false;
  };

  std::vector<const Route*> candidates;
  if (!path.empty() && path.front() == '/') {
    for (const Route& route : routes_) {
      if (matches(route)) candidates.push_back(&route);
    }
  }
  if (candidates.empty()) {
    return Failure(req, ctx, Error(ErrorCode::kNotFound, "no such route"));
  }

  auto best_for = [&](bhttp::verb method) -> const Route* {
    const Route* best = nullptr;
    for (const Route* route : candidates) {
      if (route->method != method) continue;
      if (best == nullptr || more_specific(*route, *best)) best = route;
    }
    return best;
  };

  const bhttp::verb method = req.method();
  const Route* chosen = best_for(method);
  bool head_via_get = false;
  if (chosen == nullptr && method == bhttp::verb::head) {
    chosen = best_for(bhttp::verb::get);
    head_via_get = chosen != nullptr;
  }

  if (chosen == nullptr) {
    const Route* most_specific = candidates.front();
    std::vector<bhttp::verb> allowed;
    for (const Route* route : candidates) {
      if (more_specific(*route, *most_specific)) most_specific = route;
      if (std::find(allowed.begin(), allowed.end(), route->method) == allowed.end()) {
        allowed.push_back(route->method);
      }
    }
    if (std::find(allowed.begin(), allowed.end(), bhttp::verb::get) != allowed.end() &&
        std::find(allowed.begin(), allowed.end(), bhttp::verb::head) == allowed.end()) {
      allowed.push_back(bhttp::verb::head);
    }
    std::string allow;
    for (bhttp::verb v : allowed) {
      if (!allow.empty()) allow += ", ";
      const auto name = bhttp::to_string(v);
      allow.append(name.data(), name.size());
    }
    ctx.route = most_specific->pattern;
    Response res = ErrorResponse(req, ctx, bhttp::status::method_not_allowed,
                                 Error(ErrorCode::kInvalidArgument, "method not allowed"));
    res.set(bhttp::field::allow, allow);
    return res;
  }

  ctx.route = chosen->pattern;
  for (size_t i = 0; i < parts.size(); ++i) {
    const Segment& seg = chosen->segments[i];
    if (!seg.is_param) continue;
    std::optional<std::string> value = PercentDecode(parts[i]);
    if (!value) {
      return ErrorResponse(
          req, ctx, Error(ErrorCode::kInvalidArgument, "malformed percent-encoding in path"));
    }
    ctx.path_params[seg.text] = std::move(*value);
  }

  Response res;
  try {
    res = chosen->handler(req, ctx);
  } catch (...) {
    // The exception's text may quote request data; never send or log it.
    return Failure(req, ctx, Error(ErrorCode::kInternal, "internal error"));
  }
  if (head_via_get) {
    if (!res.has_content_length() && !res.chunked()) {
      res.content_length(res.body().size());
    }
    res.body().clear();
  }
  return res;
}

Response Router::Failure(const Request& req, RequestContext& ctx, const Error& error) const {
  if (error_page_) {
    auto accept = req.find(bhttp::field::accept);
    std::string_view path(req.target().data(), req.target().size());
    bool wants_html =
        accept != req.end() &&
        std::string_view(accept->value().data(), accept->value().size()).find("text/html") !=
            std::string_view::npos;
    if (wants_html && path.rfind("/api/", 0) != 0) {
      return error_page_(req, error.code() == ErrorCode::kNotFound
                                  ? bhttp::status::not_found
                                  : bhttp::status::internal_server_error);
    }
  }
  return ErrorResponse(req, ctx, error);
}

}  // namespace vigil::http
