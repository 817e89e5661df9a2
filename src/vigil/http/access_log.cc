#include "vigil/http/access_log.h"

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
    : out_(out != nullptr ? out : stderr), clock_(clock != nullptr ? clock : &system_clock_) {}

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

void AccessLog::Record(const AccessLogEntry& entry) {
  if (!enabled()) return;
  std::string line = FormatLine(clock_->Now(), entry);
  line += '\n';
  std::lock_guard<std::mutex> lock(mu_);
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fflush(out_);
}

}  // namespace vigil::http
