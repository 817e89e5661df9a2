#include "vigil/store/store_contract_test.h"

namespace vigil {
namespace {

using namespace contract;  // NOLINT: the suites' shared fixtures

TEST_P(CustodyContractTest, EmptyStoreHasNothing) {
  auto r = store_->BeginRead();
  ASSERT_TRUE(r);
  auto counts = (*r)->reporting().Counts();
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->subjects, 0);
  EXPECT_EQ(counts->events, 0);
  EXPECT_FALSE((*r)->custody().GetFacility("ADL")->has_value());
  EXPECT_FALSE((*r)->custody().GetSubjectByANumber(*ANumber::Parse("012345678"))->has_value());
  EXPECT_FALSE((*r)->custody().GetEvent("ice-ero", "E1")->has_value());
}

TEST_P(CustodyContractTest, CommittedWritesAreReadBackExactlyAndSurviveReopen) {
  int64_t subject_id = 0;
  StoredEvent event;
  {
    auto w = store_->BeginWrite();
    ASSERT_TRUE(w) << w.error().ToString();
    ASSERT_TRUE((*w)->custody().PutFacility(Adelanto()));
    auto id = (*w)->custody().InsertSubject(MakeSubject("012345678"));
    ASSERT_TRUE(id) << id.error().ToString();
    subject_id = *id;
    event = MakeEvent(subject_id, "E1", "2026-11-01T14:03:00Z");
    event.event.scheduled_release = T("2026-12-01T00:00:00Z");
    auto pk = (*w)->custody().InsertEvent(event);
    ASSERT_TRUE(pk) << pk.error().ToString();
    event.event_pk = *pk;
    ASSERT_TRUE((*w)->Commit());
  }
  Reopen();
  auto r = store_->BeginRead();
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)->custody().GetFacility("ADL")->value(), Adelanto());
  Subject expected = MakeSubject("012345678");
  expected.subject_id = subject_id;
  EXPECT_EQ((*r)->custody().GetSubjectByANumber(expected.a_number)->value(), expected);
  EXPECT_EQ((*r)->custody().GetSubject(subject_id)->value(), expected);
  EXPECT_EQ((*r)->custody().GetEvent("ice-ero", "E1")->value(), event);
  auto history = (*r)->custody().EventsOfSubject(subject_id);
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0], event);
}

TEST_P(CustodyContractTest, BatchReadsAnswerInTheOrderAskedWithGapsForTheMissing) {
  int64_t first = 0, second = 0;
  Facility other = Adelanto();
  other.facility_id = "OTR";
  other.name = "Otero";
  {
    auto w = store_->BeginWrite();
    ASSERT_TRUE(w);
    ASSERT_TRUE((*w)->custody().PutFacility(Adelanto()));
    ASSERT_TRUE((*w)->custody().PutFacility(other));
    first = *(*w)->custody().InsertSubject(MakeSubject("012345678"));
    second = *(*w)->custody().InsertSubject(MakeSubject("111111111"));
    ASSERT_TRUE((*w)->Commit());
  }
  auto r = store_->BeginRead();
  ASSERT_TRUE(r);
  // Not in id order, a repeat, and an id nobody has.
  const std::vector<int64_t> ids = {second, second + first + 100, first, second};
  auto people = (*r)->custody().GetSubjects(ids);
  ASSERT_TRUE(people) << people.error().ToString();
  ASSERT_EQ(people->size(), 4u);
  EXPECT_EQ((*people)[0]->a_number.digits(), "111111111");
  EXPECT_FALSE((*people)[1].has_value());
  EXPECT_EQ((*people)[2]->a_number.digits(), "012345678");
  EXPECT_EQ((*people)[2], (*r)->custody().GetSubject(first).value());
  EXPECT_EQ((*people)[3]->subject_id, second);
  EXPECT_TRUE((*r)->custody().GetSubjects({})->empty());

  const std::vector<std::string> facility_ids = {"OTR", "NONE", "ADL", "OTR"};
  auto places = (*r)->custody().GetFacilities(facility_ids);
  ASSERT_TRUE(places) << places.error().ToString();
  ASSERT_EQ(places->size(), 4u);
  EXPECT_EQ((*places)[0], other);
  EXPECT_FALSE((*places)[1].has_value());
  EXPECT_EQ((*places)[2], Adelanto());
  EXPECT_EQ((*places)[3], other);
}

