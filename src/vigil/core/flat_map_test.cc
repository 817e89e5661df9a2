#include "vigil/core/flat_map.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <stdexcept>
#include <unordered_map>

namespace vigil {
namespace {

using IdMap = FlatMap<int64_t, INT64_MIN>;
using ANumberMap = FlatMap<uint32_t, 0u>;

TEST(FlatMap, FindsWhatWasSetAndNothingElse) {
  ANumberMap m;
  EXPECT_EQ(m.Find(7), nullptr);
  EXPECT_FALSE(m.Erase(7));
  m.Set(7, 70);
  m.Set(8, 80);
  ASSERT_NE(m.Find(7), nullptr);
  EXPECT_EQ(*m.Find(7), 70u);
  EXPECT_EQ(*m.Find(8), 80u);
  EXPECT_EQ(m.Find(9), nullptr);
  m.Set(7, 71);  // replaces
  EXPECT_EQ(*m.Find(7), 71u);
  EXPECT_EQ(m.size(), 2u);
}

TEST(FlatMap, TheEmptyKeyIsNeverAKey) {
  ANumberMap m;
  m.Set(1, 1);
  EXPECT_EQ(m.Find(0), nullptr);  // an empty slot must not answer for it
  EXPECT_FALSE(m.Erase(0));
  EXPECT_THROW(m.Set(0, 5), std::invalid_argument);
  EXPECT_EQ(m.size(), 1u);
}

// Sequential keys (subject ids, A-numbers issued in order) collide in
// runs under a poor hash; erasing from the middle of runs is where a
// backward shift goes wrong. Every operation is checked against
// std::unordered_map.
TEST(FlatMap, AgreesWithUnorderedMapUnderRandomSetsAndErases) {
  std::mt19937_64 rng(11);
  for (int64_t span : {int64_t{64}, int64_t{5000}, int64_t{1} << 40}) {
    IdMap flat;
    std::unordered_map<int64_t, uint32_t> expect;
    for (int op = 0; op < 200'000; ++op) {
      const int64_t key = static_cast<int64_t>(rng() % static_cast<uint64_t>(span)) - span / 2;
      switch (rng() % 4) {
        case 0:
        case 1: {
          const auto value = static_cast<uint32_t>(rng());
          flat.Set(key, value);
          expect[key] = value;
          break;
        }
        case 2:
          ASSERT_EQ(flat.Erase(key), expect.erase(key) == 1) << key;
          break;
        default: {
          const uint32_t* got = flat.Find(key);
          auto it = expect.find(key);
          ASSERT_EQ(got != nullptr, it != expect.end()) << key;
          if (got != nullptr) {
            ASSERT_EQ(*got, it->second);
          }
        }
      }
      ASSERT_EQ(flat.size(), expect.size());
    }
    size_t seen = 0;
    flat.ForEach([&](int64_t k, uint32_t v) {
      ++seen;
      auto it = expect.find(k);
      ASSERT_NE(it, expect.end());
      EXPECT_EQ(it->second, v);
    });
    EXPECT_EQ(seen, expect.size());
    for (const auto& [k, v] : expect) {
      ASSERT_NE(flat.Find(k), nullptr);
      EXPECT_EQ(*flat.Find(k), v);
    }
  }
}

TEST(FlatMap, ReserveKeepsEntriesAndClearEmpties) {
  IdMap m;
  for (int64_t i = 1; i <= 1000; ++i) m.Set(i, static_cast<uint32_t>(i * 2));
  m.Reserve(100'000);
  EXPECT_GE(m.MemoryBytes(), 100'000 * sizeof(std::pair<int64_t, uint32_t>));
  for (int64_t i = 1; i <= 1000; ++i) ASSERT_EQ(*m.Find(i), i * 2);
  m.Clear();
  EXPECT_TRUE(m.empty());
  EXPECT_EQ(m.Find(1), nullptr);
  m.Set(1, 3);
  EXPECT_EQ(*m.Find(1), 3u);
}

}  // namespace
}  // namespace vigil
