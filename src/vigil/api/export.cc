#include "vigil/api/export.h"

#include <map>
#include <optional>

namespace vigil::api {

std::string CsvCell(std::string_view value) {
  std::string cell(value);
  // "=cmd|...", "@SUM(...)": a spreadsheet would run them. A phone number
  // ("+17605550100") is left alone.
  bool formula =
      !cell.empty() && (cell[0] == '=' || cell[0] == '@' || cell[0] == '\t' || cell[0] == '\r' ||
                        ((cell[0] == '+' || cell[0] == '-') &&
                         cell.find_first_not_of("0123456789", 1) != std::string::npos));
  if (formula) cell.insert(cell.begin(), '\'');
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char c : cell) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

Result<void> WritePublicExport(Store& store, const policy::DisclosurePolicy& policy,
                               const std::function<bool(std::string_view)>& sink) {
  auto reader = store.BeginRead();
  if (!reader) return tl::unexpected(reader.error());
  if (!sink(kExportHeader)) return {};
  std::map<std::string, std::optional<Facility>> facilities;
  std::string chunk;
  Result<void> failed;
  bool stopped = false;
  auto each = (*reader)->custody().ForEachSubject([&](const Subject& s) {
    std::optional<Facility> facility;
    if (!s.facility_id.empty()) {
      auto it = facilities.find(s.facility_id);
      if (it == facilities.end()) {
        auto f = (*reader)->custody().GetFacility(s.facility_id);
        if (!f) {
          failed = tl::unexpected(f.error());
          return false;
        }
        it = facilities.emplace(s.facility_id, std::move(*f)).first;
      }
      facility = it->second;
    }
    auto d = policy.Disclose(s, facility, policy::Audience::kPublic, nullptr);
    if (!d) return true;
    const auto& f = d->facility();
    for (const std::string& cell :
         {d->ref(), d->name(), d->birth_year() ? std::to_string(*d->birth_year()) : std::string(),
          d->country_of_birth(), std::string(Name(d->custody_status())),
          std::string(Name(d->custody_basis())), f ? f->name() : "", f ? f->city() : "",
          f ? f->state() : "", f ? f->phone() : "", FormatRfc3339(d->updated_at())}) {
      chunk += CsvCell(cell);
      chunk += ',';
    }
    chunk.back() = '\n';
    if (chunk.size() >= 64 * 1024) {
      if (!sink(chunk)) {
        stopped = true;
        return false;
      }
      chunk.clear();
    }
    return true;
  });
  if (!each) return each;
  if (!failed) return failed;
  if (!stopped && !chunk.empty()) sink(chunk);
  return {};
}

}  // namespace vigil::api
