// The `vigil` command line: parses arguments and configuration, then hands
// over to one command in commands.h.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string_view>
#include <vector>

#include "vigil/app/commands.h"
#include "vigil/app/config.h"
#include "vigil/core/logger.h"
#include "vigil/text/similarity.h"

namespace {

// Every subcommand name and long option of `app` and its subcommands.
void Collect(const CLI::App& app, std::vector<std::string>& commands,
             std::vector<std::string>& options) {
  for (const CLI::Option* o : app.get_options()) {
    for (const auto& name : o->get_lnames()) options.push_back("--" + name);
  }
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    commands.push_back(sub->get_name());
    Collect(*sub, commands, options);
  }
}

// "did you mean" for a mistyped command or option in a parse error.
void Suggest(const CLI::App& app, int argc, char** argv) {
  std::vector<std::string> commands, options;
  Collect(app, commands, options);
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a.starts_with("--")) {
      std::string_view name = a.substr(0, a.find('='));
      if (std::find(options.begin(), options.end(), name) != options.end()) continue;
      if (auto c = vigil::text::ClosestSpelling(name, options); !c.empty()) {
        std::fprintf(stderr, "vigil: unknown option %.*s; did you mean %s?\n",
                     static_cast<int>(name.size()), name.data(), c.c_str());
        return;
      }
    } else if (!a.starts_with("-") &&
               std::find(commands.begin(), commands.end(), a) == commands.end()) {
      if (auto c = vigil::text::ClosestSpelling(a, commands); !c.empty()) {
        std::fprintf(stderr, "vigil: unknown command '%.*s'; did you mean '%s'?\n",
                     static_cast<int>(a.size()), a.data(), c.c_str());
        return;
      }
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace vigil;
  CLI::App app{
      "vigil - victim information and notification exchange.\n"
      "Agencies feed it custody events; victims look a person up and are told when custody "
      "changes.",
      "vigil"};  // named, so help says "vigil import", not the path it was started by
  app.require_subcommand(1);
  // Options of `vigil` itself may come after the command too
  // (`vigil import --db x.db feed.jsonl`): inherited by every subcommand.
  app.fallthrough();
  app.set_version_flag(
      "--version",
      std::string("vigil ") + VIGIL_VERSION + " (commit " + VIGIL_COMMIT +
          ")\nstores: sqlite, postgresql\nchannels: smtp, kannel, twilio, file",
      "Print the version, the commit it was built from and the store backends, and exit");
  // Every command inherits the footer; those whose exit 1 means something of
  // their own say so in their own (see below).
  constexpr const char* kConfigurationNote =
      "Configuration: --config FILE (TOML; `vigil config example` shows every key), overridden "
      "by VIGIL_<SECTION>_<KEY> environment variables, overridden by flags. Relative paths in "
      "the file are relative to the file; elsewhere, to the current directory.\n";
  auto footer = [&](const char* one) {
    return std::string(kConfigurationNote) + "Exit status: 0 ok, " + one +
           "2 bad arguments, config or input file, 3 store or system failure.";
  };
  app.footer(footer(""));

  std::string config_path;
  std::string db_path;
  app.add_option("--config", config_path, "TOML configuration file")->envname("VIGIL_CONFIG");
  app.add_option("--db", db_path,
                 "The store: a SQLite file, or a sqlite:PATH or postgresql://... URL (overrides "
                 "[store] url); a relative path is relative to the current directory");
  std::string log_format;
  app.add_option("--log-format", log_format,
                 "Log lines as text or as JSON objects, one per line (default: [log] format)")
      ->check(CLI::IsMember({"text", "json"}));
  bool create = false;
  app.add_flag("--create", create,
               "Make the SQLite database if it does not exist (without it, a path that does not "
               "exist is refused, so a typo cannot start an empty database)");

  auto* serve = app.add_subcommand("serve", "Serve the HTTP API and web pages");
  ServeArgs serve_args;
  serve->add_flag("--with-worker,!--no-worker", serve_args.with_worker,
                  "Also send notices, raise stalking alerts and apply retention in this process "
                  "(the default); --no-worker leaves them to `vigil worker` processes on the same "
                  "database");
  auto* worker = app.add_subcommand(
      "worker",
      "Send notices, raise stalking alerts and apply retention, without serving HTTP, until "
      "SIGTERM (many may run on one PostgreSQL database)");
  std::string listen;
  serve->add_option("--listen", listen, "host:port to listen on (default from [server] listen)");

  ImportArgs import_args;
  auto* import = app.add_subcommand(
      "import",
      "Import feed files (JSON Lines or CSV); prints 'accepted N, duplicate N, rejected N'");
  import->footer(footer("1 some lines were rejected (the rest imported), "));
  import->add_option("files", import_args.files, "Feed files")->required();
  import->add_option("--format", import_args.format, "auto, jsonl or csv")->default_val("auto");
  import->add_option("--batch", import_args.batch_lines, "Lines per transaction")
      ->default_val(100000)
      ->check(CLI::Range(int64_t{1}, int64_t{10'000'000}));
  import->add_flag("--quiet,-q", import_args.quiet, "No progress output");

  DemoDataArgs demo_args;
  auto* migrate = app.add_subcommand(
      "migrate",
      "Bring the store's schema up to this vigil's (PostgreSQL is migrated only by this; "
      "serve and the other commands refuse a schema that is behind); with --from and --to, "
      "copies a SQLite database into an empty PostgreSQL one");
  MigrateArgs migrate_args;
  migrate->add_option("--from", migrate_args.from, "The SQLite store to copy: sqlite:PATH");
  migrate->add_option("--to", migrate_args.to,
                      "The empty PostgreSQL store to copy into: postgresql://...");

  auto* secrets = app.add_subcommand("secrets", "The installation's secret key");
  secrets->require_subcommand(1);
  auto* secrets_init = secrets->add_subcommand(
      "init",
      "Make the secret key at [secrets] key_file (never replaces one) and print its "
      "fingerprint; every node of a database needs a copy of this one file");

  auto* config_cmd = app.add_subcommand("config", "The configuration");
  config_cmd->require_subcommand(1);
  auto* config_example = config_cmd->add_subcommand(
      "example", "Print a TOML file with every key, its default and meaning");
  auto* config_check = config_cmd->add_subcommand(
      "check", "Read --config and the VIGIL_* variables, report the first problem or say ok");

  auto* demo = app.add_subcommand("demo-data", "Write a deterministic synthetic feed");
  demo->add_option("--subjects", demo_args.subjects, "Number of people")
      ->default_val(1000)
      ->check(CLI::Range(1, 10'000'000));
  demo->add_option("--seed", demo_args.seed, "Random seed")->default_val(1);
  demo->add_option("--out", demo_args.out_dir, "Output directory")->required();
  demo->add_option("--as-of", demo_args.as_of, "The data's 'today', YYYY-MM-DD (default: today)");

  KeysArgs keys_args;
  auto* keys = app.add_subcommand("keys", "Make, revoke and list agency API keys");
  keys->require_subcommand(1);
  auto* keys_create =
      keys->add_subcommand("create", "Make a key; prints it once (only its hash is stored)");
  keys_create->add_option("--name", keys_args.name, "A unique name, e.g. ice-ero-feed")->required();
  keys_create
      ->add_option("--scope", keys_args.scopes,
                   "feed:write, subjects:protect, subjects:override, victims:enrol, audit:read, "
                   "report:read (repeat for several)")
      ->required();
  keys_create->add_option("--source", keys_args.sources,
                          "With feed:write (required then): a feed source the key may write "
                          "and retract events of, e.g. ice-ero (repeat for several)");
  auto* keys_revoke = keys->add_subcommand("revoke", "Revoke a key at once");
  keys_revoke->add_option("name", keys_args.name, "The key's name or key id")->required();
  auto* keys_sources =
      keys->add_subcommand("set-sources", "Replace the feed sources a feed:write key may write");
  keys_sources->add_option("name", keys_args.name, "The key's name or key id")->required();
  keys_sources->add_option("--source", keys_args.sources, "A feed source (repeat for several)")
      ->required();
  auto* keys_list =
      keys->add_subcommand("list", "List keys (name, key id, scopes, state, sources)");
  keys_list->add_flag("--json", keys_args.json, "A JSON array instead of the table");

  StaffArgs staff_args;
  auto* staff =
      app.add_subcommand("staff", "Accounts of the staff console at /staff/ (docs/staff.md)");
  staff->require_subcommand(1);
  auto* staff_add = staff->add_subcommand(
      "add",
      "Make an account: the password from --password-file or standard input; prints the "
      "second factor's key once");
  staff_add->add_option("name", staff_args.name, "The login name")->required();
  staff_add
      ->add_option("--role", staff_args.role,
                   "specialist, supervisor, auditor, admin or advocate (docs/staff.md)")
      ->required();
  staff_add->add_option("--password-file", staff_args.password_file,
                        "A file whose first line is the password (default: standard input)");
  auto* staff_disable =
      staff->add_subcommand("disable", "Stop an account signing in; its sessions end at once");
  staff_disable->add_option("name", staff_args.name, "The login name")->required();
  auto* staff_enable = staff->add_subcommand("enable", "Let a disabled account sign in again");
  staff_enable->add_option("name", staff_args.name, "The login name")->required();
  auto* staff_reset = staff->add_subcommand(
      "reset-2fa", "A new second-factor key (printed once); ends sessions and any lockout");
  staff_reset->add_option("name", staff_args.name, "The login name")->required();
  auto* staff_list =
      staff->add_subcommand("list", "List accounts (name, role, state, last sign-in)");
  staff_list->add_flag("--json", staff_args.json, "A JSON array instead of the table");

  auto* purge = app.add_subcommand(
      "purge",
      "Apply retention now: delete contacts of long-ended registrations (see [retention])");
  VoicemailsArgs voicemails_args;
  auto* voicemails = app.add_subcommand(
      "voicemails",
      "List the messages hotline callers left for the specialists, newest first, with each "
      "caller's number (deleted after [retention] contact_days)");
  voicemails->add_option("--limit", voicemails_args.limit, "How many (default 50)");
  voicemails->add_flag("--json", voicemails_args.json, "A JSON array instead of the table");
  ExportArgs export_args;
  auto* export_cmd = app.add_subcommand(
      "export", "Write everyone the public may see as CSV (the public fields only)");
  export_cmd->add_option("--out", export_args.out, "Output file (default: standard output)");

  ReportArgs report_args;
  auto* report_cmd = app.add_subcommand(
      "report",
      "Counts of bookings, transfers, releases and removals by custody basis, month (or quarter) "
      "and state, over whole periods that have ended; counts under 11, zeros included, withheld "
      "alike in every report");
  report_cmd
      ->add_option("--from", report_args.from,
                   "First day, YYYY-MM-DD; moved back to the start of its month (quarter)")
      ->required();
  report_cmd
      ->add_option("--to", report_args.to,
                   "Last day, YYYY-MM-DD (inclusive); moved on to the end of its month (quarter), "
                   "or back to the end of the last one that has ended")
      ->required();
  report_cmd->add_option("--by", report_args.by, "Rows of the period table: month or quarter")
      ->default_val("month");
  report_cmd
      ->add_option("--format", report_args.format,
                   "csv (plain RFC 4180; its notes go to OUT.notes.txt, or to standard error), "
                   "json, or html (with an SVG chart)")
      ->default_val("csv");
  report_cmd->add_option("--out", report_args.out, "Output file (default: standard output)");
  report_cmd
      ->add_option("--min-cell", report_args.min_cell,
                   "Smallest count shown (11 to 1000); smaller ones, zeros included, and "
                   "what would reveal them are withheld")
      ->default_val(11)
      ->check(CLI::Range(11, 1000));

  auto* audit = app.add_subcommand("audit", "Check the audit log");
  audit->require_subcommand(1);
  auto* audit_verify = audit->add_subcommand(
      "verify",
      "Check the hash chain and the signed checkpoints; exit 1 naming the first bad entry");
  audit_verify->footer(footer("1 the log does not check out (the first bad entry is named), "));
  std::string witness;
  audit_verify->add_option(
      "--witness", witness,
      "Also check against the checkpoints published to this witness: file:DIR, a directory or "
      "the witness file (default: [audit] witness when it is a file); catches entries cut off "
      "the end with their checkpoints deleted");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int status = app.exit(e);
    if (status != 0) Suggest(app, argc, argv);
    return status == 0 ? kExitOk : kExitUsage;
  }

  if (demo->parsed()) return RunDemoData(demo_args);
  if (config_example->parsed()) {
    std::fputs(ConfigExample().c_str(), stdout);
    return kExitOk;
  }

  auto config = LoadConfig(config_path, ProcessEnvironment());
  if (!config) {
    std::fprintf(stderr, "vigil: %s\n", config.error().message().c_str());
    return kExitUsage;
  }
  if (!log_format.empty()) config->log.format = log_format;
  Logger::SetFormat(config->log.format == "json" ? Logger::Format::kJson : Logger::Format::kText);
  Logger::SetLevel(config->log.level == "debug"   ? Logger::Level::kDebug
                   : config->log.level == "warn"  ? Logger::Level::kWarn
                   : config->log.level == "error" ? Logger::Level::kError
                                                  : Logger::Level::kInfo);
  if (!db_path.empty()) {
    const bool is_url = db_path.starts_with("sqlite:") || db_path.starts_with("postgresql://") ||
                        db_path.starts_with("postgres://");
    std::string url = is_url ? db_path : "sqlite:" + db_path;
    if (url.starts_with("sqlite:") && url != "sqlite::memory:") {
      url = "sqlite:" + std::filesystem::absolute(url.substr(7)).lexically_normal().string();
    }
    config->store.url = url;
  }
  if (config_check->parsed()) {
    std::printf("configuration ok%s%s\n", config_path.empty() ? "" : ": ", config_path.c_str());
    return kExitOk;
  }
  if (const std::string& from = migrate_args.from;
      from.starts_with("sqlite:") && !std::filesystem::exists(from.substr(7))) {
    std::fprintf(stderr, "vigil migrate: --from: there is no database at %s\n",
                 from.substr(7).c_str());
    return kExitUsage;
  }
  // Every command but these opens the configured store.
  const bool opens_store =
      !secrets_init->parsed() && !(migrate->parsed() && !migrate_args.from.empty());
  if (const std::string& url = config->store.url;
      opens_store && !create && url.starts_with("sqlite:") && url != "sqlite::memory:" &&
      !std::filesystem::exists(url.substr(7))) {
    std::fprintf(stderr,
                 "vigil: there is no database at %s (from %s); check the path, or give --create "
                 "to make a new one\n",
                 url.substr(7).c_str(), db_path.empty() ? "[store] url" : "--db");
    return kExitUsage;
  }
  if (!listen.empty()) {
    if (auto l = ParseListenAddress(listen); !l) {
      std::fprintf(stderr, "vigil serve: --listen: %s\n", l.error().message().c_str());
      return kExitUsage;
    }
    config->server.listen = listen;
  }
  if (config->server.public_url.empty()) {
    config->server.public_url = "http://" + config->server.listen;
  }

  if (migrate->parsed()) return RunMigrate(*config, migrate_args);
  if (secrets_init->parsed()) return RunSecretsInit(*config);
  if (serve->parsed()) return RunServe(*config, serve_args);
  if (worker->parsed()) return RunWorker(*config);
  if (audit_verify->parsed()) return RunAuditVerify(*config, witness);
  if (purge->parsed()) return RunPurge(*config);
  if (voicemails->parsed()) return RunVoicemails(*config, voicemails_args);
  if (export_cmd->parsed()) return RunExport(*config, export_args);
  if (report_cmd->parsed()) return RunReport(*config, report_args);
  if (keys_create->parsed() || keys_revoke->parsed() || keys_list->parsed() ||
      keys_sources->parsed()) {
    keys_args.action = keys_create->parsed()    ? "create"
                       : keys_revoke->parsed()  ? "revoke"
                       : keys_sources->parsed() ? "set-sources"
                                                : "list";
    return RunKeys(*config, keys_args);
  }
  if (staff->parsed()) {
    staff_args.action = staff_add->parsed()       ? "add"
                        : staff_disable->parsed() ? "disable"
                        : staff_enable->parsed()  ? "enable"
                        : staff_reset->parsed()   ? "reset-2fa"
                                                  : "list";
    return RunStaff(*config, staff_args);
  }
  if (import->parsed()) return RunImport(*config, import_args);
  return kExitUsage;
}
