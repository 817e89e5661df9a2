// The vigil command line as a user meets it: real binary, real files.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "vigil/core/time_format.h"
#include "vigil/store/store.h"
#include "vigil/testing/call_simulator.h"
#include "vigil/testing/process.h"
#include "vigil/testing/temp_dir.h"

namespace vigil {
namespace {

using testutil::VigilBinary;

constexpr char kFacility[] =
    R"({"record":"facility","facility_id":"ADL","name":"Adelanto ICE Processing Center","city":"Adelanto","state":"CA","phone":"+17605550100"})";

std::string Event(const std::string& id, const std::string& a_number) {
  return R"({"record":"custody_event","source":"ice-ero","event_id":")" + id +
         R"(","type":"booked","occurred_at":"2026-11-01T14:03:00Z","subject":{"a_number":")" +
         a_number +
         R"(","given_names":"María del Carmen","family_names":"García López","aliases":[],"date_of_birth":"1990-04-12","country_of_birth":"MX"},"facility_id":"ADL","custody_basis":"civil_immigration","protections":[]})";
}

class CliTest : public ::testing::Test {
 protected:
  // What the README has an operator do first: `vigil secrets init` and a
  // database made with --create.
  void SetUp() override { testutil::InitVigil(dir_.path().string(), db()); }
  std::string Write(const std::string& name, const std::string& text) {
    std::string path = dir_.File(name);
    std::ofstream(path) << text;
    return path;
  }
  testutil::RunResult Vigil(std::vector<std::string> args) {
    args.insert(args.begin(), VigilBinary());
    return testutil::Run(args, dir_.path().string());
  }
  std::string db() const { return dir_.File("vigil.db"); }

  testutil::TempDir dir_;
};

TEST_F(CliTest, EveryCommandHasHelp) {
  for (std::vector<std::string> args : {std::vector<std::string>{"--help"},
                                        {"serve", "--help"},
                                        {"import", "--help"},
                                        {"demo-data", "--help"},
                                        {"keys", "--help"},
                                        {"keys", "create", "--help"},
                                        {"audit", "verify", "--help"},
                                        {"purge", "--help"},
                                        {"voicemails", "--help"},
                                        {"export", "--help"},
                                        {"report", "--help"},
                                        {"migrate", "--help"},
                                        {"worker", "--help"},
                                        {"secrets", "init", "--help"}}) {
    auto r = Vigil(args);
    EXPECT_EQ(r.exit_code, 0) << args[0];
    EXPECT_NE(r.out.find("Usage:"), std::string::npos) << r.out;
  }
  auto none = Vigil({});
  EXPECT_EQ(none.exit_code, 2);
  auto unknown = Vigil({"frobnicate"});
  EXPECT_EQ(unknown.exit_code, 2);
}

// Issue 19's CLI conventions, the first of them: --version, "did you mean"
// for a mistyped command or option, and vigil's own options after the
// command as well as before it.
TEST_F(CliTest, VersionSuggestionsAndGlobalOptionsAfterTheCommand) {
  auto version = Vigil({"--version"});
  EXPECT_EQ(version.exit_code, 0) << version.err;
  EXPECT_EQ(version.out.rfind("vigil 0.1.0 (commit ", 0), 0u) << version.out;
  EXPECT_NE(version.out.find("stores: sqlite, postgresql"), std::string::npos) << version.out;

  auto command = Vigil({"imprt", "feed.jsonl"});
  EXPECT_EQ(command.exit_code, 2);
  EXPECT_NE(command.err.find("unknown command 'imprt'; did you mean 'import'?"), std::string::npos)
      << command.err;
  auto option = Vigil({"import", "--dbb", db(), "feed.jsonl"});
  EXPECT_EQ(option.exit_code, 2);
  EXPECT_NE(option.err.find("unknown option --dbb; did you mean --db?"), std::string::npos)
      << option.err;
  // Help footers say what each command's exit statuses mean.
  auto verify_help = Vigil({"audit", "verify", "--help"});
  EXPECT_NE(verify_help.out.find("1 the log does not check out"), std::string::npos)
      << verify_help.out;
  EXPECT_EQ(verify_help.out.find("rejected"), std::string::npos) << verify_help.out;
  auto import_help = Vigil({"import", "--help"});
  EXPECT_NE(import_help.out.find("1 some lines were rejected"), std::string::npos);
  auto serve_help = Vigil({"serve", "--help"});
  EXPECT_NE(serve_help.out.find("Exit status: 0 ok, 2 bad arguments"), std::string::npos)
      << serve_help.out;
  auto far = Vigil({"frobnicate"});
  EXPECT_EQ(far.exit_code, 2);
  EXPECT_EQ(far.err.find("did you mean"), std::string::npos) << far.err;

  std::string feed =
      Write("after.jsonl", std::string(kFacility) + "\n" + Event("E1", "012345678") + "\n");
  auto after = Vigil({"import", "--db", db(), feed});
  EXPECT_EQ(after.exit_code, 0) << after.err;
  EXPECT_EQ(after.out, "accepted 2, duplicate 0, rejected 0\n");
  auto before = Vigil({"--db", db(), "import", feed});
  EXPECT_EQ(before.out, "accepted 0, duplicate 2, rejected 0\n") << before.err;
}

