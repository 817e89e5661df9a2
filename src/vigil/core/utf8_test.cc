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
  for (auto [text, offset] :
       {Case{"ab\xFF", 2}, Case{"\xC0\xAF", 0}, Case{"x\xE0\x80\xAF", 1}, Case{"\xED\xA0\x80", 0},
        Case{"\xF4\x90\x80\x80", 0}, Case{"Mar\xC3", 3}, Case{"\xC3\x28", 0}, Case{"ok\x80", 2},
        Case{"\xF8\x88\x80\x80\x80", 0}}) {
    EXPECT_EQ(FindInvalidUtf8(text), offset) << testing::PrintToString(text);
  }
}

TEST(Utf8, FindsControlAndInvisibleFormattingCharacters) {
  struct Case {
    std::string text;
    size_t at;
  };
  const Case cases[] = {
      {std::string("Ana\0x", 5), 3},  // NUL
      {"Ana\x01", 3},
      {"Ana\tMar\xC3\xADa", 3},  // tab: a name is one line
      {"a\x7f", 1},              // DEL
      {"Ana\xC2\x85x", 3},       // U+0085 NEL (C1)
      {"Ana\xC2\x9F", 3},        // U+009F
      {"Ana\xE2\x80\xAEx", 3},   // U+202E right-to-left override
      {"Ana\xE2\x80\xAA", 3},    // U+202A
      {"Ana\xE2\x81\xA6", 3},    // U+2066 left-to-right isolate
      {"Ana\xE2\x81\xA9", 3},    // U+2069
      {"Ana\xE2\x80\x8F", 3},    // U+200F right-to-left mark
      {"Ana\xE2\x80\xA8", 3},    // U+2028 line separator
  };
  for (const auto& c : cases) EXPECT_EQ(FindControlCharacter(c.text), c.at) << c.text;
  // Letters of every script, no-break space, the zero-width (non-)joiners
  // that Persian and Indic names need, and punctuation in U+2000..U+206F.
  for (std::string ok :
       {"María José", "\xC2\xA0\xC2\xBF\xC3\x80", "\xE6\x9D\x8E", "\xD9\x85\xE2\x80\x8C\xD9\x8A",
        "O\xE2\x80\x99Brien", "Jean\xE2\x80\x90Luc", "\xE2\x81\xA0x"}) {
    EXPECT_EQ(FindControlCharacter(ok), std::string_view::npos) << ok;
  }
}

}  // namespace
}  // namespace vigil
