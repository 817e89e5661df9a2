#include "vigil/core/logger.h"

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <mutex>
#include <sstream>

#include "vigil/core/json_text.h"

namespace vigil {
namespace {

// The process's one spdlog logger. Lines are formatted here, so its pattern
// only adds the time (UTC) and the level.
std::shared_ptr<spdlog::logger> Make(spdlog::sink_ptr sink, bool json = false) {
  auto logger = std::make_shared<spdlog::logger>("vigil", std::move(sink));
  logger->set_pattern(
      json ? R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l",%v})" : "%Y-%m-%dT%H:%M:%S.%eZ %l %v",
      spdlog::pattern_time_type::utc);
  logger->set_level(spdlog::level::trace);
  return logger;
}

struct Sink {
  std::mutex mu;
  std::shared_ptr<spdlog::logger> logger = Make(std::make_shared<spdlog::sinks::stderr_sink_mt>());
  std::shared_ptr<spdlog::logger> saved;  // while captured
  bool json = false;
  Logger::Level level = Logger::Level::kInfo;
};

Sink& TheSink() {
  static Sink* sink = new Sink;  // never destroyed: threads may log during exit
  return *sink;
}

spdlog::level::level_enum ToSpdlog(Logger::Level level) {
  switch (level) {
    case Logger::Level::kDebug:
      return spdlog::level::debug;
    case Logger::Level::kInfo:
      return spdlog::level::info;
    case Logger::Level::kWarn:
      return spdlog::level::warn;
    case Logger::Level::kError:
      return spdlog::level::err;
  }
  return spdlog::level::info;
}

// Field values are written bare when they are one plain word, quoted
// (with \" and \\ escaped, control characters dropped) otherwise.
void AppendValue(std::string& line, std::string_view value) {
  bool plain = !value.empty();
  for (char c : value) {
    if (c == ' ' || c == '"' || c == '=' || c == '\\' || static_cast<unsigned char>(c) < 0x20) {
      plain = false;
    }
  }
  if (plain) {
    line.append(value);
    return;
  }
  line += '"';
  for (char c : value) {
    if (static_cast<unsigned char>(c) < 0x20) continue;
    if (c == '"' || c == '\\') line += '\\';
    line += c;
  }
  line += '"';
}

}  // namespace

struct Logger::Capture::State {
  std::ostringstream out;
};

Logger::Capture::Capture() : state_(std::make_shared<State>()) {
  Sink& s = TheSink();
  std::lock_guard<std::mutex> lock(s.mu);
  s.saved = s.logger;
  s.logger = Make(std::make_shared<spdlog::sinks::ostream_sink_mt>(state_->out), s.json);
}

Logger::Capture::~Capture() {
  Sink& s = TheSink();
  std::lock_guard<std::mutex> lock(s.mu);
  s.logger = std::move(s.saved);
}

std::vector<std::string> Logger::Capture::lines() const {
  Sink& s = TheSink();
  std::string all;
  {
    std::lock_guard<std::mutex> lock(s.mu);
    s.logger->flush();
    all = state_->out.str();
  }
  std::vector<std::string> out;
  std::istringstream in(all);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

Logger Logger::For(std::string_view component) { return Logger(std::string(component)); }

Logger Logger::WithRequest(std::string_view id) const {
  Logger l = *this;
  l.request_id_ = std::string(id);
  return l;
}

void Logger::SetLevel(Level level) {
  Sink& s = TheSink();
  std::lock_guard<std::mutex> lock(s.mu);
  s.level = level;
}

void Logger::SetFormat(Format format) {
  Sink& s = TheSink();
  std::lock_guard<std::mutex> lock(s.mu);
  s.json = format == Format::kJson;
  for (auto* logger : {&s.logger, &s.saved}) {
    if (*logger) *logger = Make((*logger)->sinks().front(), s.json);
  }
}

void Logger::Log(Level level, std::string_view message,
                 std::initializer_list<LogField> fields) const {
  Sink& s = TheSink();
  std::shared_ptr<spdlog::logger> logger;
  bool json = false;
  {
    std::lock_guard<std::mutex> lock(s.mu);
    if (level < s.level) return;
    logger = s.logger;
    json = s.json;
  }
  if (json) {
    // The pattern adds {"time":...,"level":..., and the closing brace.
    std::string line = "\"component\":";
    AppendJsonString(line, component_);
    line += ",\"message\":";
    AppendJsonString(line, message);
    if (!request_id_.empty()) {
      line += ",\"request\":";
      AppendJsonString(line, request_id_);
    }
    for (const LogField& f : fields) {
      line += ',';
      AppendJsonString(line, f.key);
      line += ':';
      AppendJsonString(line, f.value);
    }
    logger->log(ToSpdlog(level), "{}", line);
    return;
  }
  std::string line = component_;
  line += ": ";
  line.append(message);
  if (!request_id_.empty()) {
    line += " request=";
    AppendValue(line, request_id_);
  }
  for (const LogField& f : fields) {
    line += ' ';
    line.append(f.key);
    line += '=';
    AppendValue(line, f.value);
  }
  logger->log(ToSpdlog(level), "{}", line);
}

void Logger::Debug(std::string_view m, std::initializer_list<LogField> f) const {
  Log(Level::kDebug, m, f);
}
void Logger::Info(std::string_view m, std::initializer_list<LogField> f) const {
  Log(Level::kInfo, m, f);
}
void Logger::Warn(std::string_view m, std::initializer_list<LogField> f) const {
  Log(Level::kWarn, m, f);
}
void Logger::Error(std::string_view m, std::initializer_list<LogField> f) const {
  Log(Level::kError, m, f);
}

}  // namespace vigil