TEST_F(CliTest, KeysAreMadeOnceListedAndRevoked) {
  auto made = Vigil({"--db", db(), "keys", "create", "--name", "ice-ero", "--scope", "feed:write",
                     "--scope", "subjects:protect", "--source", "ice-ero", "--source", "cbp"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  ASSERT_EQ(made.out.rfind("vk.", 0), 0u) << made.out;
  EXPECT_NE(made.err.find("shown once"), std::string::npos);
  std::string key = made.out.substr(0, made.out.size() - 1);
  auto again = Vigil({"--db", db(), "keys", "create", "--name", "ice-ero", "--scope", "feed:write",
                      "--source", "ice-ero"});
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("exists already"), std::string::npos);
  auto bad = Vigil({"--db", db(), "keys", "create", "--name", "x", "--scope", "everything"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("unknown scope \"everything\""), std::string::npos);
  auto unbound = Vigil({"--db", db(), "keys", "create", "--name", "x", "--scope", "feed:write"});
  EXPECT_EQ(unbound.exit_code, 2);
  EXPECT_NE(unbound.err.find("must be bound to the feed sources"), std::string::npos)
      << unbound.err;
  auto list = Vigil({"--db", db(), "keys", "list"});
  EXPECT_EQ(list.exit_code, 0);
  EXPECT_EQ(list.out.rfind("name\tkey id\tscopes\tstate\tsources\n", 0), 0u) << list.out;
  auto json = Vigil({"--db", db(), "keys", "list", "--json"});
  EXPECT_EQ(json.exit_code, 0) << json.err;
  EXPECT_NE(json.out.find("\"name\": \"ice-ero\""), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("\"revoked_at\": null"), std::string::npos) << json.out;
  EXPECT_EQ(json.out.find(key.substr(20)), std::string::npos);
  EXPECT_NE(list.out.find("ice-ero\t" + key.substr(3, 16) +
                          "\tfeed:write,subjects:protect\tlive\tcbp,ice-ero"),
            std::string::npos)
      << list.out;
  auto narrowed = Vigil({"--db", db(), "keys", "set-sources", "ice-ero", "--source", "ice-ero"});
  EXPECT_EQ(narrowed.exit_code, 0) << narrowed.err;
  EXPECT_NE(Vigil({"--db", db(), "keys", "list"}).out.find("\tlive\tice-ero\n"), std::string::npos);
  auto reserved =
      Vigil({"--db", db(), "keys", "set-sources", "ice-ero", "--source", "vigil-override"});
  EXPECT_EQ(reserved.exit_code, 2);
  EXPECT_NE(reserved.err.find("overrides route"), std::string::npos) << reserved.err;
  EXPECT_EQ(list.out.find(key.substr(20)), std::string::npos) << "the secret is never shown again";
  EXPECT_EQ(Vigil({"--db", db(), "keys", "revoke", "ice-ero"}).exit_code, 0);
  EXPECT_NE(Vigil({"--db", db(), "keys", "list"}).out.find("revoked "), std::string::npos);
  auto twice = Vigil({"--db", db(), "keys", "revoke", "ice-ero"});
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_NE(twice.err.find("no live key named"), std::string::npos);
}

TEST_F(CliTest, ImportPrintsSummaryRejectsAndExitStatus) {
  std::string feed = std::string(kFacility) + "\n" + Event("E1", "012345678") + "\n" +
                     "{\"record\":\"custody_event\"}\n" + Event("E2", "A-12-345-679") + "\n";
  std::string path = Write("feed.jsonl", feed);
  auto first = Vigil({"--db", db(), "import", path});
  EXPECT_EQ(first.exit_code, 1) << first.err;
  EXPECT_EQ(first.out, "accepted 3, duplicate 0, rejected 1\n");
  EXPECT_NE(first.err.find("feed.jsonl:3: source: required field is missing"), std::string::npos)
      << first.err;

  std::string clean =
      Write("clean.jsonl", std::string(kFacility) + "\n" + Event("E1", "012345678") + "\n");
  auto again = Vigil({"--db", db(), "import", clean});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, "accepted 0, duplicate 2, rejected 0\n");
}

TEST_F(CliTest, MissingOrUnreadableFileFailsBeforeImportingAnything) {
  std::string good = Write("good.jsonl", std::string(kFacility) + "\n");
  auto r = Vigil({"--db", db(), "import", good, dir_.File("missing.jsonl")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("missing.jsonl: no such file"), std::string::npos) << r.err;
  auto dir = Vigil({"--db", db(), "import", dir_.path().string()});
  EXPECT_EQ(dir.exit_code, 2);
  EXPECT_NE(dir.err.find("is a directory"), std::string::npos);
  // Nothing was imported from the good file.
  auto store = OpenStore("sqlite:" + db());
  ASSERT_TRUE(store);
  EXPECT_EQ((*(*store)->BeginRead())->reporting().Counts()->facilities, 0);
}

TEST_F(CliTest, ConfigFileAndEnvironmentSelectTheStore) {
  std::string config =
      Write("vigil.toml", "[store]\nurl = \"sqlite:" + dir_.File("from-config.db") + "\"\n");
  std::string feed = Write("f.jsonl", std::string(kFacility) + "\n");
  // A database that does not exist is made only when asked.
  auto refused = Vigil({"--config", config, "import", feed});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("there is no database at " + dir_.File("from-config.db") +
                             " (from [store] url); check the path, or give --create"),
            std::string::npos)
      << refused.err;
  EXPECT_FALSE(std::filesystem::exists(dir_.File("from-config.db")));
  auto r = Vigil({"--config", config, "--create", "import", feed});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::ifstream(dir_.File("from-config.db")).good());

  std::string bad = Write("bad.toml", "[store]\nurll = \"x\"\n");
  auto broken = Vigil({"--config", bad, "import", feed});
  EXPECT_EQ(broken.exit_code, 2);
  EXPECT_NE(broken.err.find("bad.toml:2:8: unknown key \"urll\" in [store]; did you mean "
                            "\"url\"?"),
            std::string::npos)
      << broken.err;
}