TEST_P(CustodyContractTest, DuplicateKeysConflict) {
  auto w = store_->BeginWrite();
  ASSERT_TRUE(w);
  auto id = (*w)->custody().InsertSubject(MakeSubject("012345678"));
  ASSERT_TRUE(id);
  auto again = (*w)->custody().InsertSubject(MakeSubject("012345678"));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), ErrorCode::kConflict);
  ASSERT_TRUE((*w)->custody().InsertEvent(MakeEvent(*id, "E1", "2026-11-01T00:00:00Z")));
  auto dup = (*w)->custody().InsertEvent(MakeEvent(*id, "E1", "2026-11-02T00:00:00Z"));
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code(), ErrorCode::kConflict);
  // The transaction is still usable after a refused statement.
  ASSERT_TRUE((*w)->custody().InsertEvent(MakeEvent(*id, "E2", "2026-11-02T00:00:00Z")));
  ASSERT_TRUE((*w)->Commit());
}

TEST_P(CustodyContractTest, HistoryIsInFoldOrderAndRetractionsAreFound) {
  auto w = store_->BeginWrite();
  ASSERT_TRUE(w);
  auto id = *(*w)->custody().InsertSubject(MakeSubject("012345678"));
  ASSERT_TRUE((*w)->custody().InsertEvent(MakeEvent(id, "E3", "2026-11-03T00:00:00Z")));
  ASSERT_TRUE((*w)->custody().InsertEvent(MakeEvent(id, "E1", "2026-11-01T00:00:00Z")));
  ASSERT_TRUE((*w)->custody().InsertEvent(MakeEvent(id, "E2b", "2026-11-02T00:00:00Z")));
  ASSERT_TRUE((*w)->custody().InsertEvent(MakeEvent(id, "E2a", "2026-11-02T00:00:00Z")));
  StoredEvent retraction;
  retraction.event.source = "ice-ero";
  retraction.event.event_id = "R1";
  retraction.event.type = EventType::kRetracted;
  retraction.event.occurred_at = T("2026-11-04T00:00:00Z");
  retraction.event.retracts = "E3";
  retraction.content_hash = "h";
  retraction.received_at = T("2026-11-04T00:00:00Z");
  ASSERT_TRUE((*w)->custody().InsertEvent(retraction));
  ASSERT_TRUE((*w)->custody().SetRetractedBy("ice-ero", "E3", "R1"));
  auto missing = (*w)->custody().SetRetractedBy("ice-ero", "nope", "R1");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);

  EXPECT_FALSE((*w)->custody().HasUnmatchedRetractions().value()) << "R1's target is present";
  StoredEvent early = retraction;
  early.event.event_id = "R9";
  early.event.retracts = "E-not-yet";
  ASSERT_TRUE((*w)->custody().InsertEvent(early));
  EXPECT_TRUE((*w)->custody().HasUnmatchedRetractions().value());
  ASSERT_TRUE((*w)->Commit());

  auto r = store_->BeginRead();
  auto history = (*r)->custody().EventsOfSubject(id);
  ASSERT_TRUE(history);
  std::vector<std::string> ids;
  for (const auto& e : *history) ids.push_back(e.event.event_id);
  EXPECT_EQ(ids, (std::vector<std::string>{"E1", "E2a", "E2b", "E3"}));
  EXPECT_EQ(history->back().retracted_by, "R1");
  EXPECT_EQ((*r)->custody().FindRetractionOf("ice-ero", "E3")->value_or(""), "R1");
  EXPECT_FALSE((*r)->custody().FindRetractionOf("ice-ero", "E1")->has_value());
  EXPECT_FALSE((*r)->custody().FindRetractionOf("other", "E3")->has_value());
}

