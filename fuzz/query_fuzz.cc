// libFuzzer target: a query string through parsing, validation, the name
// index and the disclosure gate. Never a crash or a sanitizer report; never
// more than five people; never the protected person planted in the fixture.
#include <cstdlib>

#include "search_fixture.h"
#include "vigil/http/form.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto& f = vigil::fuzz::SearchFixture::Get();
  std::string_view query(reinterpret_cast<const char*>(data), size);
  auto params = vigil::http::ParseQueryString(query);
  if (!params) return 0;
  auto found = vigil::api::RunPublicSearch(f.deps, *params);
  if (!found) {
    if (found.error().message().empty()) std::abort();
    return 0;
  }
  if (found->size() > 5) std::abort();
  for (const auto& s : *found) {
    if (s.name().find("Pérez") != std::string::npos) std::abort();  // the protected person
  }
  return 0;
}