// Issue 19, point 1: relative paths in a config file are relative to the
// file, wherever vigil is started; a key is never made by serve; a key that
// is not the database's, or none, refuses to start naming both; a typo in
// --db or in a VIGIL_* variable is refused.
TEST_F(CliTest, PathsAreRelativeToTheirFileAndKeysAreExplicit) {
  std::filesystem::create_directories(dir_.File("etc"));
  std::filesystem::create_directories(dir_.File("elsewhere"));
  const std::string config = Write("etc/vigil.toml",
                                   "[store]\nurl = \"sqlite:../var/site.db\"\n"
                                   "[secrets]\nkey_file = \"keys/site.key\"\n");
  auto in = [&](const std::string& cwd, std::vector<std::string> args) {
    args.insert(args.begin(), VigilBinary());
    return testutil::Run(args, dir_.File(cwd));
  };
  auto init = in("elsewhere", {"--config", config, "secrets", "init"});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  EXPECT_TRUE(std::filesystem::exists(dir_.File("etc/keys/site.key")));
  EXPECT_FALSE(std::filesystem::exists(dir_.File("elsewhere/etc")));
  std::string feed = Write("f.jsonl", std::string(kFacility) + "\n" + Event("E1", "012345678"));
  ASSERT_EQ(in("elsewhere", {"--config", config, "--create", "import", "-q", feed}).exit_code, 0);
  EXPECT_TRUE(std::filesystem::exists(dir_.File("var/site.db")));
  // Started from two directories, it hands out the same refs.
  auto exported_here = in("etc", {"--config", config, "export"});
  auto exported_there = in("elsewhere", {"--config", "../etc/vigil.toml", "export"});
  ASSERT_EQ(exported_here.exit_code, 0) << exported_here.err;
  EXPECT_NE(exported_here.out.find("\n"), std::string::npos);
  EXPECT_EQ(exported_here.out, exported_there.out);

  // The key recorded in the database is the one asked for.
  const std::string site_db = dir_.File("var/site.db");
  auto other_key = Vigil({"--db", site_db, "export"});  // var/secret.key, another key
  EXPECT_EQ(other_key.exit_code, 3);
  EXPECT_NE(other_key.err.find("the secret key at " + dir_.File("var/secret.key")),
            std::string::npos)
      << other_key.err;
  EXPECT_NE(other_key.err.find("is not the key the database sqlite:" + site_db + " was sealed"),
            std::string::npos)
      << other_key.err;
  auto no_key = in("elsewhere", {"--db", site_db, "export"});
  EXPECT_EQ(no_key.exit_code, 3);
  EXPECT_NE(no_key.err.find("there is no secret key at " + dir_.File("elsewhere/var/secret.key")),
            std::string::npos)
      << no_key.err;
  EXPECT_NE(no_key.err.find("was sealed with key "), std::string::npos) << no_key.err;
  EXPECT_FALSE(std::filesystem::exists(dir_.File("elsewhere/var")));  // nothing made

  auto typo = Vigil({"--db", dir_.File("vigli.db"), "keys", "list"});
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.err.find("there is no database at " + dir_.File("vigli.db") + " (from --db)"),
            std::string::npos)
      << typo.err;
  EXPECT_FALSE(std::filesystem::exists(dir_.File("vigli.db")));
  auto from = Vigil({"migrate", "--from", "sqlite:" + dir_.File("pilto.db"), "--to",
                     "postgresql://127.0.0.1:1/none"});
  EXPECT_EQ(from.exit_code, 2);
  EXPECT_NE(from.err.find("--from: there is no database at " + dir_.File("pilto.db")),
            std::string::npos)
      << from.err;
  EXPECT_FALSE(std::filesystem::exists(dir_.File("pilto.db")));

  auto variable = testutil::Run({"/usr/bin/env", "VIGIL_SERVER_LISTN=127.0.0.1:1", VigilBinary(),
                                 "--db", db(), "keys", "list"},
                                dir_.path().string());
  EXPECT_EQ(variable.exit_code, 2);
  EXPECT_NE(variable.err.find("environment variable VIGIL_SERVER_LISTN is not a setting of vigil"),
            std::string::npos)
      << variable.err;
  EXPECT_NE(variable.err.find("did you mean VIGIL_SERVER_LISTEN?"), std::string::npos)
      << variable.err;
}

