#include "vigil/text/tokens.h"

#include <gtest/gtest.h>

namespace vigil::text {
namespace {

std::vector<NameToken> T(std::initializer_list<std::pair<const char*, bool>> tokens) {
  std::vector<NameToken> out;
  for (const auto& [text, particle] : tokens) out.push_back(NameToken{text, particle});
  return out;
}

TEST(TokenizeTest, SplitsOnSpaces) {
  EXPECT_EQ(Tokenize("maria jose garcia"),
            T({{"maria", false}, {"jose", false}, {"garcia", false}}));
  EXPECT_EQ(Tokenize("  ana   lopez "), T({{"ana", false}, {"lopez", false}}));
  EXPECT_TRUE(Tokenize("").empty());
  EXPECT_TRUE(Tokenize("   ").empty());
}

TEST(TokenizeTest, MarksParticles) {
  EXPECT_EQ(Tokenize("maria de la cruz"),
            T({{"maria", false}, {"de", true}, {"la", true}, {"cruz", false}}));
  EXPECT_EQ(Tokenize("ludwig van beethoven"),
            T({{"ludwig", false}, {"van", true}, {"beethoven", false}}));
  EXPECT_EQ(Tokenize("jan van der berg"),
            T({{"jan", false}, {"van", true}, {"der", true}, {"berg", false}}));
  EXPECT_EQ(Tokenize("jose garcia y lopez"),
            T({{"jose", false}, {"garcia", false}, {"y", true}, {"lopez", false}}));
  EXPECT_EQ(
      Tokenize("mohammed bin salman al saud"),
      T({{"mohammed", false}, {"bin", true}, {"salman", false}, {"al", true}, {"saud", false}}));
  EXPECT_EQ(Tokenize("abu bakr"), T({{"abu", true}, {"bakr", false}}));
}

TEST(TokenizeTest, LastTokenIsNeverAParticle) {
  EXPECT_EQ(Tokenize("thi le"), T({{"thi", false}, {"le", false}}));
  EXPECT_EQ(Tokenize("le van do"), T({{"le", true}, {"van", true}, {"do", false}}));
  EXPECT_EQ(Tokenize("de"), T({{"de", false}}));
}

TEST(TokenizeTest, ParticleList) {
  for (const char* p : {"de", "del", "la",  "las", "los", "y",  "da", "das", "do",  "dos", "di",
                        "du", "le",  "van", "von", "der", "al", "el", "bin", "ibn", "abu"}) {
    EXPECT_TRUE(IsNameParticle(p)) << p;
  }
  for (const char* w : {"", "d", "dela", "mac", "o", "De", "garcia"}) {
    EXPECT_FALSE(IsNameParticle(w)) << w;
  }
}

}  // namespace
}  // namespace vigil::text
