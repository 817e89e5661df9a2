#include "vigil/http/json_body.h"

#include <algorithm>

namespace vigil::http {

struct JsonObjectBody::State {
  std::string text;
  JsonDocument doc;
};

JsonObjectBody::JsonObjectBody(std::unique_ptr<State> state) : state_(std::move(state)) {}

std::string JsonObjectBody::Shown(std::string_view key) {
  bool plain = !key.empty() && key.size() <= 40 && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
  return plain ? "\"" + std::string(key) + "\"" : "(unprintable)";
}

Result<JsonObjectBody> JsonObjectBody::Parse(std::string_view body,
                                             std::initializer_list<std::string_view> allowed,
                                             size_t max_bytes) {
  std::string expected;
  for (std::string_view a : allowed) {
    expected += (expected.empty() ? "" : ", ") + std::string(a);
  }
  auto state = std::make_unique<State>();
  // Refused unread, before a copy is made.
  if (body.size() > max_bytes) {
    return InvalidArgument("the body is longer than " + std::to_string(max_bytes) + " bytes");
  }
  state->text.assign(body);
  if (!state->doc.Parse(state->text, max_bytes)) {
    const JsonDocument::Error& e = state->doc.error();
    std::string why = e.duplicate ? "field " + Shown(e.duplicate_key) + " appears more than once"
                                  : JsonDocument::Describe(e);
    return InvalidArgument("the body must be a JSON object with " + expected + ": " + why);
  }
  const JsonDocument::Value& root = state->doc.root();
  if (!root.is_object()) {
    return InvalidArgument("the body must be a JSON object with " + expected);
  }
  for (size_t i = 0; i < root.size(); ++i) {
    std::string_view key = root.key(i);
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return InvalidArgument("unknown field " + Shown(key) + " (expected " + expected + ")");
    }
  }
  return JsonObjectBody(std::move(state));
}

const JsonDocument::Value& JsonObjectBody::root() const { return state_->doc.root(); }

bool JsonObjectBody::Has(std::string_view key) const { return root().Find(key) != nullptr; }

Result<std::string> JsonObjectBody::String(std::string_view key, size_t max_bytes,
                                           bool required) const {
  const std::string name(key);
  const JsonDocument::Value* v = root().Find(key);
  if (v == nullptr || v->is_null()) {
    if (required) return InvalidArgument(name + ": required");
    return std::string();
  }
  if (!v->is_string()) return InvalidArgument(name + " must be a string");
  if (required && v->text().empty()) return InvalidArgument(name + ": required, not empty");
  if (v->text().size() > max_bytes) {
    return InvalidArgument(name + ": at most " + std::to_string(max_bytes) + " bytes");
  }
  return std::string(v->text());
}

Result<std::vector<std::string>> JsonObjectBody::StringList(std::string_view key, size_t max_items,
                                                            size_t max_bytes, bool required) const {
  const std::string name(key);
  const JsonDocument::Value* v = root().Find(key);
  if (v == nullptr) {
    if (required) return InvalidArgument(name + ": required, a list of strings");
    return std::vector<std::string>();
  }
  if (!v->is_array()) return InvalidArgument(name + " must be a list of strings");
  if (v->size() > max_items) {
    return InvalidArgument(name + ": at most " + std::to_string(max_items) + " items");
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < v->size(); ++i) {
    const JsonDocument::Value& item = (*v)[i];
    if (!item.is_string() || item.text().size() > max_bytes) {
      return InvalidArgument(name + ": a list of strings of at most " + std::to_string(max_bytes) +
                             " bytes");
    }
    out.emplace_back(item.text());
  }
  return out;
}

}  // namespace vigil::http
