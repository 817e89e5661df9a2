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
  // IANA zone ("America/Chicago") the facility's times are told in; "" in
  // rows stored before migration 16, read as the state's (policy/).
  std::string time_zone;

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
  // When something the public may see (name as shown, birth year, country,
  // status, facility while in custody, basis) last changed; never moved by an
  // event that changes only what the public does not see (aliases, an advance
  // release date, the day of birth, protections).
  std::optional<Timestamp> public_changed_at;
  // When the current custody episode began (or, once it ended, the last
  // one): the booking that followed a release, removal or death, or the
  // first event known. An escape and return is one episode. The gate asks
  // whether the person was a minor at any time in it.
  std::optional<Timestamp> custody_since;

  bool operator==(const Subject&) const = default;
};

// A person's request to be told about a subject (DESIGN.md §5). The contact
// (email address or E.164 number) is held only sealed; `contact_index` is a
// keyed hash of it for lookups (dedupe, STOP) — see notify/contact_vault.h.
struct Registration {
  int64_t registration_id = 0;
  int64_t subject_id = 0;
  DeliveryChannel channel = DeliveryChannel::kEmail;
  std::string contact_sealed;   // nonce || ciphertext
  std::string contact_index;    // keyed BLAKE2b, 32 bytes
  std::string language = "en";  // a built-in catalogue's tag (i18n::BuiltInLanguages)
  RegistrationState state = RegistrationState::kPending;
  RegistrationTier tier = RegistrationTier::kPublic;
  // The pending verification secret, hashed; empty when none is pending.
  std::string secret_hash;
  std::optional<Timestamp> secret_expires_at;
  int secret_attempts = 0;
  Timestamp created_at;
  std::optional<Timestamp> ended_at;  // unsubscribed, bounced
  // Ended by the contact's own opt-out (SMS STOP) while active: an opt-in
  // (START) from the same contact makes it active again.
  bool opted_out = false;
  // Voice: the keyed hash of the 4-digit PIN the registrant chose, asked
  // for before a call says anything about the person. Empty otherwise.
  std::string pin_hash;
  // Set when an agency enrolled the registrant (tier kVerified): the id the
  // victim quotes, with their PIN, to the agency. Empty otherwise; unique.
  std::string victim_id;

  bool operator==(const Registration&) const = default;
};

// A message a hotline caller left for the specialists (api/hotline_routes.h):
// the caller's number sealed like any contact, the provider's recording.
struct Voicemail {
  int64_t voicemail_id = 0;
  Timestamp received_at;
  std::string caller_sealed;  // nonce || ciphertext of the caller's E.164 number
  std::string recording_url;
  int64_t duration_seconds = 0;
  std::string language = "en";

  bool operator==(const Voicemail&) const = default;
};

// An agency's key to the agency API (DESIGN.md §7). The key itself —
// "vk.<key_id>.<secret>" — is shown once, when it is made; only a hash of
// the secret is kept.
struct ApiKey {
  std::string key_id;  // public, 16 hex digits
  std::string name;    // unique, chosen by the operator
  std::vector<std::string> scopes;
  // The feed sources a feed:write key may write events of (and retract
  // events of); sorted, unique. Empty for keys without feed:write.
  std::vector<std::string> sources;
  std::string secret_hash;  // BLAKE2b-256 of the secret
  Timestamp created_at;
  std::optional<Timestamp> revoked_at;

  bool operator==(const ApiKey&) const = default;
};

// A member of staff who works in the console at /staff/ (docs/staff.md).
// The password is kept as an Argon2id hash (libsodium's crypto_pwhash_str
// string); the TOTP secret sealed with the contact vault's key.
struct StaffAccount {
  std::string name;  // unique login name: letters, digits, '.', '-', '_'
  std::string role;  // "specialist", "supervisor", "auditor", "admin", "advocate"
  std::string password_hash;
  std::string totp_sealed;    // nonce || ciphertext of the 20-byte secret
  int64_t failed_logins = 0;  // since the last good login
  std::optional<Timestamp> locked_until;
  // Raised by disable, reset-2fa and sign-out: every session issued under an
  // earlier epoch stops working.
  int64_t session_epoch = 0;
  bool disabled = false;
  Timestamp created_at;
  std::optional<Timestamp> last_login_at;
  // The TOTP time step (Unix seconds / 30) of the last code that signed in:
  // a code of that step or an earlier one is refused (RFC 6238 §5.2).
  int64_t totp_last_step = 0;

  bool operator==(const StaffAccount&) const = default;
};

// Someone's request that a person not be listed (docs/staff.md). Stored
// whether or not anyone matches `identifier`, so the requester cannot tell.
struct ProtectionRequest {
  int64_t request_id = 0;
  std::string identifier;  // as given: nine A-number digits, or a result's ref
  int64_t subject_id = 0;  // whom it resolved to; 0 for nobody
  std::string reason;      // "vawa", "asylum", "minor", "safety", "other"
  std::string details;     // free text from the requester, at most 1,000 characters
  std::string
      contact_sealed;  // nonce || ciphertext of an e-mail or phone for the outcome; may be empty
  std::string requested_by;  // "public", "advocate:<key name>", "staff:<account>"
  std::string state;         // "queued", "provisional", "confirmed", "rejected"
  Timestamp created_at;
  Timestamp due_at;        // the operator's target for a decision
  std::string decided_by;  // "staff:<account>" once decided
  std::optional<Timestamp> decided_at;
  std::string decision_note;
  std::string language = "en";            // the requester's: the outcome is told in it
  std::optional<Timestamp> outcome_sent;  // when the requester was told the outcome

  bool operator==(const ProtectionRequest&) const = default;
};

// One entry of the audit log (DESIGN.md §2.8): hash-chained, each entry
// holding the hash of the one before. No contact data and no query text.
struct AuditEntry {
  int64_t seq = 0;  // 1, 2, 3, ... without gaps
  Timestamp at;
  std::string kind;   // "search", "suppressed_match", "protection", "key_use", ...
  std::string actor;  // "public", "api:<key name>", "system"
  std::optional<int64_t> subject_id;
  std::string detail;           // plain text; hashes, refs and reasons only
  std::string prev_hash, hash;  // 32 bytes each; prev_hash of entry 1 is 32 zero bytes

  bool operator==(const AuditEntry&) const = default;
};

// A signed statement that the log up to entry `seq` had the hash `hash`.
struct AuditCheckpoint {
  int64_t seq = 0;
  Timestamp at;
  std::string hash, signature;  // Ed25519 (detached, 64 bytes)

  bool operator==(const AuditCheckpoint&) const = default;
};

// One message owed to one registration: the outbox row. Unique on
// (event_pk, registration_id); a verification message has no event.
struct Notification {
  int64_t notification_id = 0;
  std::optional<int64_t> event_pk;  // nullopt: a verification message
  int64_t registration_id = 0;
  std::string kind;  // the event type ("transferred", ...) or "verify"
  NotificationState state = NotificationState::kCreated;
  int attempts = 0;  // sends started; also the lease token of the current one
  Timestamp due_at;
  std::optional<Timestamp> lease_until;  // while kSending
  // Sealed content only this message needs (a verification token); wiped
  // when the notification reaches a terminal state.
  std::string payload_sealed;
  std::string last_error;  // no contact data, ever
  Timestamp created_at;
  Timestamp updated_at;

  bool operator==(const Notification&) const = default;
};

}  // namespace vigil

#endif  // VIGIL_CORE_DOMAIN_H_
