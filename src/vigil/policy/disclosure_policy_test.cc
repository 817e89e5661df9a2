#include "vigil/policy/disclosure_policy.h"

#include <gtest/gtest.h>

#include <array>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

#include "vigil/store/fault_injecting_store.h"
#include "vigil/store/store.h"
#include "vigil/testing/temp_dir.h"

namespace vigil::policy {
namespace {

using std::chrono::days;
using std::chrono::microseconds;

// --- The API itself is part of the contract (DESIGN.md §2.1, §2.6). ---------

// Nothing outside policy/ can make a Disclosed* value, least of all from the
// internal records.
static_assert(!std::is_default_constructible_v<DisclosedSubject>);
static_assert(!std::is_constructible_v<DisclosedSubject, const Subject&>);
static_assert(!std::is_constructible_v<DisclosedSubject, Subject>);
static_assert(!std::is_convertible_v<const Subject&, DisclosedSubject>);
static_assert(!std::is_default_constructible_v<DisclosedFacility>);
static_assert(!std::is_constructible_v<DisclosedFacility, const Facility&>);
static_assert(!std::is_convertible_v<const Facility&, DisclosedFacility>);
// Copies of a value the policy made are fine (renderers take them by value).
static_assert(std::is_copy_constructible_v<DisclosedSubject>);

// The projection exposes the year of birth only, and no internal id or
// identifier: none of these accessors may exist.
template <typename T>
concept ExposesDateOfBirth = requires(const T& t) {
  t.date_of_birth();
};
template <typename T>
concept ExposesBirthMonth = requires(const T& t) {
  t.birth_month();
};
template <typename T>
concept ExposesBirthDay = requires(const T& t) {
  t.birth_day();
};
template <typename T>
concept ExposesSubjectId = requires(const T& t) {
  t.subject_id();
};
template <typename T>
concept ExposesANumber = requires(const T& t) {
  t.a_number();
};
template <typename T>
concept ExposesAliases = requires(const T& t) {
  t.aliases();
};
template <typename T>
concept ExposesProtections = requires(const T& t) {
  t.protections();
};
template <typename T>
concept ExposesFacilityId = requires(const T& t) {
  t.facility_id();
};
template <typename T>
concept ExposesAddress = requires(const T& t) {
  t.address();
};
static_assert(!ExposesDateOfBirth<DisclosedSubject>);
static_assert(!ExposesBirthMonth<DisclosedSubject>);
static_assert(!ExposesBirthDay<DisclosedSubject>);
static_assert(!ExposesSubjectId<DisclosedSubject>);
static_assert(!ExposesANumber<DisclosedSubject>);
static_assert(!ExposesAliases<DisclosedSubject>);
static_assert(!ExposesProtections<DisclosedSubject>);
static_assert(!ExposesFacilityId<DisclosedFacility>);
static_assert(!ExposesAddress<DisclosedFacility>);
static_assert(
    std::is_same_v<decltype(std::declval<DisclosedSubject>().birth_year()), std::optional<int>>);

// --- Fixtures -----------------------------------------------------------------

Timestamp T(const char* text) {
  auto t = ParseRfc3339(text);
  EXPECT_TRUE(t) << text;
  return *t;
}

PartialDate Dob(const char* text) {
  auto d = ParsePartialDate(text);
  EXPECT_TRUE(d) << text;
  return *d;
}

std::array<unsigned char, RefCodec::kKeyBytes> TestKey() {
  std::array<unsigned char, RefCodec::kKeyBytes> key;
  for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<unsigned char>(i * 13 + 5);
  return key;
}

Facility Adelanto() {
  return Facility{
      "ADL", "Adelanto ICE Processing Center", "10400 Rancho Rd", "Adelanto", "CA", "+17605550100"};
}

constexpr const char* kNow = "2026-11-22T12:00:00Z";

// An adult in custody with every field set: disclosed to everyone.
Subject Adult() {
  Subject s;
  s.subject_id = 42;
  s.a_number = *ANumber::Parse("012345678");
  s.given_names = "  María del   Carmen ";
  s.family_names = "García\tLópez";
  s.aliases = {"Carmen García"};
  s.date_of_birth = Dob("1990-04-12");
  s.country_of_birth = "MX";
  s.custody_status = CustodyStatus::kInCustody;
  s.facility_id = "ADL";
  s.custody_basis = CustodyBasis::kCivilImmigration;
  s.last_event_at = T("2026-11-01T14:03:00Z");
  s.custody_since = T("2026-10-01T09:00:00Z");
  s.scheduled_release = T("2026-12-01T00:00:00Z");
  return s;
}

constexpr std::array<Audience, 3> kAllAudiences = {Audience::kPublic, Audience::kVerifiedRegistrant,
                                                   Audience::kAgency};
constexpr std::array<Audience, 2> kNonAgency = {Audience::kPublic, Audience::kVerifiedRegistrant};

class DisclosurePolicyTest : public ::testing::Test {
 protected:
  // Disclose through the pure overload; `why` is always recorded.
  std::optional<DisclosedSubject> Run(const Subject& s, Audience a,
                                      std::optional<Facility> facility = Adelanto()) {
    why_ = SuppressionReason::kStoreError;  // a value Disclose(Subject) never sets
    return policy_.Disclose(s, facility, a, &why_);
  }