TEST_P(CustodyContractTest, UpdateSubjectReplacesStateAndUnknownIdIsNotFound) {
  auto w = store_->BeginWrite();
  Subject s = MakeSubject("012345678");
  s.subject_id = *(*w)->custody().InsertSubject(s);
  s.custody_status = CustodyStatus::kReleased;
  s.released_at = T("2026-11-05T00:00:00Z");
  s.date_of_birth.reset();
  s.custody_basis.reset();
  s.protections = ProtectionSet();
  ASSERT_TRUE((*w)->custody().UpdateSubject(s));
  Subject ghost = s;
  ghost.subject_id = s.subject_id + 100;
  EXPECT_EQ((*w)->custody().UpdateSubject(ghost).error().code(), ErrorCode::kNotFound);
  ASSERT_TRUE((*w)->Commit());
  auto r = store_->BeginRead();
  EXPECT_EQ((*r)->custody().GetSubject(s.subject_id)->value(), s);
}

TEST_P(CustodyContractTest, ForEachSubjectVisitsAllInIdOrderAndStopsEarly) {
  auto w = store_->BeginWrite();
  for (const char* a : {"111111111", "222222222", "333333333"}) {
    ASSERT_TRUE((*w)->custody().InsertSubject(MakeSubject(a)));
  }
  ASSERT_TRUE((*w)->Commit());
  auto r = store_->BeginRead();
  std::vector<std::string> seen;
  ASSERT_TRUE((*r)->custody().ForEachSubject([&](const Subject& s) {
    seen.push_back(s.a_number.digits());
    return true;
  }));
  EXPECT_EQ(seen, (std::vector<std::string>{"111111111", "222222222", "333333333"}));
  int calls = 0;
  ASSERT_TRUE((*r)->custody().ForEachSubject([&](const Subject&) { return ++calls < 2; }));
  EXPECT_EQ(calls, 2);
}

TEST_P(CustodyContractTest, SubjectWritesAreLoggedAsChangesInOrder) {
  int64_t first = 0, second = 0;
  {
    auto w = store_->BeginWrite();
    EXPECT_EQ((*w)->custody().LatestSubjectChange().value(), 0);
    first = *(*w)->custody().InsertSubject(MakeSubject("111111111"));
    second = *(*w)->custody().InsertSubject(MakeSubject("222222222"));
    Subject s = *(*(*w)->custody().GetSubject(first));
    s.custody_status = CustodyStatus::kReleased;
    ASSERT_TRUE((*w)->custody().UpdateSubject(s));
    ASSERT_TRUE((*w)->Commit());
  }
  auto r = store_->BeginRead();
  auto all = (*r)->custody().SubjectChangesSince(0, 100);
  ASSERT_TRUE(all) << all.error().ToString();
  std::vector<int64_t> ids;
  for (auto [seq, id] : *all) ids.push_back(id);
  EXPECT_EQ(ids, (std::vector<int64_t>{first, second, first}));
  int64_t latest = (*r)->custody().LatestSubjectChange().value();
  EXPECT_EQ(latest, all->back().first);
  EXPECT_TRUE((*r)->custody().SubjectChangesSince(latest, 100)->empty());
  EXPECT_EQ((*r)->custody().SubjectChangesSince((*all)[0].first, 1)->size(), 1u);
}

