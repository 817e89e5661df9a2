#include "vigil/text/name_tables.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace vigil::text {
namespace {

// The built-in files with one replaced.
std::vector<NameTableFile> With(std::string_view name, std::string_view text) {
  std::vector<NameTableFile> files;
  for (const auto& f : NameTables::BuiltInFiles()) {
    files.push_back(f.name == name ? NameTableFile{name, text} : f);
  }
  return files;
}

std::string ErrorOf(const std::vector<NameTableFile>& files) {
  auto parsed = NameTables::Parse(files);
  return parsed ? "" : parsed.error().message();
}

TEST(NameTablesTest, TheBuiltInTablesParse) {
  auto files = NameTables::BuiltInFiles();
  EXPECT_EQ(files.size(), 6u);
  auto parsed = NameTables::Parse(files);
  ASSERT_TRUE(parsed) << parsed.error().ToString();
  (void)NameTables::BuiltIn();
}

bool HasFull(const NameTables& t, std::string_view short_form, std::vector<std::string> words) {
  const auto& forms = t.FullForms(short_form);
  return std::any_of(forms.begin(), forms.end(),
                     [&](const NameTables::FullForm& f) { return f.words == words; });
}

TEST(NameTablesTest, KnowsTheFamiliesTheIssueNames) {
  const NameTables& t = NameTables::BuiltIn();
  EXPECT_TRUE(HasFull(t, "pepe", {"jose"}));
  EXPECT_TRUE(HasFull(t, "bill", {"william"}));
  EXPECT_TRUE(HasFull(t, "ze", {"jose"}));
  EXPECT_TRUE(HasFull(t, "sasha", {"aleksandr"}));
  EXPECT_TRUE(HasFull(t, "jb", {"jean", "baptiste"}));
  EXPECT_TRUE(HasFull(t, "fco", {"francisco"}));
  EXPECT_TRUE(HasFull(t, "gmo", {"guillermo"}));
  EXPECT_FALSE(t.FullForms("fco").front().words.empty());
  EXPECT_TRUE(t.FullForms("fco").front().abbreviation);
  EXPECT_TRUE(t.FullForms("maria").empty());
  EXPECT_TRUE(t.IsParticle("van"));
  EXPECT_TRUE(t.IsParticle("dos"));
  EXPECT_TRUE(t.IsParticle("y"));
  EXPECT_FALSE(t.IsParticle("garcia"));
  EXPECT_TRUE(t.IsAbdPrefix("abdul"));
  EXPECT_TRUE(t.IsDivineName("rahman"));
  const auto& wong = t.HanSurnames("wong");
  EXPECT_NE(std::find(wong.begin(), wong.end(), "zh:wang"), wong.end());
  EXPECT_NE(std::find(wong.begin(), wong.end(), "zh:huang"), wong.end());
  const auto& lee = t.HanSurnames("lee");
  EXPECT_NE(std::find(lee.begin(), lee.end(), "zh:li"), lee.end());
  ASSERT_NE(t.SyllableReadings("hsiu"), nullptr);
  EXPECT_EQ(*t.SyllableReadings("hsiu"), std::vector<std::string>{"xiu"});
  ASSERT_NE(t.SyllableReadings("xiu"), nullptr);
  EXPECT_EQ(t.SyllableReadings("garcia"), nullptr);
}

TEST(NameTablesTest, AMalformedLineIsRefusedWithItsFileAndLine) {
  EXPECT_EQ(ErrorOf(With("hypocorisms.tsv", "# c\nes\tpepe\tjose\nes\tPaco\tfrancisco\n")),
            "hypocorisms.tsv:3: short form 'Paco' is not lower-case a-z words separated by "
            "single spaces");
  EXPECT_EQ(ErrorOf(With("hypocorisms.tsv", "xx\tpepe\tjose\n")),
            "hypocorisms.tsv:1: unknown language 'xx' (es, en, pt, ar, fr, ru)");
  EXPECT_EQ(ErrorOf(With("abbreviations.tsv", "es\tfco\n")),
            "abbreviations.tsv:1: expected 3 tab-separated fields, found 2");
  EXPECT_EQ(ErrorOf(With("abbreviations.tsv", "es\tfco\tfrancisco,,x\n")),
            "abbreviations.tsv:1: full form '' is not lower-case a-z words separated by single "
            "spaces");
  EXPECT_EQ(ErrorOf(With("particles.tsv", "van\tsuffix\n")),
            "particles.tsv:1: unknown role 'suffix' (particle, prefix, abd or divine)");
  EXPECT_EQ(ErrorOf(With("wade_giles.tsv", "hsiu\txyz\n")),
            "wade_giles.tsv:1: 'xyz' is not in pinyin_syllables.txt");
  EXPECT_EQ(ErrorOf(With("han_surnames.tsv", "jp\tsato\tsatou\n")),
            "han_surnames.tsv:1: unknown system 'jp' (zh, ko, vi)");
  auto files = With("pinyin_syllables.txt", "a\n");
  files.pop_back();
  EXPECT_NE(ErrorOf(files).find("is missing"), std::string::npos);
  files.push_back({"extra.tsv", ""});
  EXPECT_EQ(ErrorOf(files), "name tables: unknown file 'extra.tsv'");
}

}  // namespace
}  // namespace vigil::text
