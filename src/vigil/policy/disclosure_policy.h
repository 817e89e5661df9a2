// The disclosure gate (DESIGN.md §2): the only code in vigil that decides
// whether anything about a person may leave the system, and the only code
// that can construct the values renderers are given.
//
// DisclosedSubject and DisclosedFacility have private constructors and
// befriend DisclosurePolicy alone, so a renderer (JSON, HTML, notification
// text, phone script, export) that takes them cannot be handed a raw Subject
// (§2.1). They hold the minimum of §2.6 — name as recorded, year of birth
// (never month or day), country of birth, custody status and basis, the
// current facility while in custody, the time of the last event, and an
// opaque ref instead of the internal id — plus the scheduled release date
// for verified registrants and agencies only.
//
// Rules, for Audience::kPublic and kVerifiedRegistrant (fail closed, §2.2):
//   - any protection (sec1367, asylum, sealed, juvenile, or one this build
//     cannot name)                                     -> kProtected
//   - no custody status, or no last-event time          -> kNoCustodyState
//   - no custody basis (no truthful label, §2.7)        -> kNoBasis
//   - date of birth unknown                             -> kBirthDateUnprovable
//   - start of the custody episode unknown              -> kNoCustodyState
//   - not provably 18 or older on the first day of the
//     current custody episode (Subject::custody_since,
//     or the query day if that is earlier)              -> kMinor
//     (so a person booked at 17 stays withheld until a
//     new episode, and never appears on a birthday)
//   - released, removed, escaped or deceased more than
//     release_visibility_days ago, or at an unknown time -> kReleasedTooLongAgo
// Agency staff's own outputs name a person by StaffReference (below).
// Audience::kAgency sees every record it could hold, protected, minor or
// long released, except those the projection cannot state truthfully (no
// custody status or no basis), which are suppressed for every audience.
//
// Boundaries (all measured against one clock->Now() per call):
//   - Age: judged on the UTC calendar date the custody episode began (or of
//     now, if earlier). A person is 18 from the first moment of their 18th
//     birthday (born 2008-11-23: 17 on
//     2026-11-22, 18 on 2026-11-23). Born on 29 February: in a year without
//     that day the 18th birthday is 1 March — the later of the two candidate
//     days, so the choice can only suppress, never disclose early.
//   - Partial dates: the LATEST day the date could denote is used ("2008" ->
//     2008-12-31, "2008-02" -> 2008-02-29), so a person is shown only when
//     every possible birthday makes them an adult.
//   - Release window: elapsed time, not calendar days. A person whose custody
//     ended (released_at, else last_event_at) exactly release_visibility_days
//     × 24 h before now is still shown; one microsecond later they are not.
//
// A suppressed person must look exactly like one who does not exist (§2.3):
// callers treat nullopt the same whatever the reason. The reason is for the
// audit log (and the stalking alert, which counts suppressed matches) only,
// and is never rendered.
//
// Thread safety: DisclosurePolicy is immutable; Disclose may be called from
// any thread provided the Clock is thread-safe (both vigil clocks are). The
// Disclosed* values are plain values: thread-compatible.
#ifndef VIGIL_POLICY_DISCLOSURE_POLICY_H_
#define VIGIL_POLICY_DISCLOSURE_POLICY_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "vigil/core/clock.h"
#include "vigil/core/domain.h"
#include "vigil/core/vocabulary.h"
#include "vigil/policy/ref_codec.h"
#include "vigil/report/report.h"
#include "vigil/store/store.h"

namespace vigil::policy {

// Who is asking. kVerifiedRegistrant is a person enrolled by an agency
// (DESIGN.md §5, tier `verified`); kAgency an authenticated agency key.
enum class Audience { kPublic, kVerifiedRegistrant, kAgency };

// Why Disclose returned nullopt. For the audit log only; never rendered.
enum class SuppressionReason {
  kNone,                 // disclosed
  kNotFound,             // no such subject in the store
  kProtected,            // a protection is set
  kMinor,                // under 18 on the query day
  kBirthDateUnprovable,  // date of birth unknown or unusable
  kReleasedTooLongAgo,   // out of custody longer than the window, or since an unknown time
  kNoCustodyState,       // no standing custody status (or no time for it)
  kNoBasis,              // no custody basis: nothing may be shown without its label
  kStoreError,           // the store failed while checking (fail closed)
};

// Whether a match withheld for `reason` is recorded for the stalking alert:
// withholding about who the person is (a protection, a minor, a birth date
// that cannot prove adulthood), not about time or missing data.
bool IsRecordedReason(SuppressionReason reason);

// "public", "verified_registrant", "agency".
std::string_view Name(Audience audience);
// lower_snake_case, e.g. "released_too_long_ago".
std::string_view Name(SuppressionReason reason);

struct PolicyOptions {
  // How long after custody ends a person stays visible (DESIGN.md §7
  // [policy]). Values below 0 act as 0, above 36500 as 36500.
  int64_t release_visibility_days = 60;
};

class DisclosurePolicy;

// A facility as the public may see it: no id, no street address.
class DisclosedFacility {
 public:
  const std::string& name() const { return name_; }
  const std::string& city() const { return city_; }
  const std::string& state() const { return state_; }  // USPS code
  const std::string& phone() const { return phone_; }  // E.164, may be empty
  // The IANA zone its times are told in: the feed's, else its state's.
  const std::string& time_zone() const { return time_zone_; }