// Issue 19, point 2: one schema. `vigil config example` lists every key
// with its default, reads back as a valid configuration, and is the README's
// configuration section, character for character.
TEST_F(CliTest, ConfigExampleIsValidAndIsTheReadmeSection) {
  auto example = Vigil({"config", "example"});
  ASSERT_EQ(example.exit_code, 0) << example.err;
  for (const char* key :
       {"[server]", "[metrics]", "[store]", "[secrets]", "[policy]", "[limits]", "[notify]",
        "[smtp]", "[kannel]", "[twilio]", "[hotline]", "[audit]", "[alerts]", "[retention]",
        "[file]", "key_file = ", "release_visibility_days = 60", "outbox_dir = \"var/outbox\""}) {
    EXPECT_NE(example.out.find(key), std::string::npos) << key;
  }
  const std::string config = Write("example.toml", example.out);
  auto check = Vigil({"--config", config, "config", "check"});
  EXPECT_EQ(check.exit_code, 0) << check.err;

  std::ifstream readme(std::string(VIGIL_SOURCE_DIR) + "/README.md");
  ASSERT_TRUE(readme) << "README.md";
  std::stringstream text;
  text << readme.rdbuf();
  const std::string begin = "<!-- generated by `vigil config example`; do not edit -->\n```toml\n";
  const size_t at = text.str().find(begin);
  ASSERT_NE(at, std::string::npos) << "README.md has no generated configuration section";
  const size_t from = at + begin.size();
  const size_t to = text.str().find("```\n", from);
  EXPECT_EQ(text.str().substr(from, to - from), example.out)
      << "README.md's configuration section is not `vigil config example`'s output: "
         "regenerate it (see docs/operations.md)";

  // A value that is wrong says where, in the file or in the environment.
  const std::string bad = Write("bad.toml", "[notify]\n\nemail = \"pigeon\"\n");
  auto wrong = Vigil({"--config", bad, "config", "check"});
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_NE(wrong.err.find("bad.toml:3:9: [notify] email must be one of: smtp file"),
            std::string::npos)
      << wrong.err;
  auto env = testutil::Run(
      {"/usr/bin/env", "VIGIL_SERVER_PUBLIC_URL=ftp://x", VigilBinary(), "config", "check"},
      dir_.path().string());
  EXPECT_EQ(env.exit_code, 2);
  EXPECT_NE(env.err.find("environment variable VIGIL_SERVER_PUBLIC_URL: [server] public_url "
                         "must start with http://"),
            std::string::npos)
      << env.err;
}

