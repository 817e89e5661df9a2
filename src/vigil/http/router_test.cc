#include "vigil/http/router.h"

#include <stdexcept>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "vigil/http/message.h"

namespace vigil::http {
namespace {

namespace bhttp = boost::beast::http;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;

Request MakeRequest(bhttp::verb method, std::string target) {
  Request req(method, target, 11);
  return req;
}

// Answers with the route and every path parameter, so tests can see exactly
// what the router passed in.
Handler Echo(std::string tag) {
  return [tag](const Request& req, RequestContext& ctx) {
    nlohmann::json params = nlohmann::json::object();
    for (const auto& [name, value] : ctx.path_params) params[name] = value;
    nlohmann::json body = {{"tag", tag}, {"route", ctx.route}, {"params", params}};
    return JsonResponse(req, bhttp::status::ok, body.dump());
  };
}

nlohmann::json BodyOf(const Response& res) { return nlohmann::json::parse(res.body()); }

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() {
    router_.Add(bhttp::verb::get, "/healthz", Echo("health"));
    router_.Add(bhttp::verb::get, "/api/v1/subjects/{a_number}", Echo("get-subject"));
    router_.Add(bhttp::verb::put, "/api/v1/agency/subjects/{a_number}/protections",
                Echo("put-protections"));
    router_.Add(bhttp::verb::get, "/api/v1/subjects/search", Echo("search"));
    router_.Add(bhttp::verb::delete_, "/api/v1/subjects/{a_number}", Echo("delete-subject"));
    router_.Add(bhttp::verb::get, "/", Echo("root"));
  }

  Response Dispatch(bhttp::verb method, std::string target) {
    Request req = MakeRequest(method, std::move(target));
    ctx_ = RequestContext{};
    ctx_.request_id = "test-id";
    return router_.Dispatch(req, ctx_);
  }

