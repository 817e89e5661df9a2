#include "vigil/core/json_document.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "vigil/core/utf8.h"

namespace vigil {
namespace {

using Type = JsonDocument::Type;

// The document's value as nlohmann JSON, for comparing with nlohmann's parse.
nlohmann::json ToNlohmann(const JsonDocument::Value& v) {
  switch (v.type()) {
    case Type::kNull:
      return nullptr;
    case Type::kFalse:
      return false;
    case Type::kTrue:
      return true;
    case Type::kNumber:
      return nlohmann::json::parse(v.text());
    case Type::kString:
      return std::string(v.text());
    case Type::kArray: {
      auto out = nlohmann::json::array();
      for (size_t i = 0; i < v.size(); ++i) out.push_back(ToNlohmann(v[i]));
      return out;
    }
    case Type::kObject: {
      auto out = nlohmann::json::object();
      for (size_t i = 0; i < v.size(); ++i) out[std::string(v.key(i))] = ToNlohmann(v.member(i));
      return out;
    }
  }
  return nullptr;
}

TEST(JsonDocument, ReadsAFeedRecord) {
  std::string line =
      R"( {"record":"custody_event","n":-12.5e+3,"ok":true,"no":false,"x":null,)"
      R"("subject":{"given_names":"José Luis","aliases":["Pepe",""]},"empty":{},"none":[]} )";
  JsonDocument doc;
  ASSERT_TRUE(doc.Parse(line));
  const auto& root = doc.root();
  ASSERT_TRUE(root.is_object());
  ASSERT_EQ(root.size(), 8u);
  EXPECT_EQ(root.key(0), "record");
  EXPECT_EQ(root.member(0).text(), "custody_event");
  EXPECT_EQ(root.Find("n")->type(), Type::kNumber);
  EXPECT_EQ(root.Find("n")->text(), "-12.5e+3");
  EXPECT_EQ(root.Find("ok")->type(), Type::kTrue);
  EXPECT_EQ(root.Find("no")->type(), Type::kFalse);
  EXPECT_TRUE(root.Find("x")->is_null());
  EXPECT_EQ(root.Find("missing"), nullptr);
  const auto* subject = root.Find("subject");
  ASSERT_NE(subject, nullptr);
  EXPECT_EQ(subject->Find("given_names")->text(), "José Luis");
  const auto* aliases = subject->Find("aliases");
  ASSERT_TRUE(aliases->is_array());
  ASSERT_EQ(aliases->size(), 2u);
  EXPECT_EQ((*aliases)[0].text(), "Pepe");
  EXPECT_EQ((*aliases)[1].text(), "");
  EXPECT_EQ(root.Find("empty")->size(), 0u);
  EXPECT_EQ(root.Find("none")->size(), 0u);
  EXPECT_EQ(aliases->Find("Pepe"), nullptr);  // not an object
  // Strings without escapes are views into the line itself.
  EXPECT_GE(root.member(0).text().data(), line.data());
  EXPECT_LT(root.member(0).text().data(), line.data() + line.size());
  // Numbers a double holds, if only as zero, are numbers.
  EXPECT_TRUE(doc.Parse("[1e-400, 1.7e308, -0, 0.5E-3, 123456789012345678901234567890]"));
}

TEST(JsonDocument, DecodesEscapes) {
  JsonDocument doc;
  ASSERT_TRUE(
      doc.Parse(R"(["a\"b\\c\/d\n\r\t", "\u00e9\u4E2D", "\ud83d\ude00!", "\u00a0\u0009"])"));
  const auto& a = doc.root();
  ASSERT_EQ(a.size(), 4u);
  EXPECT_EQ(a[0].text(), "a\"b\\c/d\n\r\t");
  EXPECT_EQ(a[1].text(), "\xC3\xA9\xE4\xB8\xAD");
  EXPECT_EQ(a[2].text(), "\xF0\x9F\x98\x80!");
  EXPECT_EQ(a[3].text(), "\xC2\xA0\t");
}

TEST(JsonDocument, RefusesControlCharactersRawOrEscapedAndSaysWhere) {
  struct Case {
    std::string text;
    size_t at;
  };
  const Case cases[] = {
      {R"(["\u0000"])", 3},       // NUL, escaped
      {R"({"a":"x\u0001"})", 8},  // other C0
      {R"(["\u001f"])", 3},
      {R"(["ok","\b"])", 8},  // backspace and form feed escapes
      {R"(["\f"])", 3},
      {R"(["\u007F"])", 3},              // DEL
      {"[\"a\x7f\"]", 4},                // DEL, raw (JSON allows it; vigil does not)
      {R"(["\u0085"])", 3},              // C1 (NEL), escaped
      {"[\"a\xC2\x85\"]", 4},            // C1, raw UTF-8
      {R"({"k\u0000":1})", 4},           // in a key too
      {std::string("[\"a\0\"]", 5), 4},  // NUL, raw
  };
  JsonDocument doc;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_FALSE(doc.Parse(c.text));
    EXPECT_TRUE(doc.error().control);
    EXPECT_EQ(doc.error().at, c.at);
    EXPECT_EQ(JsonDocument::Describe(doc.error()),
              "a control character in a string at byte " + std::to_string(c.at));
  }
  // Tab, line feed and carriage return are text; so are C2 A0 and the rest of U+0080..U+07FF.
  EXPECT_TRUE(doc.Parse("[\"\\t\\n\\r\xC2\xA0\xC2\xBF\xC3\x80\"]"));
}

TEST(JsonDocument, RefusesATextOverItsLimitUnreadAndInvalidUtf8) {
  JsonDocument doc;
  std::string text = "[" + std::string(100, '1') + "]";
  EXPECT_TRUE(doc.Parse(text, text.size()));
  EXPECT_FALSE(doc.Parse(text, text.size() - 1));
  EXPECT_TRUE(doc.error().too_large);
  EXPECT_EQ(JsonDocument::Describe(doc.error()), "longer than 101 bytes");
  // Unread: even a text that is not JSON at all is refused for its size.
  EXPECT_FALSE(doc.Parse(std::string(2000, '{'), 1000));
  EXPECT_TRUE(doc.error().too_large);
  EXPECT_FALSE(doc.error().too_deep);
  EXPECT_FALSE(doc.Parse("[\"a\xC0\xAF\"]"));
  EXPECT_TRUE(doc.error().not_utf8);
  EXPECT_EQ(doc.error().at, 4u);
  EXPECT_EQ(JsonDocument::Describe(doc.error()), "not valid UTF-8 at byte 4");
}

TEST(JsonDocument, ReusedForManyLinesKeepsEveryViewOfTheCurrentOne) {
  JsonDocument doc;
  for (int i = 0; i < 100; ++i) {
    std::string line = "{\"k\\u0041\":\"v" + std::to_string(i) + "\\n\",\"plain\":\"p\"}";
    ASSERT_TRUE(doc.Parse(line));
    EXPECT_EQ(doc.root().key(0), "kA");
    EXPECT_EQ(doc.root().member(0).text(), "v" + std::to_string(i) + "\n");
    EXPECT_EQ(doc.root().Find("plain")->text(), "p");
  }
}

struct Refusal {
  const char* text;
  size_t at;  // 1-based byte
  bool ended;
};

TEST(JsonDocument, RefusesWhatIsNotJsonAndSaysWhere) {
  const Refusal cases[] = {
      {"", 1, true},
      {"   ", 4, true},
      {"this is not json", 2, false},
      {"tru", 4, true},
      {"nul", 4, true},
      {"falsy", 5, false},
      {"[1,]", 4, false},
      {"[1 2]", 4, false},
      {"{\"a\":1,}", 8, false},
      {"{\"a\" 1}", 6, false},
      {"{'a':1}", 2, false},
      {"{a:1}", 2, false},
      {"{\"a\":1", 7, true},
      {"{} x", 4, false},
      {"01", 2, false},
      {"1.", 3, true},
      {"1.e5", 3, false},
      {"-", 2, true},
      {"-x", 2, false},
      {".5", 1, false},
      {"+1", 1, false},
      {"1e", 3, true},
      {"1e+", 4, true},
      {"NaN", 1, false},
      {"Infinity", 1, false},
      {"\"abc", 5, true},
      {"\"a\tb\"", 3, false},   // a raw control character in a string
      {"\"a\\xb\"", 4, false},  // an unknown escape
      {"\"\\u12\"", 6, false},  // too few hex digits
      {"\"\\u12g4\"", 6, false},
      {"\"\\udc00\"", 7, false},  // a low surrogate alone
      {"\"\\ud800\"", 8, false},  // a high surrogate alone
      {"\"\\ud800\\u0041\"", 13, false},
      {"[\"a\"]]", 6, false},
      {"[1e999]", 2, false},  // no double holds it
      {"-1E+400", 1, false},
  };
  JsonDocument doc;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_FALSE(doc.Parse(c.text));
    EXPECT_EQ(doc.error().at, c.at);
    EXPECT_EQ(doc.error().ended, c.ended);
    EXPECT_FALSE(doc.error().duplicate);
    EXPECT_FALSE(nlohmann::json::accept(c.text)) << "nlohmann accepts it";
  }
}

