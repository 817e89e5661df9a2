#include "vigil/core/key_ring.h"

#include <sodium.h>

namespace vigil {
namespace {

// crypto_kdf's context for the ref keys: exactly 8 characters, no terminator.
constexpr char kRefContext[crypto_kdf_CONTEXTBYTES] = {'v', 'i', 'g', 'i', 'l', 'r', 'e', 'f'};

// The purpose strings of the BLAKE2b derivations; changing one orphans
// every value written under it.
std::string_view PurposeString(KeyPurpose purpose) {
  switch (purpose) {
    case KeyPurpose::kContactSeal:
      return "vigil contact seal v1";
    case KeyPurpose::kContactIndex:
      return "vigil contact index v1";
    case KeyPurpose::kVerificationSecret:
      return "vigil verification secret v1";
    case KeyPurpose::kUnsubscribe:
      return "vigil unsubscribe v1";
    case KeyPurpose::kDeliveryReceipt:
      return "vigil delivery receipt v1";
    case KeyPurpose::kAuditSigningSeed:
      return "vigil audit signing v1";
    case KeyPurpose::kAuditQueryHash:
      return "vigil audit query hash v1";
    case KeyPurpose::kFingerprint:
      return "vigil key fingerprint v1";
    case KeyPurpose::kStaffSession:
      return "vigil staff session v1";
    case KeyPurpose::kRefTag:
    case KeyPurpose::kRefStream:
      break;
  }
  return "";
}

}  // namespace

std::string_view Name(KeyPurpose purpose) {
  switch (purpose) {
    case KeyPurpose::kRefTag:
      return "ref_tag";
    case KeyPurpose::kRefStream:
      return "ref_stream";
    case KeyPurpose::kContactSeal:
      return "contact_seal";
    case KeyPurpose::kContactIndex:
      return "contact_index";
    case KeyPurpose::kVerificationSecret:
      return "verification_secret";
    case KeyPurpose::kUnsubscribe:
      return "unsubscribe";
    case KeyPurpose::kDeliveryReceipt:
      return "delivery_receipt";
    case KeyPurpose::kAuditSigningSeed:
      return "audit_signing_seed";
    case KeyPurpose::kAuditQueryHash:
      return "audit_query_hash";
    case KeyPurpose::kFingerprint:
      return "fingerprint";
    case KeyPurpose::kStaffSession:
      return "staff_session";
  }
  return "unknown";
}

Result<KeyRing> KeyRing::Create(const Key& master) {
  // Idempotent and thread-safe: 0 the first time, 1 after, -1 on failure.
  if (sodium_init() < 0) return Unavailable("libsodium failed to initialise");
  return KeyRing(master);
}

KeyRing::~KeyRing() { sodium_memzero(master_.data(), master_.size()); }

KeyRing::Key KeyRing::Derive(KeyPurpose purpose) const {
  Key out{};
  if (purpose == KeyPurpose::kRefTag || purpose == KeyPurpose::kRefStream) {
    const uint64_t subkey_id = purpose == KeyPurpose::kRefTag ? 1 : 2;
    crypto_kdf_derive_from_key(out.data(), out.size(), subkey_id, kRefContext, master_.data());
    return out;
  }
  const std::string_view p = PurposeString(purpose);
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(p.data()),
                     p.size(), master_.data(), master_.size());
  return out;
}

}  // namespace vigil
