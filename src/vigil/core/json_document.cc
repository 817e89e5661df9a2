#include "vigil/core/json_document.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdlib>

#include "vigil/core/utf8.h"

namespace vigil {
namespace {

// Objects with more members than this are checked for repeated keys by
// sorting; smaller ones (every feed record) by comparing each pair.
constexpr size_t kPairwiseKeyCheck = 16;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Code points no string vigil reads may hold: C0 controls other than tab,
// line feed and carriage return; DEL; C1 controls.
bool IsRefusedControl(uint32_t cp) {
  if (cp < 0x20) return cp != '\t' && cp != '\n' && cp != '\r';
  return cp == 0x7F || (cp >= 0x80 && cp <= 0x9F);
}

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace

const JsonDocument::Value* JsonDocument::Value::Find(std::string_view key) const {
  if (type_ != Type::kObject) return nullptr;
  for (size_t i = 0; i < count_; ++i) {
    if (children_[2 * i].text() == key) return &children_[2 * i + 1];
  }
  return nullptr;
}

// Recursive descent over the text; values go onto doc->pending_ as they are
// read, and a container, when it closes, moves its children from there into
// doc->nodes_ as one contiguous run.
class JsonDocument::Parser {
 public:
  Parser(JsonDocument* doc, std::string_view text)
      : doc_(doc), begin_(text.data()), p_(text.data()), end_(text.data() + text.size()) {}

  bool Run() {
    SkipSpace();
    if (!ParseValue(0)) return false;
    SkipSpace();
    if (p_ != end_) return Fail(p_);
    return true;
  }

 private:
  bool Fail(const char* at) {
    doc_->error_.at = static_cast<size_t>(at - begin_) + 1;
    doc_->error_.ended = at == end_;
    return false;
  }

  void SkipSpace() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
  }

  bool ParseValue(int depth) {
    if (p_ == end_) return Fail(p_);
    switch (*p_) {
      case '{':
        return ParseObject(depth + 1);
      case '[':
        return ParseArray(depth + 1);
      case '"': {
        Value v;
        v.type_ = Type::kString;
        if (!ParseString(&v)) return false;
        doc_->pending_.push_back(v);
        return true;
      }
      case 't':
        return ParseLiteral("true", Type::kTrue);
      case 'f':
        return ParseLiteral("false", Type::kFalse);
      case 'n':
        return ParseLiteral("null", Type::kNull);
      default:
        return ParseNumber();
    }
  }

  bool ParseLiteral(std::string_view word, Type type) {
    for (char c : word) {
      if (p_ == end_ || *p_ != c) return Fail(p_);
      ++p_;
    }
    Value v;
    v.type_ = type;
    doc_->pending_.push_back(v);
    return true;
  }

