// The closed vocabularies of the domain (DESIGN.md §5) and their wire names.
//
// Each enum has a Name() giving the exact string used in feeds, the store and
// the API, and a Parse*() that accepts exactly those strings. Thread-safe.
#ifndef VIGIL_CORE_VOCABULARY_H_
#define VIGIL_CORE_VOCABULARY_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/error.h"

namespace vigil {

enum class CustodyStatus { kInCustody, kReleased, kRemoved, kEscaped, kDeceased };
enum class EventType {
  kBooked,
  kTransferred,
  kReleased,
  kRemoved,
  kEscaped,
  kReturned,
  kDeceased,
  kUpdated,
  kRetracted,
};
enum class CustodyBasis { kCivilImmigration, kCriminalCharge, kCriminalConviction };
// kProvisional: withheld on an accredited advocate's protection request
// until staff decide (docs/staff.md); it protects like any other.
enum class Protection : uint8_t {
  kSec1367 = 0,
  kAsylum = 1,
  kSealed = 2,
  kJuvenile = 3,
  kProvisional = 4
};
enum class DeliveryChannel { kEmail, kSms, kVoice };
enum class RegistrationState { kPending, kActive, kSuspended, kUnsubscribed, kBounced };
enum class RegistrationTier { kPublic, kVerified };
enum class NotificationState {
  kCreated,
  kSending,
  kSent,  // handed to a gateway that reports delivery later (SMS): awaiting its receipt
  kDelivered,
  kTemporaryFailure,
  kPermanentFailure,
  kTechnicalFailure,
  kSuppressed,
  kCancelled,
  kAcknowledged,
};
// Delivered, permanent/technical failure, suppressed, cancelled and
// acknowledged never change again.
bool IsTerminal(NotificationState state);

std::string_view Name(CustodyStatus v);
std::string_view Name(EventType v);
std::string_view Name(CustodyBasis v);
std::string_view Name(Protection v);
std::string_view Name(DeliveryChannel v);
std::string_view Name(RegistrationState v);
std::string_view Name(RegistrationTier v);
std::string_view Name(NotificationState v);

// Each returns kInvalidArgument naming the accepted values when `text` is not one.
Result<CustodyStatus> ParseCustodyStatus(std::string_view text);
Result<EventType> ParseEventType(std::string_view text);
Result<CustodyBasis> ParseCustodyBasis(std::string_view text);
Result<Protection> ParseProtection(std::string_view text);
Result<DeliveryChannel> ParseChannel(std::string_view text);
Result<RegistrationState> ParseRegistrationState(std::string_view text);
Result<RegistrationTier> ParseRegistrationTier(std::string_view text);
Result<NotificationState> ParseNotificationState(std::string_view text);

// The custody status a person has after an event of type `type`; for
// kUpdated and kRetracted there is none (the status does not change).
bool StatusAfter(EventType type, CustodyStatus* status);

// A small set of protections, as a bitmask.
class ProtectionSet {
 public:
  ProtectionSet() = default;
  // Keeps bits this build has no name for: a protection added by a newer
  // vigil must still protect (empty() is false), even if it cannot be named.
  static ProtectionSet FromBits(uint32_t bits) { return ProtectionSet(bits); }

  void Add(Protection p) { bits_ |= Bit(p); }
  void Remove(Protection p) { bits_ &= ~Bit(p); }
  bool Has(Protection p) const { return (bits_ & Bit(p)) != 0; }
  bool empty() const { return bits_ == 0; }
  uint32_t bits() const { return bits_; }
  ProtectionSet Union(ProtectionSet other) const { return ProtectionSet(bits_ | other.bits_); }
  // Wire names in declaration order, e.g. {"sec1367", "asylum"}.
  std::vector<std::string> Names() const;

  bool operator==(const ProtectionSet&) const = default;

 private:
  explicit ProtectionSet(uint32_t bits) : bits_(bits) {}
  static uint32_t Bit(Protection p) { return 1u << static_cast<uint8_t>(p); }
  uint32_t bits_ = 0;
};

}  // namespace vigil

#endif  // VIGIL_CORE_VOCABULARY_H_
