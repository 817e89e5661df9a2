// The one JSON reader for everything vigil is sent (DESIGN.md §2.9): feed
// lines, every HTTP request body, every webhook. Strict RFC 8259, and
// bounded before anything is read: a text over its byte limit is refused
// without being looked at, nesting is limited (kMaxDepth) so no input can
// exhaust the stack, and what no sender of vigil's formats ever means is
// refused with the byte where it starts:
//   - an object that repeats a key (with {"protections":["sec1367"], ...,
//     "protections":[]} the last would silently win and un-protect a person);
//   - text that is not UTF-8;
//   - control characters in strings, raw or escaped: C0 (except tab, line
//     feed and carriage return), DEL and C1. A NUL cut short every C string
//     downstream, and the others are invisible in a name on a page.
//
// A text is parsed into a read-only tree whose strings are views: into
// the line itself where a string has no escapes, into the document's own
// buffer where it has. Nothing is allocated per value, and a document reused
// for the next line keeps its buffers, so parsing a line costs about as much
// as reading it (the general-purpose DOM it replaced allocated a node, a map
// entry and a string per field, and spent more time than the store writes).
//
// Values are valid until the document parses again or is destroyed, and only
// while the parsed text is alive. Thread-compatible.
#ifndef VIGIL_CORE_JSON_DOCUMENT_H_
#define VIGIL_CORE_JSON_DOCUMENT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {

class JsonDocument {
 public:
  enum class Type : uint8_t { kNull, kFalse, kTrue, kNumber, kString, kArray, kObject };

  class Value {
   public:
    Type type() const { return type_; }
    bool is_null() const { return type_ == Type::kNull; }
    bool is_string() const { return type_ == Type::kString; }
    bool is_array() const { return type_ == Type::kArray; }
    bool is_object() const { return type_ == Type::kObject; }

    // A string's decoded contents, or a number's text ("" for the rest).
    std::string_view text() const { return std::string_view(text_, length_); }
    // Elements of an array, members of an object (0 for the rest).
    size_t size() const { return count_; }
    // Element `i` of an array (i < size()).
    const Value& operator[](size_t i) const { return children_[i]; }
    // Member `i` of an object (i < size()), in the order of the text.
    std::string_view key(size_t i) const { return children_[2 * i].text(); }
    const Value& member(size_t i) const { return children_[2 * i + 1]; }
    // The member called `key`, or nullptr (also when this is no object).
    const Value* Find(std::string_view key) const;

   private:
    friend class JsonDocument;
    Type type_ = Type::kNull;
    uint32_t count_ = 0;
    uint32_t length_ = 0;
    uint32_t first_ = 0;  // index of the first child while parsing
    const char* text_ = nullptr;
    const Value* children_ = nullptr;
  };

  // Why a text was refused.
  struct Error {
    size_t at = 0;              // 1-based byte where the text stops being JSON
    bool ended = false;         // the text ended inside a value
    bool too_deep = false;      // nesting deeper than kMaxDepth
    bool too_large = false;     // longer than the byte limit (nothing was read)
    bool not_utf8 = false;      // not UTF-8 from byte `at`
    bool control = false;       // a control character in a string at `at`,
    std::string path;           // in the member at this path ("subject.given_names")
    bool duplicate = false;     // an object repeats a key:
    std::string duplicate_key;  // that key (its first 40 bytes)
  };

  static constexpr int kMaxDepth = 64;
  // The default byte limit: a feed line's (ingest/record_parser.h).
  static constexpr size_t kDefaultMaxBytes = size_t{1} << 20;

  // Parses `text` (one JSON value, with optional surrounding whitespace),
  // refusing it unread when it is longer than `max_bytes`. On false,
  // `error()` says why and root() is null.
  bool Parse(std::string_view text, size_t max_bytes = kDefaultMaxBytes);

  // What went wrong, in words fit for the sender: "nested deeper than 64
  // levels at byte 65", "a control character at byte 7", "\"a\" appears
  // more than once". Never echoes the text itself beyond a repeated key.
  static std::string Describe(const Error& error);

  const Value& root() const { return root_; }
  const Error& error() const { return error_; }

 private:
  class Parser;

  std::vector<Value> nodes_;            // every container's children, contiguous per container
  std::vector<Value> pending_;          // children of the containers still open
  std::vector<std::string_view> keys_;  // scratch for the duplicate-key check
  std::string decoded_;                 // strings with escapes, decoded
  Value root_;
  Error error_;
};

}  // namespace vigil

#endif  // VIGIL_CORE_JSON_DOCUMENT_H_
