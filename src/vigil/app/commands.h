// The `vigil` subcommands, as functions from parsed arguments to an exit
// status. main.cc parses the command line; these do the work. Each prints its
// own errors to stderr. Not thread-safe (they own the process: signals,
// terminal output).
#ifndef VIGIL_APP_COMMANDS_H_
#define VIGIL_APP_COMMANDS_H_

#include <string>
#include <vector>

#include "vigil/app/config.h"
#include "vigil/policy/disclosure_policy.h"
#include "vigil/report/report.h"
#include "vigil/store/store.h"

namespace vigil {

// Exit statuses shared by every command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitRejected = 1;  // import: some lines were rejected
inline constexpr int kExitUsage = 2;     // bad arguments, config or input file
inline constexpr int kExitFailure = 3;   // the store or the system failed

struct ImportArgs {
  std::vector<std::string> files;
  std::string format = "auto";
  int64_t batch_lines = 100000;
  bool quiet = false;  // no progress output
  int max_shown_rejects = 1000;
};
int RunImport(const Config& config, const ImportArgs& args);

struct DemoDataArgs {
  int subjects = 1000;
  uint64_t seed = 1;
  std::string out_dir;
  std::string as_of;  // YYYY-MM-DD; empty = today (UTC)
};
int RunDemoData(const DemoDataArgs& args);

struct ServeArgs {
  // Send notices, raise stalking alerts and apply retention in this
  // process too (the one-process shape). false: only answer requests, and
  // leave the rest to `vigil worker` processes on the same database.
  bool with_worker = true;
};
int RunServe(const Config& config, const ServeArgs& args);

// `vigil worker`: sending, the stalking alert and retention, without HTTP,
// until SIGTERM or SIGINT.
int RunWorker(const Config& config);

struct MigrateArgs {
  std::string from, to;  // both set: copy a SQLite store into an empty PostgreSQL one
};
// Applies the store's schema migrations (`vigil migrate`), or copies one
// store into another (`--from`, `--to`).
int RunMigrate(const Config& config, const MigrateArgs& args);

// Makes the secret key at [secrets] key_file (`vigil secrets init`).
int RunSecretsInit(const Config& config);

struct VoicemailsArgs {
  int limit = 50;
  bool json = false;  // a JSON array instead of a table
};
int RunVoicemails(const Config& config, const VoicemailsArgs& args);

struct ExportArgs {
  std::string out;  // empty: standard output
};
int RunExport(const Config& config, const ExportArgs& args);

struct ReportArgs {
  std::string from, to;        // YYYY-MM-DD, both inclusive; moved out to whole periods
  std::string by = "month";    // month or quarter
  std::string format = "csv";  // csv, json or html
  std::string out;             // empty: standard output
  int min_cell = report::kDefaultMinCell;
};
int RunReport(const Config& config, const ReportArgs& args);

struct KeysArgs {
  std::string action;  // create, revoke, list, set-sources
  std::string name;    // create: the new key's name; revoke, set-sources: a name or key id
  std::vector<std::string> scopes;
  std::vector<std::string> sources;  // create, set-sources: feed sources it may write
  bool json = false;                 // list: a JSON array instead of a table
};
int RunKeys(const Config& config, const KeysArgs& args);

struct StaffArgs {
  std::string action;  // add, disable, enable, reset-2fa, list
  std::string name;
  std::string role;           // add
  std::string password_file;  // add: "" or "-" for standard input
  bool json = false;          // list
};
// Prints a new account's TOTP key (base32) on standard output, once.
int RunStaff(const Config& config, const StaffArgs& args);

// Exit 0 when the audit log is intact, 1 (kExitRejected) naming the first
// bad entry when it is not.
// With `witness` ("file:DIR", a directory or the witness file; else the
// configured [audit] witness when it is a file), also checks that the log
// reaches and holds every checkpoint the witness saw.
int RunAuditVerify(const Config& config, const std::string& witness = "");

// Retention: deletes the contacts of registrations ended [retention]
// contact_days ago (keeping a STOP's blind index) and wipes payloads of
// notices settled notification_days ago. Public visibility ends by itself
// ([policy] release_visibility_days, checked on every request).
Result<std::pair<int64_t, int64_t>> PurgeOnce(Store& store, const Config& config, Timestamp now);
int RunPurge(const Config& config);

}  // namespace vigil

#endif  // VIGIL_APP_COMMANDS_H_
