// A Twilio-shaped provider for tests: tests/peers/twilio_fake.py (Python's
// standard library only) on a free loopback port. It takes calls and texts
// over the REST shape, plays each call out against vigil's callbacks as the
// callee would (answering, not answering, entering a PIN), signing every
// request with X-Twilio-Signature, and writes a transcript of what each call
// said. See the script for the behaviours.
#ifndef VIGIL_TESTING_TWILIO_FAKE_H_
#define VIGIL_TESTING_TWILIO_FAKE_H_

#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "vigil/testing/process.h"
#include "vigil/testing/smtp_sink.h"  // PortOpen

namespace vigil::testutil {

struct FakeCall {
  std::string to, behaviour;
  std::vector<std::string> said;  // every <Say>, in order
  std::vector<int> statuses;      // HTTP status of each callback vigil answered
  std::string idempotency_token;  // the request's I-Twilio-Idempotency-Token header
};

class TwilioFake {
 public:
  static constexpr char kAccountSid[] = "AC00000000000000000000000000000001";
  static constexpr char kAuthToken[] = "twilio-test-auth-token";

  // `peers_dir` holds twilio_fake.py; its files go to `dir`/twilio.
  TwilioFake(std::string peers_dir, std::string dir)
      : peers_dir_(std::move(peers_dir)), dir_(std::move(dir) + "/twilio"), port_(FreePort()) {
    std::filesystem::create_directories(dir_);
  }

  bool Start() {
    child_ = std::make_unique<Child>(
        std::vector<std::string>{"/usr/bin/python3", peers_dir_ + "/twilio_fake.py",
                                 std::to_string(port_), kAccountSid, kAuthToken, dir_},
        dir_);
    return WaitFor([&] { return PortOpen(port_); }, std::chrono::seconds(15));
  }
  void Stop() { child_.reset(); }

  std::string api_base() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // What the next calls' callees do, one line each ("answer-pin 1234", ...).
  void Expect(const std::vector<std::string>& behaviours) {
    std::ofstream out(dir_ + "/behaviour", std::ios::app);
    for (const auto& b : behaviours) out << b << "\n";
  }

  // Every finished call, oldest first.
  std::vector<FakeCall> Calls() const {
    std::vector<FakeCall> out;
    std::ifstream in(dir_ + "/calls.jsonl");
    std::string line;
    while (std::getline(in, line)) {
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (!j.is_object()) continue;
      out.push_back({j.value("to", ""), j.value("behaviour", ""),
                     j.value("said", std::vector<std::string>{}),
                     j.value("statuses", std::vector<int>{}), j.value("idempotency_token", "")});
    }
    return out;
  }

 private:
  std::string peers_dir_, dir_;
  int port_;
  std::unique_ptr<Child> child_;
};

}  // namespace vigil::testutil

#endif  // VIGIL_TESTING_TWILIO_FAKE_H_
