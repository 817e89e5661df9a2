#include "vigil/net/http_client.h"

#include <gtest/gtest.h>

#include "vigil/testing/process.h"

namespace vigil::net {
namespace {

TEST(HttpClientTest, EscapesLikeAFormEncoder) {
  EXPECT_EQ(UrlEscape("a-b.c_d~e"), "a-b.c_d~e");
  EXPECT_EQ(UrlEscape("+1 (202) 555-0100"), "%2B1%20%28202%29%20555-0100");
  EXPECT_EQ(UrlEscape("Perú/ñ&x=1"), "Per%C3%BA%2F%C3%B1%26x%3D1");
}

TEST(HttpClientTest, AFailureNeverRepeatsTheUrl) {
  HttpRequest request;
  request.url = "http://127.0.0.1:" + std::to_string(testutil::FreePort()) +
                "/send?password=hunter2&to=%2B12025550100";
  request.timeout = std::chrono::seconds(2);
  auto r = Fetch(request);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(r.error().message().find("hunter2"), std::string::npos) << r.error().message();
  EXPECT_EQ(r.error().message().find("12025550100"), std::string::npos);
}

}  // namespace
}  // namespace vigil::net