  bool operator==(const DisclosedFacility&) const = default;

 private:
  friend class DisclosurePolicy;
  explicit DisclosedFacility(const Facility& facility);

  std::string name_;
  std::string city_;
  std::string state_;
  std::string phone_;
  std::string time_zone_;
};

// A person as the asking audience may see them. Only DisclosurePolicy makes one.
class DisclosedSubject {
 public:
  // Opaque token for the person (RefCodec); never the internal id.
  const std::string& ref() const { return ref_; }
  // "given family" as recorded, each part trimmed, runs of ASCII whitespace
  // collapsed to one space.
  const std::string& name() const { return name_; }
  // The year of birth only. Always present for kPublic and
  // kVerifiedRegistrant (an unknown date of birth is suppressed for them);
  // nullopt only for kAgency when the date of birth is unknown.
  std::optional<int> birth_year() const { return birth_year_; }
  // ISO 3166-1 alpha-2, as recorded.
  const std::string& country_of_birth() const { return country_of_birth_; }
  CustodyStatus custody_status() const { return custody_status_; }
  // Always present: a subject without a basis is never disclosed (§2.7).
  CustodyBasis custody_basis() const { return custody_basis_; }
  // Present only while custody_status() is kInCustody and the facility is known.
  const std::optional<DisclosedFacility>& facility() const { return facility_; }
  // When something shown here last changed (Subject::public_changed_at):
  // an event the public may not learn of, such as an advance release date,
  // does not move it.
  Timestamp updated_at() const { return updated_at_; }
  // Advance release notice: only for kVerifiedRegistrant and kAgency, and
  // only when the agency sent one. Always nullopt for kPublic.
  const std::optional<Timestamp>& scheduled_release() const { return scheduled_release_; }

  bool operator==(const DisclosedSubject&) const = default;

 private:
  friend class DisclosurePolicy;
  DisclosedSubject() = default;

  std::string ref_;
  std::string name_;
  std::optional<int> birth_year_;
  std::string country_of_birth_;
  CustodyStatus custody_status_ = CustodyStatus::kInCustody;
  CustodyBasis custody_basis_ = CustodyBasis::kCivilImmigration;
  std::optional<DisclosedFacility> facility_;
  Timestamp updated_at_;
  std::optional<Timestamp> scheduled_release_;
};

// A person as agency staff refer to them in the agency's own outputs (the
// alerts listing, the audit listing, the stalking-alert email): the
// A-number, which the agency issued and staff already hold, and the ref.
// Nothing about where the person is or who they are beyond that; made only
// by DisclosurePolicy::ReferForStaff, for every person the store holds
// (staff must be told that a protected person was sought).
class StaffReference {
 public:
  const std::string& a_number() const { return a_number_; }
  const std::string& ref() const { return ref_; }

  bool operator==(const StaffReference&) const = default;

 private:
  friend class DisclosurePolicy;
  StaffReference() = default;
  std::string a_number_;
  std::string ref_;
};

// A person as the staff console shows them (api/staff_console.h): who they
// are as recorded, where they are, their protections, and why the public
// does or does not see them. Made only by DisclosurePolicy::ViewForStaff;
// rendered only to a signed-in staff member whose role holds a scope that
// may change what the public sees.
class StaffView {
 public:
  const std::string& a_number() const { return a_number_; }
  const std::string& ref() const { return ref_; }
  const std::string& name() const { return name_; }
  std::optional<int> birth_year() const { return birth_year_; }
  const std::string& country_of_birth() const { return country_of_birth_; }
  const std::optional<CustodyStatus>& custody_status() const { return custody_status_; }
  const std::optional<CustodyBasis>& custody_basis() const { return custody_basis_; }
  const std::string& facility_id() const { return facility_id_; }
  const ProtectionSet& protections() const { return protections_; }
  // Why the public does not see the person now (kNone: they do).
  SuppressionReason public_reason() const { return public_reason_; }

