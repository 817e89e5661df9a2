// libFuzzer target: raw bytes as an HTTP/1.1 request through Beast's parser
// (with the server's limits) and the real router with the public routes.
#include <cstdlib>
#include <utility>

#include <boost/beast/http/parser.hpp>

#include "search_fixture.h"

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
  vigil::http::RequestContext ctx;
  ctx.request_id = "fuzz";
  ctx.client_address = "127.0.0.1";
  vigil::http::Response res = f.router.Dispatch(parser.get(), ctx);
  if (res.result_int() < 200 || res.result_int() > 599) std::abort();
  // The protected person's ref cannot be guessed, so it can only appear if
  // the gate let them through. (A name can: error messages echo the input.)
  static const std::string protected_ref = f.refs->Encode(2);
  if (res.body().find(protected_ref) != std::string::npos) std::abort();
  return 0;
}