TEST(JsonDocument, ReadsPastANulByteAndRefusesIt) {
  // nlohmann stops at a NUL as if the text ended there, so it would take
  // {"a":1}<NUL>anything for {"a":1}. A NUL is no JSON whitespace.
  JsonDocument doc;
  EXPECT_FALSE(doc.Parse(std::string_view("{\"a\":1}\0{\"b\":2}", 15)));
  EXPECT_EQ(doc.error().at, 8u);
  EXPECT_FALSE(doc.Parse(std::string_view("\"a\0b\"", 5)));
  EXPECT_EQ(doc.error().at, 3u);
}

TEST(JsonDocument, RefusesARepeatedKeyInAnyObject) {
  JsonDocument doc;
  EXPECT_FALSE(doc.Parse(R"({"protections":["sec1367"],"a":1,"protections":[]})"));
  EXPECT_TRUE(doc.error().duplicate);
  EXPECT_EQ(doc.error().duplicate_key, "protections");
  EXPECT_FALSE(doc.Parse(R"({"subject":{"a_number":"1","a_number":"2"}})"));
  EXPECT_EQ(doc.error().duplicate_key, "a_number");
  EXPECT_FALSE(doc.Parse(R"([{"":1,"":2}])"));
  EXPECT_TRUE(doc.error().duplicate);
  EXPECT_EQ(doc.error().duplicate_key, "");
  // Escapes are decoded before keys are compared.
  EXPECT_FALSE(doc.Parse(R"({"record":1,"rec\u006frd":2})"));
  EXPECT_EQ(doc.error().duplicate_key, "record");
  // Large objects are checked by sorting.
  std::string big = "{";
  for (int i = 0; i < 500; ++i) big += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  EXPECT_TRUE(doc.Parse(big + "\"last\":0}"));
  EXPECT_FALSE(doc.Parse(big + "\"k250\":0}"));
  EXPECT_EQ(doc.error().duplicate_key, "k250");
  // The same key in different objects, or as a value, is fine.
  EXPECT_TRUE(doc.Parse(R"({"a":{"a":"a"},"b":[{"a":1},{"a":2}]})"));
}

