#include "vigil/api/agency_routes.h"

#include "vigil/api/agency_handlers.h"

namespace vigil::api {
namespace {

using namespace agency;  // NOLINT: the handlers and their patterns

using AgencyHandler = http::Response (*)(const AgencyDependencies&, const http::Request&,
                                         http::RequestContext&, const ApiKey&);

AgencyHandler HandlerFor(const std::string& pattern) {
  if (pattern == kEvents) return PostEvents;
  if (pattern == kAlerts) return GetAlerts;
  if (pattern == kOverrides) return PostOverride;
  if (pattern == kBlock) return PutOrDeleteBlock;
  if (pattern == kRetraction) return PostRetraction;
  if (pattern == kVictims) return PostVictim;
  if (pattern == kAudit) return GetAudit;
  if (pattern == kExport) return GetExport;
  return PutProtections;
}

}  // namespace

const std::vector<AgencyRoute>& AgencyRouteTable() {
  static const std::vector<AgencyRoute> table = {
      {bhttp::verb::post, kEvents, "feed:write"},
      {bhttp::verb::put, kProtections, "subjects:protect"},
      {bhttp::verb::get, kAlerts, "audit:read"},
      {bhttp::verb::post, kOverrides, "subjects:override"},
      {bhttp::verb::put, kBlock, "subjects:override"},
      {bhttp::verb::delete_, kBlock, "subjects:override"},
      {bhttp::verb::post, kRetraction, "feed:write"},
      {bhttp::verb::post, kVictims, "victims:enrol"},
      {bhttp::verb::get, kAudit, "audit:read"},
      {bhttp::verb::get, kExport, "report:read"},
  };
  return table;
}

void AddAgencyRoutes(http::Router& router, AgencyDependencies deps) {
  for (const AgencyRoute& route : AgencyRouteTable()) {
    AgencyHandler handler = HandlerFor(route.pattern);
    std::string scope = route.scope;
    router.Add(
        route.verb, route.pattern,
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
                                std::string(bhttp::to_string(req.method())) + " " + ctx.route});
          }
          return handler(deps, req, ctx, *key);
        });
  }
}

}  // namespace vigil::api
