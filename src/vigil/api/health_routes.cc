#include "vigil/api/health_routes.h"

namespace vigil::api {

namespace bhttp = boost::beast::http;

void AddHealthRoutes(http::Router& router, Store* store) {
  router.Add(bhttp::verb::get, "/healthz",
             [store](const http::Request& req, http::RequestContext&) {
               auto reader = store->BeginRead();
               if (!reader) {
                 return http::JsonResponse(req, bhttp::status::service_unavailable,
                                           R"({"status":"unavailable"})");
               }
               return http::JsonResponse(req, bhttp::status::ok, R"({"status":"ok"})");
             });
}

}  // namespace vigil::api