  Router router_;
  RequestContext ctx_;
};

TEST_F(RouterTest, LiteralRoute) {
  Response res = Dispatch(bhttp::verb::get, "/healthz");
  EXPECT_EQ(res.result(), bhttp::status::ok);
  EXPECT_EQ(BodyOf(res)["tag"], "health");
  EXPECT_EQ(ctx_.route, "/healthz");
  EXPECT_TRUE(ctx_.path_params.empty());
}

TEST_F(RouterTest, RootRoute) {
  Response res = Dispatch(bhttp::verb::get, "/");
  EXPECT_EQ(res.result(), bhttp::status::ok);
  EXPECT_EQ(BodyOf(res)["tag"], "root");
}

TEST_F(RouterTest, ParamRouteFillsContext) {
  Response res = Dispatch(bhttp::verb::put, "/api/v1/agency/subjects/012345678/protections");
  EXPECT_EQ(res.result(), bhttp::status::ok);
  EXPECT_EQ(BodyOf(res)["tag"], "put-protections");
  EXPECT_EQ(ctx_.route, "/api/v1/agency/subjects/{a_number}/protections");
  EXPECT_THAT(ctx_.path_params, ElementsAre(Pair("a_number", "012345678")));
}

TEST_F(RouterTest, ParamIsPercentDecoded) {
  Dispatch(bhttp::verb::get, "/api/v1/subjects/a%20b%2Fc");
  EXPECT_THAT(ctx_.path_params, ElementsAre(Pair("a_number", "a b/c")));
}

TEST_F(RouterTest, MalformedPercentEncodingIs400) {
  Response res = Dispatch(bhttp::verb::get, "/api/v1/subjects/abc%2");
  EXPECT_EQ(res.result(), bhttp::status::bad_request);
  EXPECT_EQ(BodyOf(res)["error"]["code"], "invalid_argument");
}

TEST_F(RouterTest, LiteralBeatsParam) {
  Response res = Dispatch(bhttp::verb::get, "/api/v1/subjects/search");
  EXPECT_EQ(BodyOf(res)["tag"], "search");
  EXPECT_EQ(ctx_.route, "/api/v1/subjects/search");
  // A method only the param route has still reaches it.
  res = Dispatch(bhttp::verb::delete_, "/api/v1/subjects/search");
  EXPECT_EQ(BodyOf(res)["tag"], "delete-subject");
  EXPECT_THAT(ctx_.path_params, ElementsAre(Pair("a_number", "search")));
}

TEST_F(RouterTest, QueryStringIsIgnored) {
  Response res = Dispatch(bhttp::verb::get, "/api/v1/subjects/search?given_name=Jane&a_number=1");
  EXPECT_EQ(res.result(), bhttp::status::ok);
  EXPECT_EQ(BodyOf(res)["tag"], "search");
  EXPECT_EQ(ctx_.route, "/api/v1/subjects/search");
  res = Dispatch(bhttp::verb::get, "/healthz?");
  EXPECT_EQ(BodyOf(res)["tag"], "health");
}

TEST_F(RouterTest, UnknownPathIs404) {
  for (const char* target : {"/nope", "/healthz/", "/api/v1/subjects", "/api/v1/subjects/", "", "*",
                             "/api/v1/agency/subjects/012345678/protections/extra"}) {
    SCOPED_TRACE(target);
    Response res = Dispatch(bhttp::verb::get, target);
    EXPECT_EQ(res.result(), bhttp::status::not_found);
    EXPECT_EQ(res[bhttp::field::content_type], "application/json; charset=utf-8");
    nlohmann::json body = BodyOf(res);
    EXPECT_EQ(body["error"]["code"], "not_found");
    EXPECT_EQ(body["error"]["message"], "no such route");
    EXPECT_EQ(body["error"]["request_id"], "test-id");
    EXPECT_EQ(ctx_.route, "");
  }
}

TEST_F(RouterTest, WrongMethodIs405WithAllow) {
  Response res = Dispatch(bhttp::verb::post, "/api/v1/subjects/012345678");
  EXPECT_EQ(res.result(), bhttp::status::method_not_allowed);
  EXPECT_EQ(res[bhttp::field::allow], "GET, DELETE, HEAD");
  EXPECT_EQ(ctx_.route, "/api/v1/subjects/{a_number}");
  EXPECT_TRUE(BodyOf(res)["error"].is_object());

  res = Dispatch(bhttp::verb::get, "/api/v1/agency/subjects/012345678/protections");
  EXPECT_EQ(res.result(), bhttp::status::method_not_allowed);
  EXPECT_EQ(res[bhttp::field::allow], "PUT");
}

TEST_F(RouterTest, HeadRunsGetWithoutBody) {
  Response get = Dispatch(bhttp::verb::get, "/healthz");
  Response head = Dispatch(bhttp::verb::head, "/healthz");
  EXPECT_EQ(head.result(), bhttp::status::ok);
  EXPECT_TRUE(head.body().empty());
  ASSERT_FALSE(get.body().empty());
  EXPECT_EQ(head[bhttp::field::content_length], std::to_string(get.body().size()));
  EXPECT_EQ(ctx_.route, "/healthz");
}

TEST_F(RouterTest, HeadKeepsLengthEvenIfHandlerDidNotSetIt) {
  Router router;
  router.Add(bhttp::verb::get, "/raw", [](const Request&, RequestContext&) {
    Response res(bhttp::status::ok, 11);
    res.body() = "12345";
    return res;
  });
  Request req = MakeRequest(bhttp::verb::head, "/raw");
  RequestContext ctx;
  Response res = router.Dispatch(req, ctx);
  EXPECT_TRUE(res.body().empty());
  EXPECT_EQ(res[bhttp::field::content_length], "5");
}

TEST_F(RouterTest, HeadHandlerTakesPrecedenceOverGet) {
  router_.Add(bhttp::verb::head, "/healthz", Echo("head"));
  Response res = Dispatch(bhttp::verb::head, "/healthz");
  EXPECT_EQ(BodyOf(res)["tag"], "head");
}

TEST_F(RouterTest, HandlerExceptionIs500WithoutItsText) {
  router_.Add(bhttp::verb::get, "/boom/{x}", [](const Request&, RequestContext&) -> Response {
    throw std::runtime_error("subject Jane Doe A012345678 broke it");
  });
  router_.Add(bhttp::verb::get, "/boom2",
              [](const Request&, RequestContext&) -> Response { throw 42; });
  for (const char* target : {"/boom/1", "/boom2"}) {
    SCOPED_TRACE(target);
    Response res = Dispatch(bhttp::verb::get, target);
    EXPECT_EQ(res.result(), bhttp::status::internal_server_error);
    EXPECT_THAT(res.body(), Not(HasSubstr("Jane")));
    EXPECT_THAT(res.body(), Not(HasSubstr("A012345678")));
    nlohmann::json body = BodyOf(res);
    EXPECT_EQ(body["error"]["code"], "internal");
    EXPECT_EQ(body["error"]["request_id"], "test-id");
  }
}

TEST_F(RouterTest, RoutesListsTableInOrder) {
  EXPECT_THAT(router_.Routes(),
              ElementsAre(Pair(bhttp::verb::get, "/healthz"),
                          Pair(bhttp::verb::get, "/api/v1/subjects/{a_number}"),
                          Pair(bhttp::verb::put, "/api/v1/agency/subjects/{a_number}/protections"),
                          Pair(bhttp::verb::get, "/api/v1/subjects/search"),
                          Pair(bhttp::verb::delete_, "/api/v1/subjects/{a_number}"),
                          Pair(bhttp::verb::get, "/")));
}

TEST_F(RouterTest, AddingSameRouteReplacesHandler) {
  router_.Add(bhttp::verb::get, "/healthz", Echo("health2"));
  EXPECT_EQ(BodyOf(Dispatch(bhttp::verb::get, "/healthz"))["tag"], "health2");
  EXPECT_EQ(router_.Routes().size(), 6u);
}

// The one mapping from domain codes to HTTP.
TEST(HttpStatusForTest, MapsEveryCode) {
  EXPECT_EQ(HttpStatusFor(ErrorCode::kInvalidArgument), bhttp::status::bad_request);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kNotFound), bhttp::status::not_found);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kConflict), bhttp::status::conflict);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kUnavailable), bhttp::status::service_unavailable);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kPermissionDenied), bhttp::status::forbidden);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kResourceExhausted), bhttp::status::too_many_requests);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kInternal), bhttp::status::internal_server_error);
}

