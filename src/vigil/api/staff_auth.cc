#include "vigil/api/staff_auth.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <algorithm>
#include <charconv>

#include "vigil/core/clock.h"
#include "vigil/core/hex.h"

namespace vigil::api::staff {
namespace {

std::optional<int64_t> ToInt(std::string_view s) {
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

std::string SessionBody(const Session& s) {
  return s.account + "." + std::to_string(s.epoch) + "." +
         std::to_string(ToUnixMicros(s.issued) / 1000000) + "." +
         std::to_string(ToUnixMicros(s.seen) / 1000000);
}

}  // namespace

std::optional<Role> ParseRole(std::string_view name) {
  for (size_t i = 0; i < kRoleNames.size(); ++i) {
    if (kRoleNames[i] == name) return static_cast<Role>(i);
  }
  return std::nullopt;
}

std::string_view Name(Role role) { return kRoleNames[static_cast<size_t>(role)]; }

const std::vector<std::string_view>& ScopesOf(Role role) {
  static const std::vector<std::string_view> kSpecialist = {"subjects:protect"};
  static const std::vector<std::string_view> kSupervisor = {"subjects:protect", "subjects:override",
                                                            "audit:read"};
  static const std::vector<std::string_view> kAuditor = {"audit:read", "report:read"};
  static const std::vector<std::string_view> kAdmin = {
      "feed:write", "subjects:protect", "subjects:override",     "victims:enrol",
      "audit:read", "report:read",      "registrations:advocate"};
  static const std::vector<std::string_view> kAdvocate = {"registrations:advocate"};
  switch (role) {
    case Role::kSpecialist:
      return kSpecialist;
    case Role::kSupervisor:
      return kSupervisor;
    case Role::kAuditor:
      return kAuditor;
    case Role::kAdmin:
      return kAdmin;
    case Role::kAdvocate:
      return kAdvocate;
  }
  return kAdvocate;
}

bool Holds(Role role, std::string_view scope) {
  const auto& scopes = ScopesOf(role);
  return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
}

Result<void> CheckAccountName(std::string_view name) {
  if (name.empty() || name.size() > 64)
    return InvalidArgument("an account name is 1 to 64 characters");
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == '_';
    if (!ok) {
      return InvalidArgument("an account name has only letters, digits, '.', '-' and '_'");
    }
  }
  return {};
}

Result<void> CheckPasswordStrength(std::string_view password, std::string_view account) {
  if (password.size() < 12) return InvalidArgument("a password has at least 12 characters");
  if (password.size() > 256) return InvalidArgument("a password has at most 256 characters");
  if (password == account) return InvalidArgument("a password may not be the account's name");
  return {};
}

Result<std::string> HashPassword(std::string_view password) {
  if (sodium_init() < 0) return Unavailable("libsodium failed to initialise");
  std::string out(crypto_pwhash_STRBYTES, '\0');
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Unavailable("out of memory hashing a password");
  }
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

bool PasswordMatches(std::string_view hash, std::string_view password) {
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  std::string terminated(hash);
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

std::string NewTotpSecret() {
  std::string secret(20, '\0');
  randombytes_buf(secret.data(), secret.size());
  return secret;
}

std::string Base32(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 5) {
      out += kAlphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += kAlphabet[(buffer << (5 - bits)) & 31];
  return out;
}

std::string TotpUri(std::string_view issuer, std::string_view account, std::string_view secret) {
  // Issuer and account are names checked by CheckAccountName or the
  // operator's fixed "vigil": nothing here needs percent-encoding.
  return "otpauth://totp/" + std::string(issuer) + ":" + std::string(account) +
         "?secret=" + Base32(secret) + "&issuer=" + std::string(issuer) +
         "&algorithm=SHA1&digits=6&period=30";
}

std::string TotpCode(std::string_view secret, int64_t unix_seconds, int digits) {
  // RFC 4226 §5.3 (HOTP) over the step counter of RFC 6238 §4.
  const uint64_t counter = static_cast<uint64_t>(unix_seconds / 30);
  unsigned char message[8];
  for (int i = 7; i >= 0; --i) message[7 - i] = static_cast<unsigned char>(counter >> (i * 8));
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  HMAC(EVP_sha1(), secret.data(), static_cast<int>(secret.size()), message, sizeof message, mac,
       &mac_size);
  const int offset = mac[mac_size - 1] & 0x0f;
  const uint32_t binary = (static_cast<uint32_t>(mac[offset] & 0x7f) << 24) |
                          (static_cast<uint32_t>(mac[offset + 1]) << 16) |
                          (static_cast<uint32_t>(mac[offset + 2]) << 8) | mac[offset + 3];
  uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) modulus *= 10;
  std::string code = std::to_string(binary % modulus);
  return std::string(static_cast<size_t>(digits) - code.size(), '0') + code;
}

std::optional<int64_t> TotpStep(std::string_view secret, std::string_view code, Timestamp now,
                                int64_t used_step) {
  if (code.size() != 6 || secret.empty()) return std::nullopt;
  const int64_t current = ToUnixMicros(now) / 1000000 / 30;
  std::optional<int64_t> found;
  // Every candidate is computed and compared, matched or not: the time
  // taken does not say which step matched.
  for (int64_t step = current - 1; step <= current + 1; ++step) {
    const bool match = notify::SecretsEqual(TotpCode(secret, step * 30), code);
    if (match && step > used_step && !found) found = step;
  }
  return found;
}

bool TotpMatches(std::string_view secret, std::string_view code, Timestamp now) {
  return TotpStep(secret, code, now).has_value();
}

LoginOutcome TryLogin(const notify::ContactVault& vault, std::optional<StaffAccount> account,
                      std::string_view password, std::string_view code, Timestamp now,
                      const LoginPolicy& policy) {
  LoginOutcome out;
  if (!account) {
    // The same work as for a real account, so the time taken does not say
    // whether the name exists.
    static const std::string kDummy = HashPassword("not anyone's password").value_or("");
    (void)PasswordMatches(kDummy, password);
    return out;
  }
  if (account->locked_until && *account->locked_until > now) {
    out.locked = true;
    (void)PasswordMatches(account->password_hash, password);
    return out;
  }
  bool good = PasswordMatches(account->password_hash, password);
  auto secret = vault.Open(account->totp_sealed);
  std::optional<int64_t> step;
  if (good && secret) step = TotpStep(*secret, code, now, account->totp_last_step);
  good = good && step.has_value();
  if (good && !account->disabled) {
    account->totp_last_step = *step;
    account->failed_logins = 0;
    account->locked_until.reset();
    account->last_login_at = now;
    out.ok = true;
  } else if (!account->disabled) {
    if (++account->failed_logins >= policy.max_failures) {
      account->locked_until =
          now + std::chrono::duration_cast<std::chrono::microseconds>(policy.lockout);
      account->failed_logins = 0;
    }
  }
  out.updated = std::move(account);
  return out;
}

std::string EncodeSession(const notify::ContactVault& vault, const Session& session) {
  std::string body = SessionBody(session);
  return body + "." + Hex(vault.StaffMac("session:" + body).substr(0, 16));
}

std::optional<Session> DecodeSession(const notify::ContactVault& vault, std::string_view cookie,
                                     Timestamp now, const LoginPolicy& policy) {
  if (cookie.size() > 200) return std::nullopt;
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t dot = cookie.find('.'); dot != std::string_view::npos;
       dot = cookie.find('.', start)) {
    parts.push_back(cookie.substr(start, dot - start));
    start = dot + 1;
  }
  parts.push_back(cookie.substr(start));
  // The account name may hold dots: the last four parts are fixed.
  if (parts.size() < 5) return std::nullopt;
  const size_t n = parts.size();
  std::string_view mac = parts[n - 1];
  std::string_view body = cookie.substr(0, cookie.size() - mac.size() - 1);
  if (!notify::SecretsEqual(Hex(vault.StaffMac("session:" + std::string(body)).substr(0, 16)),
                            mac)) {
    return std::nullopt;
  }
  auto epoch = ToInt(parts[n - 4]), issued = ToInt(parts[n - 3]), seen = ToInt(parts[n - 2]);
  if (!epoch || !issued || !seen) return std::nullopt;
  Session s;
  s.account = std::string(body.substr(
      0, body.size() - parts[n - 4].size() - parts[n - 3].size() - parts[n - 2].size() - 3));
  s.epoch = *epoch;
  s.issued = FromUnixMicros(*issued * 1000000);
  s.seen = FromUnixMicros(*seen * 1000000);
  if (now - s.seen > policy.idle_timeout || now - s.issued > policy.longest_session ||
      s.seen > now + std::chrono::minutes(1)) {
    return std::nullopt;
  }
  return s;
}

std::string CsrfToken(const notify::ContactVault& vault, const Session& session) {
  return Hex(vault
                 .StaffMac("csrf:" + session.account + "." + std::to_string(session.epoch) + "." +
                           std::to_string(ToUnixMicros(session.issued) / 1000000))
                 .substr(0, 16));
}

bool CsrfMatches(const notify::ContactVault& vault, const Session& session,
                 std::string_view token) {
  return notify::SecretsEqual(CsrfToken(vault, session), token);
}

}  // namespace vigil::api::staff
