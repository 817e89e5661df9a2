// Agency API keys (DESIGN.md §7): making them, and checking them on
// requests. A key is "vk.<key id>.<secret>": the key id (16 hex digits)
// finds the stored key, the secret (32 random bytes, base64url) is kept only
// as a BLAKE2b hash and compared in constant time. Each key carries scopes;
// every agency route names the one it needs. A feed:write key is also bound
// to the feed sources it may write (DESIGN.md §2.9): an agency's key cannot
// write, or retract, another agency's events, nor the overrides' own.
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

inline constexpr std::array<std::string_view, 7> kScopes = {
    "feed:write", "subjects:protect", "subjects:override",     "victims:enrol",
    "audit:read", "report:read",      "registrations:advocate"};

// The scope of an advocate key: a shelter's or legal clinic's, registering
// victims for notices without the per-address limit (registration_routes.h).
inline constexpr std::string_view kAdvocateScope = "registrations:advocate";

struct NewApiKey {
  ApiKey stored;    // what the store keeps
  std::string key;  // what the agency uses; shown once, never stored
};

// The source of the events an override makes (api/agency_routes.h). No key
// may be bound to it: only the overrides route writes it.
inline constexpr std::string_view kOverrideSource = "vigil-override";

// A fresh key. kInvalidArgument for an empty or over-long name (64 bytes;
// letters, digits, '-', '_', '.'), no scope, an unknown scope, feed:write
// without a source, a source without feed:write, or a source that is no
// feed source id (ValidKeySources).
Result<NewApiKey> MakeApiKey(std::string name, std::vector<std::string> scopes,
                             std::vector<std::string> sources, Timestamp now);

// `sources` sorted and without repeats, or kInvalidArgument naming the first
// that is not a feed source id (1-128 of letters, digits, - _ . : /) or is
// the reserved kOverrideSource.
Result<std::vector<std::string>> ValidKeySources(std::vector<std::string> sources);

// Whether `key` may write events of `source`.
bool MayWrite(const ApiKey& key, std::string_view source);

// Checks "Authorization: Bearer <key>" (the scheme in any case):
// kInvalidArgument when the request has more than one Authorization header;
// kUnauthenticated when it is missing, malformed, unknown, wrong or revoked
// (one message for all);
// kPermissionDenied when the key lacks `scope`; kUnavailable when the store fails.
Result<ApiKey> Authenticate(Store& store, const http::Request& req, std::string_view scope);

}  // namespace vigil::api

#endif  // VIGIL_API_AGENCY_KEYS_H_