  bool ParseNumber() {
    const char* start = p_;
    if (*p_ == '-') ++p_;
    if (p_ == end_) return Fail(p_);
    if (*p_ == '0') {
      ++p_;
    } else if (*p_ >= '1' && *p_ <= '9') {
      while (p_ != end_ && IsDigit(*p_)) ++p_;
    } else {
      return Fail(p_);
    }
    if (p_ != end_ && *p_ == '.') {
      ++p_;
      if (p_ == end_ || !IsDigit(*p_)) return Fail(p_);
      while (p_ != end_ && IsDigit(*p_)) ++p_;
    }
    bool exponent = p_ != end_ && (*p_ == 'e' || *p_ == 'E');
    if (exponent) {
      ++p_;
      if (p_ != end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (p_ == end_ || !IsDigit(*p_)) return Fail(p_);
      while (p_ != end_ && IsDigit(*p_)) ++p_;
    }
    // Like most readers, refuse a number no double can hold (1e999): it
    // cannot be what the writer meant. Only an exponent or more than 308
    // characters can get there.
    if ((exponent || p_ - start > 308) &&
        !std::isfinite(std::strtod(std::string(start, p_).c_str(), nullptr))) {
      return Fail(start);
    }
    Value v;
    v.type_ = Type::kNumber;
    v.text_ = start;
    v.length_ = static_cast<uint32_t>(p_ - start);
    doc_->pending_.push_back(v);
    return true;
  }

  // Four hex digits at p_ (advanced past them), or -1.
  int32_t Hex4() {
    if (end_ - p_ < 4) {
      while (p_ != end_ && HexValue(*p_) >= 0) ++p_;
      return -1;
    }
    int32_t value = 0;
    for (int i = 0; i < 4; ++i, ++p_) {
      int h = HexValue(*p_);
      if (h < 0) return -1;
      value = value * 16 + h;
    }
    return value;
  }

  // A control character at `at`: raw ones cannot be in JSON at all, and the
  // rest (DEL, C1, escaped C0) are refused as IsRefusedControl says.
  bool FailControl(const char* at) {
    doc_->error_.control = true;
    // The member names from the root down, so a feed reject can name the field.
    for (int d = 1; d <= depth_ && d <= kMaxDepth; ++d) {
      if (member_[d].empty()) continue;
      if (!doc_->error_.path.empty()) doc_->error_.path += '.';
      doc_->error_.path.append(member_[d].substr(0, 40));
    }
    return Fail(at);
  }

  // Advances p_ over string bytes that need no decoding, stopping at a
  // quote, a backslash, the end, or a control character (raw C0, DEL, or a
  // C1 control as the UTF-8 pair C2 80..9F). The text is valid UTF-8.
  void ScanPlain() {
    while (p_ != end_) {
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"' || c == '\\' || c < 0x20 || c == 0x7F) return;
      if (c == 0xC2 && static_cast<unsigned char>(p_[1]) <= 0x9F) return;  // p_[1] exists: UTF-8
      ++p_;
    }
  }

  // p_ is at the opening quote.
  bool ParseString(Value* v) {
    const char* start = ++p_;
    ScanPlain();
    if (p_ == end_) return Fail(p_);
    if (*p_ != '"' && *p_ != '\\') return FailControl(p_);
    if (*p_ == '"') {
      v->text_ = start;
      v->length_ = static_cast<uint32_t>(p_ - start);
      ++p_;
      return true;
    }
    // Escapes: decode into the document's buffer, which Parse() reserved
    // large enough for every string of the text (decoding never lengthens
    // one), so the views already handed out stay valid.
    std::string& out = doc_->decoded_;
    size_t out_start = out.size();
    out.append(start, p_);
    while (true) {
      const char* plain = p_;
      ScanPlain();
      out.append(plain, p_);
      if (p_ == end_) return Fail(p_);
      char c = *p_;
      if (c == '"') break;
      if (c != '\\') return FailControl(p_);
      const char* escape = p_;
      if (++p_ == end_) return Fail(p_);
      switch (*p_++) {
        case '"':
          out.push_back('"');
          break;
        case '\\':
          out.push_back('\\');
          break;
        case '/':
          out.push_back('/');
          break;
        case 'b':
        case 'f':
          return FailControl(escape);
        case 'n':
          out.push_back('\n');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'u': {
          int32_t unit = Hex4();
          if (unit < 0) return Fail(p_);
          uint32_t cp = static_cast<uint32_t>(unit);
          if (cp >= 0xDC00 && cp <= 0xDFFF) return Fail(p_ - 1);  // a low surrogate alone
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            // A high surrogate must be followed by an escaped low one.
            if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return Fail(p_);
            p_ += 2;
            int32_t low = Hex4();
            if (low < 0) return Fail(p_);
            if (low < 0xDC00 || low > 0xDFFF) return Fail(p_ - 1);
            cp = 0x10000 + ((cp - 0xD800) << 10) + (static_cast<uint32_t>(low) - 0xDC00);
          }
          if (IsRefusedControl(cp)) return FailControl(escape);
          AppendUtf8(out, cp);
          break;
        }
        default:
          return Fail(p_ - 1);
      }
    }
    v->text_ = out.data() + out_start;
    v->length_ = static_cast<uint32_t>(out.size() - out_start);
    ++p_;
    return true;
  }

  // A container at p_ ('[' or '{'), up to and including `close`;
  // `read_item` reads one element, or one "key": value.
  template <typename ReadItem>
  bool ParseContainer(int depth, char close, ReadItem read_item) {
    if (depth > kMaxDepth) {
      doc_->error_.too_deep = true;
      return Fail(p_);
    }
    depth_ = depth;
    member_[depth] = {};
    ++p_;
    SkipSpace();
    if (p_ != end_ && *p_ == close) {
      ++p_;
      depth_ = depth - 1;
      return true;
    }
    while (true) {
      SkipSpace();
      if (!read_item()) return false;
      SkipSpace();
      if (p_ == end_) return Fail(p_);
      if (*p_ == ',') {
        ++p_;
        continue;
      }
      if (*p_ != close) return Fail(p_);
      ++p_;
      depth_ = depth - 1;
      return true;
    }
  }

