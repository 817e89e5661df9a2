#include "vigil/policy/ref_codec.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <limits>
#include <random>
#include <set>
#include <string>

namespace vigil::policy {
namespace {

constexpr std::string_view kUrlSafe =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::array<unsigned char, RefCodec::kKeyBytes> Key(unsigned char seed) {
  std::array<unsigned char, RefCodec::kKeyBytes> key;
  for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<unsigned char>(seed + 7 * i);
  return key;
}

RefCodec Codec(unsigned char seed) {
  auto codec = RefCodec::Create(Key(seed));
  EXPECT_TRUE(codec) << codec.error().ToString();
  return *codec;
}

std::vector<int64_t> SampleIds() {
  std::vector<int64_t> ids = {0,
                              1,
                              -1,
                              2,
                              255,
                              256,
                              123456789,
                              std::numeric_limits<int64_t>::max(),
                              std::numeric_limits<int64_t>::min()};
  for (int64_t i = 3; i < 2000; ++i) ids.push_back(i);
  std::mt19937_64 rng(20261122);
  for (int i = 0; i < 2000; ++i) ids.push_back(static_cast<int64_t>(rng()));
  return ids;
}

TEST(RefCodec, RejectsKeysOfTheWrongSize) {
  std::array<unsigned char, 31> short_key{};
  std::array<unsigned char, 33> long_key{};
  auto a = RefCodec::Create(short_key);
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().code(), ErrorCode::kInvalidArgument);
  auto b = RefCodec::Create(long_key);
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_FALSE(RefCodec::Create({}));
}

TEST(RefCodec, RoundTripsEveryIdAndIsUrlSafe) {
  const RefCodec codec = Codec(1);
  std::set<std::string> seen;
  for (int64_t id : SampleIds()) {
    const std::string ref = codec.Encode(id);
    ASSERT_EQ(ref.size(), RefCodec::kRefChars) << id;
    ASSERT_EQ(ref.find_first_not_of(kUrlSafe), std::string::npos) << ref;
    auto back = codec.Decode(ref);
    ASSERT_TRUE(back.has_value()) << id;
    EXPECT_EQ(*back, id);
    seen.insert(ref);
  }
  const std::vector<int64_t> ids = SampleIds();
  EXPECT_EQ(seen.size(), std::set<int64_t>(ids.begin(), ids.end()).size())
      << "distinct ids must give distinct refs";
}

TEST(RefCodec, IsDeterministicPerKeyAndId) {
  const RefCodec a = Codec(1);
  const RefCodec same_key = Codec(1);
  for (int64_t id : {0, 7, 99999}) {
    EXPECT_EQ(a.Encode(id), a.Encode(id));
    EXPECT_EQ(a.Encode(id), same_key.Encode(id));
  }
}

TEST(RefCodec, DifferentKeysGiveDifferentRefsThatDoNotDecode) {
  const RefCodec a = Codec(1);
  const RefCodec b = Codec(2);
  for (int64_t id : SampleIds()) {
    const std::string ref_a = a.Encode(id);
    ASSERT_NE(ref_a, b.Encode(id)) << id;
    ASSERT_FALSE(b.Decode(ref_a).has_value()) << id;
    ASSERT_FALSE(a.Decode(b.Encode(id)).has_value()) << id;
  }
}

TEST(RefCodec, NeighbouringIdsShareNoVisibleStructure) {
  // A counter-like or prefix-preserving encoding would leak the id's order.
  const RefCodec codec = Codec(1);
  for (int64_t id = 1; id < 500; ++id) {
    const std::string x = codec.Encode(id), y = codec.Encode(id + 1);
    size_t common = 0;
    while (common < x.size() && x[common] == y[common]) ++common;
    ASSERT_LT(common, 6u) << id;
    size_t same_positions = 0;
    for (size_t i = 0; i < x.size(); ++i) same_positions += x[i] == y[i];
    ASSERT_LT(same_positions, 10u) << id;
  }
}

TEST(RefCodec, EveryAlteredCharacterIsRejected) {
  const RefCodec codec = Codec(1);
  for (int64_t id : {int64_t{0}, int64_t{42}, std::numeric_limits<int64_t>::max()}) {
    const std::string ref = codec.Encode(id);
    for (size_t pos = 0; pos < ref.size(); ++pos) {
      for (char c : kUrlSafe) {
        if (c == ref[pos]) continue;
        std::string tampered = ref;
        tampered[pos] = c;
        ASSERT_FALSE(codec.Decode(tampered).has_value()) << "position " << pos << " char " << c;
      }
    }
  }
}

TEST(RefCodec, MalformedInputIsRejected) {
  const RefCodec codec = Codec(1);
  const std::string ref = codec.Encode(42);
  const std::string cases[] = {
      "",
      ref.substr(0, ref.size() - 1),             // truncated
      ref.substr(1),                             // truncated at the front
      ref + "A",                                 // extended
      ref + "=",                                 // padded
      ref + ref,                                 // doubled
      " " + ref.substr(1),                       // whitespace
      ref.substr(0, 31) + "\n",                  // whitespace
      ref.substr(0, 31) + "+",                   // standard (not URL-safe) alphabet
      ref.substr(0, 31) + "/",                   //
      std::string(RefCodec::kRefChars, 'A'),     //
      std::string(RefCodec::kRefChars, '_'),     //
      std::string(RefCodec::kRefChars, '\0'),    // NUL bytes
      std::string(RefCodec::kRefChars, '\xff'),  // not even ASCII
      "42",                                      // the id itself
      std::string(100000, 'A'),                  // over-long
  };
  for (const std::string& c : cases) {
    EXPECT_FALSE(codec.Decode(c).has_value()) << "case of length " << c.size();
  }
  EXPECT_EQ(codec.Decode(ref), 42);
}

TEST(RefCodec, RandomStringsAreRejected) {
  const RefCodec codec = Codec(1);
  std::mt19937 rng(7);
  std::uniform_int_distribution<size_t> pick(0, kUrlSafe.size() - 1);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int i = 0; i < 20000; ++i) {
    std::string s(RefCodec::kRefChars, ' ');
    for (char& c : s) c = kUrlSafe[pick(rng)];
    ASSERT_FALSE(codec.Decode(s).has_value()) << s;
  }
  for (int i = 0; i < 2000; ++i) {
    std::string s(static_cast<size_t>(i % 70), ' ');
    for (char& c : s) c = static_cast<char>(byte(rng));
    ASSERT_FALSE(codec.Decode(s).has_value());
  }
}

}  // namespace
}  // namespace vigil::policy
