// Error values and Result<T>: how every vigil component reports failure.
//
// An Error carries a domain code and a human-readable message. Codes are
// mapped to HTTP statuses in exactly one place (http/), never chosen deep in
// domain code. Error and Result are plain values: thread-compatible.
#ifndef VIGIL_CORE_ERROR_H_
#define VIGIL_CORE_ERROR_H_

#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <utility>

namespace vigil {

enum class ErrorCode {
  kInvalidArgument,    // the caller's input is malformed
  kNotFound,           // the thing asked for does not exist (or is not disclosable)
  kConflict,           // the input contradicts what is already stored
  kUnavailable,        // a dependency (disk, store, peer) failed; retrying may help
  kUnauthenticated,    // the caller did not say who it is (or not believably)
  kPermissionDenied,   // the caller may not do this
  kResourceExhausted,  // a limit was hit (rate limit, size limit)
  kInternal,           // a bug: an invariant did not hold
};

// Returns the lower_snake_case name of `code`, e.g. "invalid_argument".
std::string_view ErrorCodeName(ErrorCode code);

class Error {
 public:
  Error(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "invalid_argument: message"
  std::string ToString() const;

  // Returns a copy whose message is "`context`: message".
  Error WithContext(std::string_view context) const;

 private:
  ErrorCode code_;
  std::string message_;
};

template <typename T>
using Result = tl::expected<T, Error>;

inline tl::unexpected<Error> MakeError(ErrorCode code, std::string message) {
  return tl::unexpected<Error>(Error(code, std::move(message)));
}
inline tl::unexpected<Error> InvalidArgument(std::string message) {
  return MakeError(ErrorCode::kInvalidArgument, std::move(message));
}
inline tl::unexpected<Error> NotFound(std::string message) {
  return MakeError(ErrorCode::kNotFound, std::move(message));
}
inline tl::unexpected<Error> Conflict(std::string message) {
  return MakeError(ErrorCode::kConflict, std::move(message));
}
inline tl::unexpected<Error> Unavailable(std::string message) {
  return MakeError(ErrorCode::kUnavailable, std::move(message));
}
inline tl::unexpected<Error> PermissionDenied(std::string message) {
  return MakeError(ErrorCode::kPermissionDenied, std::move(message));
}
inline tl::unexpected<Error> ResourceExhausted(std::string message) {
  return MakeError(ErrorCode::kResourceExhausted, std::move(message));
}
inline tl::unexpected<Error> Internal(std::string message) {
  return MakeError(ErrorCode::kInternal, std::move(message));
}

}  // namespace vigil

// Evaluates `expr` (a Result<T>); on error returns the error from the enclosing
// function, otherwise evaluates to nothing. For Result<void> and for results
// whose value is not needed.
#define VIGIL_RETURN_IF_ERROR(expr)                                   \
  do {                                                                \
    auto vigil_status_ = (expr);                                      \
    if (!vigil_status_) return tl::unexpected(vigil_status_.error()); \
  } while (false)

#endif  // VIGIL_CORE_ERROR_H_
