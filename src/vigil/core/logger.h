// vigil's one logger, on spdlog: a line per event on stderr,
//
//   2026-12-04T03:40:00.123Z warning notify: the store failed (will retry) request=ab12 attempt=3
//
// with a component, a message and key=value fields. Never a person's data:
// messages and fields carry ids, counts, states and error messages, which
// vigil's errors keep free of names, contacts and queries. A component gets
// a Logger in its options (defaulting to Logger::For(component)), so a test
// can hand it one that captures.
//
// Thread-safe: any thread may log through any Logger.
#ifndef VIGIL_CORE_LOGGER_H_
#define VIGIL_CORE_LOGGER_H_

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {

struct LogField {
  std::string_view key;
  std::string value;
};

class Logger {
 public:
  enum class Level { kDebug, kInfo, kWarn, kError };

  // A logger for `component` ("notify", "search", "http", ...).
  static Logger For(std::string_view component);

  void Debug(std::string_view message, std::initializer_list<LogField> fields = {}) const;
  void Info(std::string_view message, std::initializer_list<LogField> fields = {}) const;
  void Warn(std::string_view message, std::initializer_list<LogField> fields = {}) const;
  void Error(std::string_view message, std::initializer_list<LogField> fields = {}) const;
  void Log(Level level, std::string_view message, std::initializer_list<LogField> fields) const;

  // This logger, adding request=`id` to every line.
  Logger WithRequest(std::string_view id) const;

  const std::string& component() const { return component_; }

  // While one is alive, every line of every logger is kept in it (and not
  // written to stderr): for tests that check what is logged and what is not.
  class Capture {
   public:
    Capture();
    ~Capture();
    Capture(const Capture&) = delete;
    Capture& operator=(const Capture&) = delete;
    std::vector<std::string> lines() const;

   private:
    struct State;
    std::shared_ptr<State> state_;
  };

  // The least level written (default kInfo; `vigil` sets [log] level).
  static void SetLevel(Level level);

  // kJson writes each line as one JSON object: time, level, component,
  // message, request (when known) and the fields, all strings
  // (--log-format json).
  enum class Format { kText, kJson };
  static void SetFormat(Format format);

 private:
  explicit Logger(std::string component) : component_(std::move(component)) {}
  std::string component_;
  std::string request_id_;
};

}  // namespace vigil

#endif  // VIGIL_CORE_LOGGER_H_
