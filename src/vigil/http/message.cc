#include "vigil/http/message.h"

#include <utility>

#include <boost/beast/http/field.hpp>
#include <nlohmann/json.hpp>

namespace vigil::http {
namespace {

namespace bhttp = boost::beast::http;

Response MakeResponse(const Request& req, bhttp::status status, const char* content_type,
                      std::string body) {
  Response res(status, req.version());
  res.set(bhttp::field::content_type, content_type);
  res.keep_alive(req.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

}  // namespace

Response JsonResponse(const Request& req, bhttp::status status, std::string body) {
  return MakeResponse(req, status, "application/json; charset=utf-8", std::move(body));
}

Response TextResponse(const Request& req, bhttp::status status, std::string body) {
  return MakeResponse(req, status, "text/plain; charset=utf-8", std::move(body));
}

Response HtmlResponse(const Request& req, bhttp::status status, std::string body) {
  return MakeResponse(req, status, "text/html; charset=utf-8", std::move(body));
}

bhttp::status HttpStatusFor(vigil::ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return bhttp::status::bad_request;
    case ErrorCode::kNotFound:
      return bhttp::status::not_found;
    case ErrorCode::kConflict:
      return bhttp::status::conflict;
    case ErrorCode::kUnavailable:
      return bhttp::status::service_unavailable;
    case ErrorCode::kUnauthenticated:
      return bhttp::status::unauthorized;
    case ErrorCode::kPermissionDenied:
      return bhttp::status::forbidden;
    case ErrorCode::kResourceExhausted:
      return bhttp::status::too_many_requests;
    case ErrorCode::kInternal:
      return bhttp::status::internal_server_error;
  }
  return bhttp::status::internal_server_error;
}

Response ErrorResponse(const Request& req, const RequestContext& ctx, const vigil::Error& error) {
  return ErrorResponse(req, ctx, HttpStatusFor(error.code()), error);
}

Response ErrorResponse(const Request& req, const RequestContext& ctx, bhttp::status status,
                       const vigil::Error& error) {
  nlohmann::json body = {{"error",
                          {{"code", std::string(ErrorCodeName(error.code()))},
                           {"message", error.message()},
                           {"request_id", ctx.request_id}}}};
  // Replace invalid UTF-8 rather than throw: messages may quote input.
  return JsonResponse(req, status,
                      body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace vigil::http
