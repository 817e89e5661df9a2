// Sending throughput: vigil's dispatcher emailing N queued notices
// to Postfix's smtp-sink on loopback, beside the sink's own capacity
// measured with Postfix's smtp-source (one session, one message per
// connection, as the dispatcher sends) in the same run. Prints emails/s for
// each and the ratio.
//
//   smtp_bench [--messages=N]   (default 5,000)
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "vigil/ingest/feed_importer.h"
#include "vigil/notify/dispatcher.h"
#include "vigil/notify/smtp_channel.h"
#include "vigil/store/sqlite_store.h"
#include "vigil/testing/notify_fixture.h"
#include "vigil/testing/process.h"
#include "vigil/testing/smtp_sink.h"
#include "vigil/testing/temp_dir.h"

namespace vigil {
namespace {

using Seconds = std::chrono::duration<double>;

int Main(int messages) {
  testutil::TempDir dir;
  int port = testutil::FreePort();
  std::vector<std::string> sink_argv = {"/usr/sbin/smtp-sink"};
  if (geteuid() == 0) sink_argv.insert(sink_argv.end(), {"-u", "nobody"});
  sink_argv.insert(sink_argv.end(), {"-a", "127.0.0.1:" + std::to_string(port), "256"});
  testutil::Child sink(sink_argv, dir.path().string());
  if (!testutil::WaitFor([&] { return testutil::PortOpen(port); }, std::chrono::seconds(10))) {
    std::fprintf(stderr, "smtp_bench: smtp-sink did not start\n");
    return 1;
  }
  // The sink's capacity: smtp-source, one session.
  auto start = std::chrono::steady_clock::now();
  auto source = testutil::Run({"/usr/sbin/smtp-source", "-m", std::to_string(messages), "-s", "1",
                               "-l", "1024", "-f", "alerts@example.org", "-t", "r@example.org",
                               "127.0.0.1:" + std::to_string(port)},
                              dir.path().string());
  double source_s = Seconds(std::chrono::steady_clock::now() - start).count();
  if (source.exit_code != 0) {
    std::fprintf(stderr, "smtp_bench: smtp-source failed: %s\n", source.err.c_str());
    return 1;
  }

  // vigil: N registrations, one event, the dispatcher until nothing is due.
  auto store = OpenSqliteStore(dir.File("v.db"));
  SystemClock clock;
  FeedImporter setup(store->get(), &clock);
  (void)setup.ImportText("setup",
                         std::string(testutil::kTwoFacilities) +
                             testutil::CustodyEventLine("B1", "booked", "2026-11-01T00:00:00Z", "ADL"),
                         FeedFormat::kJsonLines, nullptr);
  std::array<unsigned char, 32> key{};
  auto vault = notify::ContactVault::Create(key);
  auto refs = policy::RefCodec::Create(key);
  if (!testutil::SeedActiveRegistrations(store->get(), *vault, 1, messages, clock.Now())) {
    std::fprintf(stderr, "smtp_bench: could not seed registrations\n");
    return 1;
  }
  (void)setup.ImportText(
      "feed", testutil::CustodyEventLine("T1", "transferred", "2026-11-02T00:00:00Z", "OTR"),
      FeedFormat::kJsonLines, nullptr);
  policy::DisclosurePolicy policy(&clock, &*refs, {});
  notify::SmtpChannel smtp({"smtp://127.0.0.1:" + std::to_string(port), "alerts@example.org"});
  notify::Dispatcher dispatcher(store->get(), &*vault, &policy, &clock,
                                {{DeliveryChannel::kEmail, &smtp}}, {});
  int delivered = 0;
  start = std::chrono::steady_clock::now();
  while (true) {
    auto r = dispatcher.RunOnce();
    if (!r) {
      std::fprintf(stderr, "smtp_bench: %s\n", r.error().message().c_str());
      return 1;
    }
    delivered += r->delivered;
    if (r->claimed == 0) break;
  }
  double vigil_s = Seconds(std::chrono::steady_clock::now() - start).count();
  if (delivered != messages) {
    std::fprintf(stderr, "smtp_bench: delivered %d of %d\n", delivered, messages);
    return 1;
  }
  double vigil_rate = messages / vigil_s, source_rate = messages / source_s;
  std::printf(
      "smtp: %d messages to smtp-sink; vigil dispatcher %.0f emails/s (%.2f s, durable outcome "
      "per message); smtp-source %.0f msgs/s (%.2f s); ratio %.2f\n",
      messages, vigil_rate, vigil_s, source_rate, source_s, vigil_rate / source_rate);
  return 0;
}

}  // namespace
}  // namespace vigil

int main(int argc, char** argv) {
  int messages = 5000;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--messages=", 11) == 0) messages = std::atoi(argv[i] + 11);
  }
  return vigil::Main(messages);
}
