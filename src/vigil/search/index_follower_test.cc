#include "vigil/search/index_follower.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

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

// LoadAll normalises on every core and files people unsorted, sorting each
// list once at the end (NameIndex::BeginBulkLoad). The index it builds must
// be the one filing each person in turn builds: the same people found, in
// the same order, with the same scores, withheld matches and work counted.
TEST(IndexFollower, ALoadOnManyThreadsBuildsTheIndexOneThreadWould) {
  testutil::TempDir dir;
  auto store = OpenStore("sqlite:" + dir.File("v.db"));
  ASSERT_TRUE(store);
  const std::vector<std::string> given = {"María",  "José",      "Juan Carlos", "Ana",
                                          "Luis",   "Guadalupe", "Rosa Elena",  "Jesús",
                                          "Carmen", "Pedro"};
  const std::vector<std::string> family = {
      "García", "Hernández López", "Martínez", "De León", "Pérez Ruiz",
      "Gómez",  "Sánchez",         "Lê",       "Cruz",    "Díaz"};
  const int kPeople = 6000;
  {
    auto w = (*store)->BeginWrite();
    ASSERT_TRUE(w);
    for (int i = 0; i < kPeople; ++i) {
      Subject s;
      s.a_number = *ANumber::Parse(std::to_string(100000000 + i));
      s.given_names = given[static_cast<size_t>(i) % given.size()];
      s.family_names =
          family[static_cast<size_t>(i / 10) % family.size()] +
          (i % 7 == 0 ? " " + family[static_cast<size_t>(i / 100) % family.size()] : "");
      s.country_of_birth = i % 3 == 0 ? "GT" : "MX";
      if (i % 11 == 0) s.aliases.push_back(s.given_names + " Alias" + std::to_string(i % 13));
      ASSERT_TRUE((*w)->custody().InsertSubject(s));
    }
    ASSERT_TRUE((*w)->Commit());
  }
  // Some listed, some withheld and recorded, some neither.
  auto classify = [](const Subject& s) {
    const int n = s.a_number.digits().back() - '0';
    return n < 5 ? Listing{} : Listing{false, n < 8, static_cast<uint8_t>(n)};
  };
  auto normalizer = text::NameNormalizer::Create();
  ASSERT_TRUE(normalizer);
  NameIndex loaded(normalizer->get()), one_by_one(normalizer->get());
  IndexFollower follower(store->get(), &loaded, classify);
  ASSERT_EQ(follower.LoadAll().value(), kPeople);
  {
    auto reader = (*store)->BeginRead();
    ASSERT_TRUE(reader);
    ASSERT_TRUE((*reader)->custody().ForEachSubject([&](const Subject& s) {
      one_by_one.Upsert(s, classify(s));
      return true;
    }));
  }
  ASSERT_EQ(loaded.size(), one_by_one.size());
  int compared = 0;
  for (const std::string& g : given) {
    for (const std::string& f : family) {
      for (const char* country : {"GT", "MX"}) {
        NameQuery q{g, f, country, std::nullopt};
        std::vector<SearchHit> withheld_a, withheld_b;
        SearchWork work_a, work_b;
        auto a = loaded.Search(q, 10, &withheld_a, &work_a);
        auto b = one_by_one.Search(q, 10, &withheld_b, &work_b);
        ASSERT_EQ(a.size(), b.size()) << g << " " << f;
        for (size_t i = 0; i < a.size(); ++i) {
          EXPECT_EQ(a[i].subject_id, b[i].subject_id) << g << " " << f << " #" << i;
          EXPECT_EQ(a[i].score, b[i].score) << g << " " << f << " #" << i;
        }
        ASSERT_EQ(withheld_a.size(), withheld_b.size()) << g << " " << f;
        for (size_t i = 0; i < withheld_a.size(); ++i) {
          EXPECT_EQ(withheld_a[i].subject_id, withheld_b[i].subject_id) << g << " " << f;
        }
        EXPECT_EQ(work_a, work_b) << g << " " << f;
        compared += a.empty() ? 0 : 1;
      }
    }
  }
  EXPECT_GE(compared, 90);
  // After the load the index takes changes one by one as before.
  loaded.Remove(1);
  one_by_one.Remove(1);
  NameQuery q{given[0], family[0], "GT", std::nullopt};
  auto a = loaded.Search(q, 10);
  auto b = one_by_one.Search(q, 10);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].subject_id, b[i].subject_id);
}

