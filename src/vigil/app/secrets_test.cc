#include "vigil/app/secrets.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

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

}  // namespace
}  // namespace vigil
