#include "vigil/search/index_follower.h"

#include <gtest/gtest.h>

#include <thread>

#include "vigil/testing/process.h"
#include "vigil/testing/temp_dir.h"

namespace vigil::search {
namespace {

Subject Person(const char* a_number, const char* given, const char* family) {
  Subject s;
  s.a_number = *ANumber::Parse(a_number);
  s.given_names = given;
  s.family_names = family;
  s.country_of_birth = "MX";
  return s;
}

TEST(IndexFollower, LoadsThenFollowsCommitsFromAnotherStoreHandle) {
  testutil::TempDir dir;
  std::string url = "sqlite:" + dir.File("v.db");
  auto reading = OpenStore(url);
  auto writing = OpenStore(url);  // as another process would
  ASSERT_TRUE(reading && writing);
  {
    auto w = (*writing)->BeginWrite();
    ASSERT_TRUE((*w)->InsertSubject(Person("111111111", "María", "García")));
    ASSERT_TRUE((*w)->Commit());
  }
  auto normalizer = text::NameNormalizer::Create();
  ASSERT_TRUE(normalizer);
  NameIndex index(normalizer->get());
  IndexFollower follower(reading->get(), &index);
  EXPECT_EQ(follower.LoadAll().value(), 1);
  EXPECT_EQ(follower.CatchUp().value(), 0);

  NameQuery q{"Jose", "Hernandez", "MX", std::nullopt};
  follower.Start(std::chrono::milliseconds(20));
  int64_t id = 0;
  {
    auto w = (*writing)->BeginWrite();
    id = *(*w)->InsertSubject(Person("222222222", "José", "Hernández"));
    ASSERT_TRUE((*w)->Commit());
  }
  EXPECT_TRUE(testutil::WaitFor([&] { return !index.Search(q, 5).empty(); },
                                std::chrono::seconds(5)));
  // A rename is followed too.
  {
    auto w = (*writing)->BeginWrite();
    Subject s = *(*(*w)->GetSubject(id));
    s.family_names = "Pérez";
    ASSERT_TRUE((*w)->UpdateSubject(s));
    ASSERT_TRUE((*w)->Commit());
  }
  EXPECT_TRUE(testutil::WaitFor([&] { return index.Search(q, 5).empty(); },
                                std::chrono::seconds(5)));
  follower.Stop();
  EXPECT_EQ(index.size(), 2u);
}

}  // namespace
}  // namespace vigil::search
