// Sending throughput: vigil's dispatcher emailing N queued notices through
// SmtpChannel to an SMTP server on loopback, beside Postfix's smtp-source
// sending the same number of messages to the same server in the same run.
// The server is aiosmtpd with the tests' handler (each message saved as a
// file), or with --sink=smtp-sink Postfix's smtp-sink (which discards).
// smtp-source runs twice: one message per connection, and with -d (every
// message on one connection, as vigil now sends). Prints messages/s for each
// and vigil's ratio to each.
//
//   smtp_bench [--messages=N] [--sink=aiosmtpd|smtp-sink]   (default 2,000, aiosmtpd)
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

int Main(int messages, const std::string& sink_kind) {
  testutil::TempDir dir;
  int port = 0;
  std::unique_ptr<testutil::Child> postfix_sink;
  std::unique_ptr<testutil::SmtpSink> aiosmtpd;
  if (sink_kind == "smtp-sink") {
    port = testutil::FreePort();
    std::vector<std::string> sink_argv = {"/usr/sbin/smtp-sink"};
    if (geteuid() == 0) sink_argv.insert(sink_argv.end(), {"-u", "nobody"});
    sink_argv.insert(sink_argv.end(), {"-a", "127.0.0.1:" + std::to_string(port), "256"});
    postfix_sink = std::make_unique<testutil::Child>(sink_argv, dir.path().string());
  } else {
    aiosmtpd = std::make_unique<testutil::SmtpSink>(VIGIL_PEERS_DIR, dir.path().string());
    if (!aiosmtpd->Start()) {
      std::fprintf(stderr, "smtp_bench: aiosmtpd did not start\n");
      return 1;
    }
    port = aiosmtpd->port();
  }
  if (!testutil::WaitFor([&] { return testutil::PortOpen(port); }, std::chrono::seconds(10))) {
    std::fprintf(stderr, "smtp_bench: %s did not start\n", sink_kind.c_str());
    return 1;
  }
  // The server's capacity as smtp-source sees it: one session, one message
  // per connection, then all on one connection (-d).
  auto source_rate = [&](bool one_connection) -> double {
    std::vector<std::string> argv = {
        "/usr/sbin/smtp-source", "-m", std::to_string(messages), "-s", "1", "-l", "1024", "-f",
        "alerts@example.org",    "-t", "r@example.org"};
    if (one_connection) argv.push_back("-d");
    argv.push_back("127.0.0.1:" + std::to_string(port));
    auto start = std::chrono::steady_clock::now();
    auto source = testutil::Run(argv, dir.path().string());
    double seconds = Seconds(std::chrono::steady_clock::now() - start).count();
    if (source.exit_code != 0) {
      std::fprintf(stderr, "smtp_bench: smtp-source failed: %s\n", source.err.c_str());
      return -1;
    }
    return messages / seconds;
  };
  const double per_connection_rate = source_rate(false);
  const double one_connection_rate = source_rate(true);
  if (per_connection_rate < 0 || one_connection_rate < 0) return 1;

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
  auto start = std::chrono::steady_clock::now();
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
  const double vigil_rate = messages / vigil_s;
  std::printf(
      "smtp: %d messages to %s; vigil dispatcher %.0f emails/s (%.2f s, outcomes committed in "
      "batches); smtp-source %.0f msgs/s one message per connection, %.0f msgs/s on one "
      "connection (-d); ratio %.2f and %.2f (target >= 0.80 of the one-connection figure)\n",
      messages, sink_kind.c_str(), vigil_rate, vigil_s, per_connection_rate, one_connection_rate,
      vigil_rate / per_connection_rate, vigil_rate / one_connection_rate);
  return 0;
}

}  // namespace
}  // namespace vigil

int main(int argc, char** argv) {
  int messages = 2000;
  std::string sink = "aiosmtpd";
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--messages=", 11) == 0) {
      messages = std::atoi(argv[i] + 11);
    } else if (std::strncmp(argv[i], "--sink=", 7) == 0) {
      sink = argv[i] + 7;
    } else {
      std::fprintf(stderr, "usage: smtp_bench [--messages=N] [--sink=aiosmtpd|smtp-sink]\n");
      return 2;
    }
  }
  if (messages < 1 || (sink != "aiosmtpd" && sink != "smtp-sink")) {
    std::fprintf(stderr, "usage: smtp_bench [--messages=N] [--sink=aiosmtpd|smtp-sink]\n");
    return 2;
  }
  return vigil::Main(messages, sink);
}
