#include "vigil/api/agency_routes.h"

#include <nlohmann/json.hpp>

#include "vigil/api/agency_keys.h"
#include "vigil/core/identifiers.h"
#include "vigil/core/time_format.h"
#include "vigil/ingest/feed_importer.h"

namespace vigil::api {
namespace {

namespace bhttp = boost::beast::http;
using nlohmann::json;

constexpr char kEvents[] = "/api/v1/agency/events";
constexpr char kProtections[] = "/api/v1/agency/subjects/{a_number}/protections";
constexpr char kAlerts[] = "/api/v1/agency/alerts";

http::Response Json(const http::Request& req, bhttp::status status, const json& body) {
  return http::JsonResponse(req, status, body.dump());
}

http::Response PostEvents(const AgencyDependencies& deps, const http::Request& req,
                          http::RequestContext& ctx, const ApiKey& key) {
  auto type = req.find(bhttp::field::content_type);
  bool lines = type != req.end() && std::string_view(type->value().data(), type->value().size())
                                            .starts_with("application/x-ndjson");
  std::string body = req.body();
  if (!lines) {
    // One event, perhaps pretty-printed: one line for the importer.
    auto one = json::parse(body, nullptr, false);
    if (!one.is_object()) {
      return http::ErrorResponse(
          req, ctx,
          InvalidArgument("the body must be one JSON object, or JSON Lines sent as "
                          "application/x-ndjson")
              .value());
    }
    body = one.dump() + "\n";
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
        break;
    }
    out["lines"].push_back(std::move(line));
  }
  if (deps.changed) deps.changed();
  return Json(req, bhttp::status::ok, out);
}

http::Response PutProtections(const AgencyDependencies& deps, const http::Request& req,
                              http::RequestContext& ctx, const ApiKey& key) {
  auto fail = [&](const std::string& why) {
    return http::ErrorResponse(req, ctx, InvalidArgument(why).value());
  };
  std::string digits = ctx.path_params["a_number"];
  if (digits.size() != 9 || digits.find_first_not_of("0123456789") != std::string::npos) {
    return fail("a_number: nine digits in the path");
  }
  auto a_number = ANumber::Parse(digits);
  if (!a_number) return fail("a_number: " + a_number.error().message());
  auto body = json::parse(req.body(), nullptr, false);
  if (!body.is_object() || !body.contains("protections") || !body["protections"].is_array()) {
    return fail(R"(the body must be {"protections": [...], "reason": "...", "legal_basis": "..."})");
  }
  for (const auto& [k, v] : body.items()) {
    if (k != "protections" && k != "reason" && k != "legal_basis") {
      return fail("unknown field (expected protections, reason, legal_basis)");
    }
  }
  ProtectionSet protections;
  for (const auto& p : body["protections"]) {
    if (!p.is_string()) return fail("protections: a list of names");
    auto parsed = ParseProtection(p.get<std::string>());
    if (!parsed) return fail("protections: " + parsed.error().message());
    protections.Add(*parsed);
  }
  for (const char* field : {"reason", "legal_basis"}) {
    if (!body.contains(field) || !body[field].is_string() ||
        body[field].get<std::string>().empty() || body[field].get<std::string>().size() > 500) {
      return fail(std::string(field) + ": required, 1 to 500 characters");
    }
  }
  auto txn = deps.store->BeginWrite();
  if (!txn) return http::ErrorResponse(req, ctx, txn.error());
  auto subject = (*txn)->GetSubjectByANumber(*a_number);
  if (!subject) return http::ErrorResponse(req, ctx, subject.error());
  if (!*subject) return http::ErrorResponse(req, ctx, NotFound("no person with this A-number").value());
  Subject s = **subject;
  s.protections = protections;
  if (auto u = (*txn)->UpdateSubject(s); !u) return http::ErrorResponse(req, ctx, u.error());
  int64_t cancelled = 0, suspended = 0;
  if (!protections.empty()) {
    // The takedown of DESIGN §2.4: nothing queued about the person goes out.
    auto c = (*txn)->CancelNotificationsOf(s.subject_id, deps.clock->Now());
    if (!c) return http::ErrorResponse(req, ctx, c.error());
    auto r = (*txn)->SuspendRegistrationsOf(s.subject_id);
    if (!r) return http::ErrorResponse(req, ctx, r.error());
    cancelled = *c;
    suspended = *r;
  }
  if (deps.audit_log) {
    std::string names;
    for (const auto& n : protections.Names()) names += (names.empty() ? "" : ",") + n;
    auto logged = deps.audit_log->Append(
        **txn,
        {"protection", "api:" + key.name, s.subject_id,
         "set [" + names + "]; cancelled " + std::to_string(cancelled) + " notices; suspended " +
             std::to_string(suspended) + " registrations; legal basis: " +
             body["legal_basis"].get<std::string>() + "; reason: " + body["reason"].get<std::string>()},
        deps.clock->Now());
    if (!logged) return http::ErrorResponse(req, ctx, logged.error());
  }
  if (auto c = (*txn)->Commit(); !c) return http::ErrorResponse(req, ctx, c.error());
  if (deps.changed) deps.changed();
  return Json(req, bhttp::status::ok,
              {{"a_number", digits},
               {"protections", protections.Names()},
               {"cancelled_notifications", cancelled},
               {"suspended_registrations", suspended}});
}

// Per withheld person: when and how often they were sought (the stalking
// alert's record). Never the query text or the searcher.
http::Response GetAlerts(const AgencyDependencies& deps, const http::Request& req,
                         http::RequestContext& ctx, const ApiKey&) {
  auto reader = deps.store->BeginRead();
  if (!reader) return http::ErrorResponse(req, ctx, reader.error());
  struct Sought {
    std::string reason;
    std::map<std::string, int64_t> by;
    int64_t total = 0;
    Timestamp first, last;
  };
  std::map<int64_t, Sought> by_subject;
  for (int64_t after = 0;;) {
    auto batch = (*reader)->SuppressedMatchesAfter(after, 10000);
    if (!batch) return http::ErrorResponse(req, ctx, batch.error());
    if (batch->empty()) break;
    for (const auto& [id, m] : *batch) {
      after = id;
      Sought& s = by_subject[m.subject_id];
      if (s.total++ == 0) s.first = m.occurred_at;
      s.last = m.occurred_at;
      s.reason = m.reason;
      ++s.by[m.channel];
    }
  }
  json alerts = json::array();
  for (const auto& [subject_id, s] : by_subject) {
    auto subject = (*reader)->GetSubject(subject_id);
    if (!subject) return http::ErrorResponse(req, ctx, subject.error());
    alerts.push_back({{"a_number", *subject ? (*subject)->a_number.digits() : ""},
                      {"withheld", s.reason},
                      {"sought", s.total},
                      {"by", s.by},
                      {"first_sought_at", FormatRfc3339(s.first)},
                      {"last_sought_at", FormatRfc3339(s.last)}});
  }
  return Json(req, bhttp::status::ok, {{"alerts", alerts}});
}

using AgencyHandler = http::Response (*)(const AgencyDependencies&, const http::Request&,
                                         http::RequestContext&, const ApiKey&);

AgencyHandler HandlerFor(const std::string& pattern) {
  if (pattern == kEvents) return PostEvents;
  if (pattern == kAlerts) return GetAlerts;
  return PutProtections;
}

}  // namespace

