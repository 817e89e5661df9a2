#include "vigil/notify/contact_vault.h"

#include <sodium.h>

#include <algorithm>
#include <charconv>
#include <cstring>

#include "vigil/core/key_ring.h"

namespace vigil::notify {
namespace {

std::string KeyedHash(const std::array<unsigned char, 32>& key, std::string_view data) {
  std::string out(32, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), out.size(),
                     reinterpret_cast<const unsigned char*>(data.data()), data.size(), key.data(),
                     key.size());
  return out;
}

std::string Base64Url(const unsigned char* data, size_t size) {
  std::string out(sodium_base64_encoded_len(size, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), data, size, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::strlen(out.c_str()));
  return out;
}

}  // namespace

Result<ContactVault> ContactVault::Create(const std::array<unsigned char, 32>& secret_key) {
  auto ring = KeyRing::Create(secret_key);
  if (!ring) return tl::unexpected(ring.error());
  ContactVault v;
  v.seal_key_ = ring->Derive(KeyPurpose::kContactSeal);
  v.index_key_ = ring->Derive(KeyPurpose::kContactIndex);
  v.secret_key_ = ring->Derive(KeyPurpose::kVerificationSecret);
  v.unsubscribe_key_ = ring->Derive(KeyPurpose::kUnsubscribe);
  v.receipt_key_ = ring->Derive(KeyPurpose::kDeliveryReceipt);
  v.staff_key_ = ring->Derive(KeyPurpose::kStaffSession);
  return v;
}

std::string ContactVault::Seal(std::string_view contact) const {
  std::string out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + contact.size(), '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(contact.data()), contact.size(),
                        nonce, seal_key_.data());
  return out;
}

Result<std::string> ContactVault::Open(std::string_view sealed) const {
  constexpr size_t kOverhead = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
  if (sealed.size() < kOverhead) return InvalidArgument("sealed contact is truncated");
  std::string out(sealed.size() - kOverhead, '\0');
  const auto* nonce = reinterpret_cast<const unsigned char*>(sealed.data());
  if (crypto_secretbox_open_easy(
          reinterpret_cast<unsigned char*>(out.data()), nonce + crypto_secretbox_NONCEBYTES,
          sealed.size() - crypto_secretbox_NONCEBYTES, nonce, seal_key_.data()) != 0) {
    return InvalidArgument("sealed contact does not open with this key");
  }
  return out;
}

std::string ContactVault::BlindIndex(vigil::DeliveryChannel channel, std::string_view normalized) const {
  // Email and SMS numbers are distinct namespaces; SMS and voice share a
  // number but not a registration.
  std::string input(Name(channel));
  input += '\0';
  input.append(normalized);
  return KeyedHash(index_key_, input);
}

std::string ContactVault::HashSecret(std::string_view secret) const {
  return KeyedHash(secret_key_, secret);
}

std::string ContactVault::HashPin(std::string_view pin) const {
  std::string input("voice pin");
  input += '\0';
  input.append(pin);
  return KeyedHash(secret_key_, input);
}

std::string ContactVault::RandomToken(size_t bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  return Base64Url(reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
}

std::string ContactVault::RandomDigits(int digits) {
  std::string out;
  for (int i = 0; i < digits; ++i) out += static_cast<char>('0' + randombytes_uniform(10));
  return out;
}

std::string ContactVault::UnsubscribeToken(int64_t registration_id) const {
  std::string id = std::to_string(registration_id);
  std::string mac = KeyedHash(unsubscribe_key_, id).substr(0, 16);
  return id + "." + Base64Url(reinterpret_cast<const unsigned char*>(mac.data()), mac.size());
}

Result<int64_t> ContactVault::CheckUnsubscribeToken(std::string_view token) const {
  size_t dot = token.find('.');
  int64_t id = 0;
  if (dot == std::string_view::npos || dot == 0 || dot > 18) {
    return InvalidArgument("this unsubscribe link is not valid");
  }
  auto [ptr, ec] = std::from_chars(token.data(), token.data() + dot, id);
  if (ec != std::errc() || ptr != token.data() + dot || id <= 0 ||
      !SecretsEqual(UnsubscribeToken(id), token)) {
    return InvalidArgument("this unsubscribe link is not valid");
  }
  return id;
}

std::string ContactVault::StatusReference(int64_t registration_id) {
  return "R-" + std::to_string(registration_id);
}

std::string ContactVault::StatusPin(int64_t registration_id) const {
  // Apart from the unsubscribe token's MAC by its input's prefix.
  std::string mac = KeyedHash(unsubscribe_key_, "status-pin:" + std::to_string(registration_id));
  uint64_t n = 0;
  for (int i = 0; i < 8; ++i) n = (n << 8) | static_cast<unsigned char>(mac[i]);
  std::string digits = std::to_string(n % 1000000);
  return std::string(6 - digits.size(), '0') + digits;
}

Result<int64_t> ContactVault::CheckStatusPin(std::string_view reference,
                                             std::string_view pin) const {
  std::optional<int64_t> id = ParseStatusReference(reference);
  if (!id || !SecretsEqual(StatusPin(*id), pin)) {
    return InvalidArgument("the reference or PIN is not right");
  }
  return *id;
}

std::optional<int64_t> ContactVault::ParseStatusReference(std::string_view reference) {
  std::string digits;
  for (char c : reference) {
    if (c >= '0' && c <= '9') {
      digits += c;
    } else if (c != 'R' && c != 'r' && c != '-' && c != ' ') {
      return std::nullopt;
    }
  }
  int64_t id = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
  if (digits.empty() || digits.size() > 18 || ec != std::errc() || id <= 0) return std::nullopt;
  return id;
}

std::string ContactVault::ReceiptToken(int64_t notification_id) const {
  std::string mac = KeyedHash(receipt_key_, std::to_string(notification_id)).substr(0, 16);
  return Base64Url(reinterpret_cast<const unsigned char*>(mac.data()), mac.size());
}

bool ContactVault::CheckReceiptToken(int64_t notification_id, std::string_view token) const {
  return notification_id > 0 && SecretsEqual(ReceiptToken(notification_id), token);
}

Result<std::string> NormalizeEmail(std::string_view text) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  if (text.empty()) return InvalidArgument("contact: give an email address");
  if (text.size() > 254) return InvalidArgument("contact: the email address is too long");
  size_t at = text.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == text.size()) {
    return InvalidArgument("contact: not an email address (expected name@example.org)");
  }
  for (unsigned char c : text) {
    // No spaces, controls, or characters that would break a header line.
    if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == ',' || c == ';' || c == '"' ||
        c == '\\' || c == '(' || c == ')' || c == '[' || c == ']') {
      return InvalidArgument("contact: the email address holds a character it cannot contain");
    }
  }
  std::string local(text.substr(0, at));
  std::string domain(text.substr(at + 1));
  if (local.find('@') != std::string::npos || domain.find('.') == std::string::npos ||
      domain.front() == '.' || domain.back() == '.' || domain.find("..") != std::string::npos) {
    return InvalidArgument("contact: not an email address (expected name@example.org)");
  }
  std::transform(domain.begin(), domain.end(), domain.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return local + "@" + domain;
}

bool SecretsEqual(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string ContactVault::StaffMac(std::string_view message) const {
  return KeyedHash(staff_key_, message);
}

}  // namespace vigil::notify
