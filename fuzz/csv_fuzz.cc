// libFuzzer target: a CSV feed, split in arbitrary chunks, header then rows
// through validation. Splitting must not depend on where chunks end.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "vigil/ingest/record_parser.h"

namespace {

std::vector<vigil::CsvSplitter::Record> Split(std::string_view input, size_t chunk) {
  vigil::CsvSplitter splitter;
  for (size_t i = 0; i < input.size(); i += chunk) splitter.Push(input.substr(i, chunk));
  splitter.Finish();
  std::vector<vigil::CsvSplitter::Record> out;
  vigil::CsvSplitter::Record r;
  while (splitter.Next(&r)) out.push_back(r);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const vigil::Timestamp kNow = *vigil::ParseRfc3339("2026-11-22T12:00:00Z");
  if (size == 0) return 0;
  size_t chunk = 1 + data[0] % 17;
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto whole = Split(input, input.size() + 1);
  auto pieces = Split(input, chunk);
  if (whole.size() != pieces.size()) std::abort();
  for (size_t i = 0; i < whole.size(); ++i) {
    if (whole[i].cells != pieces[i].cells || whole[i].line != pieces[i].line ||
        whole[i].error != pieces[i].error) {
      std::abort();
    }
  }
  if (whole.empty() || !whole[0].error.empty()) return 0;
  const auto& header = whole[0].cells;
  for (size_t i = 1; i < whole.size(); ++i) {
    if (!whole[i].error.empty()) continue;
    auto parsed = vigil::ParseCsvRow(header, whole[i].cells, kNow);
    if (!parsed && parsed.error().reason.empty()) std::abort();
  }
  return 0;
}
