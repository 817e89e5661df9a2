// The domain records of DESIGN.md §5: facilities, custody events, subjects
// (current custody state), registrations and notifications.
//
// These are plain values with no behaviour beyond invariants enforced by the
// parsers that build them. A Subject is internal: nothing outside policy/ may
// render one (DESIGN.md §2.1). Thread-compatible.
#ifndef VIGIL_CORE_DOMAIN_H_
#define VIGIL_CORE_DOMAIN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vigil/core/clock.h"
#include "vigil/core/identifiers.h"
#include "vigil/core/time_format.h"
#include "vigil/core/vocabulary.h"

namespace vigil {

struct Facility {
  std::string facility_id;
  std::string name;
  std::string address;  // may be empty
  std::string city;
  std::string state;  // USPS code
  std::string phone;  // E.164, may be empty

  bool operator==(const Facility&) const = default;
};

// The person as an event describes them.
struct SubjectRecord {
  ANumber a_number;
  std::string given_names;   // as recorded; may be empty when family_names is not
  std::string family_names;  // as recorded; may be empty when given_names is not
  std::vector<std::string> aliases;
  std::optional<PartialDate> date_of_birth;  // nullopt: unknown
  std::string country_of_birth;              // ISO 3166-1 alpha-2

  bool operator==(const SubjectRecord&) const = default;
};

// One validated custody event. For kRetracted, `subject` is empty and
// `retracts` names the event (of the same source) it withdraws.
struct CustodyEvent {
  std::string source;
  std::string event_id;
  EventType type = EventType::kUpdated;
  Timestamp occurred_at;
  std::optional<SubjectRecord> subject;
  std::string facility_id;  // may be empty for events that do not place the person
  std::optional<CustodyBasis> custody_basis;
  ProtectionSet protections;
  std::optional<Timestamp> scheduled_release;  // never public
  std::string retracts;

  bool operator==(const CustodyEvent&) const = default;
};

// The current custody state of a person: the fold of their non-retracted
// events in occurred_at order (see custody.h).
struct Subject {
  int64_t subject_id = 0;  // internal; never disclosed
  ANumber a_number;
  std::string given_names;
  std::string family_names;
  std::vector<std::string> aliases;
  std::optional<PartialDate> date_of_birth;
  std::string country_of_birth;
  std::optional<CustodyStatus> custody_status;  // nullopt: no standing event
  std::string facility_id;
  std::optional<CustodyBasis> custody_basis;
  ProtectionSet protections;
  std::optional<Timestamp> last_event_at;
  std::optional<Timestamp> released_at;  // when custody last ended, if it has
  std::optional<Timestamp> scheduled_release;
  // When something the public may see (name, birth year, country, status,
  // facility, basis) last changed; never moved by an event that changes only
  // what the public must not learn (an advance release date).
  std::optional<Timestamp> public_changed_at;

  bool operator==(const Subject&) const = default;
};

enum class Channel { kEmail, kSms, kVoice };
enum class RegistrationState { kPending, kActive, kSuspended, kUnsubscribed, kBounced };
enum class RegistrationTier { kPublic, kVerified };
enum class NotificationState {
  kCreated,
  kSending,
  kDelivered,
  kTemporaryFailure,
  kPermanentFailure,
  kTechnicalFailure,
  kSuppressed,
  kCancelled,
  kAcknowledged,
};

struct Registration {
  int64_t registration_id = 0;
  int64_t subject_id = 0;
  Channel channel = Channel::kEmail;
  std::string language;  // "en" or "es"
  RegistrationState state = RegistrationState::kPending;
  RegistrationTier tier = RegistrationTier::kPublic;
};

struct Notification {
  int64_t notification_id = 0;
  int64_t event_pk = 0;
  int64_t registration_id = 0;
  NotificationState state = NotificationState::kCreated;
};

}  // namespace vigil

#endif  // VIGIL_CORE_DOMAIN_H_
