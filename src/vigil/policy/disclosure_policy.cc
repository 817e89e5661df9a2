#include "vigil/policy/disclosure_policy.h"

#include <algorithm>
#include <chrono>

#include "vigil/i18n/local_time.h"

namespace vigil::policy {
namespace {

using std::chrono::sys_days;
using std::chrono::year_month_day;

constexpr int64_t kMaxReleaseVisibilityDays = 36500;
constexpr int kAdultAge = 18;

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Appends the words of `part` to `out`, separated by single spaces.
void AppendWords(std::string_view part, std::string* out) {
  size_t i = 0;
  while (i < part.size()) {
    while (i < part.size() && IsAsciiSpace(part[i])) ++i;
    size_t start = i;
    while (i < part.size() && !IsAsciiSpace(part[i])) ++i;
    if (i > start) {
      if (!out->empty()) out->push_back(' ');
      out->append(part.substr(start, i - start));
    }
  }
}

// The latest calendar day `dob` can denote, or nullopt when it is no date at
// all (a record not built by ParsePartialDate). "2008" -> 2008-12-31,
// "2008-02" -> 2008-02-29, "2008-11-23" -> itself.
std::optional<year_month_day> LatestPossibleDay(const PartialDate& dob) {
  using namespace std::chrono;
  if (dob.year < 1 || dob.year > 9999) return std::nullopt;
  const year y{dob.year};
  year_month_day latest;
  if (dob.month == 0) {
    latest = y / December / 31;
  } else if (dob.day == 0) {
    latest = year_month_day{y / month{static_cast<unsigned>(dob.month)} / last};
  } else {
    latest = y / month{static_cast<unsigned>(dob.month)} / day{static_cast<unsigned>(dob.day)};
  }
  if (!latest.ok()) return std::nullopt;
  return latest;
}

// The day a person born on `birth` turns `age`. Someone born on 29 February
// turns `age` on 1 March when that year has no 29 February: the later
// candidate, so rounding can only keep a person hidden longer.
sys_days Birthday(year_month_day birth, int age) {
  using namespace std::chrono;
  const year_month_day same_day{birth.year() + years{age}, birth.month(), birth.day()};
  if (same_day.ok()) return sys_days{same_day};
  // Only 29 February in a common year gets here.
  return sys_days{year_month_day_last{same_day.year(), month_day_last{same_day.month()}}} + days{1};
}

}  // namespace

std::string_view Name(Audience audience) {
  switch (audience) {
    case Audience::kPublic:
      return "public";
    case Audience::kVerifiedRegistrant:
      return "verified_registrant";
    case Audience::kAgency:
      return "agency";
  }
  return "unknown";
}

std::string_view Name(SuppressionReason reason) {
  switch (reason) {
    case SuppressionReason::kNone:
      return "none";
    case SuppressionReason::kNotFound:
      return "not_found";
    case SuppressionReason::kProtected:
      return "protected";
    case SuppressionReason::kMinor:
      return "minor";
    case SuppressionReason::kBirthDateUnprovable:
      return "birth_date_unprovable";
    case SuppressionReason::kReleasedTooLongAgo:
      return "released_too_long_ago";
    case SuppressionReason::kNoCustodyState:
      return "no_custody_state";
    case SuppressionReason::kNoBasis:
      return "no_basis";
    case SuppressionReason::kStoreError:
      return "store_error";
  }
  return "unknown";
}

DisclosedFacility::DisclosedFacility(const Facility& facility)
    : name_(facility.name),
      city_(facility.city),
      state_(facility.state),
      phone_(facility.phone),
      time_zone_(facility.time_zone.empty() ? std::string(i18n::TimeZoneOfState(facility.state))
                                            : facility.time_zone) {}

DisclosurePolicy::DisclosurePolicy(const Clock* clock, const RefCodec* refs, PolicyOptions options)
    : clock_(clock), refs_(refs), options_(options) {
  options_.release_visibility_days =
      std::clamp<int64_t>(options_.release_visibility_days, 0, kMaxReleaseVisibilityDays);
}

std::optional<DisclosedSubject> DisclosurePolicy::Disclose(StoreReader& store, int64_t subject_id,
                                                           Audience audience,
                                                           SuppressionReason* why) const {
  std::vector<SuppressionReason> reasons;
  auto disclosed = DiscloseEach(store, std::span(&subject_id, 1), audience, &reasons);
  if (why != nullptr) *why = reasons.front();
  return std::move(disclosed.front());
}

std::vector<std::optional<DisclosedSubject>> DisclosurePolicy::DiscloseEach(
    StoreReader& store, std::span<const int64_t> subject_ids, Audience audience,
    std::vector<SuppressionReason>* why) const {
  const size_t n = subject_ids.size();
  std::vector<std::optional<DisclosedSubject>> disclosed(n);
  std::vector<SuppressionReason> reasons(n, SuppressionReason::kStoreError);
  auto done = [&] {
    if (why != nullptr) *why = std::move(reasons);
    return std::move(disclosed);
  };
  auto subjects = store.custody().GetSubjects(subject_ids);
  if (!subjects) return done();  // every one kStoreError: fail closed

  // Decide before reading facilities: a suppressed match then costs the
  // same reads as an absent one.
  const Timestamp now = clock_->Now();
  std::vector<std::string> facility_ids;
  std::vector<size_t> needing;  // who needs facility_ids[k]
  for (size_t i = 0; i < n; ++i) {
    const std::optional<Subject>& s = (*subjects)[i];
    if (!s) {
      reasons[i] = SuppressionReason::kNotFound;
      continue;
    }
    reasons[i] = Check(*s, audience, now);
    if (reasons[i] == SuppressionReason::kNone && s->custody_status == CustodyStatus::kInCustody &&
        !s->facility_id.empty()) {
      facility_ids.push_back(s->facility_id);
      needing.push_back(i);
    }
  }
  std::vector<std::optional<Facility>> facilities;
  if (!facility_ids.empty()) {
    auto read = store.custody().GetFacilities(facility_ids);
    if (read) {
      facilities = std::move(*read);
    } else {
      for (size_t i : needing) reasons[i] = SuppressionReason::kStoreError;  // fail closed
    }
  }
  size_t next_facility = 0;
  for (size_t i = 0; i < n; ++i) {
    if (next_facility < needing.size() && needing[next_facility] == i) {
      const size_t k = next_facility++;
      if (reasons[i] != SuppressionReason::kNone) continue;
      disclosed[i] = Project(*(*subjects)[i], facilities[k], audience);
    } else if (reasons[i] == SuppressionReason::kNone) {
      disclosed[i] = Project(*(*subjects)[i], std::nullopt, audience);
    }
  }
  return done();
}

namespace {

// Staff outputs name everyone the store holds: only a missing subject or a
// failed read stops them (*why says which).
std::optional<Subject> ReadForStaff(StoreReader& store, int64_t subject_id,
                                    SuppressionReason* why) {
  auto subject = store.custody().GetSubject(subject_id);
  SuppressionReason reason = SuppressionReason::kNone;
  if (!subject) {
    reason = SuppressionReason::kStoreError;
  } else if (!subject->has_value()) {
    reason = SuppressionReason::kNotFound;
  }
  if (why != nullptr) *why = reason;
  if (reason != SuppressionReason::kNone) return std::nullopt;
  return std::move(**subject);
}

}  // namespace

std::optional<StaffReference> DisclosurePolicy::ReferForStaff(StoreReader& store,
                                                              int64_t subject_id,
                                                              SuppressionReason* why) const {
  auto subject = ReadForStaff(store, subject_id, why);
  if (!subject) return std::nullopt;
  StaffReference r;
  r.a_number_ = subject->a_number.digits();
  r.ref_ = refs_->Encode(subject_id);
  return r;
}

std::optional<StaffView> DisclosurePolicy::ViewForStaff(StoreReader& store, int64_t subject_id,
                                                        SuppressionReason* why) const {
  auto subject = ReadForStaff(store, subject_id, why);
  if (!subject) return std::nullopt;
  const Subject& s = *subject;
  StaffView v;
  v.a_number_ = s.a_number.digits();
  v.ref_ = refs_->Encode(subject_id);
  v.name_ = s.given_names + " " + s.family_names;
  if (s.date_of_birth) v.birth_year_ = s.date_of_birth->year;
  v.country_of_birth_ = s.country_of_birth;
  v.custody_status_ = s.custody_status;
  v.custody_basis_ = s.custody_basis;
  v.facility_id_ = s.facility_id;
  v.protections_ = s.protections;
  v.public_reason_ = Check(s, Audience::kPublic, clock_->Now());
  return v;
}

std::optional<DisclosedSubject> DisclosurePolicy::Disclose(const Subject& subject,
                                                           const std::optional<Facility>& facility,
                                                           Audience audience,
                                                           SuppressionReason* why) const {
  const SuppressionReason reason = Check(subject, audience, clock_->Now());
  if (why != nullptr) *why = reason;
  if (reason != SuppressionReason::kNone) return std::nullopt;
  return Project(subject, facility, audience);
}

bool IsRecordedReason(SuppressionReason reason) {
  return reason == SuppressionReason::kProtected || reason == SuppressionReason::kMinor ||
         reason == SuppressionReason::kBirthDateUnprovable;
}

SuppressionReason DisclosurePolicy::Assess(const Subject& subject, Audience audience) const {
  return Check(subject, audience, clock_->Now());
}

std::optional<report::CountableEvent> DisclosurePolicy::Countable(
    const Subject& subject, const StoredEvent& stored, std::string_view facility_state) const {
  using Measure = report::CountableEvent::Measure;
  const CustodyEvent& e = stored.event;
  if (!subject.protections.empty() || !e.protections.empty()) return std::nullopt;
  if (!stored.retracted_by.empty()) return std::nullopt;
  Measure measure;
  switch (e.type) {
    case EventType::kBooked:
      measure = Measure::kBookings;
      break;
    case EventType::kTransferred:
      measure = Measure::kTransfers;
      break;
    case EventType::kReleased:
      measure = Measure::kReleases;
      break;
    case EventType::kRemoved:
      measure = Measure::kRemovals;
      break;
    default:
      return std::nullopt;
  }
  std::optional<CustodyBasis> basis = e.custody_basis ? e.custody_basis : subject.custody_basis;
  if (!basis) return std::nullopt;
  // Fail closed (§2.2): a person whose adulthood cannot be proven is not counted.
  if (!subject.date_of_birth) return std::nullopt;
  const std::optional<year_month_day> latest_birth = LatestPossibleDay(*subject.date_of_birth);
  if (!latest_birth || sys_days{UtcDay(e.occurred_at)} < Birthday(*latest_birth, kAdultAge)) {
    return std::nullopt;
  }
  // Nor anyone in an episode that began while they were a minor (the
  // current one: the subject knows when it began; fail closed without it).
  if (!subject.custody_since) return std::nullopt;
  if (e.occurred_at >= *subject.custody_since &&
      sys_days{UtcDay(*subject.custody_since)} < Birthday(*latest_birth, kAdultAge)) {
    return std::nullopt;
  }
  std::string month = FormatRfc3339(e.occurred_at).substr(0, 7);
  return report::CountableEvent(measure, std::move(month), std::string(facility_state), *basis);
}

SuppressionReason DisclosurePolicy::Check(const Subject& s, Audience audience,
                                          Timestamp now) const {
  const bool agency = audience == Audience::kAgency;
  // Any bit, even one this build cannot name, protects (ProtectionSet::FromBits).
  // Checked first so the audit log names the protection whenever one is set.
  if (!agency && !s.protections.empty()) return SuppressionReason::kProtected;
  // What the projection cannot state truthfully is withheld from everyone.
  if (!s.custody_status.has_value() || !s.last_event_at.has_value()) {
    return SuppressionReason::kNoCustodyState;
  }
  if (!s.custody_basis.has_value()) return SuppressionReason::kNoBasis;
  if (agency) return SuppressionReason::kNone;

  if (!s.date_of_birth.has_value()) return SuppressionReason::kBirthDateUnprovable;
  const std::optional<year_month_day> latest_birth = LatestPossibleDay(*s.date_of_birth);
  if (!latest_birth.has_value()) return SuppressionReason::kBirthDateUnprovable;
  // Age on the first day of the custody episode, not today: someone booked
  // at 17 who appeared on their 18th birthday would tell anyone polling the
  // exact date of birth, and that they were held as a child.
  if (!s.custody_since.has_value()) return SuppressionReason::kNoCustodyState;
  const sys_days episode_began =
      std::min(sys_days{UtcDay(now)}, sys_days{UtcDay(*s.custody_since)});
  if (episode_began < Birthday(*latest_birth, kAdultAge)) return SuppressionReason::kMinor;

  if (*s.custody_status != CustodyStatus::kInCustody) {
    const std::optional<Timestamp> ended = s.released_at ? s.released_at : s.last_event_at;
    if (!ended.has_value()) return SuppressionReason::kReleasedTooLongAgo;
    const auto window = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::days{options_.release_visibility_days});
    if (now - *ended > window) return SuppressionReason::kReleasedTooLongAgo;
  }
  return SuppressionReason::kNone;
}