TEST_F(CliTest, DemoDataIsDeterministicAndImportsCleanly) {
  auto a = Vigil({"demo-data", "--subjects", "300", "--seed", "5", "--as-of", "2026-11-22", "--out",
                  dir_.File("a")});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  auto b = Vigil({"demo-data", "--subjects", "300", "--seed", "5", "--as-of", "2026-11-22", "--out",
                  dir_.File("b")});
  ASSERT_EQ(b.exit_code, 0) << b.err;
  auto slurp = [](const std::string& p) {
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  EXPECT_EQ(slurp(dir_.File("a/events.jsonl")), slurp(dir_.File("b/events.jsonl")));
  auto imported =
      Vigil({"--db", db(), "import", dir_.File("a/facilities.jsonl"), dir_.File("a/events.jsonl")});
  EXPECT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_NE(imported.out.find(", rejected 0"), std::string::npos);
  auto bad = Vigil({"demo-data", "--subjects", "0", "--out", dir_.File("c")});
  EXPECT_EQ(bad.exit_code, 2);
}

TEST_F(CliTest, ServeAnswersHealthzAndStopsOnSigterm) {
  int port = testutil::FreePort();
  testutil::Child server(
      {VigilBinary(), "--db", db(), "serve", "--listen", "127.0.0.1:" + std::to_string(port)},
      dir_.path().string());
  std::string response;
  ASSERT_TRUE(testutil::WaitFor(
      [&] {
        response = testutil::HttpGet(port, "/healthz");
        return !response.empty();
      },
      std::chrono::seconds(20)))
      << server.Stderr();
  EXPECT_NE(response.find("HTTP/1.1 200"), std::string::npos) << response;
  EXPECT_NE(response.find(R"({"status":"ok"})"), std::string::npos);
  EXPECT_NE(testutil::HttpGet(port, "/nope").find("HTTP/1.1 404"), std::string::npos);
  server.Signal(SIGTERM);
  auto r = server.Wait();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // The access log names routes, never raw targets.
  EXPECT_NE(r.err.find("route=/healthz"), std::string::npos) << r.err;
}

// The hotline as `vigil serve` runs it from its configuration: a caller
// hears a person looked up by A-number, then leaves a voicemail (no
// specialists are configured), which `vigil voicemails` lists with the
// caller's number for a specialist to call back.
TEST_F(CliTest, ServeAnswersTheHotlineAndVoicemailsListsWhatCallersLeft) {
  ASSERT_EQ(Vigil({"--db", db(), "import",
                   Write("feed.jsonl", std::string(kFacility) + "\n" + Event("B1", "012345678"))})
                .exit_code,
            0);
  int port = testutil::FreePort();
  const std::string base = "http://127.0.0.1:" + std::to_string(port);
  const std::string config =
      Write("hotline.toml", "[server]\npublic_url = \"" + base +
                                "\"\n[twilio]\nauth_token = \"cli-hotline-token\"\n"
                                "[hotline]\nnumbers = \"+18005550100=es\"\n"
                                "hours = \"Mon-Sun 00:00-24:00\"\n");
  testutil::Child server({VigilBinary(), "--config", config, "--db", db(), "serve", "--listen",
                          "127.0.0.1:" + std::to_string(port)},
                         dir_.path().string());
  ASSERT_TRUE(testutil::WaitFor([&] { return !testutil::HttpGet(port, "/healthz").empty(); },
                                std::chrono::seconds(20)))
      << server.Stderr();
  testutil::CallSimulator sim(base, "cli-hotline-token");
  testutil::CallSimulator::Options o;
  o.to = "+18005550100";
  o.from = "+12025550142";
  o.keys = {"1", "012345678#", "1", "52#"};
  auto lookup = sim.Call("/api/v1/voice/hotline", o);
  EXPECT_EQ(lookup.error, "");
  EXPECT_NE(lookup.Heard().find("María del Carmen García López, nacido en 1990."),
            std::string::npos)
      << lookup.Heard();
  o.keys = {"0"};
  auto message = sim.Call("/api/v1/voice/hotline", o);
  EXPECT_EQ(message.error, "");
  EXPECT_TRUE(message.recorded) << message.Heard();
  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait().exit_code, 0);
  auto listed = Vigil({"--config", config, "--db", db(), "voicemails"});
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("+12025550142"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("https://api.twilio.test/Recordings/RE1"), std::string::npos);
  EXPECT_NE(listed.out.find("   12s  es"), std::string::npos) << listed.out;
  auto json = Vigil({"--config", config, "--db", db(), "voicemails", "--json"});
  EXPECT_EQ(json.exit_code, 0) << json.err;
  EXPECT_NE(json.out.find("\"caller\": \"+12025550142\""), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("\"duration_seconds\": 12"), std::string::npos) << json.out;
}

