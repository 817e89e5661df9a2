// libFuzzer target: one JSON Lines line through parsing and validation.
// Any input must give a record or a FieldError — never a crash, a sanitizer
// report, or a reason that quotes more than a short prefix of the input. The
// feed's own JSON reader must also accept exactly what nlohmann (an
// independent parser) accepts, except what it refuses on purpose: objects
// that repeat a key, nesting deeper than 64, control characters in strings.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string_view>

#include "vigil/core/utf8.h"
#include "vigil/ingest/feed_applier.h"
#include "vigil/core/json_document.h"
#include "vigil/ingest/record_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const vigil::Timestamp kNow = *vigil::ParseRfc3339("2026-11-22T12:00:00Z");
  std::string_view line(reinterpret_cast<const char*>(data), size);
  static vigil::JsonDocument doc;
  if (line.find('\0') != std::string_view::npos) {
    // A raw NUL is never JSON (nlohmann stops reading at one).
    if (doc.Parse(line)) std::abort();
  } else if (vigil::FindInvalidUtf8(line) == std::string_view::npos) {
    bool ours = doc.Parse(line);
    bool theirs = nlohmann::json::accept(line);
    if (ours != theirs &&
        !(theirs && (doc.error().duplicate || doc.error().too_deep || doc.error().control))) {
      std::abort();
    }
  }
  auto parsed = vigil::ParseJsonLine(line, kNow);
  if (parsed) {
    if (const auto* event = std::get_if<vigil::CustodyEvent>(&*parsed)) {
      // Validated values must satisfy the invariants the rest of vigil relies on.
      if (event->source.empty() || event->event_id.empty()) std::abort();
      if (event->subject && event->subject->a_number.digits().size() != 9) std::abort();
      if (vigil::EventContentHash(*event).size() != 16) std::abort();
    }
  } else if (parsed.error().reason.empty() || parsed.error().reason.size() > 400) {
    std::abort();
  }
  return 0;
}