TEST(JsonDocument, BoundsNesting) {
  JsonDocument doc;
  auto nested = [](int depth) { return std::string(depth, '[') + std::string(depth, ']'); };
  EXPECT_TRUE(doc.Parse(nested(JsonDocument::kMaxDepth)));
  EXPECT_FALSE(doc.Parse(nested(JsonDocument::kMaxDepth + 1)));
  EXPECT_TRUE(doc.error().too_deep);
  EXPECT_EQ(doc.error().at, static_cast<size_t>(JsonDocument::kMaxDepth) + 1);
  // Far deeper input fails the same way, without exhausting the stack.
  EXPECT_FALSE(doc.Parse(std::string(1 << 20, '[')));
  EXPECT_TRUE(doc.error().too_deep);
  // An attacker's 10^5 levels of objects, as sent to an HTTP route.
  std::string objects;
  for (int i = 0; i < 100000; ++i) objects += "{\"a\":";
  objects += "1" + std::string(100000, '}');
  EXPECT_FALSE(doc.Parse(objects));
  EXPECT_TRUE(doc.error().too_deep);
  EXPECT_EQ(JsonDocument::Describe(doc.error()),
            "not valid JSON (nested deeper than 64 levels at byte " +
                std::to_string(doc.error().at) + ")");
}

// Random edits of feed-like lines: wherever nlohmann (a mature, independent
// parser) accepts a text without repeated keys, this one accepts it and
// reads the same value; wherever nlohmann refuses, this one refuses.
TEST(JsonDocument, AgreesWithAnIndependentParserOnEditedLines) {
  const std::string seeds[] = {
      R"({"record":"custody_event","source":"ice","event_id":"E-1","type":"booked",)"
      R"("occurred_at":"2026-11-01T14:03:00Z","subject":{"a_number":"A012345678",)"
      R"("given_names":"Jos\u00e9","family_names":"P\u00e9rez","aliases":["Pepe"],)"
      R"("date_of_birth":null,"country_of_birth":"MX"},"facility_id":"ADL",)"
      R"("custody_basis":"civil_immigration","protections":[],"n":[0,-1.5e3,true,false]})",
      R"([{"a":"\ud83d\ude00","b":{"c":[[],{}]}}, 12, "x\"y"])",
  };
  const std::string alphabet = "{}[]\":,\\u0123456789abcdefe.-+ \t\nnulltruefalse\x7f\xC3\xA9";
  std::mt19937 rng(20261202);
  JsonDocument doc;
  int accepted = 0, refused = 0;
  for (int i = 0; i < 40000; ++i) {
    std::string text = seeds[i % 2];
    int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      size_t at = rng() % text.size();
      char c = alphabet[rng() % alphabet.size()];
      switch (rng() % 3) {
        case 0:
          text.erase(at, 1);
          break;
        case 1:
          text.insert(at, 1, c);
          break;
        default:
          text[at] = c;
      }
    }
    // Callers check UTF-8 first (ParseJsonLine); nlohmann checks it itself.
    if (FindInvalidUtf8(text) != std::string::npos) continue;
    bool ours = doc.Parse(text);
    bool theirs = nlohmann::json::accept(text);
    if (!ours && theirs) {
      // Stricter on purpose: repeated keys and control characters.
      ASSERT_TRUE(doc.error().duplicate || doc.error().control) << text;
      continue;
    }
    ASSERT_EQ(ours, theirs) << text;
    if (ours) {
      ++accepted;
      ASSERT_EQ(ToNlohmann(doc.root()), nlohmann::json::parse(text)) << text;
    } else {
      ++refused;
    }
  }
  // Both outcomes were exercised in earnest.
  EXPECT_GT(accepted, 2000);
  EXPECT_GT(refused, 20000);
}

}  // namespace
}  // namespace vigil
