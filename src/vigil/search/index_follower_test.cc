#include "vigil/search/index_follower.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <cstring>
#include <fstream>
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

// Everything a caller can ask of two indexes agrees: the same people found
// for every query, in the same order with the same scores, the same
// withheld matches and work counted, the same answers by the A-numbers
// 100000000 to 100000000 + a_numbers - 1. Returns how many queries found
// someone.
int ExpectSameIndex(const NameIndex& a, const NameIndex& b, const std::vector<std::string>& given,
                    const std::vector<std::string>& family, int a_numbers) {
  EXPECT_EQ(a.size(), b.size());
  int found = 0;
  for (const std::string& g : given) {
    for (const std::string& f : family) {
      for (const char* country : {"GT", "MX"}) {
        NameQuery q{g, f, country, std::nullopt};
        std::vector<SearchHit> withheld_a, withheld_b;
        SearchWork work_a, work_b;
        auto x = a.Search(q, 10, &withheld_a, &work_a);
        auto y = b.Search(q, 10, &withheld_b, &work_b);
        EXPECT_EQ(x.size(), y.size()) << g << " " << f;
        for (size_t i = 0; i < std::min(x.size(), y.size()); ++i) {
          EXPECT_EQ(x[i].subject_id, y[i].subject_id) << g << " " << f << " #" << i;
          EXPECT_EQ(x[i].score, y[i].score) << g << " " << f << " #" << i;
        }
        EXPECT_EQ(withheld_a.size(), withheld_b.size()) << g << " " << f;
        for (size_t i = 0; i < std::min(withheld_a.size(), withheld_b.size()); ++i) {
          EXPECT_EQ(withheld_a[i].subject_id, withheld_b[i].subject_id) << g << " " << f;
        }
        EXPECT_EQ(work_a, work_b) << g << " " << f;
        found += x.empty() ? 0 : 1;
      }
    }
  }
  for (int i = 0; i < a_numbers; ++i) {
    const ANumber n = *ANumber::Parse(std::to_string(100000000 + i));
    for (const char* country : {"GT", "MX"}) {
      EXPECT_EQ(a.FindByANumber(n, country), b.FindByANumber(n, country)) << i;
      auto wa = a.FindWithheldByANumber(n, country), wb = b.FindWithheldByANumber(n, country);
      EXPECT_EQ(wa.has_value(), wb.has_value()) << i;
      if (wa && wb) {
        EXPECT_EQ(wa->subject_id, wb->subject_id);
      }
    }
  }
  return found;
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
  EXPECT_GE(ExpectSameIndex(loaded, one_by_one, given, family, kPeople), 90);
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

// --- Snapshots (issue 22: a restart without normalising every name again).

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

const std::vector<std::string> kGiven = {"María", "José",  "Juan Carlos", "Ana",
                                         "Luis",  "Jesús", "Carmen",      "Nguyễn Văn"};
const std::vector<std::string> kFamily = {"García", "Hernández López", "De León", "Pérez Ruiz",
                                          "Lê",     "Protected Cruz",  "Díaz",    "Минин"};

// People for the snapshot tests: listed, withheld and recorded (by the
// last digit of the A-number), withheld and not recorded; a family name
// starting "Protected" is withheld and recorded whatever the number.
Listing SnapshotClassify(const Subject& s) {
  if (s.family_names.starts_with("Protected")) return Listing{false, true, 9};
  const int n = s.a_number.digits().back() - '0';
  return n < 5 ? Listing{} : Listing{false, n < 8, static_cast<uint8_t>(n)};
}

void InsertPeople(Store& store, int first, int count) {
  auto w = store.BeginWrite();
  ASSERT_TRUE(w);
  for (int i = first; i < first + count; ++i) {
    Subject s;
    s.a_number = *ANumber::Parse(std::to_string(100000000 + i));
    s.given_names = kGiven[static_cast<size_t>(i) % kGiven.size()];
    s.family_names = kFamily[static_cast<size_t>(i / 8) % kFamily.size()];
    s.country_of_birth = i % 3 == 0 ? "GT" : "MX";
    if (i % 11 == 0) s.aliases.push_back(s.given_names + " Alias" + std::to_string(i % 13));
    ASSERT_TRUE((*w)->custody().InsertSubject(s));
  }
  ASSERT_TRUE((*w)->Commit());
}

TEST(IndexSnapshot, LoadsTheIndexItWasSavedFromAndTakesChangesAfter) {
  testutil::TempDir dir;
  auto store = OpenStore("sqlite:" + dir.File("v.db"));
  ASSERT_TRUE(store);
  InsertPeople(**store, 0, 2000);
  auto normalizer = text::NameNormalizer::Create();
  ASSERT_TRUE(normalizer);
  NameIndex original(normalizer->get()), copy(normalizer->get());
  IndexFollower follower(store->get(), &original, SnapshotClassify);
  ASSERT_EQ(follower.LoadAll().value(), 2000);
  // Changes after the load leave emptied slots and stale name words, which
  // the snapshot keeps as they are.
  original.Remove(5);
  for (int64_t id = 10; id < 400; ++id) {
    Subject s;
    s.subject_id = id;
    s.a_number = *ANumber::Parse(std::to_string(100000000 + id));
    s.given_names = "Rosa Elena";
    s.family_names = kFamily[static_cast<size_t>(id) % kFamily.size()];
    s.country_of_birth = "MX";
    original.Upsert(s, SnapshotClassify(s));
  }
  ASSERT_TRUE(original.SetListing(20, Listing{false, true, 3}));
  const std::string path = dir.File("index.snapshot");
  ASSERT_TRUE(original.SaveSnapshot(path, {"store one", 42, 7}));
  auto stamp = copy.LoadSnapshot(path, "store one");
  ASSERT_TRUE(stamp) << stamp.error().message();
  EXPECT_EQ(stamp->change_seq, 42);
  EXPECT_EQ(stamp->subject_at_seq, 7);
  std::vector<std::string> given = kGiven;
  given.push_back("Rosa Elena");
  ExpectSameIndex(original, copy, given, kFamily, 2000);
  // The loaded index changes as the original does.
  for (NameIndex* index : {&original, &copy}) {
    index->Remove(30);
    Subject s = Person("100000031", "Guadalupe", "García");
    s.subject_id = 31;
    index->Upsert(s);
  }
  given.push_back("Guadalupe");
  ExpectSameIndex(original, copy, given, kFamily, 2000);
  // The file is the owner's alone (names of withheld people are in it).
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
}

TEST(IndexSnapshot, RefusesAnotherIdentityAndADamagedFileAndStaysEmpty) {
  testutil::TempDir dir;
  auto normalizer = text::NameNormalizer::Create();
  ASSERT_TRUE(normalizer);
  NameIndex original(normalizer->get());
  for (int i = 0; i < 500; ++i) {
    Subject s = Person(std::to_string(100000000 + i).c_str(), "María", "García");
    s.subject_id = i + 1;
    original.Upsert(s);
  }
  const std::string path = dir.File("index.snapshot");
  ASSERT_TRUE(original.SaveSnapshot(path, {"store one", 500, 500}));
  std::string bytes = ReadBytes(path);
  ASSERT_GT(bytes.size(), 10000u);
  auto refused = [&](const std::string& file, std::string_view identity) -> std::string {
    NameIndex index(normalizer->get());
    auto r = index.LoadSnapshot(file, identity);
    EXPECT_EQ(index.size(), 0u);
    EXPECT_TRUE(index.Search({"Maria", "Garcia", "MX", std::nullopt}, 5).empty());
    return r ? "loaded" : r.error().message();
  };
  EXPECT_NE(refused(path, "store two").find("another store or other settings"), std::string::npos);
  for (size_t at : {bytes.size() / 3, bytes.size() / 2, bytes.size() - 50}) {
    std::string damaged = bytes;
    damaged[at] = static_cast<char>(damaged[at] ^ 0x20);
    WriteBytes(dir.File("damaged"), damaged);
    EXPECT_NE(refused(dir.File("damaged"), "store one"), "loaded") << at;
  }
  WriteBytes(dir.File("short"), bytes.substr(0, bytes.size() / 2));
  EXPECT_NE(refused(dir.File("short"), "store one"), "loaded");
  WriteBytes(dir.File("other"), "{\"not\": \"a snapshot\"}\n" + std::string(100, ' '));
  EXPECT_NE(refused(dir.File("other"), "store one").find("not a name index snapshot"),
            std::string::npos);
  EXPECT_NE(refused(dir.File("missing"), "store one"), "loaded");
  // A count that claims more than the file holds is caught before any
  // allocation of that size (the digest would catch it too, later).
  std::string huge = bytes;
  uint32_t build_id_bytes = 0;
  std::memcpy(&build_id_bytes, bytes.data() + 12, 4);
  // magic, format, build id, identity digest, stamp
  const size_t header = 8 + 4 + 4 + build_id_bytes + 4 + 64 + 16;
  ASSERT_GT(huge.size(), header + 8);
  std::memset(huge.data() + header, 0x7f, 8);  // the token count
  WriteBytes(dir.File("huge"), huge);
  EXPECT_NE(refused(dir.File("huge"), "store one").find("more than the file holds"),
            std::string::npos);
  // The file itself loads.
  NameIndex index(normalizer->get());
  ASSERT_TRUE(index.LoadSnapshot(path, "store one"));
  EXPECT_EQ(index.size(), 500u);
  EXPECT_FALSE(index.LoadSnapshot(path, "store one"));  // only into an empty index
}

// The follower checks a snapshot against the store, then applies what was
// committed after it was taken: the result is the index a full load of the
// store would build.
TEST(IndexSnapshot, TheFollowerCatchesUpFromTheSnapshotToWhatAFullLoadBuilds) {
  testutil::TempDir dir;
  const std::string url = "sqlite:" + dir.File("v.db");
  auto store = OpenStore(url);
  ASSERT_TRUE(store);
  InsertPeople(**store, 0, 1500);
  auto normalizer = text::NameNormalizer::Create();
  ASSERT_TRUE(normalizer);
  const std::string path = dir.File("index.snapshot");
  {
    NameIndex index(normalizer->get());
    IndexFollower follower(store->get(), &index, SnapshotClassify);
    ASSERT_TRUE(follower.LoadAll());
    follower.Start(std::chrono::milliseconds(20));
    EXPECT_FALSE(follower.SaveSnapshot(path, "v"));  // not while it runs
    follower.Stop();
    ASSERT_TRUE(follower.SaveSnapshot(path, "v"));
  }
  // While no server ran: new people, a rename, someone now withheld.
  InsertPeople(**store, 1500, 300);
  {
    auto w = (*store)->BeginWrite();
    Subject renamed = *(*(*w)->custody().GetSubject(3));
    renamed.family_names = "Díaz";
    ASSERT_TRUE((*w)->custody().UpdateSubject(renamed));
    Subject hidden = *(*(*w)->custody().GetSubject(4));
    hidden.family_names = "Protected " + hidden.family_names;
    ASSERT_TRUE((*w)->custody().UpdateSubject(hidden));
    ASSERT_TRUE((*w)->Commit());
  }
  NameIndex restarted(normalizer->get()), full(normalizer->get());
  IndexFollower from_snapshot(store->get(), &restarted, SnapshotClassify);
  auto loaded = from_snapshot.LoadSnapshot(path, "v");
  ASSERT_TRUE(loaded) << loaded.error().message();
  EXPECT_EQ(*loaded, 1800);
  IndexFollower from_store(store->get(), &full, SnapshotClassify);
  ASSERT_EQ(from_store.LoadAll().value(), 1800);
  std::vector<std::string> family = kFamily;
  family.push_back("Protected García");
  ExpectSameIndex(restarted, full, kGiven, family, 1800);
  EXPECT_EQ(restarted.ListingOf(4), full.ListingOf(4));
  EXPECT_FALSE(restarted.ListingOf(4)->listed);
}

TEST(IndexSnapshot, TheFollowerRefusesASnapshotOfAnotherDatabase) {
  testutil::TempDir dir;
  auto one = OpenStore("sqlite:" + dir.File("one.db"));
  auto two = OpenStore("sqlite:" + dir.File("two.db"));
  auto three = OpenStore("sqlite:" + dir.File("three.db"));
  ASSERT_TRUE(one && two && three);
  // One: people 1-3 written, then person 1 again (change 4 is person 1).
  InsertPeople(**one, 0, 3);
  {
    auto w = (*one)->BeginWrite();
    Subject s = *(*(*w)->custody().GetSubject(1));
    s.given_names = "Carmen";
    ASSERT_TRUE((*w)->custody().UpdateSubject(s));
    ASSERT_TRUE((*w)->Commit());
  }
  InsertPeople(**two, 100, 5);    // change 4 is person 4
  InsertPeople(**three, 200, 2);  // no change 4 yet
  auto normalizer = text::NameNormalizer::Create();
  ASSERT_TRUE(normalizer);
  const std::string path = dir.File("index.snapshot");
  {
    NameIndex index(normalizer->get());
    IndexFollower follower(one->get(), &index, SnapshotClassify);
    ASSERT_TRUE(follower.LoadAll());
    ASSERT_TRUE(follower.SaveSnapshot(path, "v"));
  }
  for (auto* other : {&two, &three}) {
    NameIndex index(normalizer->get());
    IndexFollower follower((*other)->get(), &index, SnapshotClassify);
    auto r = follower.LoadSnapshot(path, "v");
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message().find(other == &two ? "another database" : "ahead of the store"),
              std::string::npos)
        << r.error().message();
    EXPECT_EQ(index.size(), 0u);  // left empty, for LoadAll
    EXPECT_TRUE(follower.LoadAll());
  }
}

}  // namespace
}  // namespace vigil::search
