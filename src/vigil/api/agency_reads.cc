// The agency API's reads: the stalking alerts, the audit listing, the export.
#include <map>

#include "vigil/api/agency_handlers.h"
#include "vigil/api/export.h"
#include "vigil/api/search_routes.h"
#include "vigil/core/time_format.h"
#include "vigil/http/form.h"

namespace vigil::api::agency {

// Per withheld person: when and how often they were sought (the stalking
// alert's record). Never the query text or the searcher.
http::Response GetAlerts(const AgencyDependencies& deps, const http::Request& req,
                         http::RequestContext& ctx, const ApiKey&) {
  if (!deps.policy)
    return http::ErrorResponse(req, ctx, Unavailable("alerts are not configured").value());
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
    auto batch = (*reader)->controls().SuppressedMatchesAfter(after, 10000);
    if (!batch) return http::ErrorResponse(req, ctx, batch.error());
    if (batch->empty()) break;
    for (const auto& [id, m] : *batch) {
      after = id;
      Sought& s = by_subject[m.subject_id];
      if (s.total++ == 0) s.first = m.occurred_at;
      s.last = m.occurred_at;
      s.reason = m.reason;
      ++s.by[m.sought_by];
    }
  }
  json alerts = json::array();
  for (const auto& [subject_id, s] : by_subject) {
    policy::SuppressionReason why;
    auto who = deps.policy->ReferForStaff(**reader, subject_id, &why);
    if (why == policy::SuppressionReason::kStoreError) {
      return http::ErrorResponse(req, ctx, Unavailable("reading the alerts failed").value());
    }
    alerts.push_back({{"a_number", who ? who->a_number() : ""},
                      {"withheld", s.reason},
                      {"sought", s.total},
                      {"by", s.by},
                      {"first_sought_at", FormatRfc3339(s.first)},
                      {"last_sought_at", FormatRfc3339(s.last)}});
  }
  return Json(req, bhttp::status::ok, {{"alerts", alerts}});
}

// The audit log, oldest first, for privacy officers: ?after=SEQ&limit=N.
http::Response GetAudit(const AgencyDependencies& deps, const http::Request& req,
                        http::RequestContext& ctx, const ApiKey&) {
  if (!deps.policy)
    return http::ErrorResponse(req, ctx,
                               Unavailable("the audit listing is not configured").value());
  int64_t after = 0;
  int limit = 100;
  auto params = http::ParseQueryString(http::QueryOf(req));
  if (!params) return http::ErrorResponse(req, ctx, params.error());
  for (const auto& [name, value] : *params) {
    char* end = nullptr;
    long long n = std::strtoll(value.c_str(), &end, 10);
    bool number = !value.empty() && end == value.c_str() + value.size() && n >= 0;
    if (name == "after" && number) {
      after = n;
    } else if (name == "limit" && number && n >= 1 && n <= 1000) {
      limit = static_cast<int>(n);
    } else {
      return Fail(req, ctx, "query: after=SEQ (0 or more) and limit=N (1 to 1000) only");
    }
  }
  auto reader = deps.store->BeginRead();
  if (!reader) return http::ErrorResponse(req, ctx, reader.error());
  auto entries = (*reader)->audit().AuditEntriesAfter(after, limit);
  if (!entries) return http::ErrorResponse(req, ctx, entries.error());
  json out = json::array();
  std::map<int64_t, std::string> a_numbers;
  for (const AuditEntry& e : *entries) {
    json entry = {{"seq", e.seq},     {"at", FormatRfc3339(e.at)}, {"kind", e.kind},
                  {"actor", e.actor}, {"detail", e.detail},        {"hash", Hex(e.hash)}};
    if (e.subject_id) {
      auto it = a_numbers.find(*e.subject_id);
      if (it == a_numbers.end()) {
        policy::SuppressionReason why;
        auto who = deps.policy->ReferForStaff(**reader, *e.subject_id, &why);
        if (why == policy::SuppressionReason::kStoreError) {
          return http::ErrorResponse(req, ctx, Unavailable("reading the audit log failed").value());
        }
        it = a_numbers.emplace(*e.subject_id, who ? who->a_number() : "").first;
      }
      entry["a_number"] = it->second;
    }
    out.push_back(std::move(entry));
  }
  json body = {{"entries", out}};
  if (!entries->empty()) body["next_after"] = entries->back().seq;
  return Json(req, bhttp::status::ok, body);
}

// What the public may see, everyone at once (text/csv): for partners that
// mirror the public lookup. Made by the same gate as every other answer.
http::Response GetExport(const AgencyDependencies& deps, const http::Request& req,
                         http::RequestContext& ctx, const ApiKey&) {
  if (!deps.policy)
    return http::ErrorResponse(req, ctx, Unavailable("export is not configured").value());
  std::string csv;
  auto written = WritePublicExport(*deps.store, *deps.policy, [&csv](std::string_view chunk) {
    csv.append(chunk);
    return true;
  });
  if (!written) return http::ErrorResponse(req, ctx, written.error());
  http::Response res{bhttp::status::ok, req.version()};
  res.set(bhttp::field::content_type, "text/csv; charset=utf-8");
  res.set(bhttp::field::cache_control, "no-store");
  res.body() = std::move(csv);
  res.prepare_payload();
  return res;
}

}  // namespace vigil::api::agency