TEST_P(CustodyContractTest, RejectsAreKeptNewestFirst) {
  auto w = store_->BeginWrite();
  ASSERT_TRUE(
      (*w)->custody().InsertReject({0, T("2026-11-01T00:00:00Z"), "a.jsonl", 3, "type", "bad"}));
  ASSERT_TRUE(
      (*w)->custody().InsertReject({0, T("2026-11-01T00:00:00Z"), "a.jsonl", 7, "", "worse"}));
  ASSERT_TRUE((*w)->Commit());
  auto r = store_->BeginRead();
  auto rejects = (*r)->custody().RecentRejects(10);
  ASSERT_TRUE(rejects);
  ASSERT_EQ(rejects->size(), 2u);
  EXPECT_EQ((*rejects)[0].line, 7);
  EXPECT_EQ((*rejects)[1].field, "type");
  EXPECT_EQ((*r)->custody().RecentRejects(1)->size(), 1u);
}

TEST_P(CustodyContractTest, TheSameRejectIsKeptOnce) {
  auto w = store_->BeginWrite();
  RejectRecord reject{0, T("2026-11-01T00:00:00Z"), "a.jsonl", 3, "type", "bad"};
  EXPECT_GT((*w)->custody().InsertReject(reject).value(), 0);
  reject.received_at = T("2026-11-02T00:00:00Z");
  EXPECT_EQ((*w)->custody().InsertReject(reject).value(), 0);
  ASSERT_TRUE((*w)->Commit());
  EXPECT_EQ((*(*store_->BeginRead())->reporting().Counts()).rejects, 1);
}

TEST_P(CustodyContractTest, InsertEventIfAbsentWritesOnceAndSaysSo) {
  auto w = Write();
  const int64_t id = *w->custody().InsertSubject(MakeSubject("012345678"));
  auto first = w->custody().InsertEventIfAbsent(MakeEvent(id, "E1", "2026-11-01T00:00:00Z"));
  ASSERT_TRUE(first && first->has_value()) << (first ? "" : first.error().ToString());
  auto again = w->custody().InsertEventIfAbsent(MakeEvent(id, "E1", "2026-11-09T00:00:00Z"));
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->has_value());
  auto stored = w->custody().GetEvent("ice-ero", "E1")->value();
  EXPECT_EQ(stored.event_pk, **first);
  EXPECT_EQ(stored.event.occurred_at, T("2026-11-01T00:00:00Z")) << "the first one is kept";
  ASSERT_TRUE(w->Commit());
}

TEST_P(CustodyContractTest, AllocatedSubjectIdsAreFreshAndUsable) {
  int64_t existing = 0, used = 0;
  {
    auto w = Write();
    existing = *w->custody().InsertSubject(MakeSubject("111111111"));
    const int64_t a = *w->custody().AllocateSubjectId();
    used = *w->custody().AllocateSubjectId();
    EXPECT_NE(a, used);
    EXPECT_NE(a, existing);
    EXPECT_NE(used, existing);
    Subject s = MakeSubject("222222222");
    s.subject_id = used;
    EXPECT_EQ(*w->custody().InsertSubject(s), used);
    Subject same_id = MakeSubject("333333333");
    same_id.subject_id = used;
    EXPECT_EQ(w->custody().InsertSubject(same_id).error().code(), ErrorCode::kConflict);
    ASSERT_TRUE(w->Commit());
  }
  auto w = Write();
  const int64_t next = *w->custody().AllocateSubjectId();
  EXPECT_NE(next, existing);
  EXPECT_NE(next, used);
  EXPECT_EQ(w->custody().GetSubject(used)->value().a_number.digits(), "222222222");
}

