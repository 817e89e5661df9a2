// Validated identifiers that arrive from outside: A-numbers, ISO 3166-1
// country codes and US state codes. Each type can only hold a valid value:
// construct through Parse(). Error messages say why a value is refused but
// never repeat it: they end up in logs and stored rejects, and a malformed
// A-number is still a person's identifier. Plain values; thread-compatible.
#ifndef VIGIL_CORE_IDENTIFIERS_H_
#define VIGIL_CORE_IDENTIFIERS_H_

#include <compare>
#include <string>
#include <string_view>

#include "vigil/core/error.h"

namespace vigil {

// An alien registration number: nine digits, stored without prefix or dashes.
class ANumber {
 public:
  // Accepts "A012345678", "A-012-345-678", "012345678", "12345678" (eight
  // digits are left-padded to nine), with or without the A prefix ('A' or 'a')
  // and with dashes only in the 3-3-3 (or 2-3-3) grouping. All zeros is rejected.
  static Result<ANumber> Parse(std::string_view text);
  // As a person types one into a search box: also "A 012 345 678",
  // "A#012345678", "a-012345678", "A.012.345.678", surrounding spaces and
  // full-width digits. Every way of writing the same digits is the same
  // number; letters other than the leading A are still refused. Feeds use
  // Parse, which is strict.
  static Result<ANumber> ParseTyped(std::string_view text);

  // An unset A-number (empty digits), for default-constructed records.
  ANumber() = default;
  bool empty() const { return digits_.empty(); }

  // The nine digits, e.g. "012345678".
  const std::string& digits() const { return digits_; }

  auto operator<=>(const ANumber&) const = default;

 private:
  explicit ANumber(std::string digits) : digits_(std::move(digits)) {}
  std::string digits_;
};

// Returns the upper-case ISO 3166-1 alpha-2 code for `text` (either case), or
// kInvalidArgument if it is not an officially assigned code.
Result<std::string> ParseCountryCode(std::string_view text);

// Returns the upper-case USPS code of a US state, district or territory
// ("CA", "DC", "PR"), or kInvalidArgument.
Result<std::string> ParseUsStateCode(std::string_view text);

// Returns `text` if it is an E.164 number ("+" and 8 to 15 digits, no
// leading zero), else kInvalidArgument. Full validation lives in notify/.
Result<std::string> ParseE164(std::string_view text);

}  // namespace vigil

#endif  // VIGIL_CORE_IDENTIFIERS_H_
