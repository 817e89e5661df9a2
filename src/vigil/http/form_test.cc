#include "vigil/http/form.h"

#include <gtest/gtest.h>

namespace vigil::http {
namespace {

TEST(FormTest, DecodesPairsPlusesAndEscapes) {
  auto p = ParseQueryString("given_name=Mar%C3%ADa+Jos%C3%A9&&birth_year=1990&empty=");
  ASSERT_TRUE(p) << p.error().ToString();
  EXPECT_EQ(p->at("given_name"), "María José");
  EXPECT_EQ(p->at("birth_year"), "1990");
  EXPECT_EQ(p->at("empty"), "");
  EXPECT_EQ(p->size(), 3u);
}

TEST(FormTest, RefusesWhatItCannotReadSayingWhy) {
  const std::pair<const char*, const char*> bad[] = {
      {"a=%zz", "malformed %-escape"},
      {"a=%4", "malformed %-escape"},
      {"a=%ff", "not valid UTF-8"},
      {"a=%00", "control character"},
      {"a=%E2%80%AE", "control character"},  // U+202E, right-to-left override
      {"a=1&a=2", "parameter \"a\" is given more than once"},
      {"%ff=1&%ff=2", "not valid UTF-8"},
  };
  for (const auto& [query, why] : bad) {
    auto p = ParseQueryString(query);
    ASSERT_FALSE(p) << query;
    EXPECT_EQ(p.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(p.error().message().find(why), std::string::npos)
        << query << ": " << p.error().message();
  }
  EXPECT_FALSE(ParseQueryString("a=" + std::string(kMaxParameterBytes + 1, 'x')));
  EXPECT_TRUE(ParseQueryString("a=" + std::string(kMaxParameterBytes, 'x')));
  EXPECT_FALSE(ParseQueryString(std::string(kMaxParameterNameBytes + 1, 'k') + "=1"));
}

TEST(FormTest, NamesAreShownOnlyWhenPlain) {
  EXPECT_EQ(ShownParameterName("birth_year"), "\"birth_year\"");
  EXPECT_EQ(ShownParameterName("x\"><script>"), "(unprintable)");
  EXPECT_EQ(ShownParameterName(""), "(unprintable)");
}

TEST(FormTest, TheQueryIsWhatFollowsTheMark) {
  Request req{boost::beast::http::verb::get, "/search?a=1&b=2", 11};
  EXPECT_EQ(QueryOf(req), "a=1&b=2");
  Request bare{boost::beast::http::verb::get, "/search", 11};
  EXPECT_EQ(QueryOf(bare), "");
}

}  // namespace
}  // namespace vigil::http