TEST_P(CustodyContractTest, AnEventIsWithdrawnOnceRetracted) {
  auto w = Write();
  const int64_t id = *w->custody().InsertSubject(MakeSubject("012345678"));
  const int64_t pk = *w->custody().InsertEvent(MakeEvent(id, "E1", "2026-11-01T00:00:00Z"));
  EXPECT_FALSE(*w->custody().IsEventWithdrawn(pk));
  EXPECT_FALSE(*w->custody().IsEventWithdrawn(pk + 1000)) << "no such event";
  ASSERT_TRUE(w->custody().InsertEvent(MakeRetraction("R1", "E1", "2026-11-02T00:00:00Z")));
  ASSERT_TRUE(w->custody().SetRetractedBy("ice-ero", "E1", "R1"));
  EXPECT_TRUE(*w->custody().IsEventWithdrawn(pk));
  ASSERT_TRUE(w->Commit());
}
// StoreTransaction::Prefetch is a hint: after it, every answer and every
// refusal is what it would have been without it, reads see the writes
// made since, and a rollback keeps none of them.
TEST_P(CustodyContractTest, PrefetchChangesNoAnswer) {
  int64_t known = 0;
  {
    auto w = Write();
    known = *w->custody().InsertSubject(MakeSubject("111111111"));
    ASSERT_TRUE(w->custody().InsertEvent(MakeEvent(known, "OLD", "2026-10-01T00:00:00Z")));
    ASSERT_TRUE(w->Commit());
  }
  auto ahead = [] {
    StoreLookahead a;
    for (const char* n : {"111111111", "222222222", "333333333"}) {
      a.a_numbers.push_back(*ANumber::Parse(n));
    }
    for (const char* e : {"OLD", "N1", "N2", "N3"}) a.events.emplace_back("ice-ero", e);
    return a;
  };
  int64_t fresh = 0;
  {
    auto w = Write();
    ASSERT_TRUE(w->Prefetch(ahead()));
    ASSERT_TRUE(w->Prefetch(ahead())) << "naming the same things twice is harmless";
    // Lookups: the stored person and event, and the absent ones.
    EXPECT_EQ(w->custody().GetSubjectByANumber(*ANumber::Parse("111111111"))->value().subject_id,
              known);
    EXPECT_FALSE(w->custody().GetSubjectByANumber(*ANumber::Parse("222222222"))->has_value());
    EXPECT_EQ(w->custody().GetEvent("ice-ero", "OLD")->value().event.event_id, "OLD");
    EXPECT_FALSE(w->custody().GetEvent("ice-ero", "N1")->has_value());
    // Duplicate checks of inserts answer as ever.
    EXPECT_FALSE(w->custody()
                     .InsertEventIfAbsent(MakeEvent(known, "OLD", "2026-11-01T00:00:00Z"))
                     ->has_value());
    EXPECT_EQ(
        w->custody().InsertEvent(MakeEvent(known, "OLD", "2026-11-01T00:00:00Z")).error().code(),
        ErrorCode::kConflict);
    fresh = *w->custody().AllocateSubjectId();
    Subject s = MakeSubject("222222222");
    s.subject_id = fresh;
    EXPECT_EQ(*w->custody().InsertSubject(s), fresh);
    EXPECT_EQ(w->custody().InsertSubject(s).error().code(), ErrorCode::kConflict);
    auto n1 = w->custody().InsertEventIfAbsent(MakeEvent(fresh, "N1", "2026-11-02T00:00:00Z"));
    ASSERT_TRUE(n1 && n1->has_value());
    auto n2 = w->custody().InsertEvent(MakeEvent(fresh, "N2", "2026-11-03T00:00:00Z"));
    ASSERT_TRUE(n2);
    EXPECT_GT(*n2, **n1) << "event ids rise in insert order";
    EXPECT_FALSE(w->custody()
                     .InsertEventIfAbsent(MakeEvent(fresh, "N1", "2026-11-09T00:00:00Z"))
                     ->has_value());
    EXPECT_EQ(
        w->custody().InsertEvent(MakeEvent(fresh, "N2", "2026-11-09T00:00:00Z")).error().code(),
        ErrorCode::kConflict);
    // Reads see every write since, exactly.
    StoredEvent got = w->custody().GetEvent("ice-ero", "N1")->value();
    EXPECT_EQ(got.event_pk, **n1);
    EXPECT_EQ(got.event.occurred_at, T("2026-11-02T00:00:00Z"));
    auto history = w->custody().EventsOfSubject(fresh);
    ASSERT_TRUE(history);
    ASSERT_EQ(history->size(), 2u);
    EXPECT_EQ((*history)[1].event_pk, *n2);
    ASSERT_TRUE(w->custody().SetRetractedBy("ice-ero", "N2", "R9"));
    EXPECT_TRUE(*w->custody().IsEventWithdrawn(*n2));
    EXPECT_EQ(w->custody().GetEvent("ice-ero", "N2")->value().retracted_by, "R9");
    Subject updated = w->custody().GetSubject(known)->value();
    updated.given_names = "Renamed";
    ASSERT_TRUE(w->custody().UpdateSubject(updated));
    s.family_names = "Second";
    ASSERT_TRUE(w->custody().UpdateSubject(s));
    EXPECT_EQ(w->custody().GetSubject(known)->value().given_names, "Renamed");
    EXPECT_EQ(w->custody().GetSubjectByANumber(s.a_number)->value(), s);
    const int64_t before = *w->custody().LatestSubjectChange();
    s.family_names = "Third";
    ASSERT_TRUE(w->custody().UpdateSubject(s));
    auto changes = w->custody().SubjectChangesSince(before, 10);
    ASSERT_TRUE(changes);
    ASSERT_EQ(changes->size(), 1u);
    EXPECT_EQ((*changes)[0].second, fresh);
    ASSERT_TRUE(w->Commit());
  }
  {
    auto r = store_->BeginRead();
    ASSERT_TRUE(r);
    EXPECT_EQ((*r)->custody().GetSubject(fresh)->value().family_names, "Third");
    EXPECT_EQ((*r)->custody().GetSubject(known)->value().given_names, "Renamed");
    EXPECT_EQ((*r)->custody().EventsOfSubject(fresh)->size(), 2u);
  }
  // Rolled back, nothing written after a Prefetch stays.
  {
    auto w = Write();
    ASSERT_TRUE(w->Prefetch(ahead()));
    Subject s = MakeSubject("333333333");
    s.subject_id = *w->custody().AllocateSubjectId();
    ASSERT_TRUE(w->custody().InsertSubject(s));
    ASSERT_TRUE(w->custody().InsertEvent(MakeEvent(s.subject_id, "N3", "2026-11-04T00:00:00Z")));
  }
  auto w = Write();
  EXPECT_FALSE(w->custody().GetSubjectByANumber(*ANumber::Parse("333333333"))->has_value());
  EXPECT_FALSE(w->custody().GetEvent("ice-ero", "N3")->has_value());
  // And a plain insert after that rollback still works (no id was lost twice).
  auto n3 = w->custody().InsertEvent(MakeEvent(known, "N3", "2026-11-04T00:00:00Z"));
  ASSERT_TRUE(n3) << n3.error().ToString();
  ASSERT_TRUE(w->Commit());
}