 private:
  friend class DisclosurePolicy;
  StaffView() = default;
  std::string a_number_, ref_, name_;
  std::optional<int> birth_year_;
  std::string country_of_birth_;
  std::optional<CustodyStatus> custody_status_;
  std::optional<CustodyBasis> custody_basis_;
  std::string facility_id_;
  ProtectionSet protections_;
  SuppressionReason public_reason_ = SuppressionReason::kNone;
};

class DisclosurePolicy {
 public:
  // `clock` and `refs` must be non-null and outlive the policy; not owned.
  DisclosurePolicy(const Clock* clock, const RefCodec* refs, PolicyOptions options);

  // Reads subject `subject_id` and its facility from `store` — the source of
  // truth, so a takedown committed a moment ago is honoured even when the
  // caller's index is stale (§2.4) — and applies the rules for `audience`.
  // Returns the projection, or nullopt with *why set: kNotFound when there is
  // no such subject, kStoreError when any read fails (fail closed), else the
  // rule that suppressed it. `why` may be null; on success it is kNone.
  // The facility is read only for a subject that is disclosed in custody,
  // so a suppressed match costs the same reads as a missing one (§2.3).
  std::optional<DisclosedSubject> Disclose(StoreReader& store, int64_t subject_id,
                                           Audience audience, SuppressionReason* why) const;

  // Disclose for several subjects, read together: one read of the subjects,
  // then one of the facilities of those disclosed in custody (one round trip
  // each on PostgreSQL, where a page of search results once cost one per
  // person and one per facility). Entry i answers subject_ids[i] as Disclose
  // would, with (*why)[i] its reason when `why` is given.
  std::vector<std::optional<DisclosedSubject>> DiscloseEach(
      StoreReader& store, std::span<const int64_t> subject_ids, Audience audience,
      std::vector<SuppressionReason>* why) const;

  // The same rules on a subject the caller has just read from the store.
  // `facility` is shown only when it is the subject's facility (same id) and
  // the subject is in custody; pass nullopt when it is unknown.
  std::optional<DisclosedSubject> Disclose(const Subject& subject,
                                           const std::optional<Facility>& facility,
                                           Audience audience, SuppressionReason* why) const;

  // The staff reference of subject `subject_id`: nullopt when there is no
  // such subject (*why kNotFound) or the read fails (kStoreError). Only for
  // outputs that an agency key or the agency's configured recipients
  // receive; never for a public or registrant answer.
  std::optional<StaffReference> ReferForStaff(StoreReader& store, int64_t subject_id,
                                              SuppressionReason* why) const;

  // The staff console's view of `subject_id`: nullopt when there is no such
  // subject (*why kNotFound) or the read fails (kStoreError).
  std::optional<StaffView> ViewForStaff(StoreReader& store, int64_t subject_id,
                                        SuppressionReason* why) const;

  // The rule Disclose would apply to `subject` for `audience` now (kNone:
  // it would be shown), without projecting anything. For the search index,
  // which keeps withheld people out of everything that shapes the answers
  // about others (search/name_index.h).
  SuppressionReason Assess(const Subject& subject, Audience audience) const;

  // Whether `event` of `subject` may be counted in a report (report/): report
  // cells are made only from what this returns (DESIGN.md §2.1). A person
  // with any protection is never counted; nor is anyone who may have been a
  // minor on the event's day (a partial birth date counts at its latest; an
  // unknown one cannot prove adulthood, §2.2). Only bookings, transfers,
  // releases and removals that
  // stand (not retracted) count. `facility_state` is the USPS code of the
  // facility the event concerns, "" when unknown.
  std::optional<report::CountableEvent> Countable(const Subject& subject, const StoredEvent& event,
                                                  std::string_view facility_state) const;

 private:
  // kNone when `subject` may be shown to `audience` at `now`.
  SuppressionReason Check(const Subject& subject, Audience audience, Timestamp now) const;
  DisclosedSubject Project(const Subject& subject, const std::optional<Facility>& facility,
                           Audience audience) const;

  const Clock* clock_;
  const RefCodec* refs_;
  PolicyOptions options_;
};

}  // namespace vigil::policy

#endif  // VIGIL_POLICY_DISCLOSURE_POLICY_H_
