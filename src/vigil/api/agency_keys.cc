#include "vigil/api/agency_keys.h"

#include <sodium.h>

#include <algorithm>
#include <cstring>

namespace vigil::api {
namespace {

std::string HashSecret(std::string_view secret) {
  std::string out(crypto_generichash_BYTES, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), out.size(),
                     reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), nullptr,
                     0);
  return out;
}

bool KnownScope(std::string_view s) {
  return std::find(kScopes.begin(), kScopes.end(), s) != kScopes.end();
}

}  // namespace

Result<std::vector<std::string>> ValidKeySources(std::vector<std::string> sources) {
  for (const std::string& s : sources) {
    bool id = !s.empty() && s.size() <= 128 && std::all_of(s.begin(), s.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
             c == ':' || c == '/';
    });
    if (!id) {
      return InvalidArgument("--source: a feed source id is 1 to 128 letters, digits and - _ . : /");
    }
    if (s == kOverrideSource) {
      return InvalidArgument("--source: \"" + std::string(kOverrideSource) +
                             "\" is written only by the overrides route; no key may be bound to it");
    }
  }
  std::sort(sources.begin(), sources.end());
  sources.erase(std::unique(sources.begin(), sources.end()), sources.end());
  return sources;
}

bool MayWrite(const ApiKey& key, std::string_view source) {
  return source != kOverrideSource &&
         std::find(key.sources.begin(), key.sources.end(), source) != key.sources.end();
}

Result<NewApiKey> MakeApiKey(std::string name, std::vector<std::string> scopes,
                             std::vector<std::string> sources, Timestamp now) {
  if (sodium_init() < 0) return Unavailable("libsodium failed to initialise");
  if (name.empty() || name.size() > 64) {
    return InvalidArgument("--name: give the key a name of 1 to 64 characters");
  }
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') {
      return InvalidArgument("--name: use letters, digits, '-', '_' and '.' only");
    }
  }
  if (scopes.empty()) {
    return InvalidArgument(
        "--scope: give at least one of feed:write, subjects:protect, subjects:override, "
        "victims:enrol, audit:read, report:read");
  }
  for (const auto& s : scopes) {
    if (!KnownScope(s)) {
      return InvalidArgument("--scope: unknown scope \"" + s.substr(0, 40) +
                             "\" (expected feed:write, subjects:protect, subjects:override, "
                             "victims:enrol, audit:read or report:read)");
    }
  }
  std::sort(scopes.begin(), scopes.end());
  scopes.erase(std::unique(scopes.begin(), scopes.end()), scopes.end());
  const bool feed = std::binary_search(scopes.begin(), scopes.end(), "feed:write");
  if (feed && sources.empty()) {
    return InvalidArgument(
        "--source: a feed:write key must be bound to the feed sources it writes "
        "(e.g. --source ice-ero; repeat for several)");
  }
  if (!feed && !sources.empty()) {
    return InvalidArgument("--source: only a key with scope feed:write writes events of a source");
  }
  auto valid = ValidKeySources(std::move(sources));
  if (!valid) return tl::unexpected(valid.error());
  unsigned char id[8], secret[32];
  randombytes_buf(id, sizeof id);
  randombytes_buf(secret, sizeof secret);
  char hex[17];
  sodium_bin2hex(hex, sizeof hex, id, sizeof id);
  std::string encoded(sodium_base64_encoded_len(sizeof secret,
                                                sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                      '\0');
  sodium_bin2base64(encoded.data(), encoded.size(), secret, sizeof secret,
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  encoded.resize(std::strlen(encoded.c_str()));
  NewApiKey k;
  k.stored.key_id = hex;
  k.stored.name = std::move(name);
  k.stored.scopes = std::move(scopes);
  k.stored.sources = std::move(*valid);
  k.stored.secret_hash = HashSecret(encoded);
  k.stored.created_at = now;
  k.key = "vk." + k.stored.key_id + "." + encoded;
  return k;
}

Result<ApiKey> Authenticate(Store& store, const http::Request& req, std::string_view scope) {
  const Error refused(ErrorCode::kUnauthenticated,
                      "an agency API key is required: Authorization: Bearer vk.…");
  // Two credentials in one request: which one is meant is anybody's guess,
  // and proxies and servers guess differently. Refuse rather than pick.
  auto [first, last] = req.equal_range(boost::beast::http::field::authorization);
  if (first == last) return tl::unexpected(refused);
  if (std::next(first) != last) {
    return InvalidArgument("send one Authorization header, not several");
  }
  std::string_view value(first->value().data(), first->value().size());
  // The scheme is case-insensitive (RFC 7235 §2.1), then one or more spaces.
  constexpr std::string_view kScheme = "bearer";
  if (value.size() <= kScheme.size() ||
      !std::equal(kScheme.begin(), kScheme.end(), value.begin(),
                  [](char a, char b) { return a == (b | 0x20); }) ||
      value[kScheme.size()] != ' ') {
    return tl::unexpected(refused);
  }
  value.remove_prefix(kScheme.size());
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  std::string_view key = value;
  if (key.size() < 3 + 16 + 1 || key.substr(0, 3) != "vk." || key[19] != '.') {
    return tl::unexpected(refused);
  }
  std::string_view key_id = key.substr(3, 16), secret = key.substr(20);
  auto reader = store.BeginRead();
  if (!reader) return Unavailable("the key store is unavailable; try again");
  auto stored = (*reader)->controls().GetApiKey(key_id);
  if (!stored) return Unavailable("the key store is unavailable; try again");
  // The hash is compared even for an unknown id, so timing does not tell.
  std::string expected = *stored ? (*stored)->secret_hash : std::string(crypto_generichash_BYTES, '\0');
  std::string actual = HashSecret(secret);
  bool match = sodium_memcmp(expected.data(), actual.data(), expected.size()) == 0;
  if (!*stored || !match || (*stored)->revoked_at) return tl::unexpected(refused);
  const auto& scopes = (*stored)->scopes;
  if (std::find(scopes.begin(), scopes.end(), scope) == scopes.end()) {
    return tl::unexpected(
        Error(ErrorCode::kPermissionDenied, "this key lacks the scope " + std::string(scope)));
  }
  return **stored;
}

}  // namespace vigil::api
