#include "vigil/text/normalize.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace vigil::text {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

class NameNormalizerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto created = NameNormalizer::Create();
    ASSERT_TRUE(created) << created.error().ToString();
    normalizer_ = std::move(*created);
  }

  std::vector<std::string> N(std::string_view name) const { return normalizer_->Normalize(name); }

  std::unique_ptr<NameNormalizer> normalizer_;
};

// Each variant: only [a-z0-9 ], no leading, trailing or double spaces.
bool IsWellFormed(const std::string& variant) {
  if (variant.empty() || variant.front() == ' ' || variant.back() == ' ') return false;
  if (variant.find("  ") != std::string::npos) return false;
  for (char c : variant) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ' ')) return false;
  }
  return true;
}

// The normaliser folds common accented letters itself rather than through
// ICU's Latin-ASCII rules (a quarter of an index load went to them). For
// every Latin letter of the Latin-1, Extended-A/B and Extended Additional
// blocks, the answer must be Latin-ASCII's, as ICU gives it here.
TEST_F(NameNormalizerTest, TheLatinShortcutFoldsEveryLetterAsLatinAsciiDoes) {
  UErrorCode status = U_ZERO_ERROR;
  UParseError parse_error;
  std::unique_ptr<icu::Transliterator> latin_ascii(
      icu::Transliterator::createInstance("Latin-ASCII", UTRANS_FORWARD, parse_error, status));
  ASSERT_TRUE(U_SUCCESS(status) && latin_ascii != nullptr);
  const icu::Normalizer2* casefold = icu::Normalizer2::getNFKCCasefoldInstance(status);
  ASSERT_TRUE(U_SUCCESS(status));
  int checked = 0;
  for (auto [first, last] : {std::pair<UChar32, UChar32>{0x00C0, 0x024F}, {0x1E00, 0x1EFF}}) {
    for (UChar32 cp = first; cp <= last; ++cp) {
      if (!u_isalpha(cp) || u_getIntPropertyValue(cp, UCHAR_SCRIPT) != USCRIPT_LATIN) continue;
      icu::UnicodeString letter = casefold->normalize(icu::UnicodeString(cp), status);
      latin_ascii->transliterate(letter);
      std::string ascii, typed;
      letter.toUTF8String(ascii);
      icu::UnicodeString(cp).toUTF8String(typed);
      std::string expected;
      for (char c : ascii)
        expected += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      // Latin-ASCII keeps it, or it folds to more than letters (ŀ is "l·"):
      // not a letter-for-letter fold to compare.
      if (expected.empty() || !std::all_of(expected.begin(), expected.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c));
          })) {
        continue;
      }
      EXPECT_THAT(N("ka" + typed + "lo"), ElementsAre("ka" + expected + "lo"))
          << "U+" << std::hex << cp << " " << typed;
      ++checked;
    }
  }
  EXPECT_GT(checked, 500);
}

TEST_F(NameNormalizerTest, AccentedLatinFolds) {
  EXPECT_THAT(N("María José García-Núñez"), ElementsAre("maria jose garcia nunez"));
  EXPECT_THAT(N("Nguyễn Thị Hương"), ElementsAre("nguyen thi huong"));
  EXPECT_THAT(N("Zoë Ølsen Łukasz Đặng"), ElementsAre("zoe olsen lukasz dang"));
  EXPECT_THAT(N("Straße"), ElementsAre("strasse"));
  EXPECT_THAT(N("Əliyev İlham"), ElementsAre("aliyev ilham"));
  EXPECT_THAT(N("  John   SMITH  "), ElementsAre("john smith"));
}

TEST_F(NameNormalizerTest, CompatibilityFormsFold) {
  EXPECT_THAT(N("ﬁnn"), ElementsAre("finn"));            // ligature
  EXPECT_THAT(N("Ｇａｒｃíａ"), ElementsAre("garcia"));  // full-width
  EXPECT_THAT(N("ＭＡＲＩＡ　ＬＯＰＥＺ"), ElementsAre("maria lopez"));
  EXPECT_THAT(N("Ⅻ ①"), ElementsAre("xii 1"));
  EXPECT_THAT(N("١٩٨٠"), ElementsAre("1980"));  // Arabic-Indic digits
}

TEST_F(NameNormalizerTest, ApostrophesJoinPunctuationSeparates) {
  EXPECT_THAT(N("O'Brien"), ElementsAre("obrien"));
  EXPECT_THAT(N("D’Angelo"), ElementsAre("dangelo"));
  EXPECT_THAT(N("Smith-Jones, J.R."), ElementsAre("smith jones j r"));
}

TEST_F(NameNormalizerTest, Cyrillic) {
  EXPECT_THAT(N("Щербакова"), Contains("shcherbakova"));
  // Russian BGN first, then Ukrainian BGN; the BGN soft sign is dropped.
  EXPECT_THAT(N("Григорий Ольга"), ElementsAre("grigoriy olga", "hryhoryy olha"));
  // Ukrainian letters put Ukrainian first. Russian BGN has no rule for Є,
  // which Any-Latin then writes as Ê.
  EXPECT_THAT(N("Євген"), ElementsAre("yevhen", "evgen"));
  EXPECT_THAT(N("Тарас Шевченко"), ElementsAre("taras shevchenko"));
  EXPECT_THAT(N("Новак Ђоковић"), Contains("novak dokovic"));
}