  ManualClock clock_{T(kNow)};
  RefCodec refs_ = *RefCodec::Create(TestKey());
  DisclosurePolicy policy_{&clock_, &refs_, PolicyOptions{}};
  SuppressionReason why_ = SuppressionReason::kNone;
};

// --- What is shown ------------------------------------------------------------

TEST_F(DisclosurePolicyTest, PublicSeesTheMinimumAndNothingMore) {
  auto d = Run(Adult(), Audience::kPublic);
  ASSERT_TRUE(d.has_value()) << Name(why_);
  EXPECT_EQ(why_, SuppressionReason::kNone);
  EXPECT_EQ(d->ref(), refs_.Encode(42));
  EXPECT_EQ(refs_.Decode(d->ref()), 42);
  EXPECT_EQ(d->name(), "María del Carmen García López");
  EXPECT_EQ(d->birth_year(), 1990);
  EXPECT_EQ(d->country_of_birth(), "MX");
  EXPECT_EQ(d->custody_status(), CustodyStatus::kInCustody);
  EXPECT_EQ(d->custody_basis(), CustodyBasis::kCivilImmigration);
  ASSERT_TRUE(d->facility().has_value());
  EXPECT_EQ(d->facility()->name(), "Adelanto ICE Processing Center");
  EXPECT_EQ(d->facility()->city(), "Adelanto");
  EXPECT_EQ(d->facility()->state(), "CA");
  EXPECT_EQ(d->facility()->phone(), "+17605550100");
  EXPECT_EQ(d->updated_at(), T("2026-11-01T14:03:00Z"));
  EXPECT_FALSE(d->scheduled_release().has_value()) << "never public (DESIGN.md §2.6)";
}

TEST_F(DisclosurePolicyTest, NameIsGivenThenFamilyWithSingleSpaces) {
  struct Case {
    const char* given;
    const char* family;
    const char* shown;
  };
  const Case cases[] = {
      {"José", "Núñez", "José Núñez"},
      {"  José  Luis ", " Núñez  ", "José Luis Núñez"},
      {"", "Núñez", "Núñez"},
      {"José", "", "José"},
      {"Ana\t\nMaría", "de la\r\nCruz", "Ana María de la Cruz"},
  };
  for (const Case& c : cases) {
    Subject s = Adult();
    s.given_names = c.given;
    s.family_names = c.family;
    auto d = Run(s, Audience::kPublic);
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->name(), c.shown) << "given \"" << c.given << "\" family \"" << c.family << "\"";
  }
}

TEST_F(DisclosurePolicyTest, UpdatedAtIsWhenSomethingShownLastChanged) {
  Subject s = Adult();
  EXPECT_EQ(Run(s, Audience::kPublic)->updated_at(), T("2026-11-01T14:03:00Z"));
  // A later event that only set an advance release date moved last_event_at.
  s.public_changed_at = T("2026-10-20T08:00:00Z");
  s.last_event_at = T("2026-11-05T09:00:00Z");
  EXPECT_EQ(Run(s, Audience::kPublic)->updated_at(), T("2026-10-20T08:00:00Z"));
}

TEST_F(DisclosurePolicyTest, ScheduledReleaseOnlyForVerifiedRegistrantsAndAgencies) {
  struct Case {
    Audience audience;
    bool sees_release;
  };
  for (const Case& c : {Case{Audience::kPublic, false}, Case{Audience::kVerifiedRegistrant, true},
                        Case{Audience::kAgency, true}}) {
    auto d = Run(Adult(), c.audience);
    ASSERT_TRUE(d.has_value()) << Name(c.audience);
    if (c.sees_release) {
      EXPECT_EQ(d->scheduled_release(), T("2026-12-01T00:00:00Z")) << Name(c.audience);
    } else {
      EXPECT_FALSE(d->scheduled_release().has_value()) << Name(c.audience);
    }
    // Everything else is the same projection.
    EXPECT_EQ(d->name(), "María del Carmen García López");
    EXPECT_EQ(d->birth_year(), 1990);
  }
  Subject no_release = Adult();
  no_release.scheduled_release.reset();
  auto d = Run(no_release, Audience::kVerifiedRegistrant);
  ASSERT_TRUE(d.has_value());
  EXPECT_FALSE(d->scheduled_release().has_value());
  // Advance notice only: a date that has passed, or a person already out,
  // tells a registrant nothing true.
  Subject past = Adult();
  past.scheduled_release = T("2026-11-20T00:00:00Z");
  d = Run(past, Audience::kVerifiedRegistrant);
  ASSERT_TRUE(d.has_value());
  EXPECT_FALSE(d->scheduled_release().has_value());
  Subject out = Adult();
  out.custody_status = CustodyStatus::kReleased;
  out.released_at = T("2026-11-21T00:00:00Z");
  d = Run(out, Audience::kVerifiedRegistrant);
  ASSERT_TRUE(d.has_value());
  EXPECT_FALSE(d->scheduled_release().has_value());
}

TEST_F(DisclosurePolicyTest, FacilityOnlyWhileInCustodyAndOnlyTheSubjectsOwn) {
  struct Case {
    const char* what;
    CustodyStatus status;
    std::optional<Facility> facility;
    bool shown;
  };
  Facility other = Adelanto();
  other.facility_id = "OTHER";
  other.name = "Some Other Facility";
  const Case cases[] = {
      {"in custody, facility known", CustodyStatus::kInCustody, Adelanto(), true},
      {"in custody, facility unknown", CustodyStatus::kInCustody, std::nullopt, false},
      {"in custody, a different facility passed", CustodyStatus::kInCustody, other, false},
      {"released", CustodyStatus::kReleased, Adelanto(), false},
      {"removed", CustodyStatus::kRemoved, Adelanto(), false},
      {"escaped", CustodyStatus::kEscaped, Adelanto(), false},
      {"deceased", CustodyStatus::kDeceased, Adelanto(), false},
  };
  for (const Case& c : cases) {
    Subject s = Adult();
    s.custody_status = c.status;
    s.released_at = T("2026-11-20T00:00:00Z");
    for (Audience a : kAllAudiences) {
      auto d = Run(s, a, c.facility);
      ASSERT_TRUE(d.has_value()) << c.what;
      EXPECT_EQ(d->facility().has_value(), c.shown) << c.what << " / " << Name(a);
      EXPECT_EQ(d->custody_status(), c.status) << c.what;
    }
  }
}

// --- Protections --------------------------------------------------------------

TEST_F(DisclosurePolicyTest, EveryProtectionAloneSuppressesForAllButAgencies) {
  std::vector<std::pair<std::string, ProtectionSet>> cases;
  for (Protection p :
       {Protection::kSec1367, Protection::kAsylum, Protection::kSealed, Protection::kJuvenile}) {
    ProtectionSet set;
    set.Add(p);
    cases.emplace_back(std::string(Name(p)), set);
  }
  // A protection a newer vigil set, which this build cannot name, still protects.
  cases.emplace_back("unnamed bit 7", ProtectionSet::FromBits(1u << 7));
  cases.emplace_back("all", ProtectionSet::FromBits(0xf));

  for (const auto& [what, set] : cases) {
    Subject s = Adult();
    s.protections = set;
    for (Audience a : kNonAgency) {
      EXPECT_FALSE(Run(s, a).has_value()) << what << " / " << Name(a);
      EXPECT_EQ(why_, SuppressionReason::kProtected) << what << " / " << Name(a);
    }
    auto agency = Run(s, Audience::kAgency);
    ASSERT_TRUE(agency.has_value()) << what;
    EXPECT_EQ(why_, SuppressionReason::kNone);
    EXPECT_EQ(agency->ref(), refs_.Encode(42));
  }
}

TEST_F(DisclosurePolicyTest, ProtectionIsReportedEvenWhenOtherRulesAlsoApply) {
  Subject s = Adult();
  s.protections.Add(Protection::kJuvenile);
  s.date_of_birth = Dob("2015-01-01");
  s.custody_basis.reset();
  EXPECT_FALSE(Run(s, Audience::kPublic).has_value());
  EXPECT_EQ(why_, SuppressionReason::kProtected);
}

// --- Age: computed from the date of birth on the day of the query ------------

struct AgeCase {
  const char* what;
  const char* dob;
  const char* now;
  bool shown;
};

TEST_F(DisclosurePolicyTest, OnlyProvableAdultsAreShown) {
  const AgeCase cases[] = {
      // Full dates: exact birthday arithmetic on the UTC date of now.
      {"turns 18 tomorrow", "2008-11-23", "2026-11-22T12:00:00Z", false},
      {"turns 18 tomorrow, last second of today", "2008-11-23", "2026-11-22T23:59:59.999999Z",
       false},
      {"turns 18 today, first moment", "2008-11-23", "2026-11-23T00:00:00Z", true},
      {"turns 18 today", "2008-11-22", "2026-11-22T12:00:00Z", true},
      {"turned 18 yesterday", "2008-11-21", "2026-11-22T12:00:00Z", true},
      {"turned 18 a year ago", "2007-11-23", "2026-11-22T12:00:00Z", true},
      {"17 and 364 days", "2008-11-23", "2026-11-22T00:00:00Z", false},
      {"a few months old", "2026-08-01", "2026-11-22T12:00:00Z", false},
      {"born today", "2026-11-22", "2026-11-22T12:00:00Z", false},
      {"born in the future (bad data)", "2027-01-01", "2026-11-22T12:00:00Z", false},
      {"elderly", "1931-01-01", "2026-11-22T12:00:00Z", true},
      // The UTC date decides: 23:59 in New York on the 22nd is the 23rd in UTC.
      {"UTC date, not local", "2008-11-23", "2026-11-22T23:59:00-05:00", true},
      {"UTC date, not local (before)", "2008-11-23", "2026-11-22T18:59:59-05:00", false},
      // 29 February: turns 18 on 1 March in a common year (never on 28 February).
      {"Feb 29, on Feb 28", "2008-02-29", "2026-02-28T23:59:59Z", false},
      {"Feb 29, on Mar 1", "2008-02-29", "2026-03-01T00:00:00Z", true},
      {"Feb 28, on Feb 28", "2008-02-28", "2026-02-28T00:00:00Z", true},
      {"Mar 1, on Feb 28", "2008-03-01", "2026-02-28T12:00:00Z", false},
      // Year only: adult only if 31 December of that year already makes them 18.
      {"year only, latest day not yet 18", "2008", "2026-11-22T12:00:00Z", false},
      {"year only, on Dec 30", "2008", "2026-12-30T23:59:59Z", false},
      {"year only, on Dec 31", "2008", "2026-12-31T00:00:00Z", true},
      {"year only, a year earlier", "2007", "2026-11-22T12:00:00Z", true},
      {"year only, early in the year", "2008", "2026-01-01T00:00:00Z", false},
      // Year and month: the last day of that month.
      {"year-month, this month", "2008-11", "2026-11-22T12:00:00Z", false},
      {"year-month, day before month end", "2008-11", "2026-11-29T23:59:59Z", false},
      {"year-month, last day of month", "2008-11", "2026-11-30T00:00:00Z", true},
      {"year-month, previous month", "2008-10", "2026-11-22T12:00:00Z", true},
      {"year-month Feb of a leap year, on Feb 28", "2008-02", "2026-02-28T12:00:00Z", false},
      {"year-month Feb of a leap year, on Mar 1", "2008-02", "2026-03-01T00:00:00Z", true},
      {"year-month Feb of a common year", "2007-02", "2025-02-28T00:00:00Z", true},
  };
  for (const AgeCase& c : cases) {
    // Booked at the moment of the query: the age on the episode's first day
    // is the age today.
    clock_.Set(T(c.now));
    Subject s = Adult();
    s.date_of_birth = Dob(c.dob);
    s.custody_since = T(c.now);
    for (Audience a : kNonAgency) {
      auto d = Run(s, a);
      EXPECT_EQ(d.has_value(), c.shown) << c.what << " (" << c.dob << " at " << c.now << ")";
      EXPECT_EQ(why_, c.shown ? SuppressionReason::kNone : SuppressionReason::kMinor) << c.what;
      if (d.has_value()) {
        EXPECT_EQ(d->birth_year(), Dob(c.dob).year) << c.what;
      }
    }
    // Agencies see their records, minors included.
    auto agency = Run(s, Audience::kAgency);
    ASSERT_TRUE(agency.has_value()) << c.what;
    EXPECT_EQ(agency->birth_year(), Dob(c.dob).year);
  }
}

// Someone booked at 17 who appeared on their 18th birthday would tell
// anyone polling the exact date of birth, and that they were held as a
// child: they stay withheld for the whole episode, across the birthday, in
// custody and after release. Booked again as an adult, they are public.
TEST_F(DisclosurePolicyTest, AMinorAtAnyTimeInTheEpisodeStaysWithheldForAllOfIt) {
  Subject s = Adult();
  s.date_of_birth = Dob("2008-11-23");
  s.custody_since = T("2026-10-02T08:00:00Z");  // booked at 17
  for (const char* now : {"2026-11-22T23:59:59Z", "2026-11-23T00:00:00Z", "2026-11-24T12:00:00Z",
                          "2027-06-01T00:00:00Z"}) {
    clock_.Set(T(now));
    for (Audience a : kNonAgency) {
      EXPECT_FALSE(Run(s, a).has_value()) << now;
      EXPECT_EQ(why_, SuppressionReason::kMinor) << now;
    }
    EXPECT_TRUE(Run(s, Audience::kAgency).has_value());
  }
  Subject released = s;
  released.custody_status = CustodyStatus::kReleased;
  released.released_at = T("2027-05-30T00:00:00Z");
  EXPECT_FALSE(Run(released, Audience::kPublic).has_value());
  EXPECT_EQ(why_, SuppressionReason::kMinor);
  // A new episode that begins on or after the 18th birthday is public.
  Subject again = s;
  again.custody_since = T("2026-11-23T00:00:00Z");
  clock_.Set(T("2026-11-24T00:00:00Z"));
  EXPECT_TRUE(Run(again, Audience::kPublic).has_value());
  again.custody_since = T("2026-11-22T23:59:59Z");
  EXPECT_FALSE(Run(again, Audience::kPublic).has_value());
  // Without a known start of the episode nothing proves the age: withheld.
  Subject unknown = Adult();
  unknown.custody_since.reset();
  EXPECT_FALSE(Run(unknown, Audience::kPublic).has_value());
  EXPECT_EQ(why_, SuppressionReason::kNoCustodyState);
  EXPECT_TRUE(Run(unknown, Audience::kAgency).has_value());
}

TEST_F(DisclosurePolicyTest, UnknownDateOfBirthCannotProveAdulthood) {
  Subject s = Adult();
  s.date_of_birth.reset();
  for (Audience a : kNonAgency) {
    EXPECT_FALSE(Run(s, a).has_value()) << Name(a);
    EXPECT_EQ(why_, SuppressionReason::kBirthDateUnprovable) << Name(a);
  }
  auto agency = Run(s, Audience::kAgency);
  ASSERT_TRUE(agency.has_value());
  EXPECT_FALSE(agency->birth_year().has_value());
}

TEST_F(DisclosurePolicyTest, ImpossibleDatesOfBirthFailClosed) {
  // Not producible by ParsePartialDate, but a record may come from anywhere.
  for (PartialDate bad : {PartialDate{0, 0, 0}, PartialDate{1990, 13, 0}, PartialDate{1990, 2, 30},
                          PartialDate{-5, 1, 1}}) {
    Subject s = Adult();
    s.date_of_birth = bad;
    EXPECT_FALSE(Run(s, Audience::kPublic).has_value()) << bad.ToString();
    EXPECT_EQ(why_, SuppressionReason::kBirthDateUnprovable) << bad.ToString();
  }
}

// --- Release visibility window ------------------------------------------------

struct ReleaseCase {
  const char* what;
  CustodyStatus status;
  std::optional<microseconds> released_ago;    // released_at = now - this
  std::optional<microseconds> last_event_ago;  // last_event_at = now - this
  bool shown;
};

TEST_F(DisclosurePolicyTest, OutOfCustodyVisibleForSixtyDaysInclusive) {
  const microseconds d59 = days(59), d60 = days(60), d61 = days(61);
  const microseconds one_us{1};
  const ReleaseCase cases[] = {
      {"released 59 days ago", CustodyStatus::kReleased, d59, d59, true},
      {"released exactly 60 days ago", CustodyStatus::kReleased, d60, d60, true},
      {"released 60 days and 1 us ago", CustodyStatus::kReleased, d60 + one_us, d60 + one_us,
       false},
      {"released 61 days ago", CustodyStatus::kReleased, d61, d61, false},
      {"released 61 days ago, updated since", CustodyStatus::kReleased, d61, days(1), false},
      {"released just now", CustodyStatus::kReleased, microseconds{0}, microseconds{0}, true},
      {"released in the future (clock skew)", CustodyStatus::kReleased, -days(1), -days(1), true},
      {"removed 61 days ago", CustodyStatus::kRemoved, d61, d61, false},
      {"removed 60 days ago", CustodyStatus::kRemoved, d60, d60, true},
      {"escaped 61 days ago", CustodyStatus::kEscaped, d61, d61, false},
      {"escaped 60 days ago", CustodyStatus::kEscaped, d60, d60, true},
      {"deceased 61 days ago", CustodyStatus::kDeceased, d61, d61, false},
      {"deceased 60 days ago", CustodyStatus::kDeceased, d60, d60, true},
      // Without released_at, the last event stands in for it.
      {"no released_at, last event 10 days ago", CustodyStatus::kReleased, std::nullopt, days(10),
       true},
      {"no released_at, last event 61 days ago", CustodyStatus::kReleased, std::nullopt, d61,
       false},
      // The window does not apply to people in custody.
      {"in custody for two years", CustodyStatus::kInCustody, std::nullopt, days(730), true},
  };
  for (const ReleaseCase& c : cases) {
    const Timestamp now = clock_.Now();
    Subject s = Adult();
    s.custody_status = c.status;
    s.released_at.reset();
    if (c.released_ago) s.released_at = now - *c.released_ago;
    s.last_event_at = now - *c.last_event_ago;
    for (Audience a : kNonAgency) {
      EXPECT_EQ(Run(s, a).has_value(), c.shown) << c.what << " / " << Name(a);
      EXPECT_EQ(why_, c.shown ? SuppressionReason::kNone : SuppressionReason::kReleasedTooLongAgo)
          << c.what;
    }
    EXPECT_TRUE(Run(s, Audience::kAgency).has_value()) << c.what;
  }
}

TEST_F(DisclosurePolicyTest, ReleaseWindowIsConfigurable) {
  struct Case {
    int64_t window_days;
    int64_t released_days_ago;
    bool shown;
  };
  const Case cases[] = {
      {30, 30, true}, {30, 31, false}, {90, 89, true}, {90, 91, false},
      {0, 0, true},   {0, 1, false},   {-5, 1, false},  // negative acts as 0
  };
  for (const Case& c : cases) {
    DisclosurePolicy policy(&clock_, &refs_, PolicyOptions{c.window_days});
    Subject s = Adult();
    s.custody_status = CustodyStatus::kReleased;
    s.released_at = clock_.Now() - days(c.released_days_ago);
    s.last_event_at = s.released_at;
    SuppressionReason why = SuppressionReason::kNone;
    EXPECT_EQ(policy.Disclose(s, Adelanto(), Audience::kPublic, &why).has_value(), c.shown)
        << "window " << c.window_days << ", released " << c.released_days_ago << " days ago";
  }
}

TEST_F(DisclosurePolicyTest, LongReleasedPersonBecomesInvisibleAsTimePasses) {
  Subject s = Adult();
  s.custody_status = CustodyStatus::kReleased;
  s.released_at = clock_.Now();
  s.last_event_at = s.released_at;
  EXPECT_TRUE(Run(s, Audience::kPublic).has_value());
  clock_.Advance(days(60));
  EXPECT_TRUE(Run(s, Audience::kPublic).has_value());
  clock_.Advance(microseconds{1});
  EXPECT_FALSE(Run(s, Audience::kPublic).has_value());
  EXPECT_EQ(why_, SuppressionReason::kReleasedTooLongAgo);
}

// --- Missing state: nothing is shown without a truthful label ----------------

TEST_F(DisclosurePolicyTest, MissingBasisOrCustodyStateSuppressesForEveryone) {
  struct Case {
    const char* what;
    void (*mutate)(Subject&);
    SuppressionReason reason;
  };
  const Case cases[] = {
      {"no custody basis", [](Subject& s) { s.custody_basis.reset(); },
       SuppressionReason::kNoBasis},
      {"no custody status", [](Subject& s) { s.custody_status.reset(); },
       SuppressionReason::kNoCustodyState},
      {"no last event time", [](Subject& s) { s.last_event_at.reset(); },
       SuppressionReason::kNoCustodyState},
      {"released, no time at all",
       [](Subject& s) {
         s.custody_status = CustodyStatus::kReleased;
         s.released_at.reset();
         s.last_event_at.reset();
       },
       SuppressionReason::kNoCustodyState},
  };
  for (const Case& c : cases) {
    Subject s = Adult();
    c.mutate(s);
    for (Audience a : kAllAudiences) {
      EXPECT_FALSE(Run(s, a).has_value()) << c.what << " / " << Name(a);
      EXPECT_EQ(why_, c.reason) << c.what << " / " << Name(a);
    }
  }
}

TEST_F(DisclosurePolicyTest, EveryBasisIsCarriedThrough) {
  for (CustodyBasis b : {CustodyBasis::kCivilImmigration, CustodyBasis::kCriminalCharge,
                         CustodyBasis::kCriminalConviction}) {
    Subject s = Adult();
    s.custody_basis = b;
    auto d = Run(s, Audience::kPublic);
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->custody_basis(), b);
  }
}

