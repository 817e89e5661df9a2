// A real SMTP server for tests: Debian's python3-aiosmtpd with the handler
// in tests/peers/smtp_sink.py, on a free loopback port, writing each message
// it accepts to a file in its directory. It can be told to answer 4xx or 5xx
// (SetReply), stopped and started again on the same port (an outage).
#ifndef VIGIL_TESTING_SMTP_SINK_H_
#define VIGIL_TESTING_SMTP_SINK_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "vigil/testing/process.h"

namespace vigil::testutil {

inline bool PortOpen(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

// The text body of a message as the server received it (vigil sends it
// base64-encoded, after the headers).
inline std::string MailBody(const std::string& mail) {
  static const std::string kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t start = mail.find("\r\n\r\n");
  std::string out;
  int bits = 0, value = 0;
  for (char c : mail.substr(start == std::string::npos ? mail.size() : start + 4)) {
    if (c == '\r' || c == '\n') continue;
    size_t v = kAlphabet.find(c);
    if (v == std::string::npos) break;  // '=' padding
    value = (value << 6) | static_cast<int>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((value >> bits) & 0xFF);
    }
  }
  return out;
}

class SmtpSink {
 public:
  // `handler_dir` holds smtp_sink.py; messages go to `dir`/mail.
  SmtpSink(std::string handler_dir, std::string dir)
      : handler_dir_(std::move(handler_dir)), dir_(std::move(dir)), port_(FreePort()) {
    std::filesystem::create_directories(MailDir());
  }

  bool Start() {
    child_ = std::make_unique<Child>(
        std::vector<std::string>{"/usr/bin/env", "PYTHONPATH=" + handler_dir_, "/usr/bin/python3",
                                 "-m", "aiosmtpd", "-n", "-l",
                                 "127.0.0.1:" + std::to_string(port_), "-c", "smtp_sink.Sink",
                                 MailDir()},
        dir_);
    return WaitFor([&] { return PortOpen(port_); }, std::chrono::seconds(15));
  }
  void Stop() {
    child_.reset();  // SIGKILL and reap
  }
  // "451 4.3.0 Try again later", "550 5.1.1 No such user", or "" to accept.
  void SetReply(const std::string& reply) { std::ofstream(MailDir() + "/.reply") << reply; }
  // Milliseconds the server waits before answering each message.
  void SetDelay(int ms) { std::ofstream(MailDir() + "/.delay") << ms; }

  // How many SMTP sessions (EHLOs) the server has seen.
  int Sessions() const {
    std::ifstream in(MailDir() + "/.sessions");
    int n = 0;
    for (std::string line; std::getline(in, line);) ++n;
    return n;
  }

  int port() const { return port_; }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
  std::string MailDir() const { return dir_ + "/mail"; }

  // Every accepted message, oldest first, as received.
  std::vector<std::string> Messages() const {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(MailDir())) {
      std::string name = e.path().filename().string();
      if (name.size() > 4 && name.substr(name.size() - 4) == ".eml" && name[0] != '.') {
        names.push_back(e.path().string());
      }
    }
    std::sort(names.begin(), names.end());
    std::vector<std::string> out;
    for (const auto& n : names) {
      std::ifstream in(n, std::ios::binary);
      std::stringstream s;
      s << in.rdbuf();
      out.push_back(s.str());
    }
    return out;
  }

 private:
  std::string handler_dir_, dir_;
  int port_;
  std::unique_ptr<Child> child_;
};

}  // namespace vigil::testutil

#endif  // VIGIL_TESTING_SMTP_SINK_H_