const std::vector<AgencyRoute>& AgencyRouteTable() {
  static const std::vector<AgencyRoute> table = {
      {bhttp::verb::post, kEvents, "feed:write"},
      {bhttp::verb::put, kProtections, "subjects:protect"},
      {bhttp::verb::get, kAlerts, "audit:read"},
  };
  return table;
}

void AddAgencyRoutes(http::Router& router, AgencyDependencies deps) {
  for (const AgencyRoute& route : AgencyRouteTable()) {
    AgencyHandler handler = HandlerFor(route.pattern);
    std::string scope = route.scope;
    router.Add(route.verb, route.pattern,
               [deps, handler, scope](const http::Request& req, http::RequestContext& ctx) {
                 auto key = Authenticate(*deps.store, req, scope);
                 if (!key) {
                   auto res = http::ErrorResponse(req, ctx, key.error());
                   if (key.error().code() == ErrorCode::kUnauthenticated) {
                     res.set(bhttp::field::www_authenticate, "Bearer");
                   }
                   return res;
                 }
                 if (deps.audit) {
                   deps.audit->Record({"key_use", "api:" + key->name, std::nullopt,
                                       std::string(bhttp::to_string(req.method())) + " " +
                                           ctx.route});
                 }
                 return handler(deps, req, ctx, *key);
               });
  }
}

}  // namespace vigil::api