// Audit acceptance through the binary: what `vigil serve` logs
// (searches, a withheld match, a key's use, a protection) verifies; the log
// holds no query text; and `vigil audit verify` names an edited entry.
TEST_F(CliTest, AuditVerifyChecksWhatServeLoggedAndNamesATamperedEntry) {
  std::string key_file = "VIGIL_SECRETS_KEY_FILE=" + dir_.File("var/secret.key");
  std::string protected_event = Event("E2", "012345679");
  protected_event.replace(protected_event.find("\"protections\":[]"), 16,
                          "\"protections\":[\"asylum\"]");
  std::string feed = Write("feed.jsonl", std::string(kFacility) + "\n" + Event("E1", "012345678") +
                                             "\n" + protected_event + "\n");
  ASSERT_EQ(Vigil({"--db", db(), "import", feed}).exit_code, 0);
  auto key =
      Vigil({"--db", db(), "keys", "create", "--name", "privacy", "--scope", "subjects:protect"});
  ASSERT_EQ(key.exit_code, 0) << key.err;
  int port = testutil::FreePort();
  {
    testutil::Child server({"/usr/bin/env", key_file, VigilBinary(), "--db", db(), "serve",
                            "--listen", "127.0.0.1:" + std::to_string(port)},
                           dir_.path().string());
    ASSERT_TRUE(testutil::WaitFor([&] { return !testutil::HttpGet(port, "/healthz").empty(); },
                                  std::chrono::seconds(20)));
    testutil::HttpGet(port, "/api/v1/search?a_number=012345678&country_of_birth=MX");
    testutil::HttpGet(port, "/api/v1/search?a_number=012345679&country_of_birth=MX");  // withheld
    testutil::HttpGet(port,
                      "/search?given_name=Mar%C3%ADa&family_name=Garc%C3%ADa&country_of_birth=MX");
    std::string token = key.out.substr(0, key.out.size() - 1);
    std::string put = testutil::HttpRequest(
        port, "PUT", "/api/v1/agency/subjects/012345678/protections",
        R"({"protections":["sec1367"],"reason":"T visa","legal_basis":"8 U.S.C. 1367"})",
        "application/json", "Authorization: Bearer " + token + "\r\n");
    EXPECT_NE(put.find(" 200 "), std::string::npos) << put;
    server.Signal(SIGTERM);
    EXPECT_EQ(server.Wait().exit_code, 0);
  }
  auto ok =
      testutil::Run({"/usr/bin/env", key_file, VigilBinary(), "--db", db(), "audit", "verify"},
                    dir_.path().string());
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("audit log intact"), std::string::npos) << ok.out;
  // What was logged, and what was not.
  {
    auto store = OpenStore("sqlite:" + db());
    auto reader = (*store)->BeginRead();
    auto entries = (*reader)->audit().AuditEntriesAfter(0, 1000);
    ASSERT_TRUE(entries);
    std::set<std::string> kinds;
    for (const auto& e : *entries) {
      kinds.insert(e.kind);
      EXPECT_EQ(e.detail.find("012345678"), std::string::npos) << "query text: " << e.detail;
      EXPECT_EQ(e.detail.find("Garc"), std::string::npos) << "query text: " << e.detail;
    }
    for (const char* k : {"search", "suppressed_match", "key_use", "protection"}) {
      EXPECT_TRUE(kinds.count(k)) << "no " << k << " entry";
    }
  }
  sqlite3* raw = nullptr;
  sqlite3_open(db().c_str(), &raw);
  sqlite3_exec(raw,
               "UPDATE audit_log SET detail = 'by a_number; query 0; disclosed 0' WHERE seq = 2",
               nullptr, nullptr, nullptr);
  sqlite3_close(raw);
  auto bad =
      testutil::Run({"/usr/bin/env", key_file, VigilBinary(), "--db", db(), "audit", "verify"},
                    dir_.path().string());
  EXPECT_EQ(bad.exit_code, 1) << bad.out << bad.err;
  EXPECT_NE(bad.out.find("entry 2 was altered"), std::string::npos) << bad.out;
}

