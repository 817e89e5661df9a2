// vigil's configuration (DESIGN.md §7): plain structs, read once in main and
// passed down. Sources, later ones winning: built-in defaults, the TOML file
// named by --config, environment variables VIGIL_<SECTION>_<KEY>, then
// command-line flags (applied by the caller). Thread-compatible.
#ifndef VIGIL_APP_CONFIG_H_
#define VIGIL_APP_CONFIG_H_

#include <cstdint>
#include <map>
#include <string>

#include "vigil/api/hotline_routes.h"
#include "vigil/core/error.h"

namespace vigil {

struct Config {
  struct Server {
    std::string listen = "127.0.0.1:8080";
    // Empty: "http://" and `listen` (filled in by `vigil` after --listen).
    std::string public_url;
    int64_t threads = 2;
  } server;
  // What every public page says about safety (api/web_pages.h SafetyText).
  struct Web {
    std::string exit_url = "https://www.weather.gov/";
    std::string domestic_violence_hotline = "1-800-799-7233";
    std::string trafficking_hotline = "1-888-373-7888";
  } web;
  // The staff console (api/staff_console.h, docs/staff.md).
  struct Staff {
    int64_t request_target_hours = 24;
    int64_t idle_timeout_minutes = 15;
  } staff;
  struct Log {
    std::string level = "info";
    std::string format = "text";
  } log;
  // GET /metrics, on its own listener so it is not public (docs/operations.md).
  struct Metrics {
    std::string listen = "127.0.0.1:9464";
  } metrics;
  struct Search {
    std::string snapshot = "auto";  // see SnapshotPath
  } search;
  struct StoreSection {
    std::string url = "sqlite:var/vigil.db";
  } store;
  struct Secrets {
    std::string key_file = "var/secret.key";
  } secrets;
  struct Policy {
    int64_t release_visibility_days = 60;
  } policy;
  struct Limits {
    int64_t search_per_minute = 30;
    // Registrations asked for from one address (a shelter's clients share
    // one), for one contact, and for one person.
    int64_t registrations_per_hour = 30;
    int64_t registrations_per_contact_per_day = 5;
    int64_t registrations_per_person_per_hour = 20;
  } limits;
  struct Notify {
    std::string email = "smtp";
    std::string sms = "kannel";
    std::string voice = "twilio";
    // How long a claimed notification stays claimed before another sender
    // may take it over (its sender is presumed dead).
    int64_t lease_seconds = 60;
    // Phone numbers typed without "+" are read as numbers of this region
    // (ISO 3166-1 alpha-2).
    std::string default_region = "US";
    // Calls not acknowledged with the PIN are made again: this many minutes
    // after one nobody answered, after one answered without the PIN, until
    // this many hours after the notice was queued.
    int64_t voice_retry_unanswered_minutes = 30;
    int64_t voice_retry_answered_minutes = 120;
    int64_t voice_give_up_hours = 24;
  } notify;
  struct Smtp {
    std::string url = "smtp://127.0.0.1:2525";
    std::string from = "alerts@example.org";
  } smtp;
  struct Kannel {
    std::string sendsms_url = "http://127.0.0.1:13013/cgi-bin/sendsms";
    std::string username;
    std::string password;
    std::string from;
    // The secret smsbox's get-url passes as `token` for texts to us
    // (/api/v1/sms/inbound); empty refuses inbound texts (no STOP by text).
    std::string inbound_token;
  } kannel;
  struct Twilio {
    std::string api_base = "https://api.twilio.com";
    std::string account_sid;
    std::string auth_token;
    std::string from;
  } twilio;
  // The phone hotline (docs/hotline.md), on the [twilio] account.
  struct Hotline {
    // "+18005550100=en, +18005550101=es": each hotline number and the
    // language it answers in; a call to another number chooses one.
    std::string numbers;
    // Specialists' numbers (E.164, comma-separated), rung together on 0.
    std::string specialists;
    std::string hours = "Mon-Fri 09:00-17:00";
    std::string time_zone = "America/New_York";
    int64_t ring_timeout_seconds = 20;
    int64_t voicemail_max_seconds = 120;
  } hotline;
  struct Audit {
    // Where each signed audit checkpoint is also published, outside the
    // database: "file:DIR" (appends DIR/audit-checkpoints.log) or an
    // https:// URL (POSTed); empty for none. `vigil audit verify --witness`
    // checks the log against it (audit/witness.h).
    std::string witness;
  } audit;
  struct Alerts {
    // Privacy officers told when a withheld person is sought, comma-separated.
    std::string privacy_officers;
    int64_t min_interval_minutes = 60;  // at most one alert per person this often
  } alerts;
  struct Retention {
    int64_t contact_days = 30;      // after a registration ends, its contact is deleted
    int64_t notification_days = 7;  // after a notice settles, its sealed payload is wiped
  } retention;
  struct File {
    std::string outbox_dir = "var/outbox";
  } file;
};

// Builds the configuration from defaults, the TOML file at `path` (skipped
// when empty) and the variables in `env` (name -> value). Relative paths
// (the store's file, the key file, the outbox, a file: witness) are made
// absolute: against the config file's directory when they come from it,
// the current directory otherwise. kInvalidArgument with "FILE:LINE:COLUMN:
// ..." for a malformed file, an unknown section or key (with a "did you
// mean"), or a value of the wrong type, out of range or invalid ("environment
// variable VIGIL_X: ..." when it came from there); for a VIGIL_* variable
// that is no setting; kNotFound if `path` does not exist.
Result<Config> LoadConfig(const std::string& path, const std::map<std::string, std::string>& env);

// The commented TOML of every key with its default and meaning (`vigil
// config example`, and the README's configuration section).
std::string ConfigExample();

// The process environment as a map, for LoadConfig.
std::map<std::string, std::string> ProcessEnvironment();

// The [hotline] section as the hotline takes it; kInvalidArgument
// "[hotline] KEY: ..." for a number that is not E.164, a language there is
// no catalogue for, or hours that do not parse.
Result<api::HotlineOptions> HotlineOptionsOf(const Config& config);

// Splits "host:port" (IPv4, name, or [IPv6]); kInvalidArgument when malformed.
Result<std::pair<std::string, uint16_t>> ParseListenAddress(const std::string& listen);

// Where `vigil serve` keeps its name index snapshot: [search] snapshot, with
// "auto" meaning beside a SQLite database (PATH.index) and none with
// PostgreSQL. Empty: none.
std::string SnapshotPath(const Config& config);

}  // namespace vigil

#endif  // VIGIL_APP_CONFIG_H_
