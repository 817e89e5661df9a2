// RefCodec: the opaque `ref` token that stands for a subject outside vigil
// (DESIGN.md §2.6: internal ids are never disclosed; §7: `ref` is opaque).
//
// A ref is a deterministic authenticated encryption of the subject id (SIV
// construction, Rogaway–Shrimpton 2006, from keyed BLAKE2b as the PRF):
//
//   tag = BLAKE2b-128(k_tag, be64(id))
//   ct  = be64(id) XOR first 8 bytes of BLAKE2b-128(k_stream, tag)
//   ref = base64url-no-padding(tag || ct)          -- 24 bytes, 32 characters
//
// k_tag and k_stream are derived from the 32-byte master key with
// crypto_kdf (context "vigilref", core/key_ring.h), so the master key can be shared with other
// uses (contact encryption, blind index) without cross-protocol interference.
// Properties: the same (key, id) always gives the same ref (a ref can be
// bookmarked and registered against); without the key a ref reveals nothing
// about the id beyond equality with another ref; Decode accepts only refs
// made by Encode with the same key — a forged or altered ref passes the
// 128-bit tag check with probability 2^-128.
//
// Thread safety: immutable after Create(); any thread may Encode/Decode.
#ifndef VIGIL_POLICY_REF_CODEC_H_
#define VIGIL_POLICY_REF_CODEC_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "vigil/core/error.h"

namespace vigil::policy {

class RefCodec {
 public:
  static constexpr size_t kKeyBytes = 32;
  // Length in characters of every ref Encode produces.
  static constexpr size_t kRefChars = 32;

  // Initialises libsodium (idempotent, thread-safe) and derives the subkeys.
  // kInvalidArgument when `key` is not kKeyBytes long; kInternal when
  // libsodium cannot be initialised. The codec keeps no reference to `key`.
  static Result<RefCodec> Create(std::span<const unsigned char> key);

  RefCodec(const RefCodec&) = default;
  RefCodec& operator=(const RefCodec&) = default;
  ~RefCodec();

  // The ref of `subject_id`: kRefChars characters of [A-Za-z0-9_-].
  std::string Encode(int64_t subject_id) const;

  // The subject id `ref` was made from, or nullopt for anything Encode did
  // not produce with this key: another key, an altered, truncated or extended
  // ref, padding, whitespace, garbage. Never throws.
  std::optional<int64_t> Decode(std::string_view ref) const;

 private:
  static constexpr size_t kSubkeyBytes = 32;
  RefCodec() = default;

  std::array<unsigned char, kSubkeyBytes> tag_key_{};
  std::array<unsigned char, kSubkeyBytes> stream_key_{};
};

}  // namespace vigil::policy

#endif  // VIGIL_POLICY_REF_CODEC_H_
