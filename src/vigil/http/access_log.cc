#include "vigil/http/access_log.h"

#include <unistd.h>

#include <cerrno>

#include "vigil/core/json_text.h"
#include "vigil/core/time_format.h"

namespace vigil::http {
namespace {

// Fields come from the network (method, request id) or are our own; keep
// every line one line with space-separated tokens whatever they hold.
void AppendToken(std::string& out, std::string_view value) {
  if (value.empty()) {
    out += '-';
    return;
  }
  for (char c : value) {
    const unsigned char u = static_cast<unsigned char>(c);
    out += (u <= 0x20 || u >= 0x7f) ? '?' : c;
  }
}

}  // namespace

AccessLog::AccessLog(std::FILE* out, const Clock* clock)
    : out_(out != nullptr ? out : stderr),
      fd_((std::fflush(out_), ::fileno(out_))),
      clock_(clock != nullptr ? clock : &system_clock_) {}

std::string AccessLog::FormatLine(Timestamp now, const AccessLogEntry& entry) {
  std::string line = FormatRfc3339(now);
  line += " id=";
  AppendToken(line, entry.request_id);
  line += " client=";
  AppendToken(line, entry.client_address);
  line += " method=";
  AppendToken(line, entry.method);
  line += " route=";
  AppendToken(line, entry.route);
  line += " status=";
  line += std::to_string(entry.status);
  line += " bytes=";
  line += std::to_string(entry.response_bytes);
  line += " us=";
  line += std::to_string(entry.duration.count());
  return line;
}

std::string AccessLog::FormatJsonLine(Timestamp now, const AccessLogEntry& entry) {
  std::string line = "{\"time\":";
  AppendJsonString(line, FormatRfc3339(now));
  line += ",\"level\":\"info\",\"component\":\"http\",\"id\":";
  AppendJsonString(line, entry.request_id);
  line += ",\"client\":";
  AppendJsonString(line, entry.client_address);
  line += ",\"method\":";
  AppendJsonString(line, entry.method);
  line += ",\"route\":";
  AppendJsonString(line, entry.route.empty() ? "-" : entry.route);
  line += ",\"status\":" + std::to_string(entry.status);
  line += ",\"bytes\":" + std::to_string(entry.response_bytes);
  line += ",\"us\":" + std::to_string(entry.duration.count()) + "}";
  return line;
}

void AccessLog::Record(const AccessLogEntry& entry) {
  if (!enabled()) return;
  std::string line =
      json_.load() ? FormatJsonLine(clock_->Now(), entry) : FormatLine(clock_->Now(), entry);
  line += '\n';
  if (fd_ >= 0) {
    // One write(2) per line, no lock: the kernel keeps concurrent writes
    // whole (a file's offset moves atomically per write; a pipe keeps
    // writes of up to PIPE_BUF bytes together), so server threads do not
    // queue behind each other's system calls.
    const char* at = line.data();
    size_t left = line.size();
    while (left > 0) {
      ssize_t n = ::write(fd_, at, left);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;
      at += n;
      left -= static_cast<size_t>(n);
    }
    return;
  }
  std::lock_guard<std::mutex> lock(mu_);  // a stream without a descriptor
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fflush(out_);
}

}  // namespace vigil::http
