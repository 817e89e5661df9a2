#include "vigil/i18n/catalogue.h"

#include <gtest/gtest.h>

namespace vigil::i18n {
namespace {

// Every language has the same keys as English, each with the same
// placeholders and optional parts: a translation can neither lose a message
// nor a value it must show.
TEST(Catalogue, EveryLanguageHasEveryEnglishKeyWithTheSamePlaceholders) {
  const Catalogue& en = BuiltInCatalogue("en");
  EXPECT_GT(en.Keys().size(), 150u);
  for (const std::string& language : BuiltInLanguages()) {
    SCOPED_TRACE(language);
    const Catalogue& other = BuiltInCatalogue(language);
    if (language != "en") EXPECT_NE(&other, &en) << "no catalogue file for " << language;
    for (const std::string& key : en.Keys()) {
      const std::string* text = other.Find(key);
      if (!text) {
        ADD_FAILURE() << language << ".txt lacks " << key;
        continue;
      }
      EXPECT_FALSE(text->empty()) << key;
      EXPECT_EQ(Placeholders(en.Get(key)), Placeholders(*text)) << key;
      auto count = [](const std::string& s, std::string_view what) {
        size_t n = 0;
        for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
        return n;
      };
      EXPECT_EQ(count(en.Get(key), "[["), count(*text, "[[")) << key;
    }
    EXPECT_EQ(en.Keys(), other.Keys()) << language << " has keys English does not";
  }
}

// The nine languages the incumbents' brochures came in, English first.
TEST(Catalogue, NineLanguagesAreBuiltIn) {
  EXPECT_EQ(BuiltInLanguages(),
            (std::vector<std::string>{"en", "es", "ht", "pt", "zh-Hans", "vi", "ar", "ru", "fr"}));
}

TEST(FillTemplate, OptionalPartsFallAwayWhenTheirValueIsMissing) {
  std::string t = "A[[ at {facility}[[ (tel {phone})]]]].";
  EXPECT_EQ(FillTemplate(t, {{"facility", "X"}, {"phone", "1"}}), "A at X (tel 1).");
  EXPECT_EQ(FillTemplate(t, {{"facility", "X"}}), "A at X.");
  EXPECT_EQ(FillTemplate(t, {{"phone", "1"}}), "A.");
  EXPECT_EQ(FillTemplate("{a} and {b}", {{"a", "1"}}), "1 and ");
  EXPECT_EQ(Placeholders("x {a} [[{b}]] {a}"), (std::set<std::string>{"a", "b"}));
}

TEST(Catalogue, MalformedCataloguesAreRefusedSayingWhereAndWhy) {
  struct Case {
    const char* text;
    const char* message;
  };
  for (const Case& c : {
           Case{"# fine\nno equals sign here\n", "x.txt:2: expected KEY = TEXT"},
           Case{" = text\n", "x.txt:1: the key is empty"},
           Case{"a b = text\n", "x.txt:1: a key holds only"},
           Case{"a = 1\nb = 2\na = 3\n", "x.txt:3: the key a is given twice"},
           Case{"a = tab\\t\n", "x.txt:1: only \\n and \\\\ are escapes"},
           Case{"a = {name\n", "x.txt:1: a { without its } in a"},
           Case{"a = name}\n", "x.txt:1: a } without its {"},
           Case{"a = [[x\n", "x.txt:1: a [[ without its ]] in a"},
           Case{"a = x]]\n", "x.txt:1: a ]] without its [["},
           Case{"a = {na me}\n", "x.txt:1: a placeholder holds only"},
       }) {
    auto parsed = Catalogue::Parse(c.text, "x.txt");
    ASSERT_FALSE(parsed) << c.text;
    EXPECT_NE(parsed.error().message().find(c.message), std::string::npos)
        << c.text << " -> " << parsed.error().message();
  }
  auto fine = Catalogue::Parse("# comment\n\na.b = one\\ntwo \\\\ three\n", "x.txt");
  ASSERT_TRUE(fine) << fine.error().message();
  EXPECT_EQ(fine->Get("a.b"), "one\ntwo \\ three");
  EXPECT_EQ(fine->Find("missing"), nullptr);
}

}  // namespace
}  // namespace vigil::i18n