TEST_F(DisclosurePolicyTest, WhyMayBeNull) {
  Subject hidden = Adult();
  hidden.protections.Add(Protection::kSealed);
  EXPECT_FALSE(policy_.Disclose(hidden, Adelanto(), Audience::kPublic, nullptr).has_value());
  EXPECT_TRUE(policy_.Disclose(Adult(), Adelanto(), Audience::kPublic, nullptr).has_value());
}

TEST(SuppressionReasonTest, EveryReasonAndAudienceHasADistinctName) {
  std::set<std::string_view> names;
  for (SuppressionReason r :
       {SuppressionReason::kNone, SuppressionReason::kNotFound, SuppressionReason::kProtected,
        SuppressionReason::kMinor, SuppressionReason::kBirthDateUnprovable,
        SuppressionReason::kReleasedTooLongAgo, SuppressionReason::kNoCustodyState,
        SuppressionReason::kNoBasis, SuppressionReason::kStoreError}) {
    EXPECT_NE(Name(r), "unknown");
    names.insert(Name(r));
  }
  EXPECT_EQ(names.size(), 9u);
  EXPECT_EQ(Name(SuppressionReason::kReleasedTooLongAgo), "released_too_long_ago");
  EXPECT_EQ(Name(Audience::kPublic), "public");
  EXPECT_EQ(Name(Audience::kVerifiedRegistrant), "verified_registrant");
  EXPECT_EQ(Name(Audience::kAgency), "agency");
}

