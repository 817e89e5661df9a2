// The agency API's events: POST /events (feed lines) and retractions.
#include <sodium.h>

#include "vigil/api/agency_handlers.h"
#include "vigil/core/metrics.h"
#include "vigil/core/time_format.h"

namespace vigil::api::agency {
namespace {

// The feed field a reject is counted under: the first part of its dotted
// path when it is a field of the feed format, "line" for the line as a
// whole, "other" for anything else (a key the sender made up must not
// become a label: it could be anything, a name included).
std::string RejectedFieldLabel(const std::string& field) {
  static constexpr std::string_view kFields[] = {
      "a_number",      "address",       "aliases",           "city",        "country_of_birth",
      "custody_basis", "date_of_birth", "event_id",          "facility_id", "family_names",
      "given_names",   "name",          "occurred_at",       "phone",       "protections",
      "record",        "retracts",      "scheduled_release", "source",      "state",
      "subject",       "type"};
  if (field.empty()) return "line";
  const std::string_view head = std::string_view(field).substr(0, field.find_first_of(".["));
  for (std::string_view f : kFields) {
    if (head == f) return std::string(f);
  }
  return "other";
}

}  // namespace

// The sources the lines of `body` name (lines that are not JSON objects
// with a string "source" are left to the importer to refuse, line by line).
std::vector<std::string> SourcesOf(std::string_view body) {
  std::vector<std::string> sources;
  JsonDocument doc;
  while (!body.empty()) {
    size_t nl = body.find('\n');
    std::string_view line = body.substr(0, nl);
    body.remove_prefix(nl == std::string_view::npos ? body.size() : nl + 1);
    if (!doc.Parse(line) || !doc.root().is_object()) continue;
    const JsonDocument::Value* source = doc.root().Find("source");
    if (source == nullptr || !source->is_string()) continue;
    if (std::find(sources.begin(), sources.end(), source->text()) == sources.end()) {
      sources.emplace_back(source->text());
    }
  }
  return sources;
}

http::Response PostEvents(const AgencyDependencies& deps, const http::Request& req,
                          http::RequestContext& ctx, const ApiKey& key) {
  auto type = req.find(bhttp::field::content_type);
  bool lines = type != req.end() && std::string_view(type->value().data(), type->value().size())
                                        .starts_with("application/x-ndjson");
  std::string body = req.body();
  if (!lines) {
    // One event, perhaps pretty-printed, read by the one JSON reader; then
    // one line for the importer. Line breaks in valid JSON are whitespace
    // (a string cannot hold a raw one), so they become spaces.
    JsonDocument one;
    const bool parsed = one.Parse(body, http::JsonObjectBody::kDefaultMaxBytes);
    if (!parsed || !one.root().is_object()) {
      std::string why = parsed ? "" : ": " + JsonDocument::Describe(one.error());
      return http::ErrorResponse(
          req, ctx,
          InvalidArgument("the body must be one JSON object, or JSON Lines sent as "
                          "application/x-ndjson" +
                          why)
              .value());
    }
    std::replace(body.begin(), body.end(), '\n', ' ');
    std::replace(body.begin(), body.end(), '\r', ' ');
    body += "\n";
  }
  // Every line's source is checked before anything is written: a request
  // that names one this key may not write changes nothing.
  const std::vector<std::string> sources = SourcesOf(body);
  for (const std::string& source : sources) {
    if (!MayWrite(key, source)) return RefuseSource(deps, req, ctx, key, "events", source);
  }
  FeedImporter importer(deps.store, deps.clock);
  auto results = importer.ImportText("api:" + key.name, body, FeedFormat::kJsonLines, nullptr);
  if (!results) return http::ErrorResponse(req, ctx, results.error());
  json out = {{"accepted", 0}, {"duplicate", 0}, {"rejected", 0}, {"lines", json::array()}};
  for (const LineResult& l : *results) {
    json line = {{"line", l.line}};
    switch (l.status) {
      case ApplyStatus::kAccepted:
        line["status"] = "accepted";
        out["accepted"] = out["accepted"].get<int>() + 1;
        break;
      case ApplyStatus::kDuplicate:
        line["status"] = "duplicate";
        out["duplicate"] = out["duplicate"].get<int>() + 1;
        break;
      default:
        line["status"] = "rejected";
        line["field"] = l.error.field;
        line["reason"] = l.error.reason;
        out["rejected"] = out["rejected"].get<int>() + 1;
        metrics::Global().Add("vigil_import_rejects_total",
                              {{"field", RejectedFieldLabel(l.error.field)}});
        break;
    }
    out["lines"].push_back(std::move(line));
  }
  for (const char* result : {"accepted", "duplicate", "rejected"}) {
    if (int n = out[result].get<int>(); n > 0) {
      metrics::Global().Add("vigil_import_lines_total", {{"result", result}}, n);
    }
  }
  if (deps.audit) {
    // Which key wrote which sources' events: what no earlier version kept.
    std::string names;
    for (const auto& s : sources) names += (names.empty() ? "" : ",") + s;
    deps.audit->Record({"feed_write", "api:" + key.name, std::nullopt,
                        "accepted " + out["accepted"].dump() + ", duplicate " +
                            out["duplicate"].dump() + ", rejected " + out["rejected"].dump() +
                            "; sources " + (names.empty() ? "none" : names)});
  }
  if (deps.changed) deps.changed();
  return Json(req, bhttp::status::ok, out);
}

// Withdraws an event, as a `retracted` feed line would: state is refolded,
// notices of it not yet sent are cancelled, and whoever received one is
// sent a correction.
http::Response PostRetraction(const AgencyDependencies& deps, const http::Request& req,
                              http::RequestContext& ctx, const ApiKey& key) {
  const std::string source = ctx.path_params["source"];
  const std::string event_id = ctx.path_params["event_id"];
  // A key retracts only its own sources' events; an override's, only a key
  // that may make overrides.
  const bool may = source == kOverrideSource ? std::find(key.scopes.begin(), key.scopes.end(),
                                                         "subjects:override") != key.scopes.end()
                                             : MayWrite(key, source);
  if (!may) return RefuseSource(deps, req, ctx, key, "a retraction", source);
  auto body = BodyObject(req, {"reason"}, {"reason"});
  if (!body) return http::ErrorResponse(req, ctx, body.error());
  std::optional<StoredEvent> target;
  {
    auto reader = deps.store->BeginRead();
    if (!reader) return http::ErrorResponse(req, ctx, reader.error());
    auto found = (*reader)->custody().GetEvent(source, event_id);
    if (!found) return http::ErrorResponse(req, ctx, found.error());
    target = std::move(*found);
  }
  if (!target)
    return http::ErrorResponse(req, ctx, NotFound("no event " + source + "/" + event_id).value());
  // A stable id and time: the same retraction again is a duplicate.
  std::string retraction_id = "retraction-of-" + event_id;
  json line = {{"record", "custody_event"},
               {"source", source},
               {"event_id", retraction_id},
               {"type", "retracted"},
               {"occurred_at", FormatRfc3339(target->event.occurred_at)},
               {"retracts", event_id}};
  auto result = ImportOne(deps, key, line.dump(),
                          {"retraction", "api:" + key.name, target->subject_id,
                           "retracted " + source + "/" + event_id + " by " + retraction_id +
                               "; reason: " + Field(*body, "reason")});
  if (!result) return http::ErrorResponse(req, ctx, result.error());
  if (result->status == ApplyStatus::kRejected) {
    return http::ErrorResponse(req, ctx, Conflict(result->error.reason).value());
  }
  return Json(req, bhttp::status::ok,
              {{"source", source},
               {"event_id", event_id},
               {"retraction_event_id", retraction_id},
               {"status", result->status == ApplyStatus::kAccepted ? "accepted" : "duplicate"}});
}

}  // namespace vigil::api::agency
