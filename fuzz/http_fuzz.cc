// libFuzzer target: raw bytes as an HTTP/1.1 request through Beast's parser
// (with the server's limits) and the router with every route `vigil serve`
// has: search, pages, registrations, SMS and voice webhooks, agency routes.
// So that the fuzzer reaches the handlers behind authentication, a request
// to an agency route gets the fixture's key (every scope) unless it brings
// an Authorization header of its own, and a request to a voice route is
// signed as the provider would sign it.
#include <boost/beast/http/parser.hpp>
#include <cstdlib>
#include <utility>

#include "search_fixture.h"
#include "vigil/http/form.h"
#include "vigil/notify/twilio_channel.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace beast = boost::beast;
  auto& f = vigil::fuzz::SearchFixture::Get();
  beast::http::request_parser<beast::http::string_body> parser;
  parser.body_limit(1 << 20);
  parser.header_limit(16 * 1024);
  parser.eager(true);
  beast::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (ec || !parser.is_done()) return 0;
  vigil::http::Request req = parser.release();
  std::string_view target(req.target().data(), req.target().size());
  if (target.rfind("/api/v1/agency/", 0) == 0 &&
      req.find(beast::http::field::authorization) == req.end()) {
    req.set(beast::http::field::authorization, "Bearer " + f.agency_key);
  }
  if (target.rfind("/api/v1/voice/", 0) == 0 || target.rfind("/api/v1/twilio/", 0) == 0) {
    if (auto form = vigil::http::ParseQueryString(req.body())) {
      req.set("X-Twilio-Signature", vigil::notify::TwilioSignature(
                                        f.twilio_token, f.public_url + std::string(target), *form));
    }
  }
  vigil::http::RequestContext ctx;
  ctx.request_id = "fuzz";
  ctx.client_address = "127.0.0.1";
  vigil::http::Response res = f.full_router.Dispatch(req, ctx);
  // Any status a client may get; never an internal error (503, a busy
  // queue or store, is a legitimate answer).
  if (res.result_int() < 200 || res.result_int() > 599) std::abort();
  if (res.result_int() >= 500 && res.result_int() != 503) std::abort();
  // The protected person's ref cannot be guessed, so it can only appear if
  // the gate let them through. (A name can: error messages echo the input.
  // So can the ref itself once the fuzzer has learnt it from this very
  // comparison: only a ref the request did not carry counts.)
  static const std::string protected_ref = f.refs->Encode(2);
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (res.body().find(protected_ref) != std::string::npos &&
      input.find(protected_ref) == std::string_view::npos) {
    std::abort();
  }
  return 0;
}
