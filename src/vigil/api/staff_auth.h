// Who may work in the staff console (docs/staff.md), and how they prove it:
// roles and the API-key scopes each holds, passwords (Argon2id), the second
// factor (TOTP, RFC 6238, HMAC-SHA1, 6 digits, 30 s steps), the lockout, and
// the session cookie with its CSRF token.
//
// A session needs no storage: the cookie is "<account>.<epoch>.<issued>.<seen>.<mac>",
// a MAC (ContactVault::StaffMac) over the rest. It is refused when the MAC is
// wrong, when `seen` is older than the idle timeout or `issued` than the
// longest session, and — checked against the store on every request — when
// the account is disabled, locked or its session_epoch moved on (disable,
// reset-2fa and sign-out raise it). Each answer carries a fresh cookie with
// `seen` now, so the idle timeout slides. A cookie is only ever made by a
// good login, never taken from the client first, so it cannot be fixed. The
// CSRF token is a MAC of the session's account, epoch and issue time: the
// same for a whole session, different for every other.
//
// Thread safety: functions only; each may be called from any thread.
#ifndef VIGIL_API_STAFF_AUTH_H_
#define VIGIL_API_STAFF_AUTH_H_

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/domain.h"
#include "vigil/core/error.h"
#include "vigil/notify/contact_vault.h"

namespace vigil::api::staff {

enum class Role { kSpecialist, kSupervisor, kAuditor, kAdmin, kAdvocate };

inline constexpr std::array<std::string_view, 5> kRoleNames = {"specialist", "supervisor",
                                                               "auditor", "admin", "advocate"};

std::optional<Role> ParseRole(std::string_view name);
std::string_view Name(Role role);
// The API-key scopes (api/agency_keys.h) a role holds:
//   specialist  subjects:protect                       (withhold; queue; find a person)
//   supervisor  + subjects:override, audit:read        (confirm, reject, lift)
//   auditor     audit:read, report:read                (look, never change)
//   admin       every scope
//   advocate    registrations:advocate                 (their requests withhold provisionally)
const std::vector<std::string_view>& ScopesOf(Role role);
bool Holds(Role role, std::string_view scope);

// A login name: 1 to 64 of letters, digits, '.', '-', '_'.
Result<void> CheckAccountName(std::string_view name);
// At least 12 characters, at most 256, and not the account's name.
Result<void> CheckPasswordStrength(std::string_view password, std::string_view account);
// libsodium's crypto_pwhash_str with Argon2id at its "interactive" limits.
Result<std::string> HashPassword(std::string_view password);
// Constant in the password's content; false for a malformed hash too.
bool PasswordMatches(std::string_view hash, std::string_view password);

// A fresh 20-byte TOTP secret; its RFC 4648 base32 (no padding); and the
// otpauth:// URI an authenticator app reads.
std::string NewTotpSecret();
std::string Base32(std::string_view bytes);
std::string TotpUri(std::string_view issuer, std::string_view account, std::string_view secret);
// The code for `unix_seconds` (RFC 6238 with T0 = 0, X = 30), `digits` long.
std::string TotpCode(std::string_view secret, int64_t unix_seconds, int digits = 6);
// The step (Unix seconds / 30) whose code `code` is, among `now`'s step and
// the one before or after (clocks drift; a code typed at the end of its
// step arrives in the next), and later than `used_step`, the step of the
// last code that signed in: a code is good once (RFC 6238 §5.2), so one
// seen over a shoulder or in a log cannot sign in again. nullopt if none.
std::optional<int64_t> TotpStep(std::string_view secret, std::string_view code, Timestamp now,
                                int64_t used_step = 0);
// Whether TotpStep finds a step, none used yet.
bool TotpMatches(std::string_view secret, std::string_view code, Timestamp now);

struct LoginPolicy {
  int max_failures = 5;  // wrong passwords or codes in a row, then...
  std::chrono::seconds lockout{15 * 60};
  std::chrono::seconds idle_timeout{15 * 60};
  std::chrono::seconds longest_session{12 * 60 * 60};
};

// The outcome of a login try, one message for every failure (a wrong name,
// password or code, a disabled or locked account all read "not right"), and
// the account as it must be stored afterwards (failures counted, lock set,
// or reset with last_login_at). `account` is nullopt for an unknown name.
struct LoginOutcome {
  bool ok = false;
  bool locked = false;  // refused because the account is locked now
  std::optional<StaffAccount> updated;
};
LoginOutcome TryLogin(const notify::ContactVault& vault, std::optional<StaffAccount> account,
                      std::string_view password, std::string_view code, Timestamp now,
                      const LoginPolicy& policy = {});

struct Session {
  std::string account;
  int64_t epoch = 0;
  Timestamp issued, seen;
};
std::string EncodeSession(const notify::ContactVault& vault, const Session& session);
// The session a cookie holds if its MAC is right and it has not timed out
// at `now`; nullopt otherwise. The store's check (disabled, epoch) is the caller's.
std::optional<Session> DecodeSession(const notify::ContactVault& vault, std::string_view cookie,
                                     Timestamp now, const LoginPolicy& policy = {});
std::string CsrfToken(const notify::ContactVault& vault, const Session& session);
bool CsrfMatches(const notify::ContactVault& vault, const Session& session, std::string_view token);

}  // namespace vigil::api::staff

#endif  // VIGIL_API_STAFF_AUTH_H_
