#include "vigil/app/secrets.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "vigil/testing/temp_dir.h"

namespace vigil {
namespace {

TEST(SecretKey, CreatedOnceWithOwnerOnlyAccessThenReused) {
  testutil::TempDir dir;
  std::string path = dir.File("var/secret.key");
  auto first = LoadOrCreateSecretKey(path);
  ASSERT_TRUE(first) << first.error().ToString();
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  EXPECT_EQ(st.st_size, 32);
  auto second = LoadOrCreateSecretKey(path);
  ASSERT_TRUE(second);
  EXPECT_EQ(*first, *second);
}

TEST(SecretKey, RefusesWrongSizeAndLoosePermissions) {
  testutil::TempDir dir;
  std::string path = dir.File("short.key");
  std::ofstream(path) << "too short";
  chmod(path.c_str(), 0600);
  auto bad = LoadOrCreateSecretKey(path);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("exactly 32 bytes"), std::string::npos);
  std::string loose = dir.File("loose.key");
  std::ofstream(loose) << std::string(32, 'k');
  chmod(loose.c_str(), 0644);
  auto open = LoadOrCreateSecretKey(loose);
  ASSERT_FALSE(open);
  EXPECT_NE(open.error().message().find("chmod 600"), std::string::npos);
}


TEST(SecretKey, ConcurrentFirstStartsAgreeOnOneKey) {
  for (int round = 0; round < 20; ++round) {
    testutil::TempDir dir;
    std::string path = dir.File("k/secret.key");
    std::vector<Result<SecretKey>> keys(8, Unavailable("not run"));
    std::vector<std::thread> threads;
    for (auto& k : keys) threads.emplace_back([&k, &path] { k = LoadOrCreateSecretKey(path); });
    for (auto& t : threads) t.join();
    for (const auto& k : keys) {
      ASSERT_TRUE(k) << k.error().ToString();
      EXPECT_EQ(*k, *keys[0]);
    }
    // No temporary file is left behind.
    int files = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir.File("k"))) {
      (void)e;
      ++files;
    }
    EXPECT_EQ(files, 1);
  }
}

// `vigil secrets init` makes a key once; a second init names the first by
// its fingerprint and leaves it alone.
TEST(SecretsTest, CreateMakesAKeyOnceAndNeverReplacesIt) {
  testutil::TempDir dir;
  const std::string path = dir.File("keys/secret.key");
  auto none = LoadSecretKey(path);
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
  auto made = CreateSecretKey(path);
  ASSERT_TRUE(made) << made.error().ToString();
  const std::string fingerprint = SecretKeyFingerprint(*made);
  EXPECT_EQ(fingerprint.size(), 16u);
  auto again = CreateSecretKey(path);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), ErrorCode::kConflict);
  EXPECT_NE(again.error().message().find(fingerprint), std::string::npos);
  auto loaded = LoadSecretKey(path);
  ASSERT_TRUE(loaded && loaded->has_value());
  EXPECT_EQ(**loaded, *made);
  SecretKey other = *made;
  other[0] ^= 1;
  EXPECT_NE(SecretKeyFingerprint(other), fingerprint);
}

}  // namespace
}  // namespace vigil
