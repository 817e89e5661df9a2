// The public export: everyone the public may see, as CSV, for partners that
// mirror the public lookup (and `vigil export`). Every row is a
// policy::DisclosedSubject for Audience::kPublic, so a protected person, a
// minor or someone past the release window is absent exactly as from a
// search (DESIGN.md §2.1, §2.3).
#ifndef VIGIL_API_EXPORT_H_
#define VIGIL_API_EXPORT_H_

#include <functional>
#include <string_view>

#include "vigil/core/error.h"
#include "vigil/policy/disclosure_policy.h"
#include "vigil/store/store.h"

namespace vigil::api {

// The header line of the export.
inline constexpr std::string_view kExportHeader =
    "ref,name,birth_year,country_of_birth,custody_status,custody_basis,facility_name,"
    "facility_city,facility_state,facility_phone,updated_at\n";

// Writes the header, then one line per disclosed person in subject order,
// to `sink` in chunks (RFC 4180 quoting; a cell that a spreadsheet would
// run as a formula is prefixed with '). Stops, successfully, when `sink`
// returns false. Reads one snapshot of `store`.
Result<void> WritePublicExport(Store& store, const policy::DisclosurePolicy& policy,
                               const std::function<bool(std::string_view)>& sink);

// One CSV cell as WritePublicExport writes it.
std::string CsvCell(std::string_view value);

}  // namespace vigil::api

#endif  // VIGIL_API_EXPORT_H_
