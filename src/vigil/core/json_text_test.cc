#include "vigil/core/json_text.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>

namespace vigil {
namespace {

std::string Quoted(std::string_view s) {
  std::string out;
  AppendJsonString(out, s);
  return out;
}

TEST(JsonText, EscapesWhatJsonRequires) {
  EXPECT_EQ(Quoted(""), R"("")");
  EXPECT_EQ(Quoted("José Rodríguez"), "\"José Rodríguez\"");
  EXPECT_EQ(Quoted(R"(a"b\c/d)"), R"("a\"b\\c/d")");
  EXPECT_EQ(Quoted("\b\f\n\r\t"), R"("\b\f\n\r\t")");
  EXPECT_EQ(Quoted(std::string_view("\0\x01\x1f\x7f", 4)), "\"\\u0000\\u0001\\u001f\x7f\"");
}

// The same bytes as nlohmann's dump(), over every byte value and random
// mixes of the interesting ones with multi-byte characters.
TEST(JsonText, WritesWhatNlohmannWrites) {
  for (int c = 0; c < 0x80; ++c) {
    std::string s = "x" + std::string(1, static_cast<char>(c)) + "y";
    EXPECT_EQ(Quoted(s), nlohmann::json(s).dump()) << c;
  }
  const std::string_view pieces[] = {"a", "\"", "\\", "\n", "\x01", "é", "中", "😀", "/", " "};
  std::mt19937 rng(7);
  for (int i = 0; i < 2000; ++i) {
    std::string s;
    for (int n = static_cast<int>(rng() % 12); n > 0; --n) s += pieces[rng() % std::size(pieces)];
    ASSERT_EQ(Quoted(s), nlohmann::json(s).dump()) << s;
  }
}

}  // namespace
}  // namespace vigil
