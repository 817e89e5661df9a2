// Crash safety of `vigil import` (DESIGN.md §2.5): SIGKILL it mid-file,
// several times, then import again. No committed event may be lost, no event
// may be half-applied (every subject's stored state must equal the fold of
// its stored events at every crash point), and the final state must equal
// that of an uninterrupted import.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <map>
#include <random>
#include <set>

#include "vigil/core/custody.h"
#include "vigil/store/store.h"
#include "vigil/testing/process.h"
#include "vigil/testing/temp_dir.h"

namespace vigil {
namespace {

struct Snapshot {
  std::map<std::pair<std::string, std::string>, std::pair<std::string, std::string>> events;
  std::map<std::string, Subject> subjects;  // by A-number, subject_id cleared
};

// Reads everything, checking on the way that each subject's row is exactly
// the fold of its non-retracted events.
Snapshot Read(const std::string& db) {
  Snapshot snap;
  auto store = OpenStore("sqlite:" + db);
  EXPECT_TRUE(store) << store.error().ToString();
  if (!store) return snap;
  auto reader = (*store)->BeginRead();
  EXPECT_TRUE(reader);
  std::vector<Subject> subjects;
  EXPECT_TRUE((*reader)->custody().ForEachSubject([&](const Subject& s) {
    subjects.push_back(s);
    return true;
  }));
  for (const Subject& s : subjects) {
    auto history = (*reader)->custody().EventsOfSubject(s.subject_id);
    EXPECT_TRUE(history);
    std::vector<CustodyEvent> live;
    for (const auto& e : *history) {
      snap.events[{e.event.source, e.event.event_id}] = {e.content_hash, e.retracted_by};
      if (e.retracted_by.empty()) live.push_back(e.event);
    }
    Subject folded = FoldCustody(live, s);
    if (!folded.last_event_at) {
      folded.given_names = s.given_names;
      folded.family_names = s.family_names;
      folded.country_of_birth = s.country_of_birth;
    }
    EXPECT_EQ(folded, s) << "subject " << s.a_number.digits() << " is half-applied";
    Subject keyed = s;
    keyed.subject_id = 0;
    snap.subjects[s.a_number.digits()] = keyed;
  }
  EXPECT_EQ(static_cast<int64_t>(snap.events.size()), (*reader)->reporting().Counts()->events)
      << "events that belong to no subject";
  return snap;
}

// Counted with a bare read-only connection so polling never queues behind
// the importer.
int64_t CommittedEvents(const std::string& db) {
  sqlite3* conn = nullptr;
  int64_t n = 0;
  if (sqlite3_open_v2(db.c_str(), &conn, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_busy_timeout(conn, 1000);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(conn, "SELECT max(event_pk) FROM custody_events", -1, &stmt,
                           nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      n = sqlite3_column_int64(stmt, 0);
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(conn);
  return n;
}

TEST(ImportCrash, SigkillMidFileLosesNothingCommittedAndReimportConverges) {
  testutil::TempDir dir;
  std::string out = dir.path().string();
  auto demo = testutil::Run({testutil::VigilBinary(), "demo-data", "--subjects", "40000", "--seed",
                             "11", "--as-of", "2026-11-22", "--out", dir.File("feed")},
                            out);
  ASSERT_EQ(demo.exit_code, 0) << demo.err;
  std::string facilities = dir.File("feed/facilities.jsonl");
  std::string events = dir.File("feed/events.jsonl");

  auto reference = testutil::Run({testutil::VigilBinary(), "--db", dir.File("ref.db"), "--create",
                                  "import", "-q", facilities, events},
                                 out);
  ASSERT_EQ(reference.exit_code, 0) << reference.err;
  Snapshot expected = Read(dir.File("ref.db"));
  ASSERT_GT(expected.events.size(), 80000u);

  std::string db = dir.File("crash.db");
  std::mt19937 random(20261122);
  Snapshot before;
  int kills = 0;
  for (int round = 0; round < 5; ++round) {
    testutil::Child import({testutil::VigilBinary(), "--db", db, "--create", "import", "-q",
                            "--batch", "997", facilities, events},
                           out);
    int64_t floor = static_cast<int64_t>(before.events.size()) + 1500;
    bool progressed = testutil::WaitFor(
        [&] { return import.Exited() || CommittedEvents(db) >= floor; }, std::chrono::seconds(60));
    ASSERT_TRUE(progressed) << "import made no progress";
    if (import.Exited()) {
      auto r = import.Wait();
      ADD_FAILURE() << "import exited before it could be killed: " << r.exit_code << " " << r.err;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(random() % 40));
    import.Signal(SIGKILL);
    auto r = import.Wait();
    if (r.exit_code != -1) break;  // it finished before the signal landed
    ++kills;
    Snapshot after = Read(db);
    for (const auto& [key, value] : before.events) {
      auto it = after.events.find(key);
      ASSERT_NE(it, after.events.end()) << "committed event " << key.second << " was lost";
      EXPECT_EQ(it->second, value);
    }
    before = std::move(after);
  }
  EXPECT_GE(kills, 3) << "the import finished too fast to be interrupted";

  auto finish = testutil::Run(
      {testutil::VigilBinary(), "--db", db, "--create", "import", "-q", facilities, events}, out);
  ASSERT_EQ(finish.exit_code, 0) << finish.err;
  EXPECT_NE(finish.out.find(", rejected 0"), std::string::npos) << finish.out;
  Snapshot final_state = Read(db);
  EXPECT_EQ(final_state.events, expected.events);
  EXPECT_TRUE(final_state.subjects == expected.subjects)
      << final_state.subjects.size() << " subjects vs " << expected.subjects.size();
}

}  // namespace
}  // namespace vigil
