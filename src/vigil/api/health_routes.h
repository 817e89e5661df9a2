// Operational routes: GET /healthz. Handlers are safe to call from any
// server thread (they only read the store).
#ifndef VIGIL_API_HEALTH_ROUTES_H_
#define VIGIL_API_HEALTH_ROUTES_H_

#include "vigil/http/router.h"
#include "vigil/store/store.h"

namespace vigil::api {

// Adds GET /healthz: 200 {"status":"ok"} when the store answers a read, else
// 503 {"status":"unavailable"}. Says nothing about any person. `store` is not
// owned and must outlive the router.
void AddHealthRoutes(http::Router& router, Store* store);

}  // namespace vigil::api

#endif  // VIGIL_API_HEALTH_ROUTES_H_
