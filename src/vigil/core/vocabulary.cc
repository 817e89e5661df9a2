#include "vigil/core/vocabulary.h"

#include <array>
#include <utility>

namespace vigil {
namespace {

template <typename E, size_t N>
std::string_view NameIn(const std::array<std::pair<E, std::string_view>, N>& table, E v) {
  for (const auto& [e, name] : table) {
    if (e == v) return name;
  }
  return "unknown";
}

template <typename E, size_t N>
Result<E> ParseIn(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view text,
                  const char* what) {
  for (const auto& [e, name] : table) {
    if (name == text) return e;
  }
  std::string msg = std::string("unknown ") + what + " \"" + std::string(text.substr(0, 40)) +
                    "\" (expected one of:";
  for (const auto& entry : table) {
    msg += ' ';
    msg += entry.second;
  }
  msg += ')';
  return InvalidArgument(std::move(msg));
}

constexpr std::array<std::pair<CustodyStatus, std::string_view>, 5> kStatuses = {{
    {CustodyStatus::kInCustody, "in_custody"},
    {CustodyStatus::kReleased, "released"},
    {CustodyStatus::kRemoved, "removed"},
    {CustodyStatus::kEscaped, "escaped"},
    {CustodyStatus::kDeceased, "deceased"},
}};

constexpr std::array<std::pair<EventType, std::string_view>, 9> kEventTypes = {{
    {EventType::kBooked, "booked"},
    {EventType::kTransferred, "transferred"},
    {EventType::kReleased, "released"},
    {EventType::kRemoved, "removed"},
    {EventType::kEscaped, "escaped"},
    {EventType::kReturned, "returned"},
    {EventType::kDeceased, "deceased"},
    {EventType::kUpdated, "updated"},
    {EventType::kRetracted, "retracted"},
}};

constexpr std::array<std::pair<CustodyBasis, std::string_view>, 3> kBases = {{
    {CustodyBasis::kCivilImmigration, "civil_immigration"},
    {CustodyBasis::kCriminalCharge, "criminal_charge"},
    {CustodyBasis::kCriminalConviction, "criminal_conviction"},
}};

constexpr std::array<std::pair<Protection, std::string_view>, 5> kProtections = {{
    {Protection::kSec1367, "sec1367"},
    {Protection::kAsylum, "asylum"},
    {Protection::kSealed, "sealed"},
    {Protection::kJuvenile, "juvenile"},
    {Protection::kProvisional, "provisional"},
}};

constexpr std::array<std::pair<DeliveryChannel, std::string_view>, 3> kChannels = {
    {{DeliveryChannel::kEmail, "email"}, {DeliveryChannel::kSms, "sms"}, {DeliveryChannel::kVoice, "voice"}}};

constexpr std::array<std::pair<RegistrationState, std::string_view>, 5> kRegistrationStates = {{
    {RegistrationState::kPending, "pending"},
    {RegistrationState::kActive, "active"},
    {RegistrationState::kSuspended, "suspended"},
    {RegistrationState::kUnsubscribed, "unsubscribed"},
    {RegistrationState::kBounced, "bounced"},
}};

constexpr std::array<std::pair<RegistrationTier, std::string_view>, 2> kTiers = {
    {{RegistrationTier::kPublic, "public"}, {RegistrationTier::kVerified, "verified"}}};

constexpr std::array<std::pair<NotificationState, std::string_view>, 10> kNotificationStates = {{
    {NotificationState::kCreated, "created"},
    {NotificationState::kSending, "sending"},
    {NotificationState::kSent, "sent"},
    {NotificationState::kDelivered, "delivered"},
    {NotificationState::kTemporaryFailure, "temporary_failure"},
    {NotificationState::kPermanentFailure, "permanent_failure"},
    {NotificationState::kTechnicalFailure, "technical_failure"},
    {NotificationState::kSuppressed, "suppressed"},
    {NotificationState::kCancelled, "cancelled"},
    {NotificationState::kAcknowledged, "acknowledged"},
}};

}  // namespace

std::string_view Name(CustodyStatus v) { return NameIn(kStatuses, v); }
std::string_view Name(EventType v) { return NameIn(kEventTypes, v); }
std::string_view Name(CustodyBasis v) { return NameIn(kBases, v); }
std::string_view Name(Protection v) { return NameIn(kProtections, v); }

Result<CustodyStatus> ParseCustodyStatus(std::string_view t) {
  return ParseIn(kStatuses, t, "custody status");
}
Result<EventType> ParseEventType(std::string_view t) {
  return ParseIn(kEventTypes, t, "event type");
}
Result<CustodyBasis> ParseCustodyBasis(std::string_view t) {
  return ParseIn(kBases, t, "custody basis");
}
Result<Protection> ParseProtection(std::string_view t) {
  return ParseIn(kProtections, t, "protection");
}

bool StatusAfter(EventType type, CustodyStatus* status) {
  switch (type) {
    case EventType::kBooked:
    case EventType::kTransferred:
    case EventType::kReturned:
      *status = CustodyStatus::kInCustody;
      return true;
    case EventType::kReleased:
      *status = CustodyStatus::kReleased;
      return true;
    case EventType::kRemoved:
      *status = CustodyStatus::kRemoved;
      return true;
    case EventType::kEscaped:
      *status = CustodyStatus::kEscaped;
      return true;
    case EventType::kDeceased:
      *status = CustodyStatus::kDeceased;
      return true;
    case EventType::kUpdated:
    case EventType::kRetracted:
      return false;
  }
  return false;
}

std::vector<std::string> ProtectionSet::Names() const {
  std::vector<std::string> out;
  for (const auto& [p, name] : kProtections) {
    if (Has(p)) out.emplace_back(name);
  }
  return out;
}

std::string_view Name(DeliveryChannel v) { return NameIn(kChannels, v); }
std::string_view Name(RegistrationState v) { return NameIn(kRegistrationStates, v); }
std::string_view Name(RegistrationTier v) { return NameIn(kTiers, v); }
std::string_view Name(NotificationState v) { return NameIn(kNotificationStates, v); }
Result<DeliveryChannel> ParseChannel(std::string_view t) { return ParseIn(kChannels, t, "channel"); }
Result<RegistrationState> ParseRegistrationState(std::string_view t) {
  return ParseIn(kRegistrationStates, t, "registration state");
}
Result<RegistrationTier> ParseRegistrationTier(std::string_view t) {
  return ParseIn(kTiers, t, "registration tier");
}
Result<NotificationState> ParseNotificationState(std::string_view t) {
  return ParseIn(kNotificationStates, t, "notification state");
}

bool IsTerminal(NotificationState s) {
  using S = NotificationState;
  return s == S::kDelivered || s == S::kPermanentFailure || s == S::kTechnicalFailure ||
         s == S::kSuppressed || s == S::kCancelled || s == S::kAcknowledged;
}

}  // namespace vigil
