// Agency API keys (DESIGN.md §7, issue 5): making them, and checking them on
// requests. A key is "vk.<key id>.<secret>": the key id (16 hex digits)
// finds the stored key, the secret (32 random bytes, base64url) is kept only
// as a BLAKE2b hash and compared in constant time. Each key carries scopes;
// every agency route names the one it needs.
//
// Thread safety: functions are thread-safe given a thread-safe store.
#ifndef VIGIL_API_AGENCY_KEYS_H_
#define VIGIL_API_AGENCY_KEYS_H_

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/clock.h"
#include "vigil/core/domain.h"
#include "vigil/http/message.h"
#include "vigil/store/store.h"

namespace vigil::api {

inline constexpr std::array<std::string_view, 6> kScopes = {
    "feed:write", "subjects:protect", "subjects:override",
    "victims:enrol", "audit:read", "report:read"};

struct NewApiKey {
  ApiKey stored;    // what the store keeps
  std::string key;  // what the agency uses; shown once, never stored
};

// A fresh key. kInvalidArgument for an empty or over-long name (64 bytes;
// letters, digits, '-', '_', '.'), no scope, or an unknown scope.
Result<NewApiKey> MakeApiKey(std::string name, std::vector<std::string> scopes, Timestamp now);

// Checks "Authorization: Bearer <key>" (the scheme in any case):
// kInvalidArgument when the request has more than one Authorization header;
// kUnauthenticated when it is missing, malformed, unknown, wrong or revoked
// (one message for all);
// kPermissionDenied when the key lacks `scope`; kUnavailable when the store fails.
Result<ApiKey> Authenticate(Store& store, const http::Request& req, std::string_view scope);

}  // namespace vigil::api

#endif  // VIGIL_API_AGENCY_KEYS_H_