// People the caller vouches for (StoreLookahead::known_people: read in an
// earlier transaction, no writer since) are taken as they are: answers, and
// the updates and inserts that follow, are what they would be had the store
// read them itself.
// Updates of people named ahead may be held back and written together at
// the end (PostgreSQL writes those whose identity is unchanged by their
// custody columns alone): every column is stored as last written, whether
// the name changed, changed and changed back, or did not.
TEST_P(CustodyContractTest, HeldBackUpdatesStoreEveryColumnAsLastWritten) {
  const char* numbers[] = {"111111111", "222222222", "333333333", "444444444"};
  std::vector<Subject> stored;
  {
    auto w = Write();
    for (const char* n : numbers) {
      Subject s = MakeSubject(n);
      s.subject_id = *w->custody().InsertSubject(s);
      stored.push_back(s);
    }
    ASSERT_TRUE(w->Commit());
  }
  std::vector<Subject> last = stored;
  {
    auto w = Write();
    StoreLookahead ahead;
    for (const char* n : numbers) ahead.a_numbers.push_back(*ANumber::Parse(n));
    ASSERT_TRUE(w->Prefetch(ahead));
    auto write = [&](size_t i, const std::function<void(Subject&)>& change) {
      change(last[i]);
      ASSERT_TRUE(w->custody().UpdateSubject(last[i]));
    };
    // Custody only.
    write(0, [](Subject& s) {
      s.custody_status = CustodyStatus::kReleased;
      s.facility_id = "";
      s.released_at = T("2026-11-20T10:00:00Z");
      s.protections = {};
    });
    // The name and the date of birth, then custody.
    write(1, [](Subject& s) {
      s.given_names = "Carmen";
      s.aliases = {};
      s.date_of_birth = *ParsePartialDate("1990-04-17");
    });
    write(1, [](Subject& s) { s.last_event_at = T("2026-11-21T00:00:00Z"); });
    // Custody, then the country of birth.
    write(2, [](Subject& s) { s.custody_basis = CustodyBasis::kCriminalCharge; });
    write(2, [](Subject& s) { s.country_of_birth = "GT"; });
    // A family name changed and changed back, with custody between.
    write(3, [](Subject& s) { s.family_names = "García"; });
    write(3, [](Subject& s) { s.custody_since = T("2026-11-02T00:00:00Z"); });
    write(3, [&](Subject& s) { s.family_names = stored[3].family_names; });
    ASSERT_TRUE(w->Commit());
  }
  auto r = store_->BeginRead();
  for (size_t i = 0; i < last.size(); ++i) {
    SCOPED_TRACE(numbers[i]);
    EXPECT_EQ((*r)->custody().GetSubject(last[i].subject_id)->value(), last[i]);
  }
}