// --- Against the store: the source of truth -----------------------------------

class DisclosurePolicyStoreTest : public DisclosurePolicyTest {
 protected:
  void SetUp() override {
    auto store = OpenStore("sqlite:" + dir_.File("v.db"));
    ASSERT_TRUE(store) << store.error().ToString();
    store_ = std::move(*store);
  }

  int64_t Insert(const Subject& s, bool with_facility = true) {
    auto w = store_->BeginWrite();
    EXPECT_TRUE(w) << w.error().ToString();
    if (with_facility) {
      EXPECT_TRUE((*w)->custody().PutFacility(Adelanto()));
    }
    Subject copy = s;
    copy.subject_id = 0;
    auto id = (*w)->custody().InsertSubject(copy);
    EXPECT_TRUE(id) << id.error().ToString();
    EXPECT_TRUE((*w)->Commit());
    return id.value_or(0);
  }

  std::optional<DisclosedSubject> Read(int64_t id, Audience a) {
    auto r = store_->BeginRead();
    EXPECT_TRUE(r) << r.error().ToString();
    why_ = SuppressionReason::kNone;
    return policy_.Disclose(**r, id, a, &why_);
  }

  testutil::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(DisclosurePolicyStoreTest, DisclosesWhatTheStoreHolds) {
  const int64_t id = Insert(Adult());
  auto d = Read(id, Audience::kPublic);
  ASSERT_TRUE(d.has_value()) << Name(why_);
  EXPECT_EQ(why_, SuppressionReason::kNone);
  EXPECT_EQ(refs_.Decode(d->ref()), id);
  EXPECT_EQ(d->name(), "María del Carmen García López");
  EXPECT_EQ(d->birth_year(), 1990);
  ASSERT_TRUE(d->facility().has_value());
  EXPECT_EQ(d->facility()->name(), "Adelanto ICE Processing Center");
  EXPECT_FALSE(d->scheduled_release().has_value());
  auto verified = Read(id, Audience::kVerifiedRegistrant);
  ASSERT_TRUE(verified.has_value());
  EXPECT_EQ(verified->scheduled_release(), T("2026-12-01T00:00:00Z"));
}

TEST_F(DisclosurePolicyStoreTest, UnknownFacilityIsOmittedNotInvented) {
  const int64_t id = Insert(Adult(), /*with_facility=*/false);
  auto d = Read(id, Audience::kPublic);
  ASSERT_TRUE(d.has_value());
  EXPECT_FALSE(d->facility().has_value());
}

TEST_F(DisclosurePolicyStoreTest, SuppressedAndAbsentLookTheSame) {
  Subject protected_subject = Adult();
  protected_subject.protections.Add(Protection::kSec1367);
  const int64_t protected_id = Insert(protected_subject);

  Subject minor = Adult();
  minor.a_number = *ANumber::Parse("023456789");
  minor.date_of_birth = Dob("2008-11-23");
  const int64_t minor_id = Insert(minor);

  Subject unknown_dob = Adult();
  unknown_dob.a_number = *ANumber::Parse("034567890");
  unknown_dob.date_of_birth.reset();
  const int64_t unknown_dob_id = Insert(unknown_dob);

  Subject long_released = Adult();
  long_released.a_number = *ANumber::Parse("045678901");
  long_released.custody_status = CustodyStatus::kReleased;
  long_released.released_at = clock_.Now() - days(61);
  long_released.last_event_at = long_released.released_at;
  const int64_t long_released_id = Insert(long_released);

  const int64_t missing_id = 987654;
  struct Case {
    const char* what;
    int64_t id;
    SuppressionReason reason;
  };
  const Case cases[] = {
      {"protected", protected_id, SuppressionReason::kProtected},
      {"minor turning 18 tomorrow", minor_id, SuppressionReason::kMinor},
      {"unknown date of birth", unknown_dob_id, SuppressionReason::kBirthDateUnprovable},
      {"released 61 days ago", long_released_id, SuppressionReason::kReleasedTooLongAgo},
      {"no such subject", missing_id, SuppressionReason::kNotFound},
  };
  for (const Case& c : cases) {
    for (Audience a : kNonAgency) {
      EXPECT_EQ(Read(c.id, a), std::nullopt) << c.what << " / " << Name(a);
      EXPECT_EQ(why_, c.reason) << c.what << " / " << Name(a);
    }
  }
  EXPECT_TRUE(Read(protected_id, Audience::kAgency).has_value());
  EXPECT_FALSE(Read(missing_id, Audience::kAgency).has_value());
  EXPECT_EQ(why_, SuppressionReason::kNotFound);

  // A day later the minor is 18, and still withheld: they were a minor in
  // this custody episode.
  clock_.Advance(days(1));
  EXPECT_FALSE(Read(minor_id, Audience::kPublic).has_value());
  EXPECT_EQ(why_, SuppressionReason::kMinor);
}

TEST_F(DisclosurePolicyStoreTest, ProtectionCommittedIsHonouredOnTheNextRead) {
  const int64_t id = Insert(Adult());
  ASSERT_TRUE(Read(id, Audience::kPublic).has_value());
  {
    auto w = store_->BeginWrite();
    ASSERT_TRUE(w);
    auto current = (*w)->custody().GetSubject(id);
    ASSERT_TRUE(current && current->has_value());
    Subject s = **current;
    s.protections.Add(Protection::kAsylum);
    ASSERT_TRUE((*w)->custody().UpdateSubject(s));
    ASSERT_TRUE((*w)->Commit());
  }
  EXPECT_FALSE(Read(id, Audience::kPublic).has_value());
  EXPECT_EQ(why_, SuppressionReason::kProtected);
}

// The same policy over a store that fails as told (fault_injecting_store.h):
// the policy reads only the subject and its facility, and any failure of
// either withholds the person.
class DisclosurePolicyFaultTest : public DisclosurePolicyStoreTest {
 protected:
  void SetUp() override {
    auto inner = OpenStore("sqlite:" + dir_.File("v.db"));
    ASSERT_TRUE(inner) << inner.error().ToString();
    auto faulty = std::make_unique<FaultInjectingStore>(std::move(*inner));
    faults_ = &faulty->plan();
    store_ = std::move(faulty);
  }

