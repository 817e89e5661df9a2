// A request body read as one JSON object, through the project's one JSON
// reader (core/json_document.h: byte limit checked before reading, bounded
// nesting, no repeated keys, no control characters, UTF-8 only).
//
// Every HTTP route that takes JSON reads its body here, so that what an
// attacker can send is bounded and refused the same way everywhere, with a
// message that says where and why and never echoes what was sent beyond a
// field name that looks like one.
//
// Thread-compatible; a JsonObjectBody owns a copy of the text it read.
#ifndef VIGIL_HTTP_JSON_BODY_H_
#define VIGIL_HTTP_JSON_BODY_H_

#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/error.h"
#include "vigil/core/json_document.h"

namespace vigil::http {

class JsonObjectBody {
 public:
  // Bodies of vigil's JSON routes are a few hundred bytes; an agency's
  // event may be pretty-printed.
  static constexpr size_t kDefaultMaxBytes = 64 * 1024;

  // Reads `body` as one JSON object whose member names are all in
  // `allowed`. kInvalidArgument, saying where and why, when it is longer
  // than `max_bytes`, not JSON, not an object, or has another member.
  static Result<JsonObjectBody> Parse(std::string_view body,
                                      std::initializer_list<std::string_view> allowed,
                                      size_t max_bytes = kDefaultMaxBytes);

  // Whether member `key` is present (null included).
  bool Has(std::string_view key) const;

  // The string member `key`, trimmed of nothing: "" when absent or null.
  // kInvalidArgument when it is another type or longer than `max_bytes`;
  // with `required`, also when it is absent, null or empty.
  Result<std::string> String(std::string_view key, size_t max_bytes, bool required = false) const;

  // The array of strings `key`: kInvalidArgument when absent (with
  // `required`), not an array, longer than `max_items`, or holding anything
  // but strings of at most `max_bytes`.
  Result<std::vector<std::string>> StringList(std::string_view key, size_t max_items,
                                              size_t max_bytes, bool required = true) const;

  // The object as read (valid while this body lives).
  const JsonDocument::Value& root() const;

  // How a message may name a member the client sent: quoted when it looks
  // like a field name (1-40 of [a-z0-9_]), else "(unprintable)".
  static std::string Shown(std::string_view key);

 private:
  struct State;
  explicit JsonObjectBody(std::unique_ptr<State> state);
  std::shared_ptr<const State> state_;
};

}  // namespace vigil::http

#endif  // VIGIL_HTTP_JSON_BODY_H_
