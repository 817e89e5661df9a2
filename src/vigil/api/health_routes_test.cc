#include "vigil/api/health_routes.h"

#include <gtest/gtest.h>

#include "vigil/testing/temp_dir.h"

namespace vigil::api {
namespace {

namespace bhttp = boost::beast::http;

class FailingStore : public Store {
 public:
  Result<std::unique_ptr<StoreReader>> BeginRead() override { return Unavailable("disk gone"); }
  Result<std::unique_ptr<StoreTransaction>> BeginWrite() override {
    return Unavailable("disk gone");
  }
};

http::Response Get(const http::Router& router, const char* target) {
  http::Request req{bhttp::verb::get, target, 11};
  http::RequestContext ctx;
  return router.Dispatch(req, ctx);
}

TEST(HealthRoutes, OkWhenTheStoreAnswers) {
  testutil::TempDir dir;
  auto store = OpenStore("sqlite:" + dir.File("vigil.db"));
  ASSERT_TRUE(store);
  http::Router router;
  AddHealthRoutes(router, store->get());
  auto res = Get(router, "/healthz");
  EXPECT_EQ(res.result(), bhttp::status::ok);
  EXPECT_EQ(res.body(), R"({"status":"ok"})");
}

TEST(HealthRoutes, UnavailableWithoutDetailWhenTheStoreFails) {
  FailingStore store;
  http::Router router;
  AddHealthRoutes(router, &store);
  auto res = Get(router, "/healthz");
  EXPECT_EQ(res.result(), bhttp::status::service_unavailable);
  EXPECT_EQ(res.body().find("disk"), std::string::npos);
}

}  // namespace
}  // namespace vigil::api
