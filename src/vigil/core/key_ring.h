// Every key vigil uses, derived in one place from the installation's
// secret key ([secrets] key_file, 32 bytes): refs, sealed contacts, blind
// indexes, verification and unsubscribe tokens, delivery receipts, the
// audit log's signing seed and query hashes. A new purpose gets a new
// entry here, never a derivation of its own elsewhere.
//
// Each purpose keeps the derivation it was first made with, so data
// written under it (refs already handed out, sealed contacts, blind
// indexes) stays valid: BLAKE2b keyed by the secret key over a purpose
// string for most; crypto_kdf (context "vigilref") for the two ref keys.
// key_ring_test.cc pins every one to a golden value.
//
// Thread-compatible; the master key is wiped on destruction.
#ifndef VIGIL_CORE_KEY_RING_H_
#define VIGIL_CORE_KEY_RING_H_

#include <array>
#include <string_view>

#include "vigil/core/error.h"

namespace vigil {

enum class KeyPurpose {
  kRefTag,              // policy/ref_codec: the ref's MAC
  kRefStream,           // policy/ref_codec: the ref's id encryption
  kContactSeal,         // notify/contact_vault: sealing contacts
  kContactIndex,        // notify/contact_vault: blind index of a contact
  kVerificationSecret,  // notify/contact_vault: verification secrets
  kUnsubscribe,         // notify/contact_vault: unsubscribe tokens
  kDeliveryReceipt,     // notify/contact_vault: delivery-receipt tokens
  kAuditSigningSeed,    // audit/audit_log: the Ed25519 seed of checkpoints
  kAuditQueryHash,      // audit/audit_log: keyed hashes of search queries
  kFingerprint,         // app/services: names the key in the database, not a key itself
  kStaffSession,        // notify/contact_vault: the staff console's session cookies and CSRF tokens
};

// "ref_tag", "contact_seal", ...
std::string_view Name(KeyPurpose purpose);

class KeyRing {
 public:
  using Key = std::array<unsigned char, 32>;

  // kUnavailable when libsodium cannot be initialised.
  static Result<KeyRing> Create(const Key& master);

  KeyRing(const KeyRing& other) = default;
  KeyRing& operator=(const KeyRing& other) = default;
  ~KeyRing();

  // The key for `purpose`; the same master always gives the same key.
  Key Derive(KeyPurpose purpose) const;

 private:
  explicit KeyRing(const Key& master) : master_(master) {}
  Key master_;
};

}  // namespace vigil

#endif  // VIGIL_CORE_KEY_RING_H_
