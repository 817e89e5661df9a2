#include "vigil/app/config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "vigil/testing/temp_dir.h"

namespace vigil {
namespace {

class ConfigTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& text) {
    std::string path = dir_.File("vigil.toml");
    std::ofstream(path) << text;
    return path;
  }
  testutil::TempDir dir_;
};

TEST_F(ConfigTest, DefaultsMatchTheDesign) {
  auto c = LoadConfig("", {});
  ASSERT_TRUE(c) << c.error().ToString();
  EXPECT_EQ(c->server.listen, "127.0.0.1:8080");
  // Relative paths are made absolute, against the current directory.
  const std::string cwd = std::filesystem::current_path().string();
  EXPECT_EQ(c->store.url, "sqlite:" + cwd + "/var/vigil.db");
  EXPECT_EQ(c->policy.release_visibility_days, 60);
  EXPECT_EQ(c->limits.search_per_minute, 30);
  EXPECT_EQ(c->notify.voice, "twilio");
  EXPECT_EQ(c->file.outbox_dir, cwd + "/var/outbox");
  EXPECT_EQ(c->secrets.key_file, cwd + "/var/secret.key");
}

// The name index snapshot sits beside a SQLite database unless told
// otherwise; PostgreSQL nodes keep none unless given a path.
TEST_F(ConfigTest, TheIndexSnapshotIsBesideASqliteDatabaseByDefault) {
  auto c = LoadConfig("", {{"VIGIL_STORE_URL", "sqlite:/data/v.db"}});
  ASSERT_TRUE(c) << c.error().ToString();
  EXPECT_EQ(c->search.snapshot, "auto");
  EXPECT_EQ(SnapshotPath(*c), "/data/v.db.index");
  c = LoadConfig("", {{"VIGIL_STORE_URL", "postgresql://vigil@127.0.0.1:5432/vigil"}});
  ASSERT_TRUE(c);
  EXPECT_EQ(SnapshotPath(*c), "");
  c = LoadConfig(Write("[search]\nsnapshot = \"cache/index\"\n"), {});
  ASSERT_TRUE(c);
  EXPECT_EQ(SnapshotPath(*c), dir_.File("cache/index"));  // relative to the file
  c = LoadConfig("", {{"VIGIL_SEARCH_SNAPSHOT", ""}});
  ASSERT_TRUE(c);
  EXPECT_EQ(SnapshotPath(*c), "");
}

TEST_F(ConfigTest, FileThenEnvironment) {
  std::string path = Write(
      "[server]\nlisten = \"127.0.0.1:9090\"\n"
      "[store]\nurl = \"sqlite:/data/v.db\"\n"
      "[limits]\nsearch_per_minute = 0\n");
  auto c = LoadConfig(path, {{"VIGIL_STORE_URL", "sqlite:/other.db"},
                             {"VIGIL_POLICY_RELEASE_VISIBILITY_DAYS", "30"},
                             {"UNRELATED", "x"}});
  ASSERT_TRUE(c) << c.error().ToString();
  EXPECT_EQ(c->server.listen, "127.0.0.1:9090");
  EXPECT_EQ(c->store.url, "sqlite:/other.db");
  EXPECT_EQ(c->limits.search_per_minute, 0);
  EXPECT_EQ(c->policy.release_visibility_days, 30);
}

TEST_F(ConfigTest, ErrorsSayWhereAndWhy) {
  struct Case {
    const char* text;
    const char* expected;
  };
  for (auto [text, expected] : {
           Case{"[server]\nlisten = \"127.0.0.1:8080\"\nlissten = \"x\"\n",
                "vigil.toml:3:11: unknown key \"lissten\" in [server]"},
           Case{"[limits]\nsearch_per_minute = \"many\"\n",
                "vigil.toml:2:21: [limits] search_per_minute must be an integer"},
           Case{"[limits]\nsearch_per_minute = -1\n", "must be between 0 and 1000000"},
           Case{"[store]\nurl = 5\n", "[store] url must be a string"},
           Case{"[server\nlisten = 1\n", "vigil.toml:1:"},
           Case{"listen = \"x\"\n", "\"listen\" must be a [section]"},
           Case{"[notify]\nemail = \"pigeon\"\n", "[notify] email must be one of: smtp file"},
           Case{"[store]\nurl = \"mysql://x\"\n", "[store] url must start with sqlite:"},
           Case{"[web]\nexit_url = \"javascript:alert(1)\"\n",
                "[web] exit_url must start with https:// or http://"},
           Case{"[server]\nlisten = \"127.0.0.1\"\n", "listen address must be host:port"},
           Case{"[alerts]\nprivacy_officers = \"a@agency.gov,not an address\"\n",
                "[alerts] privacy_officers: "},
       }) {
    auto c = LoadConfig(Write(text), {});
    ASSERT_FALSE(c) << text;
    EXPECT_EQ(c.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(c.error().message().find(expected), std::string::npos)
        << "got: " << c.error().message();
  }
}

TEST_F(ConfigTest, BadEnvironmentAndMissingFile) {
  auto c = LoadConfig("", {{"VIGIL_LIMITS_SEARCH_PER_MINUTE", "ten"}});
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message().find("VIGIL_LIMITS_SEARCH_PER_MINUTE must be an integer"),
            std::string::npos);
  auto missing = LoadConfig(dir_.File("nope.toml"), {});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
}