// The witness: `vigil serve` publishes each signed checkpoint to
// a file witness and to an HTTP receiver as it is made. Cutting entries off
// the end of the log and deleting the checkpoints that covered them passes
// `audit verify` on the database alone, and fails it with --witness, naming
// the last witnessed checkpoint; the receiver holds the same checkpoints.
TEST_F(CliTest, AuditVerifyWithAWitnessCatchesATruncatedLog) {
  std::string key_file = "VIGIL_SECRETS_KEY_FILE=" + dir_.File("var/secret.key");
  std::string feed =
      Write("feed.jsonl", std::string(kFacility) + "\n" + Event("E1", "012345678") + "\n");
  ASSERT_EQ(Vigil({"--db", db(), "import", "-q", feed}).exit_code, 0);
  const std::string received = dir_.File("received.log");
  const int receiver_port = testutil::FreePort();
  testutil::Child receiver(
      {"/usr/bin/python3", std::string(VIGIL_PEERS_DIR) + "/witness_receiver.py",
       std::to_string(receiver_port), received},
      dir_.path().string());
  ASSERT_TRUE(
      testutil::WaitFor([&] { return !testutil::HttpRequest(receiver_port, "GET", "/").empty(); },
                        std::chrono::seconds(20)));
  auto serve = [&](const std::string& witness) {
    int port = testutil::FreePort();
    testutil::Child server({"/usr/bin/env", key_file, "VIGIL_AUDIT_WITNESS=" + witness,
                            "VIGIL_LIMITS_SEARCH_PER_MINUTE=0", VigilBinary(), "--db", db(),
                            "serve", "--listen", "127.0.0.1:" + std::to_string(port)},
                           dir_.path().string());
    ASSERT_TRUE(testutil::WaitFor([&] { return !testutil::HttpGet(port, "/healthz").empty(); },
                                  std::chrono::seconds(20)))
        << server.Stderr();
    for (int i = 0; i < 3; ++i) {
      testutil::HttpGet(port, "/api/v1/search?a_number=012345678&country_of_birth=MX");
      testutil::HttpGet(port, "/api/v1/search?a_number=012345679&country_of_birth=MX");
      std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // one checkpoint a second
    }
    server.Signal(SIGTERM);
    auto done = server.Wait();
    EXPECT_EQ(done.exit_code, 0) << done.err;
    EXPECT_NE(done.err.find("audit checkpoints are witnessed at " + witness), std::string::npos)
        << done.err;
  };
  auto verify = [&](const std::string& database, std::vector<std::string> extra) {
    std::vector<std::string> args = {"/usr/bin/env", key_file, VigilBinary(), "--db",
                                     database,       "audit",  "verify"};
    args.insert(args.end(), extra.begin(), extra.end());
    return testutil::Run(args, dir_.path().string());
  };
  // Verifies against `witness` what the last serve left, then a copy of the
  // database with the last entries cut off, with the checkpoints that covered them.
  auto check = [&](const std::string& witness, const std::string& name) {
    auto ok = verify(db(), {"--witness", witness});
    EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
    EXPECT_NE(ok.out.find("witnessed (the last at entry"), std::string::npos) << ok.out;
    int64_t last = 0;
    {
      auto store = OpenStore("sqlite:" + db());
      auto reader = (*store)->BeginRead();
      last = (**(*reader)->audit().LastAuditEntry()).seq;
    }
    ASSERT_GT(last, 4);
    const std::string cut_db = dir_.File(name + ".db");
    sqlite3* raw = nullptr;
    sqlite3_open(db().c_str(), &raw);
    ASSERT_EQ(
        sqlite3_exec(raw, ("VACUUM INTO '" + cut_db + "'").c_str(), nullptr, nullptr, nullptr),
        SQLITE_OK);
    sqlite3_close(raw);
    sqlite3_open(cut_db.c_str(), &raw);
    std::string cut = "DELETE FROM audit_log WHERE seq > " + std::to_string(last - 3) +
                      "; DELETE FROM audit_checkpoints WHERE seq > " + std::to_string(last - 3);
    ASSERT_EQ(sqlite3_exec(raw, cut.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(raw);
    auto fooled = verify(cut_db, {});
    EXPECT_EQ(fooled.exit_code, 0) << "the database alone cannot tell: " << fooled.out;
    auto caught = verify(cut_db, {"--witness", witness});
    EXPECT_EQ(caught.exit_code, 1) << caught.out << caught.err;
    EXPECT_NE(
        caught.out.find("audit log NOT intact: the log ends at entry " + std::to_string(last - 3)),
        std::string::npos)
        << caught.out;
    EXPECT_NE(caught.out.find("the last witnessed checkpoint is at entry " + std::to_string(last)),
              std::string::npos)
        << caught.out;
  };
  serve("file:" + dir_.File("witness"));
  check("file:" + dir_.File("witness"), "cut-file");
  serve("http://127.0.0.1:" + std::to_string(receiver_port) + "/");
  check(received, "cut-http");
  auto missing = verify(db(), {"--witness", dir_.File("nowhere")});
  EXPECT_EQ(missing.exit_code, 2) << missing.err;
  EXPECT_NE(missing.err.find("no audit witness file"), std::string::npos) << missing.err;
}

TEST_F(CliTest, PurgeAppliesRetention) {
  ASSERT_EQ(Vigil({"--db", db(), "purge"}).exit_code, 0);  // an empty store: nothing to do
  {
    auto store = OpenStore("sqlite:" + db());
    auto w = (*store)->BeginWrite();
    Registration r;
    r.subject_id = 1;
    r.contact_sealed = "sealed";
    r.contact_index = "index";
    r.state = RegistrationState::kUnsubscribed;
    r.created_at = *ParseRfc3339("2020-01-01T00:00:00Z");
    r.ended_at = *ParseRfc3339("2020-01-02T00:00:00Z");
    ASSERT_TRUE((*w)->registrations().InsertRegistration(r));
    ASSERT_TRUE((*w)->Commit());
  }
  auto r = Vigil({"--db", db(), "purge"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("purged the contacts of 1 ended registrations"), std::string::npos) << r.out;
  EXPECT_NE(Vigil({"--db", db(), "purge"}).out.find("of 0 ended"), std::string::npos);
}

// `vigil report` and `vigil export` through the binary: files written whole,
// bad arguments refused with the reason and exit status 2.
TEST_F(CliTest, ReportAndExportWriteFilesAndRefuseBadArguments) {
  std::string feed =
      Write("feed.jsonl", std::string(kFacility) + "\n" + Event("E1", "012345678") + "\n");
  ASSERT_EQ(Vigil({"--db", db(), "import", "-q", feed}).exit_code, 0);
  auto r = Vigil({"--db", db(), "report", "--from", "2026-11-01", "--to", "2026-11-30", "--format",
                  "json", "--out", dir_.File("r.json")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(dir_.File("r.json"));
  std::string json((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(json.find("\"tables\""), std::string::npos) << json;
  EXPECT_EQ(json.find("García"), std::string::npos);
  // The CSV is records only; its notes are beside it.
  auto report_csv = Vigil({"--db", db(), "report", "--from", "2026-11-01", "--to", "2026-11-30",
                           "--out", dir_.File("r.csv")});
  ASSERT_EQ(report_csv.exit_code, 0) << report_csv.err;
  std::ifstream csv_file(dir_.File("r.csv"));
  std::string first;
  std::getline(csv_file, first);
  EXPECT_EQ(first, "table,row,bookings,transfers,releases,removals,total\r");
  std::ifstream notes_file(dir_.File("r.csv.notes.txt"));
  std::string notes((std::istreambuf_iterator<char>(notes_file)), std::istreambuf_iterator<char>());
  EXPECT_NE(notes.find("2026-11-01 to 2026-11-30"), std::string::npos) << notes;
  EXPECT_NE(notes.find("withheld"), std::string::npos) << notes;
  auto bad = Vigil({"--db", db(), "report", "--from", "2026-11-31", "--to", "2026-12-01"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--from"), std::string::npos) << bad.err;
  auto format = Vigil(
      {"--db", db(), "report", "--from", "2026-11-01", "--to", "2026-12-01", "--format", "pdf"});
  EXPECT_EQ(format.exit_code, 2);
  EXPECT_NE(format.err.find("csv, json or html"), std::string::npos) << format.err;

  auto e = Vigil({"--db", db(), "export", "--out", dir_.File("public.csv")});
  ASSERT_EQ(e.exit_code, 0) << e.err;
  std::ifstream csv_in(dir_.File("public.csv"));
  std::string csv((std::istreambuf_iterator<char>(csv_in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(csv.rfind("ref,name,birth_year", 0), 0u) << csv;
  EXPECT_NE(csv.find("María del Carmen García López,1990,MX,in_custody"), std::string::npos) << csv;
  EXPECT_EQ(csv.find("1990-04-12"), std::string::npos) << "never the full birth date";
}

TEST_F(CliTest, ServeRefusesAPortInUse) {
  int port = testutil::FreePort();
  testutil::Child first(
      {VigilBinary(), "--db", db(), "serve", "--listen", "127.0.0.1:" + std::to_string(port)},
      dir_.path().string());
  ASSERT_TRUE(testutil::WaitFor([&] { return !testutil::HttpGet(port, "/healthz").empty(); },
                                std::chrono::seconds(20)));
  auto second = Vigil({"--db", db(), "serve", "--listen", "127.0.0.1:" + std::to_string(port)});
  EXPECT_EQ(second.exit_code, 3);
  EXPECT_NE(second.err.find("Address already in use"), std::string::npos) << second.err;
}

}  // namespace
}  // namespace vigil