DisclosedSubject DisclosurePolicy::Project(const Subject& s,
                                           const std::optional<Facility>& facility,
                                           Audience audience) const {
  DisclosedSubject d;
  d.ref_ = refs_->Encode(s.subject_id);
  AppendWords(s.given_names, &d.name_);
  AppendWords(s.family_names, &d.name_);
  if (s.date_of_birth.has_value()) d.birth_year_ = s.date_of_birth->year;
  d.country_of_birth_ = s.country_of_birth;
  d.custody_status_ = *s.custody_status;
  d.custody_basis_ = *s.custody_basis;
  if (s.custody_status == CustodyStatus::kInCustody && facility.has_value() &&
      !s.facility_id.empty() && facility->facility_id == s.facility_id) {
    d.facility_ = DisclosedFacility(*facility);
  }
  // Not last_event_at: that also moves for what the public must not learn.
  d.updated_at_ = s.public_changed_at.value_or(*s.last_event_at);
  if (audience == Audience::kAgency) {
    d.scheduled_release_ = s.scheduled_release;
  } else if (audience == Audience::kVerifiedRegistrant && s.scheduled_release &&
             s.custody_status == CustodyStatus::kInCustody &&
             *s.scheduled_release > clock_->Now()) {
    // Advance notice only: a date in the past, or of a person already out,
    // would mislead.
    d.scheduled_release_ = s.scheduled_release;
  }
  return d;
}

}  // namespace vigil::policy
