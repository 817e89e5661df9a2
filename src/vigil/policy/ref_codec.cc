#include "vigil/policy/ref_codec.h"

#include <sodium.h>

#include <algorithm>

#include "vigil/core/key_ring.h"

namespace vigil::policy {
namespace {

constexpr size_t kTagBytes = 16;  // crypto_generichash_BYTES_MIN
constexpr size_t kIdBytes = 8;
constexpr size_t kRefBytes = kTagBytes + kIdBytes;
static_assert(kTagBytes >= crypto_generichash_BYTES_MIN);
static_assert(sodium_base64_ENCODED_LEN(kRefBytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING) ==
              RefCodec::kRefChars + 1);
static_assert(RefCodec::kKeyBytes == crypto_kdf_KEYBYTES);

std::array<unsigned char, kIdBytes> BigEndian(uint64_t v) {
  std::array<unsigned char, kIdBytes> out;
  for (size_t i = 0; i < kIdBytes; ++i) out[i] = static_cast<unsigned char>(v >> (56 - 8 * i));
  return out;
}

uint64_t FromBigEndian(const unsigned char* p) {
  uint64_t v = 0;
  for (size_t i = 0; i < kIdBytes; ++i) v = (v << 8) | p[i];
  return v;
}

// out = BLAKE2b-128 keyed with `key` over `in`.
template <size_t N, size_t M>
void Prf(const std::array<unsigned char, N>& key, const unsigned char* in, size_t in_len,
         std::array<unsigned char, M>* out) {
  static_assert(M >= crypto_generichash_BYTES_MIN && M <= crypto_generichash_BYTES_MAX);
  crypto_generichash(out->data(), M, in, in_len, key.data(), N);
}

}  // namespace

Result<RefCodec> RefCodec::Create(std::span<const unsigned char> key) {
  if (key.size() != kKeyBytes) {
    return InvalidArgument("ref key must be " + std::to_string(kKeyBytes) + " bytes, got " +
                           std::to_string(key.size()));
  }
  KeyRing::Key master;
  std::copy(key.begin(), key.end(), master.begin());
  auto ring = KeyRing::Create(master);
  sodium_memzero(master.data(), master.size());
  if (!ring) return tl::unexpected(ring.error());
  RefCodec codec;
  codec.tag_key_ = ring->Derive(KeyPurpose::kRefTag);
  codec.stream_key_ = ring->Derive(KeyPurpose::kRefStream);
  return codec;
}

RefCodec::~RefCodec() {
  sodium_memzero(tag_key_.data(), tag_key_.size());
  sodium_memzero(stream_key_.data(), stream_key_.size());
}

std::string RefCodec::Encode(int64_t subject_id) const {
  const auto plain = BigEndian(static_cast<uint64_t>(subject_id));
  std::array<unsigned char, kRefBytes> raw;
  std::array<unsigned char, kTagBytes> tag;
  Prf(tag_key_, plain.data(), plain.size(), &tag);
  std::array<unsigned char, kTagBytes> pad;
  Prf(stream_key_, tag.data(), tag.size(), &pad);
  for (size_t i = 0; i < kTagBytes; ++i) raw[i] = tag[i];
  for (size_t i = 0; i < kIdBytes; ++i) raw[kTagBytes + i] = plain[i] ^ pad[i];

  char b64[kRefChars + 1];
  sodium_bin2base64(b64, sizeof b64, raw.data(), raw.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return std::string(b64, kRefChars);
}

std::optional<int64_t> RefCodec::Decode(std::string_view ref) const {
  // Length first: bounds the work on hostile input and rejects padding,
  // whitespace and anything appended.
  if (ref.size() != kRefChars) return std::nullopt;
  std::array<unsigned char, kRefBytes> raw;
  size_t raw_len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(raw.data(), raw.size(), ref.data(), ref.size(), /*ignore=*/nullptr,
                        &raw_len, &end, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      raw_len != kRefBytes || end != ref.data() + ref.size()) {
    return std::nullopt;
  }
  std::array<unsigned char, kTagBytes> pad;
  Prf(stream_key_, raw.data(), kTagBytes, &pad);
  std::array<unsigned char, kIdBytes> plain;
  for (size_t i = 0; i < kIdBytes; ++i) plain[i] = raw[kTagBytes + i] ^ pad[i];
  std::array<unsigned char, kTagBytes> expected;
  Prf(tag_key_, plain.data(), plain.size(), &expected);
  if (sodium_memcmp(expected.data(), raw.data(), kTagBytes) != 0) return std::nullopt;
  return static_cast<int64_t>(FromBigEndian(plain.data()));
}

}  // namespace vigil::policy