  bool ParseArray(int depth) {
    size_t mark = doc_->pending_.size();
    if (!ParseContainer(depth, ']', [&] { return ParseValue(depth); })) return false;
    return Close(mark, Type::kArray, doc_->pending_.size() - mark);
  }

  bool ParseObject(int depth) {
    size_t mark = doc_->pending_.size();
    auto member = [&] {
      if (p_ == end_ || *p_ != '"') return Fail(p_);
      Value key;
      key.type_ = Type::kString;
      member_[depth] = {};
      if (!ParseString(&key)) return false;
      member_[depth] = key.text();
      doc_->pending_.push_back(key);
      SkipSpace();
      if (p_ == end_ || *p_ != ':') return Fail(p_);
      ++p_;
      SkipSpace();
      return ParseValue(depth);
    };
    if (!ParseContainer(depth, '}', member)) return false;
    size_t members = (doc_->pending_.size() - mark) / 2;
    if (!KeysUnique(mark, members)) return Fail(p_ - 1);
    return Close(mark, Type::kObject, members);
  }

  bool KeysUnique(size_t mark, size_t members) {
    const std::vector<Value>& pending = doc_->pending_;
    auto key = [&](size_t i) { return pending[mark + 2 * i].text(); };
    auto duplicate = [&](std::string_view k) {
      doc_->error_.duplicate = true;
      doc_->error_.duplicate_key = std::string(k.substr(0, 40));
      return false;
    };
    if (members <= kPairwiseKeyCheck) {
      for (size_t i = 1; i < members; ++i) {
        for (size_t j = 0; j < i; ++j) {
          if (key(i) == key(j)) return duplicate(key(i));
        }
      }
      return true;
    }
    std::vector<std::string_view>& keys = doc_->keys_;
    keys.clear();
    for (size_t i = 0; i < members; ++i) keys.push_back(key(i));
    std::sort(keys.begin(), keys.end());
    auto repeated = std::adjacent_find(keys.begin(), keys.end());
    if (repeated != keys.end()) return duplicate(*repeated);
    return true;
  }

  bool Close(size_t mark, Type type, size_t count) {
    std::vector<Value>& pending = doc_->pending_;
    Value v;
    v.type_ = type;
    v.count_ = static_cast<uint32_t>(count);
    v.first_ = static_cast<uint32_t>(doc_->nodes_.size());
    doc_->nodes_.insert(doc_->nodes_.end(), pending.begin() + static_cast<std::ptrdiff_t>(mark),
                        pending.end());
    pending.resize(mark);
    pending.push_back(v);
    return true;
  }

  JsonDocument* doc_;
  const char* begin_;
  const char* p_;
  const char* end_;
  int depth_ = 0;  // of the innermost open container
  // The name of the member being read at each depth ("" in arrays).
  std::array<std::string_view, kMaxDepth + 1> member_{};
};

bool JsonDocument::Parse(std::string_view text, size_t max_bytes) {
  nodes_.clear();
  pending_.clear();
  decoded_.clear();
  root_ = Value();
  error_ = Error();
  if (text.size() > max_bytes) {
    error_.too_large = true;
    error_.at = max_bytes + 1;
    return false;
  }
  if (size_t bad = FindInvalidUtf8(text); bad != std::string_view::npos) {
    error_.not_utf8 = true;
    error_.at = bad + 1;
    return false;
  }
  decoded_.reserve(text.size());
  if (!Parser(this, text).Run()) {
    nodes_.clear();
    pending_.clear();
    return false;
  }
  root_ = pending_.back();
  pending_.clear();
  // Children are where they will stay only now that nothing more is added.
  auto link = [&](Value& v) {
    if ((v.type_ == Type::kArray || v.type_ == Type::kObject) && v.count_ > 0) {
      v.children_ = nodes_.data() + v.first_;
    }
  };
  for (Value& v : nodes_) link(v);
  link(root_);
  return true;
}

std::string JsonDocument::Describe(const Error& e) {
  const std::string at = " at byte " + std::to_string(e.at);
  if (e.too_large) return "longer than " + std::to_string(e.at - 1) + " bytes";
  if (e.not_utf8) return "not valid UTF-8" + at;
  if (e.too_deep) {
    return "not valid JSON (nested deeper than " + std::to_string(kMaxDepth) + " levels" + at + ")";
  }
  if (e.control) return "a control character in a string" + at;
  if (e.duplicate) return "\"" + e.duplicate_key + "\" appears more than once";
  if (e.ended) return "not valid JSON (the text ends inside a value)";
  return "not valid JSON (error" + at + ")";
}

}  // namespace vigil
