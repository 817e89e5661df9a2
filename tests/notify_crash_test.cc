// Crash safety: `vigil serve` is SIGKILLed at random points, over
// and over, while it emails 1,000 notices to a real SMTP server
// (python3-aiosmtpd); each time it is started again. Afterwards every
// notice is in a terminal state, every one reached the server, and the
// duplicates that at-least-once delivery allows (same Message-ID) are
// counted and reported.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <regex>
#include <set>

#include "vigil/app/secrets.h"
#include "vigil/ingest/feed_importer.h"
#include "vigil/notify/contact_vault.h"
#include "vigil/store/store.h"
#include "vigil/testing/notify_fixture.h"
#include "vigil/testing/process.h"
#include "vigil/testing/smtp_sink.h"
#include "vigil/testing/temp_dir.h"

namespace vigil {
namespace {

constexpr int kRegistrations = 1000;
constexpr int kKills = 20;
int Kills() { return std::getenv("KILLS") ? std::atoi(std::getenv("KILLS")) : kKills; }

std::map<std::string, int64_t> StateCounts(Store* store) {
  std::map<std::string, int64_t> out;
  auto reader = store->BeginRead();
  if (!reader) return out;
  auto counts = (*reader)->outbox().NotificationStateCounts();
  if (!counts) return out;
  for (const auto& [state, n] : *counts) out[state] = n;
  return out;
}

TEST(NotifyCrash, RepeatedKillsLoseNoNotice) {
  testutil::TempDir dir;
  testutil::SmtpSink sink(VIGIL_PEERS_DIR, dir.path().string());
  ASSERT_TRUE(sink.Start());
  // A server that takes 8 ms a message: 1,000 take long enough for every
  // kill to land while sending.
  sink.SetDelay(8);
  std::string db = dir.File("v.db");
  auto store = OpenStore("sqlite:" + db);
  ASSERT_TRUE(store);
  SystemClock clock;  // the server due-dates against its own clock
  {
    FeedImporter importer(store->get(), &clock);
    auto lines = importer.ImportText(
        "setup",
        std::string(testutil::kTwoFacilities) +
            testutil::CustodyEventLine("B1", "booked", "2026-11-01T00:00:00Z", "ADL"),
        FeedFormat::kJsonLines, nullptr);
    ASSERT_TRUE(lines);
  }
  // 1,000 confirmed registrations, sealed with the key the server will load.
  auto key = LoadOrCreateSecretKey(dir.File("secret.key"));
  ASSERT_TRUE(key);
  auto vault = notify::ContactVault::Create(*key);
  ASSERT_TRUE(vault);
  ASSERT_TRUE(testutil::SeedActiveRegistrations(store->get(), *vault, 1, kRegistrations,
                                                clock.Now()));
  // The transfer owes one notice per registration, queued with the event.
  {
    FeedImporter importer(store->get(), &clock);
    ASSERT_TRUE(importer.ImportText("feed", testutil::CustodyEventLine("T1", "transferred", "2026-11-02T09:00:00Z", "OTR"),
                                    FeedFormat::kJsonLines, nullptr));
  }
  ASSERT_EQ(StateCounts(store->get())["created"], kRegistrations);

  int port = testutil::FreePort();
  std::vector<std::string> argv = {
      "/usr/bin/env",
      "VIGIL_NOTIFY_EMAIL=smtp",
      "VIGIL_SMTP_URL=" + sink.url(),
      "VIGIL_NOTIFY_LEASE_SECONDS=1",
      "VIGIL_SECRETS_KEY_FILE=" + dir.File("secret.key"),
      "VIGIL_SERVER_LISTEN=127.0.0.1:" + std::to_string(port),
      testutil::VigilBinary(),
      "--db",
      db,
      "serve"};
  std::mt19937 random(20261122);
  std::uniform_int_distribution<int> delay_ms(100, 600);
  int kills_while_sending = 0;
  for (int k = 0; k < Kills(); ++k) {
    size_t before = sink.Messages().size();
    testutil::Child serve(argv, dir.path().string());
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
    serve.Signal(SIGKILL);
    serve.Wait();
    if (sink.Messages().size() > before) ++kills_while_sending;
  }
  // Started one last time, it settles everything.
  testutil::Child serve(argv, dir.path().string());
  bool settled = testutil::WaitFor(
      [&] {
        auto counts = StateCounts(store->get());
        return counts["delivered"] == kRegistrations;
      },
      std::chrono::seconds(120));
  serve.Signal(SIGTERM);
  auto result = serve.Wait();
  std::string states;
  for (const auto& [state, n] : StateCounts(store->get())) {
    states += state + "=" + std::to_string(n) + " ";
  }
  ASSERT_TRUE(settled) << "not every notice was delivered (" << states << "); server said:\n"
                       << result.err;
  auto counts = StateCounts(store->get());
  EXPECT_EQ(counts.size(), 1u) << "every notice terminal and delivered";

  // Every notice reached the SMTP server; count the duplicates.
  std::map<std::string, int> by_id;
  std::regex id_line("Message-ID: (<vigil-notification-[0-9]+@[^>]+>)");
  for (const auto& mail : sink.Messages()) {
    std::smatch m;
    ASSERT_TRUE(std::regex_search(mail, m, id_line));
    ++by_id[m[1].str()];
  }
  int duplicates = 0;
  for (const auto& [id, n] : by_id) duplicates += n - 1;
  std::printf(
      "notify crash: %d kills (%d while sending), %zu distinct notices received, %d duplicates\n",
      Kills(), kills_while_sending, by_id.size(), duplicates);
  EXPECT_EQ(static_cast<int>(by_id.size()), kRegistrations);
  EXPECT_GT(kills_while_sending, 0) << "no kill landed while sending: the test proved nothing";
  RecordProperty("duplicates", duplicates);
}

}  // namespace
}  // namespace vigil