TEST_P(CustodyContractTest, PeopleVouchedForAreTakenAsTheyAre) {
  Subject stored;
  {
    auto w = Write();
    const int64_t id = *w->custody().InsertSubject(MakeSubject("111111111"));
    ASSERT_TRUE(w->Commit());
    auto r = store_->BeginRead();
    stored = (*r)->custody().GetSubject(id)->value();
  }
  {
    auto w = Write();
    StoreLookahead ahead;
    ahead.known_people.emplace_back("111111111", &stored);
    ahead.known_people.emplace_back("444444444", nullptr);
    ahead.events.emplace_back("ice-ero", "V1");
    ASSERT_TRUE(w->Prefetch(ahead));
    EXPECT_EQ(w->custody().GetSubjectByANumber(*ANumber::Parse("111111111"))->value(), stored);
    EXPECT_FALSE(w->custody().GetSubjectByANumber(*ANumber::Parse("444444444"))->has_value());
    Subject changed = stored;
    changed.family_names = "Vouched";
    ASSERT_TRUE(w->custody().UpdateSubject(changed));
    Subject fresh = MakeSubject("444444444");
    fresh.subject_id = *w->custody().AllocateSubjectId();
    EXPECT_EQ(*w->custody().InsertSubject(fresh), fresh.subject_id);
    EXPECT_EQ(w->custody().InsertSubject(fresh).error().code(), ErrorCode::kConflict);
    ASSERT_TRUE(
        w->custody().InsertEvent(MakeEvent(fresh.subject_id, "V1", "2026-11-04T00:00:00Z")));
    EXPECT_EQ(w->custody().GetSubjectByANumber(fresh.a_number)->value(), fresh);
    ASSERT_TRUE(w->Commit());
  }
  auto r = store_->BeginRead();
  EXPECT_EQ((*r)->custody().GetSubject(stored.subject_id)->value().family_names, "Vouched");
  auto fresh = (*r)->custody().GetSubjectByANumber(*ANumber::Parse("444444444"));
  ASSERT_TRUE(fresh && fresh->has_value());
  EXPECT_EQ((*r)->custody().EventsOfSubject((*fresh)->subject_id)->size(), 1u);
  auto changes = (*r)->custody().SubjectChangesSince(0, 10);
  ASSERT_TRUE(changes);
  EXPECT_EQ(changes->size(), 3u) << "each write logged once: the insert, the update, the insert";
}
}  // namespace
}  // namespace vigil