TEST(ErrorResponseTest, JsonShapeAndEscaping) {
  Request req = MakeRequest(bhttp::verb::get, "/x");
  req.keep_alive(false);
  RequestContext ctx;
  ctx.request_id = "abc";
  Response res =
      ErrorResponse(req, ctx, Error(ErrorCode::kConflict, "quote \" newline \n bad utf8 \xff"));
  EXPECT_EQ(res.result(), bhttp::status::conflict);
  EXPECT_FALSE(res.keep_alive());
  EXPECT_EQ(res[bhttp::field::content_length], std::to_string(res.body().size()));
  nlohmann::json body = BodyOf(res);
  EXPECT_EQ(body["error"]["code"], "conflict");
  EXPECT_THAT(body["error"]["message"].get<std::string>(),
              HasSubstr("quote \" newline \n bad utf8"));
  EXPECT_EQ(body["error"]["request_id"], "abc");
}

TEST(ResponseHelpersTest, ContentTypes) {
  Request req = MakeRequest(bhttp::verb::get, "/x");
  EXPECT_EQ(TextResponse(req, bhttp::status::ok, "hi")[bhttp::field::content_type],
            "text/plain; charset=utf-8");
  EXPECT_EQ(HtmlResponse(req, bhttp::status::ok, "<p>")[bhttp::field::content_type],
            "text/html; charset=utf-8");
  Response json = JsonResponse(req, bhttp::status::created, "{}");
  EXPECT_EQ(json[bhttp::field::content_type], "application/json; charset=utf-8");
  EXPECT_EQ(json[bhttp::field::content_length], "2");
  EXPECT_TRUE(json.keep_alive());
}

}  // namespace
}  // namespace vigil::http

namespace vigil::http {
namespace {

// A browser gets the error page for a missing path or a handler that threw;
// an API client, and any path under /api/, keep the JSON errors.
TEST(RouterErrorPage, BrowsersGetPagesAndApiClientsJson) {
  Router router;
  router.Add(bhttp::verb::get, "/boom", [](const Request&, RequestContext&) -> Response {
    throw std::runtime_error("broke");
  });
  router.Add(bhttp::verb::get, "/api/v1/boom", [](const Request&, RequestContext&) -> Response {
    throw std::runtime_error("broke");
  });
  router.SetErrorPage([](const Request& req, bhttp::status status) {
    Response res{status, req.version()};
    res.set(bhttp::field::content_type, "text/html; charset=utf-8");
    res.body() = status == bhttp::status::not_found ? "<h1>Page not found</h1>" : "<h1>Oops</h1>";
    return res;
  });
  auto get = [&](const std::string& target, const char* accept) {
    Request req(bhttp::verb::get, target, 11);
    if (accept) req.set(bhttp::field::accept, accept);
    RequestContext ctx;
    return router.Dispatch(req, ctx);
  };
  const char* browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
  auto missing = get("/nope", browser);
  EXPECT_EQ(missing.result(), bhttp::status::not_found);
  EXPECT_EQ(missing.body(), "<h1>Page not found</h1>");
  auto threw = get("/boom", browser);
  EXPECT_EQ(threw.result(), bhttp::status::internal_server_error);
  EXPECT_EQ(threw.body(), "<h1>Oops</h1>");
  for (auto res : {get("/nope", "application/json"), get("/nope", nullptr),
                   get("/api/v1/nope", browser), get("/api/v1/boom", browser)}) {
    EXPECT_EQ(res[bhttp::field::content_type], "application/json; charset=utf-8");
    EXPECT_NE(res.body().find("\"error\""), std::string::npos) << res.body();
  }
}

}  // namespace
}  // namespace vigil::http
