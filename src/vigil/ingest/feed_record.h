// What one line of a feed becomes once parsed and validated: a facility or a
// custody event, or a FieldError saying which field is wrong and why.
// Plain values; thread-compatible.
#ifndef VIGIL_INGEST_FEED_RECORD_H_
#define VIGIL_INGEST_FEED_RECORD_H_

#include <string>
#include <variant>

#include <tl/expected.hpp>

#include "vigil/core/domain.h"

namespace vigil {

using FeedRecord = std::variant<Facility, CustodyEvent>;

// Why a line was refused. `field` is a dotted path ("subject.date_of_birth"),
// or empty when the line as a whole is bad (not JSON, too long, ...).
// `reason` never quotes more than a short prefix of the offending value, and
// never a name: rejects are logged and stored.
struct FieldError {
  std::string field;
  std::string reason;

  bool operator==(const FieldError&) const = default;
};

using ParsedRecord = tl::expected<FeedRecord, FieldError>;

}  // namespace vigil

#endif  // VIGIL_INGEST_FEED_RECORD_H_
