#include "vigil/core/utf8.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

TEST(Utf8, AcceptsWellFormedText) {
  for (const char* ok : {"", "plain", "María Núñez", "Щербакова", "محمد", "王秀英", "Nguyễn",
                         "\xF0\x9F\x98\x80", "\xEF\xBF\xBF", "\xF4\x8F\xBF\xBF"}) {
    EXPECT_EQ(FindInvalidUtf8(ok), std::string_view::npos) << ok;
  }
}

TEST(Utf8, FindsTheFirstBadByte) {
  struct Case {
    std::string_view text;
    size_t offset;
  };
  for (auto [text, offset] : {Case{"ab\xFF", 2}, Case{"\xC0\xAF", 0}, Case{"x\xE0\x80\xAF", 1},
                              Case{"\xED\xA0\x80", 0}, Case{"\xF4\x90\x80\x80", 0},
                              Case{"Mar\xC3", 3}, Case{"\xC3\x28", 0}, Case{"ok\x80", 2},
                              Case{"\xF8\x88\x80\x80\x80", 0}}) {
    EXPECT_EQ(FindInvalidUtf8(text), offset) << testing::PrintToString(text);
  }
}

}  // namespace
}  // namespace vigil
