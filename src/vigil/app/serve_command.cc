// `vigil serve`: the HTTP server over the configured store.
#include <cstdio>

#include "vigil/api/health_routes.h"
#include "vigil/app/commands.h"
#include "vigil/http/server.h"
#include "vigil/store/store.h"

namespace vigil {

int RunServe(const Config& config) {
  auto listen = ParseListenAddress(config.server.listen);
  if (!listen) {
    std::fprintf(stderr, "vigil serve: %s\n", listen.error().message().c_str());
    return kExitUsage;
  }
  auto store = OpenStore(config.store.url);
  if (!store) {
    std::fprintf(stderr, "vigil serve: %s\n", store.error().message().c_str());
    return store.error().code() == ErrorCode::kInvalidArgument ? kExitUsage : kExitFailure;
  }
  http::Router router;
  api::AddHealthRoutes(router, store->get());

  http::ServerOptions options;
  options.address = listen->first == "localhost" ? "127.0.0.1" : listen->first;
  options.port = listen->second;
  options.threads = static_cast<int>(config.server.threads);
  http::AccessLog access_log;
  auto server = http::Server::Create(options, &router, &access_log);
  if (!server) {
    std::fprintf(stderr, "vigil serve: %s\n", server.error().message().c_str());
    return kExitFailure;
  }
  std::fprintf(stderr, "vigil: serving on http://%s:%u (store %s)\n", options.address.c_str(),
               static_cast<unsigned>((*server)->port()), config.store.url.c_str());
  (*server)->Run();
  std::fprintf(stderr, "vigil: stopped\n");
  return kExitOk;
}

}  // namespace vigil