TEST_F(ConfigTest, TheHotlineSectionIsCheckedAndTaken) {
  auto c = LoadConfig(Write("[hotline]\nnumbers = \"+18005550100=en, +18005550101=es\"\n"
                            "specialists = \"+12025550111,+12025550112\"\n"
                            "hours = \"Mon-Fri 08:30-18:00\"\ntime_zone = \"America/Chicago\"\n"
                            "ring_timeout_seconds = 25\n"),
                      {});
  ASSERT_TRUE(c) << c.error().ToString();
  auto o = HotlineOptionsOf(*c);
  ASSERT_TRUE(o);
  EXPECT_EQ(o->numbers.at("+18005550101"), "es");
  EXPECT_EQ(o->specialists.size(), 2u);
  EXPECT_EQ(o->hours.from_minute, 510);
  EXPECT_EQ(o->hours.time_zone, "America/Chicago");
  EXPECT_EQ(o->ring_timeout, std::chrono::seconds(25));
  for (const auto& [text, says] : std::vector<std::pair<std::string, std::string>>{
           {"numbers = \"18005550100=en\"", "[hotline] numbers"},
           {"numbers = \"+18005550100\"", "NUMBER=LANGUAGE"},
           {"numbers = \"+18005550100=xx\"", "no catalogue for language \"xx\""},
           {"specialists = \"555-0111\"", "[hotline] specialists"},
           {"hours = \"weekdays\"", "[hotline]: hours:"},
           {"time_zone = \"Nowhere/Else\"", "time_zone"},
           {"ring_timeout_seconds = 1", "ring_timeout_seconds"}}) {
    auto bad = LoadConfig(Write("[hotline]\n" + text + "\n"), {});
    ASSERT_FALSE(bad) << text;
    EXPECT_NE(bad.error().message().find(says), std::string::npos)
        << text << ": " << bad.error().message();
  }
}

TEST(ListenAddress, ParsesHostAndPort) {
  EXPECT_EQ(ParseListenAddress("127.0.0.1:8080")->second, 8080);
  EXPECT_EQ(ParseListenAddress("[::1]:80")->first, "::1");
  EXPECT_FALSE(ParseListenAddress("127.0.0.1:99999"));
  EXPECT_FALSE(ParseListenAddress(":80"));
  EXPECT_FALSE(ParseListenAddress("host:"));
}

// Relative paths in the file are relative to the file; from the
// environment, to the current directory; absolute ones stay; :memory: and
// URLs are not paths.
TEST_F(ConfigTest, RelativePathsAreRelativeToWhereTheyAreWritten) {
  std::filesystem::create_directories(dir_.File("etc"));
  const std::string path = dir_.File("etc/vigil.toml");
  std::ofstream(path) << "[store]\nurl = \"sqlite:../data/v.db\"\n"
                         "[secrets]\nkey_file = \"keys/secret.key\"\n"
                         "[audit]\nwitness = \"file:/srv/witness\"\n";
  auto c = LoadConfig(path, {{"VIGIL_FILE_OUTBOX_DIR", "out"}});
  ASSERT_TRUE(c) << c.error().ToString();
  EXPECT_EQ(c->store.url, "sqlite:" + dir_.File("data/v.db"));
  EXPECT_EQ(c->secrets.key_file, dir_.File("etc/keys/secret.key"));
  EXPECT_EQ(c->audit.witness, "file:/srv/witness");
  EXPECT_EQ(c->file.outbox_dir, std::filesystem::current_path().string() + "/out");
  auto memory = LoadConfig("", {{"VIGIL_STORE_URL", "sqlite::memory:"},
                                {"VIGIL_AUDIT_WITNESS", "https://witness.example/"}});
  ASSERT_TRUE(memory) << memory.error().ToString();
  EXPECT_EQ(memory->store.url, "sqlite::memory:");
  EXPECT_EQ(memory->audit.witness, "https://witness.example/");
}

TEST_F(ConfigTest, UnknownNamesAreRefusedWithTheClosestOne) {
  auto variable = LoadConfig("", {{"VIGIL_SMTP_ULR", "smtp://x"}});
  ASSERT_FALSE(variable);
  EXPECT_NE(variable.error().message().find("did you mean VIGIL_SMTP_URL?"), std::string::npos)
      << variable.error().message();
  auto far = LoadConfig("", {{"VIGIL_SOMETHING_ELSE", "x"}});
  ASSERT_FALSE(far);
  EXPECT_EQ(far.error().message().find("did you mean"), std::string::npos);
  EXPECT_TRUE(LoadConfig("", {{"VIGIL_CONFIG", "x.toml"}, {"VIGIL_LOG_LEVEL", "debug"}}));
  auto section = LoadConfig(Write("[servr]\nlisten = \"127.0.0.1:1\"\n"), {});
  ASSERT_FALSE(section);
  EXPECT_NE(section.error().message().find("vigil.toml:1:1: unknown section [servr]; did you "
                                           "mean [server]?"),
            std::string::npos)
      << section.error().message();
}

}  // namespace
}  // namespace vigil