TEST(IndexFollower, LoadsThenFollowsCommitsFromAnotherStoreHandle) {
  testutil::TempDir dir;
  std::string url = "sqlite:" + dir.File("v.db");
  auto reading = OpenStore(url);
  auto writing = OpenStore(url);  // as another process would
  ASSERT_TRUE(reading && writing);
  {
    auto w = (*writing)->BeginWrite();
    ASSERT_TRUE((*w)->custody().InsertSubject(Person("111111111", "María", "García")));
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
    id = *(*w)->custody().InsertSubject(Person("222222222", "José", "Hernández"));
    ASSERT_TRUE((*w)->Commit());
  }
  EXPECT_TRUE(
      testutil::WaitFor([&] { return !index.Search(q, 5).empty(); }, std::chrono::seconds(5)));
  // A rename is followed too.
  {
    auto w = (*writing)->BeginWrite();
    Subject s = *(*(*w)->custody().GetSubject(id));
    s.family_names = "Pérez";
    ASSERT_TRUE((*w)->custody().UpdateSubject(s));
    ASSERT_TRUE((*w)->Commit());
  }
  EXPECT_TRUE(
      testutil::WaitFor([&] { return index.Search(q, 5).empty(); }, std::chrono::seconds(5)));
  follower.Stop();
  EXPECT_EQ(index.size(), 2u);
}

TEST(IndexFollower, ClassifiesAndReassessesListings) {
  testutil::TempDir dir;
  auto store = OpenStore("sqlite:" + dir.File("v.db"));
  ASSERT_TRUE(store);
  int64_t id = 0;
  {
    auto w = (*store)->BeginWrite();
    id = *(*w)->custody().InsertSubject(Person("111111111", "María", "García"));
    ASSERT_TRUE((*w)->Commit());
  }
  auto normalizer = text::NameNormalizer::Create();
  ASSERT_TRUE(normalizer);
  NameIndex index(normalizer->get());
  std::set<int64_t> hidden = {id};  // what the "policy" withholds today
  IndexFollower follower(store->get(), &index, [&](const Subject& s) {
    return hidden.count(s.subject_id) ? Listing{false, true, 4} : Listing{};
  });
  ASSERT_TRUE(follower.LoadAll());
  NameQuery q{"Maria", "Garcia", "MX", std::nullopt};
  std::vector<SearchHit> withheld;
  EXPECT_TRUE(index.Search(q, 5, &withheld).empty());
  ASSERT_EQ(withheld.size(), 1u);
  EXPECT_EQ(withheld[0].reason, 4);
  // Time passes (a birthday): nothing in the store changed, the listing does.
  hidden.clear();
  EXPECT_EQ(follower.Reassess().value(), 1);
  EXPECT_EQ(index.Search(q, 5).size(), 1u);
  EXPECT_EQ(follower.Reassess().value(), 0);
}

TEST(IndexFollower, SkipsAnUnreadableRowAndKeepsFollowing) {
  testutil::TempDir dir;
  std::string path = dir.File("v.db");
  auto store = OpenStore("sqlite:" + path);
  ASSERT_TRUE(store);
  auto normalizer = text::NameNormalizer::Create();
  ASSERT_TRUE(normalizer);
  NameIndex index(normalizer->get());
  IndexFollower follower(store->get(), &index);
  ASSERT_TRUE(follower.LoadAll());
  int64_t bad = 0;
  {
    auto w = (*store)->BeginWrite();
    bad = *(*w)->custody().InsertSubject(Person("111111111", "María", "García"));
    ASSERT_TRUE((*w)->Commit());
  }
  // Damage the row behind the store's back, as a bad migration or a
  // hand edit might.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  std::string sql =
      "PRAGMA ignore_check_constraints = ON; UPDATE subjects SET custody_status = 'nonsense' WHERE "
      "subject_id = " +
      std::to_string(bad);
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  {
    auto w = (*store)->BeginWrite();
    ASSERT_TRUE((*w)->custody().InsertSubject(Person("222222222", "José", "Hernández")));
    ASSERT_TRUE((*w)->Commit());
  }
  ASSERT_TRUE(follower.CatchUp());
  EXPECT_EQ(index.Search({"Jose", "Hernandez", "MX", std::nullopt}, 5).size(), 1u);
  EXPECT_TRUE(index.Search({"Maria", "Garcia", "MX", std::nullopt}, 5).empty());
  EXPECT_EQ(follower.CatchUp().value(), 0);  // and it does not come back
}

}  // namespace
}  // namespace vigil::search
