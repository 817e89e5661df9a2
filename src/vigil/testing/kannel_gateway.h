// A real SMS gateway for tests: Kannel's bearerbox and smsbox (Debian
// `kannel`) with the fake SMSC of `kannel-extras` (fakesmsc) standing in for
// the phone network, all on free loopback ports in the test's directory.
// What the network "delivers" is read from fakesmsc's log; a text from a
// phone is written to fakesmsc's stdin. Stop() and Start() make an outage.
#ifndef VIGIL_TESTING_KANNEL_GATEWAY_H_
#define VIGIL_TESTING_KANNEL_GATEWAY_H_

#include <signal.h>

#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "vigil/testing/process.h"
#include "vigil/testing/smtp_sink.h"  // PortOpen

namespace vigil::testutil {

struct Sms {
  std::string from, to, text;  // text as UTF-8
};

class KannelGateway {
 public:
  static constexpr char kFakeSmsc[] = "/usr/lib/kannel/test/fakesmsc";
  static constexpr char kShortCode[] = "70700";  // our number, as the network sees it

  // `inbound_url` is smsbox's get-url for texts to us (with %p and %a).
  KannelGateway(std::string dir, std::string inbound_url)
      : dir_(std::move(dir)), inbound_url_(std::move(inbound_url)) {
    signal(SIGPIPE, SIG_IGN);  // a dead fakesmsc must fail a write, not the test
    admin_port_ = FreePort();
    box_port_ = FreePort();
    smsc_port_ = FreePort();
    sendsms_port_ = FreePort();
    WriteConfig();
  }
  ~KannelGateway() { Stop(); }

  // Starts bearerbox, the fake SMSC and smsbox, in that order (smsbox gives
  // up without a bearerbox). True once sendsms answers.
  bool Start() {
    bearerbox_ = std::make_unique<Child>(
        std::vector<std::string>{"/usr/sbin/bearerbox", Config()}, dir_);
    if (!WaitFor([&] { return PortOpen(box_port_) && PortOpen(smsc_port_); },
                 std::chrono::seconds(15))) {
      return false;
    }
    fakesmsc_ = std::make_unique<Child>(
        std::vector<std::string>{kFakeSmsc, "-H", "127.0.0.1", "-r", std::to_string(smsc_port_),
                                 "-i", "0"},
        dir_, /*pipe_stdin=*/true);
    smsbox_ =
        std::make_unique<Child>(std::vector<std::string>{"/usr/sbin/smsbox", Config()}, dir_);
    return WaitFor([&] { return PortOpen(sendsms_port_); }, std::chrono::seconds(15));
  }

  // SIGKILLs all three (an outage). Texts already handed over are kept in
  // `delivered_` for Received().
  void Stop() {
    if (fakesmsc_) delivered_log_ += Log(*fakesmsc_);
    smsbox_.reset();
    fakesmsc_.reset();
    bearerbox_.reset();
  }

  std::string sendsms_url() const {
    return "http://127.0.0.1:" + std::to_string(sendsms_port_) + "/cgi-bin/sendsms";
  }
  static std::string username() { return "vigil"; }
  static std::string password() { return "kannel-test-password"; }

  // Every text the network received from the gateway, oldest first.
  std::vector<Sms> Received() const {
    std::string log = delivered_log_ + (fakesmsc_ ? Log(*fakesmsc_) : "");
    std::vector<Sms> out;
    static const std::regex line(R"(Got message \d+: <(\S+) (\S+) (\S+) (.*)>)");
    std::istringstream in(log);
    std::string l;
    std::smatch m;
    while (std::getline(in, l)) {
      if (!std::regex_search(l, m, line)) continue;
      out.push_back({m[1], m[2], m[3] == "ucs-2" ? Ucs2(m[4]) : m[4].str()});
    }
    return out;
  }

  // A text from `from` to our number, as if typed on a phone.
  bool SendFromPhone(const std::string& from, const std::string& text) {
    return fakesmsc_ && fakesmsc_->WriteStdin(from + " " + kShortCode + " text " + text + "\n");
  }

 private:
  std::string Config() const { return dir_ + "/kannel.conf"; }

  void WriteConfig() {
    std::ofstream c(Config());
    c << "group = core\n"
      << "admin-port = " << admin_port_ << "\nadmin-password = admin-test\n"
      << "admin-interface = 127.0.0.1\n"
      << "smsbox-port = " << box_port_ << "\nbox-allow-ip = 127.0.0.1\n"
      << "dlr-storage = internal\nlog-level = 1\n\n"
      << "group = smsc\nsmsc = fake\nsmsc-id = fake\nport = " << smsc_port_
      << "\nconnect-allow-ip = 127.0.0.1\n\n"
      << "group = smsbox\nbearerbox-host = 127.0.0.1\nbearerbox-port = " << box_port_
      << "\nsendsms-port = " << sendsms_port_ << "\nsendsms-interface = 127.0.0.1\n"
      << "log-level = 1\n\n"
      << "group = sendsms-user\nusername = " << username() << "\npassword = " << password()
      << "\n\n"
      << "group = sms-service\nkeyword = default\nget-url = \"" << inbound_url_
      << "\"\nmax-messages = 1\ncatch-all = true\naccept-x-kannel-headers = true\n";
  }

  static std::string Log(const Child& c) { return c.Stdout() + c.Stderr(); }

  // fakesmsc prints UCS-2 texts URL-encoded, UTF-16BE.
  static std::string Ucs2(const std::string& escaped) {
    std::string bytes;
    for (size_t i = 0; i < escaped.size(); ++i) {
      if (escaped[i] == '%' && i + 2 < escaped.size()) {
        bytes += static_cast<char>(std::stoi(escaped.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else {
        bytes += escaped[i] == '+' ? ' ' : escaped[i];
      }
    }
    std::string out;
    for (size_t i = 0; i + 1 < bytes.size(); i += 2) {
      char32_t cp = (static_cast<unsigned char>(bytes[i]) << 8) | static_cast<unsigned char>(bytes[i + 1]);
      if (cp >= 0xD800 && cp < 0xDC00 && i + 3 < bytes.size()) {
        char32_t lo = (static_cast<unsigned char>(bytes[i + 2]) << 8) |
                      static_cast<unsigned char>(bytes[i + 3]);
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        i += 2;
      }
      if (cp < 0x80) {
        out += static_cast<char>(cp);
      } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
      } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
      } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
      }
    }
    return out;
  }

  std::string dir_, inbound_url_;
  int admin_port_, box_port_, smsc_port_, sendsms_port_;
  std::unique_ptr<Child> bearerbox_, fakesmsc_, smsbox_;
  std::string delivered_log_;
};

}  // namespace vigil::testutil

#endif  // VIGIL_TESTING_KANNEL_GATEWAY_H_
