// `vigil staff add|disable|enable|reset-2fa|list`: the staff console's
// accounts (docs/staff.md). Every change is audited with actor "cli".
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "vigil/api/staff_auth.h"
#include "vigil/app/commands.h"
#include "vigil/app/services.h"
#include "vigil/core/time_format.h"

namespace vigil {
namespace {

// The password: the first line of --password-file, or of standard input.
Result<std::string> ReadPassword(const std::string& file) {
  std::string line;
  if (file.empty() || file == "-") {
    if (!std::getline(std::cin, line)) {
      return InvalidArgument("give the password on standard input, or --password-file FILE");
    }
  } else {
    std::ifstream in(file);
    if (!in) return InvalidArgument("cannot read --password-file " + file);
    std::getline(in, line);
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

void PrintSecret(const StaffAccount& a, const std::string& secret) {
  std::fprintf(stderr,
               "vigil: add this to the authenticator app of %s (shown once, here):\n  %s\n"
               "  or the key by hand: ",
               a.name.c_str(), api::staff::TotpUri("vigil", a.name, secret).c_str());
  std::fflush(stderr);
  std::printf("%s\n", api::staff::Base32(secret).c_str());
}

}  // namespace

int RunStaff(const Config& config, const StaffArgs& args) {
  const std::string cmd = "vigil staff " + args.action;
  auto fail = [&](const Error& e, int code = kExitFailure) {
    std::fprintf(stderr, "%s: %s\n", cmd.c_str(), e.message().c_str());
    return code;
  };
  auto services = Services::Open(config, Services::kStore | Services::kVault | Services::kAuditLog);
  if (!services) return fail(services.error());
  Services& s = **services;
  if (args.action == "list") {
    auto reader = s.store->BeginRead();
    if (!reader) return fail(reader.error());
    auto accounts = (*reader)->controls().ListStaffAccounts();
    if (!accounts) return fail(accounts.error());
    const Timestamp now = s.clock.Now();
    auto state = [&](const StaffAccount& a) {
      if (a.disabled) return std::string("disabled");
      if (a.locked_until && *a.locked_until > now) {
        return "locked until " + FormatRfc3339(*a.locked_until);
      }
      return std::string("active");
    };
    if (args.json) {
      nlohmann::json out = nlohmann::json::array();
      for (const StaffAccount& a : *accounts) {
        out.push_back(
            {{"name", a.name},
             {"role", a.role},
             {"state", state(a)},
             {"created_at", FormatRfc3339(a.created_at)},
             {"last_login_at", a.last_login_at ? nlohmann::json(FormatRfc3339(*a.last_login_at))
                                               : nlohmann::json(nullptr)}});
      }
      std::printf("%s\n", out.dump(2).c_str());
      return kExitOk;
    }
    std::printf("name\trole\tstate\tlast sign-in\n");
    for (const StaffAccount& a : *accounts) {
      std::printf("%s\t%s\t%s\t%s\n", a.name.c_str(), a.role.c_str(), state(a).c_str(),
                  a.last_login_at ? FormatRfc3339(*a.last_login_at).c_str() : "-");
    }
    return kExitOk;
  }
  if (auto ok = api::staff::CheckAccountName(args.name); !ok) return fail(ok.error(), kExitUsage);
  auto txn = s.store->BeginWrite();
  if (!txn) return fail(txn.error());
  std::string secret, detail;
  StaffAccount account;
  if (args.action == "add") {
    if (!api::staff::ParseRole(args.role)) {
      return fail(InvalidArgument("--role: one of specialist, supervisor, auditor, admin, advocate")
                      .value(),
                  kExitUsage);
    }
    auto password = ReadPassword(args.password_file);
    if (!password) return fail(password.error(), kExitUsage);
    if (auto ok = api::staff::CheckPasswordStrength(*password, args.name); !ok) {
      return fail(ok.error(), kExitUsage);
    }
    auto hash = api::staff::HashPassword(*password);
    if (!hash) return fail(hash.error());
    secret = api::staff::NewTotpSecret();
    account.name = args.name;
    account.role = args.role;
    account.password_hash = *hash;
    account.totp_sealed = s.vault->Seal(secret);
    account.created_at = s.clock.Now();
    if (auto r = (*txn)->controls().InsertStaffAccount(account); !r) {
      return fail(r.error(), r.error().code() == ErrorCode::kConflict ? kExitUsage : kExitFailure);
    }
    detail = "added " + args.name + " as " + args.role;
  } else {
    auto found = (*txn)->controls().GetStaffAccount(args.name);
    if (!found) return fail(found.error());
    if (!*found) {
      return fail(NotFound("no account named \"" + args.name + "\"").value(), kExitUsage);
    }
    account = std::move(**found);
    ++account.session_epoch;  // every session of the account ends
    if (args.action == "disable") {
      account.disabled = true;
      detail = "disabled " + args.name;
    } else if (args.action == "enable") {
      account.disabled = false;
      detail = "enabled " + args.name;
    } else {  // reset-2fa
      secret = api::staff::NewTotpSecret();
      account.totp_sealed = s.vault->Seal(secret);
      account.failed_logins = 0;
      account.locked_until.reset();
      detail = "reset the second factor of " + args.name;
    }
    auto r = (*txn)->controls().UpdateStaffAccount(account);
    if (!r) return fail(r.error());
  }
  auto logged =
      s.audit_log->Append(**txn, {"staff_account", "cli", std::nullopt, detail}, s.clock.Now());
  if (!logged) return fail(logged.error());
  if (auto c = (*txn)->Commit(); !c) return fail(c.error());
  std::fprintf(stderr, "vigil: %s\n", detail.c_str());
  if (!secret.empty()) PrintSecret(account, secret);
  return kExitOk;
}

}  // namespace vigil
