// Contact data at rest (DESIGN.md §5): email addresses and phone
// numbers are sealed with libsodium (XSalsa20-Poly1305 secretbox, a fresh
// random nonce each time) under a key derived from the server's secret key,
// which never enters the database. A keyed BLAKE2b "blind index" of the
// normalised contact lets the store find a contact (dedupe, STOP) without
// holding it. Verification secrets are stored only as keyed hashes; the
// unsubscribe token is a MAC of the registration id, so it needs no storage.
//
// Thread safety: immutable after Create(); every method may be called from
// any thread.
#ifndef VIGIL_NOTIFY_CONTACT_VAULT_H_
#define VIGIL_NOTIFY_CONTACT_VAULT_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "vigil/core/error.h"
#include "vigil/core/vocabulary.h"

namespace vigil::notify {

class ContactVault {
 public:
  static Result<ContactVault> Create(const std::array<unsigned char, 32>& secret_key);

  // nonce || ciphertext of `contact`.
  std::string Seal(std::string_view contact) const;
  // kInvalidArgument when `sealed` was not made by Seal with this key.
  Result<std::string> Open(std::string_view sealed) const;
  // 32 bytes; equal for equal (channel, normalised contact).
  std::string BlindIndex(vigil::DeliveryChannel channel, std::string_view normalized_contact) const;
  // A keyed hash of a verification secret (32 bytes).
  std::string HashSecret(std::string_view secret) const;
  // A keyed hash of a voice PIN (32 bytes), apart from HashSecret's.
  std::string HashPin(std::string_view pin) const;
  // A fresh random secret: `bytes` random bytes, base64url (no padding).
  static std::string RandomToken(size_t bytes = 24);
  // A fresh random code of `digits` decimal digits (SMS and voice).
  static std::string RandomDigits(int digits);
  // "<registration_id>.<mac>", stable for a registration; and its check.
  std::string UnsubscribeToken(int64_t registration_id) const;
  // The registration id, or kInvalidArgument for a token this key did not make.
  Result<int64_t> CheckUnsubscribeToken(std::string_view token) const;
  // The registrant's own page (api/web_pages.h /status): a reference naming
  // the registration ("R-" and its id), and a 6-digit PIN that is a MAC of
  // it, so neither needs storage; and the check of a pair (kInvalidArgument
  // for any pair this key did not make, one message for all).
  static std::string StatusReference(int64_t registration_id);
  // The registration id a reference names, read as people type it ("R-12",
  // "r 12", "12"); nullopt for anything else.
  static std::optional<int64_t> ParseStatusReference(std::string_view reference);
  std::string StatusPin(int64_t registration_id) const;
  Result<int64_t> CheckStatusPin(std::string_view reference, std::string_view pin) const;
  // A MAC of a notification id for a gateway's delivery-report URL, so that
  // nobody else can mark a message delivered or failed; and its check.
  std::string ReceiptToken(int64_t notification_id) const;
  bool CheckReceiptToken(int64_t notification_id, std::string_view token) const;
  // A MAC (32 bytes) under a key of its own, for the staff console's session
  // cookies and CSRF tokens (api/staff_auth.h).
  std::string StaffMac(std::string_view message) const;

 private:
  ContactVault() = default;
  std::array<unsigned char, 32> seal_key_{}, index_key_{}, secret_key_{}, unsubscribe_key_{},
      receipt_key_{}, staff_key_{};
};

// Trims and validates an email address for sending; the domain is lower-cased.
// kInvalidArgument with a message fit to show the user.
Result<std::string> NormalizeEmail(std::string_view text);

// Constant-time comparison of two byte strings of possibly different length.
bool SecretsEqual(std::string_view a, std::string_view b);

}  // namespace vigil::notify

#endif  // VIGIL_NOTIFY_CONTACT_VAULT_H_
