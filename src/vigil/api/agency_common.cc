// Helpers shared by the agency API's handlers (agency_handlers.h).
#include <sodium.h>

#include "vigil/api/agency_handlers.h"
#include "vigil/core/hex.h"
#include "vigil/core/identifiers.h"
#include "vigil/core/time_format.h"

namespace vigil::api::agency {

http::Response Json(const http::Request& req, bhttp::status status, const json& body) {
  return http::JsonResponse(req, status, body.dump());
}

std::string ShownSource(std::string_view source) {
  auto valid = ValidKeySources({std::string(source)});
  bool id = valid || source == kOverrideSource;
  return id ? "\"" + std::string(source) + "\"" : "(not a source id)";
}

http::Response RefuseSource(const AgencyDependencies& deps, const http::Request& req,
                            http::RequestContext& ctx, const ApiKey& key, std::string_view what,
                            std::string_view source) {
  if (deps.audit) {
    deps.audit->Record(
        {"write_refused", "api:" + key.name, std::nullopt,
         std::string(what) + " of source " + ShownSource(source) + ": not bound to this key"});
  }
  std::string why =
      source == kOverrideSource
          ? "events of source \"" + std::string(kOverrideSource) +
                "\" are made only by the overrides route, and retracted only by a key that "
                "also has the scope subjects:override"
          : "this key may not write events of source " + ShownSource(source) +
                " (it is bound to: " +
                [&] {
                  std::string bound;
                  for (const auto& s : key.sources) bound += (bound.empty() ? "" : ", ") + s;
                  return bound.empty() ? std::string("no source") : bound;
                }() +
                ")";
  return http::ErrorResponse(req, ctx, PermissionDenied(why).value());
}

Result<Subject> SubjectByANumber(CustodyReads& custody, const ANumber& a_number) {
  auto subject = custody.GetSubjectByANumber(a_number);
  if (!subject) return tl::unexpected(subject.error());
  if (!*subject) return NotFound("no person with this A-number");
  return std::move(**subject);
}

http::Response Fail(const http::Request& req, http::RequestContext& ctx, const std::string& why) {
  return http::ErrorResponse(req, ctx, InvalidArgument(why).value());
}

Result<ANumber> PathANumber(http::RequestContext& ctx) {
  const std::string& digits = ctx.path_params["a_number"];
  if (digits.size() != 9 || digits.find_first_not_of("0123456789") != std::string::npos) {
    return InvalidArgument("a_number: nine digits in the path");
  }
  auto a_number = ANumber::Parse(digits);
  if (!a_number) return InvalidArgument("a_number: " + a_number.error().message());
  return *a_number;
}

Result<http::JsonObjectBody> BodyObject(const http::Request& req,
                                        std::initializer_list<std::string_view> allowed,
                                        std::initializer_list<std::string_view> required) {
  auto body = http::JsonObjectBody::Parse(req.body(), allowed);
  if (!body) return body;
  for (std::string_view field : allowed) {
    bool needed = std::find(required.begin(), required.end(), field) != required.end();
    auto value = body->String(field, 500, needed);
    if (!value) {
      return InvalidArgument(std::string(field) + (needed ? ": required, 1 to 500 characters"
                                                          : ": at most 500 characters"));
    }
  }
  return body;
}

std::string Field(const http::JsonObjectBody& body, std::string_view field) {
  auto value = body.String(field, 500);
  return value ? *value : std::string();
}

Result<LineResult> ImportOne(const AgencyDependencies& deps, const ApiKey& key,
                             const std::string& line, const audit::AuditRecord& audit) {
  FeedImporter importer(deps.store, deps.clock);
  auto record = [&](StoreTransaction& txn, const std::vector<LineResult>& results) -> Result<void> {
    if (!deps.audit_log || results.size() != 1 || results[0].status != ApplyStatus::kAccepted) {
      return {};
    }
    auto appended = deps.audit_log->Append(txn, audit, deps.clock->Now());
    if (!appended) return tl::unexpected(appended.error());
    return {};
  };
  auto results =
      importer.ImportText("api:" + key.name, line + "\n", FeedFormat::kJsonLines, nullptr, record);
  if (!results) return tl::unexpected(results.error());
  if (results->size() != 1)
    return Internal("one line in, " + std::to_string(results->size()) + " out");
  if (deps.changed) deps.changed();
  return results->front();
}

}  // namespace vigil::api::agency
