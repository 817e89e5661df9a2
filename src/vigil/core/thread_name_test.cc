#include "vigil/core/thread_name.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>

namespace vigil {
namespace {

std::string NameOnAThread(const std::string& name) {
  std::string seen;
  std::thread([&] {
    NameThisThread(name);
    seen = ThisThreadName();
  }).join();
  return seen;
}

TEST(ThreadNameTest, AShortNameIsKeptAsGiven) {
  EXPECT_EQ(NameOnAThread("audit-writer"), "audit-writer");
  EXPECT_EQ(NameOnAThread("exactly-15-char"), "exactly-15-char");
}

TEST(ThreadNameTest, ALongNameIsCutAtFifteenBytesNeverInsideACharacter) {
  EXPECT_EQ(NameOnAThread("withheld-lookups-and-more"), "withheld-lookup");
  // "é" is two bytes: at bytes 15-16 it would be cut in half, so it goes.
  EXPECT_EQ(NameOnAThread("fourteen-bytes\xC3\xA9z"), "fourteen-bytes");
  // Whole, at bytes 14-15, it stays.
  EXPECT_EQ(NameOnAThread("thirteen-byte\xC3\xA9z"), "thirteen-byte\xC3\xA9");
}

}  // namespace
}  // namespace vigil
