// The installation's secret key ([secrets] key_file): 32 random bytes that
// derive the keys for opaque refs (and, later, contact encryption, blind
// indexes and token MACs). Never stored in the database.
#ifndef VIGIL_APP_SECRETS_H_
#define VIGIL_APP_SECRETS_H_

#include <array>
#include <optional>
#include <string>

#include "vigil/core/error.h"

namespace vigil {

using SecretKey = std::array<unsigned char, 32>;

// Reads the key at `path`, or creates it (and its directory) with fresh
// random bytes and mode 0600 if it does not exist. kUnavailable when it
// cannot be read or written; kInvalidArgument when the file is not exactly
// 32 bytes or can be read by group or others.
Result<SecretKey> LoadOrCreateSecretKey(const std::string& path);

// Reads the key at `path`; nullopt when there is no such file. Errors as
// LoadOrCreateSecretKey.
Result<std::optional<SecretKey>> LoadSecretKey(const std::string& path);

// Creates a new key at `path` (`vigil secrets init`); kConflict when one
// exists already (a key is never replaced: what was sealed with it would be
// lost).
Result<SecretKey> CreateSecretKey(const std::string& path);

// What names the key in the database and in messages: 16 hex digits of a
// derivation (KeyPurpose::kFingerprint), from which the key cannot be had.
std::string SecretKeyFingerprint(const SecretKey& key);

}  // namespace vigil

#endif  // VIGIL_APP_SECRETS_H_