  FaultPlan* faults_ = nullptr;
};

TEST_F(DisclosurePolicyFaultTest, StoreErrorsFailClosed) {
  struct Case {
    const char* what;
    const char* failing;  // the operation that fails, or null
    bool shown;
    SuppressionReason reason;
  };
  const Case cases[] = {
      {"reads succeed", nullptr, true, SuppressionReason::kNone},
      {"subject read fails", "GetSubjects", false, SuppressionReason::kStoreError},
      {"facility read fails", "GetFacilities", false, SuppressionReason::kStoreError},
  };
  const int64_t id = Insert(Adult());
  for (const Case& c : cases) {
    for (Audience a : kAllAudiences) {
      faults_->Clear();
      if (c.failing != nullptr) faults_->FailOperation(c.failing);
      EXPECT_EQ(Read(id, a).has_value(), c.shown) << c.what << " / " << Name(a);
      EXPECT_EQ(why_, c.reason) << c.what << " / " << Name(a);
    }
  }
}

TEST_F(DisclosurePolicyFaultTest, SuppressedMatchCostsNoMoreReadsThanAnAbsentOne) {
  Subject hidden_person = Adult();
  hidden_person.a_number = *ANumber::Parse("111111111");
  hidden_person.protections.Add(Protection::kSec1367);
  const int64_t hidden = Insert(hidden_person);
  const int64_t shown = Insert(Adult());
  auto reads = [&](int64_t id) {
    const int64_t before = faults_->Calls("GetSubjects") + faults_->Calls("GetFacilities");
    Read(id, Audience::kPublic);
    return faults_->Calls("GetSubjects") + faults_->Calls("GetFacilities") - before;
  };
  EXPECT_EQ(reads(hidden), reads(shown + 1000));
  EXPECT_EQ(reads(shown), reads(hidden) + 1);
  EXPECT_FALSE(Read(hidden, Audience::kPublic).has_value());
  EXPECT_TRUE(Read(shown, Audience::kPublic).has_value());
}

// A page read together answers each person as one read alone would, and
// the withheld person in it costs the reads an absent one does.
TEST_F(DisclosurePolicyFaultTest, APageAnswersEachAsAloneAndWithholdingCostsNothingMore) {
  Subject hidden_person = Adult(), released = Adult();
  hidden_person.a_number = *ANumber::Parse("111111111");
  hidden_person.protections.Add(Protection::kSec1367);
  released.a_number = *ANumber::Parse("222222222");
  released.custody_status = CustodyStatus::kReleased;
  released.released_at = T("2026-11-10T00:00:00Z");
  released.facility_id.clear();
  const int64_t hidden = Insert(hidden_person);
  const int64_t shown = Insert(Adult());
  const int64_t out = Insert(released);
  Subject child = Adult();
  child.a_number = *ANumber::Parse("333333333");
  child.date_of_birth = Dob("2015-01-01");
  const int64_t minor = Insert(child);
  const int64_t nobody = minor + 1000;
  auto page = [&](std::vector<int64_t> ids, std::vector<SuppressionReason>* why) {
    auto r = store_->BeginRead();
    EXPECT_TRUE(r);
    return policy_.DiscloseEach(**r, ids, Audience::kPublic, why);
  };
  std::vector<SuppressionReason> why;
  auto answers = page({shown, hidden, nobody, out, minor}, &why);
  ASSERT_EQ(answers.size(), 5u);
  ASSERT_EQ(why.size(), 5u);
  const std::vector<int64_t> ids = {shown, hidden, nobody, out, minor};
  for (size_t i = 0; i < ids.size(); ++i) {
    auto alone = Read(ids[i], Audience::kPublic);
    EXPECT_EQ(answers[i].has_value(), alone.has_value()) << i;
    EXPECT_EQ(why[i], why_) << i;
    if (alone) EXPECT_EQ(answers[i]->ref(), alone->ref()) << i;
  }
  EXPECT_EQ(why[1], SuppressionReason::kProtected);
  EXPECT_EQ(why[2], SuppressionReason::kNotFound);
  EXPECT_EQ(why[4], SuppressionReason::kMinor);
  EXPECT_FALSE(answers[4].has_value());
  ASSERT_TRUE(answers[0] && answers[0]->facility());
  EXPECT_EQ(answers[0]->facility()->name(), Adelanto().name);

  // One read of people and one of facilities, whoever is withheld.
  auto reads = [&](std::vector<int64_t> ids) {
    const int64_t before = faults_->Calls("GetSubjects") + faults_->Calls("GetFacilities");
    page(ids, nullptr);
    return faults_->Calls("GetSubjects") + faults_->Calls("GetFacilities") - before;
  };
  EXPECT_EQ(reads({shown, hidden}), reads({shown, nobody}));
  EXPECT_EQ(reads({shown, minor}), reads({shown, nobody}));
  EXPECT_EQ(reads({shown, hidden, out}), 2);

  // A failed facility read withholds those who needed it, and only them.
  faults_->FailOperation("GetFacilities");
  answers = page({shown, out}, &why);
  EXPECT_FALSE(answers[0].has_value());
  EXPECT_EQ(why[0], SuppressionReason::kStoreError);
  EXPECT_TRUE(answers[1].has_value());
  faults_->Clear();
  faults_->FailOperation("GetSubjects");
  answers = page({shown, out}, &why);
  EXPECT_FALSE(answers[0] || answers[1]);
  EXPECT_EQ(why, std::vector<SuppressionReason>(2, SuppressionReason::kStoreError));
}

// Staff outputs name by A-number and ref alone everyone the store holds,
// protected people and minors too (the stalking alert's purpose), and no one else.
TEST_F(DisclosurePolicyStoreTest, StaffReferenceNamesProtectedAndMinorPeopleAndNoOneElse) {
  Subject hidden = Adult(), minor = Adult();
  hidden.protections.Add(Protection::kSec1367);
  minor.a_number = *ANumber::Parse("111111111");
  minor.date_of_birth = Dob("2015-01-01");
  const int64_t hidden_id = Insert(hidden), minor_id = Insert(minor);
  auto r = store_->BeginRead();
  SuppressionReason why = SuppressionReason::kStoreError;
  for (auto [id, a_number] : {std::pair{hidden_id, "012345678"}, {minor_id, "111111111"}}) {
    auto who = policy_.ReferForStaff(**r, id, &why);
    ASSERT_TRUE(who && why == SuppressionReason::kNone);
    EXPECT_EQ(who->a_number(), a_number);
    EXPECT_EQ(who->ref(), refs_.Encode(id));
    EXPECT_FALSE(policy_.Disclose(**r, id, Audience::kPublic, nullptr).has_value());
  }
  EXPECT_FALSE(policy_.ReferForStaff(**r, minor_id + 100, &why));
  EXPECT_EQ(why, SuppressionReason::kNotFound);
}

}  // namespace
}  // namespace vigil::policy
