// A small, bounded HTTP/1.1 server (Boost.Beast 1.74) that answers every
// request through a Router.
//
// Modelled on Beast 1.74's advanced_server: one session per connection on a
// strand; a body limit, a header limit and a read timeout per request; a
// bounded pipelining queue (reading pauses while `max_pipelined` responses
// wait to be written); graceful stop. Handlers run synchronously on the
// io_context worker threads, so a slow handler holds one worker.
//
// Every response carries X-Request-Id (the client's, if it is 1-64 chars of
// [A-Za-z0-9._-], else 16 random hex chars), "Server: vigil",
// "X-Content-Type-Options: nosniff" and, unless the handler set
// Cache-Control, "Cache-Control: no-store". Requests the server cannot hand
// to the router are answered with a JSON error and the connection is closed:
// body over the limit 413, headers over the limit 431, malformed 400.
//
// Thread safety: port() and Stop() may be called from any thread at any
// time. Run() is called once, from one thread.
#ifndef VIGIL_HTTP_SERVER_H_
#define VIGIL_HTTP_SERVER_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "vigil/core/error.h"
#include "vigil/http/access_log.h"
#include "vigil/http/router.h"

namespace vigil::metrics {
class Registry;
}  // namespace vigil::metrics

namespace vigil::http {

struct ServerOptions {
  std::string address = "127.0.0.1";  // IPv4 or IPv6 literal
  uint16_t port = 8080;               // 0 = pick a free port
  int threads = 2;                    // io_context worker threads, >= 1
  size_t body_limit = 1 << 20;        // bytes; larger bodies get 413
  size_t header_limit = 16 * 1024;    // bytes; larger headers get 431
  // Longest wait for one request (or one response write); an idle
  // keep-alive connection is closed after this long.
  std::chrono::seconds read_timeout{30};
  size_t max_pipelined = 8;  // responses queued per connection, >= 1
  // How long Stop() lets in-flight requests finish before closing
  // connections regardless.
  std::chrono::seconds shutdown_grace{10};
  // Where each answered request is counted and timed, by route pattern and
  // status (not owned; null for none).
  metrics::Registry* metrics = nullptr;
  // The worker threads' names for `top -H` ("http-0", "http-1", ...).
  std::string thread_name = "http";
};

namespace detail {
class ServerCore;
}  // namespace detail

class Server {
 public:
  // Binds and listens on options.address:options.port (it does not accept
  // until Run()). `router` is not owned, must not be null and must outlive
  // the server; `log` is not owned, may be null (no access log) and must
  // outlive the server. Returns kInvalidArgument for bad options (address not
  // an IP literal, threads < 1, max_pipelined < 1, null router) and
  // kUnavailable when it cannot listen, e.g.
  //   "cannot listen on 127.0.0.1:8080: Address already in use".
  static vigil::Result<std::unique_ptr<Server>> Create(ServerOptions options, const Router* router,
                                                       AccessLog* log);

  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  // Closes the listening socket and any connections still open. Must not
  // run while Run() is running: call Stop() and wait for Run() to return.
  ~Server();

  // The port actually bound (useful when options.port was 0).
  uint16_t port() const;

  // Accepts and serves connections on options.threads threads, blocking the
  // caller until Stop() is called or the process gets SIGTERM or SIGINT.
  // Then stops accepting, lets in-flight requests finish (closing idle
  // connections at once) for up to options.shutdown_grace, closes what is
  // left and returns. A handler still running then is waited for (it cannot
  // be interrupted). Returns at once if Stop() was already called or if
  // Run() was called before.
  void Run();

  // Asks Run() to stop as above. Thread-safe and idempotent; does not wait.
  void Stop();

 private:
  explicit Server(std::unique_ptr<detail::ServerCore> core);

  std::unique_ptr<detail::ServerCore> core_;
};

}  // namespace vigil::http

#endif  // VIGIL_HTTP_SERVER_H_