TEST_F(NameNormalizerTest, Greek) {
  EXPECT_THAT(N("Γιώργος Παπαδόπουλος"),
              ElementsAre("yiorgos papadhopoulos", "giorgos papadopoulos"));
}

TEST_F(NameNormalizerTest, ArabicScript) {
  // Unvocalised Arabic has no short vowels; ICU 72 (BGN and default) gives
  // the consonant skeleton.
  EXPECT_THAT(N("محمد"), ElementsAre("mhmd"));
  EXPECT_THAT(N("مُحَمَّد"), Contains("muhamad"));  // vocalised
  // Persian letters (پ) put Persian BGN first.
  EXPECT_THAT(N("محمد رضا پهلوی"), Contains("mhmd rza phlvy"));
}

TEST_F(NameNormalizerTest, HanGivesBothOrders) {
  EXPECT_THAT(N("王秀英"),
              ElementsAre("wang xiu ying", "xiu ying wang", "wang xiuying", "xiuying wang"));
  EXPECT_THAT(N("王 秀英"),
              ElementsAre("wang xiu ying", "xiu ying wang", "wang xiuying", "xiuying wang"));
  // Compound family name; family-name reading of 单 (shan, not dan).
  EXPECT_THAT(N("欧阳修"), ElementsAre("ou yang xiu", "xiu ou yang", "ouyang xiu", "xiu ouyang"));
  EXPECT_THAT(N("单田芳"), Contains("shan tian fang"));
  // A transliterated foreign name is not split.
  EXPECT_THAT(N("约翰·史密斯"), ElementsAre("yue han shi mi si"));
}

TEST_F(NameNormalizerTest, KoreanAndJapanese) {
  EXPECT_THAT(N("김민준"), ElementsAre("kim minjun", "minjun kim", "gim minjun", "minjun gim"));
  EXPECT_THAT(N("ヤマダ タロウ"), Contains("yamada taro"));
  EXPECT_THAT(N("ヤマダ タロウ"), Contains("taro yamada"));
}

TEST_F(NameNormalizerTest, OtherScripts) {
  EXPECT_THAT(N("דוד כהן"), Contains("dwd khn"));
  EXPECT_THAT(N("Արամ"), ElementsAre("aram"));
  EXPECT_THAT(N("გიორგი"), ElementsAre("giorgi"));
  EXPECT_THAT(N("नरेंद्र मोदी"), ElementsAre("narendra modi"));
  EXPECT_THAT(N("Ivan Иванов"), Contains("ivan ivanov"));
}

TEST_F(NameNormalizerTest, NothingLeft) {
  EXPECT_THAT(N(""), IsEmpty());
  EXPECT_THAT(N("  \t "), IsEmpty());
  EXPECT_THAT(N("!!! -- ?"), IsEmpty());
  EXPECT_THAT(N("ᏣᎳᎩ"), IsEmpty());  // Cherokee: ICU has no Latin transform
}

TEST_F(NameNormalizerTest, IllFormedUtf8DoesNotCrash) {
  EXPECT_THAT(N("\xff\xfe"
                "Bad\xc3"),
              ElementsAre("bad"));
  EXPECT_THAT(N("Jos\xc3"), ElementsAre("jos"));
  EXPECT_THAT(N(std::string("Ana\0Lopez", 9)), ElementsAre("ana lopez"));
  EXPECT_THAT(N("\xed\xa0\x80"), IsEmpty());  // a UTF-8-encoded surrogate
}

TEST_F(NameNormalizerTest, EveryVariantIsWellFormed) {
  const char* names[] = {"María José García-Núñez",
                         "Щербакова",
                         "محمد عبد الله",
                         "王秀英",
                         "Γιώργος",
                         "김민준",
                         "やまだ たろう",
                         "Ђоковић",
                         "Ŝ̷t̶r̵a̴n̸g̷e̵",
                         "\xf0\x9f\x98\x80 Emoji",
                         "A\u200Db\u00ADc",
                         "Ⓜⓐⓡⓘⓐ"};
  for (const char* name : names) {
    const auto variants = N(name);
    EXPECT_FALSE(variants.empty()) << name;
    for (const auto& v : variants) EXPECT_TRUE(IsWellFormed(v)) << name << " -> [" << v << "]";
  }
}

TEST_F(NameNormalizerTest, ConcurrentCallsAgreeWithSerialOnes) {
  const std::vector<std::string> names = {"María José García-Núñez",
                                          "Щербакова Ольга",
                                          "محمد",
                                          "王秀英",
                                          "Γιώργος",
                                          "김민준",
                                          "O'Brien",
                                          "Ђоковић"};
  std::vector<std::vector<std::string>> expected;
  for (const auto& name : names) expected.push_back(N(name));
  constexpr int kThreads = 4;
  std::vector<int> mismatches(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 50; ++round) {
        for (size_t i = 0; i < names.size(); ++i) {
          if (normalizer_->Normalize(names[i]) != expected[i]) ++mismatches[t];
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(mismatches[t], 0) << "thread " << t;
}

TEST_F(NameNormalizerTest, SeveralNormalizersOnOneThread) {
  auto other = NameNormalizer::Create();
  ASSERT_TRUE(other);
  EXPECT_EQ((*other)->Normalize("Щербакова"), N("Щербакова"));
  other->reset();  // its clones on this thread go on the next call
  auto third = NameNormalizer::Create();
  ASSERT_TRUE(third);
  EXPECT_EQ((*third)->Normalize("王秀英"), N("王秀英"));
}

}  // namespace
}  // namespace vigil::text
