#include "vigil/audit/witness.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include "vigil/core/hex.h"
#include "vigil/core/time_format.h"
#include "vigil/net/http_client.h"

namespace vigil::audit {
namespace {

constexpr std::string_view kLinePrefix = "vigil-audit-checkpoint v1 ";
constexpr char kFileName[] = "audit-checkpoints.log";

std::optional<std::string> Unhex(std::string_view hex, size_t bytes) {
  if (hex.size() != bytes * 2) return std::nullopt;
  std::string out(bytes, '\0');
  size_t written = 0;
  if (sodium_hex2bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), hex.data(),
                     hex.size(), nullptr, &written, nullptr) != 0 ||
      written != bytes) {
    return std::nullopt;
  }
  return out;
}

class FileWitness final : public Witness {
 public:
  explicit FileWitness(std::string path) : path_(std::move(path)) {}
  ~FileWitness() override {
    if (fd_ >= 0) close(fd_);
  }

  Result<void> Publish(const AuditCheckpoint& c) override {
    if (fd_ < 0) {
      fd_ = open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
      if (fd_ < 0) return Unavailable("audit witness " + path_ + ": " + std::strerror(errno));
    }
    // One write(2) per line: O_APPEND keeps lines whole even beside another writer.
    std::string line = WitnessLine(c) + "\n";
    ssize_t n = write(fd_, line.data(), line.size());
    if (n != static_cast<ssize_t>(line.size()) || fdatasync(fd_) != 0) {
      std::string why = std::strerror(errno);
      close(fd_);
      fd_ = -1;
      return Unavailable("audit witness " + path_ + ": " + why);
    }
    return {};
  }

  std::string Describe() const override { return "file:" + path_; }

 private:
  std::string path_;
  int fd_ = -1;
};

class HttpWitness final : public Witness {
 public:
  explicit HttpWitness(std::string url) : url_(std::move(url)) {}

  Result<void> Publish(const AuditCheckpoint& c) override {
    net::HttpRequest request;
    request.url = url_;
    request.body = WitnessLine(c) + "\n";
    request.headers = {"Content-Type: text/plain; charset=utf-8"};
    auto response = net::Fetch(request);
    if (!response) {
      return Unavailable("audit witness " + url_ + ": " + response.error().message());
    }
    const long status = response->status;
    if (status < 200 || status > 299) {
      return Unavailable("audit witness " + url_ + ": HTTP " + std::to_string(status));
    }
    return {};
  }

  std::string Describe() const override { return url_; }

 private:
  std::string url_;
};

// The log file a file witness location names.
std::string WitnessFile(std::string_view location) {
  std::string path(location.substr(location.rfind("file:", 0) == 0 ? 5 : 0));
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec) || path.empty() || path.back() == '/') {
    return (std::filesystem::path(path.empty() ? "." : path) / kFileName).string();
  }
  return path;
}

}  // namespace

std::string WitnessLine(const AuditCheckpoint& c) {
  return std::string(kLinePrefix) + std::to_string(c.seq) + " " + FormatRfc3339(c.at) + " " +
         Hex(c.hash) + " " + Hex(c.signature);
}

Result<std::unique_ptr<Witness>> OpenWitness(std::string_view url) {
  if (url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0) {
    return std::unique_ptr<Witness>(std::make_unique<HttpWitness>(std::string(url)));
  }
  if (url.rfind("file:", 0) == 0 && url.size() > 5) {
    std::string dir(url.substr(5));
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec || !std::filesystem::is_directory(dir)) {
      return InvalidArgument("[audit] witness: cannot make the directory " + dir + ": " +
                             (ec ? ec.message() : "not a directory"));
    }
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace, ec);
    return std::unique_ptr<Witness>(
        std::make_unique<FileWitness>((std::filesystem::path(dir) / kFileName).string()));
  }
  return InvalidArgument("[audit] witness: expected file:DIR, https://URL or http://URL, not \"" +
                         std::string(url.substr(0, 80)) + "\"");
}

Result<std::vector<AuditCheckpoint>> ReadWitness(std::string_view location) {
  const std::string path = WitnessFile(location);
  std::ifstream in(path);
  if (!in) return NotFound("no audit witness file " + path);
  std::vector<AuditCheckpoint> out;
  std::string line;
  int64_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    auto bad = [&](const std::string& why) {
      return InvalidArgument(path + ":" + std::to_string(number) + ": " + why);
    };
    if (line.rfind(kLinePrefix, 0) != 0) return bad("not an audit witness line");
    std::istringstream fields(line.substr(kLinePrefix.size()));
    std::string seq, at, hash, signature, extra;
    if (!(fields >> seq >> at >> hash >> signature) || (fields >> extra)) {
      return bad("expected: seq, time, hash, signature");
    }
    AuditCheckpoint c;
    char* end = nullptr;
    c.seq = std::strtoll(seq.c_str(), &end, 10);
    if (end != seq.c_str() + seq.size() || c.seq < 1) return bad("the seq is not a number");
    auto time = ParseRfc3339(at);
    if (!time) return bad("the time is not RFC 3339");
    c.at = *time;
    auto h = Unhex(hash, 32);
    auto s = Unhex(signature, crypto_sign_BYTES);
    if (!h || !s) return bad("the hash or the signature is not hex of the right length");
    c.hash = std::move(*h);
    c.signature = std::move(*s);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace vigil::audit
