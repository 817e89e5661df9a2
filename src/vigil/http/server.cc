#include "vigil/http/server.h"

#include <algorithm>
#include <array>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <condition_variable>
#include <csignal>
#include <deque>
#include <mutex>
#include <optional>
#include <random>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>  // before Asio headers
#include <vector>

#include "vigil/core/metrics.h"
#include "vigil/core/thread_name.h"

namespace vigil::http {
namespace detail {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using SteadyTime = std::chrono::steady_clock::time_point;

// After the last response on a connection that must close, how long we keep
// reading (and discarding) so that unread client bytes do not turn our FIN
// into a RST that destroys the response before the client reads it.
constexpr std::chrono::seconds kLingerTime{2};
// After the grace period, how long closed connections get to wind down
// before the io_context is stopped outright.
constexpr std::chrono::seconds kForceCloseWait{1};
// Pause before accepting again after an accept error (e.g. EMFILE).
constexpr std::chrono::milliseconds kAcceptRetryDelay{50};

bool IsValidRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

std::string NewRequestId() {
  // Request ids only correlate log lines; they need not be unpredictable.
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  uint64_t bits = rng();
  std::string id(16, '0');
  for (char& c : id) {
    c = kHex[bits & 0xf];
    bits >>= 4;
  }
  return id;
}

std::string ToString(beast::string_view s) { return std::string(s.data(), s.size()); }

class Session;

}  // namespace

// Everything behind Server. Members shared with sessions come first so they
// outlive the io_context, whose destruction destroys the last sessions.
class ServerCore {
 public:
  ServerCore(ServerOptions options, const Router* router, AccessLog* log)
      : options_(std::move(options)),
        router_(router),
        log_(log),
        iocs_(MakeContexts(options_.threads)),
        acceptor_(*iocs_[0]),
        accept_retry_timer_(acceptor_.get_executor()) {}

  Result<void> Listen();
  uint16_t port() const { return port_; }
  void Run();
  void Stop();

  const ServerOptions& options() const { return options_; }
  const Router& router() const { return *router_; }
  AccessLog* log() const { return log_; }

  // Adds a session to the registry; false if the server is shutting down
  // (the caller then drops the connection). Sets the session's id.
  bool Register(const std::shared_ptr<Session>& session);
  void Unregister(uint64_t id);

 private:
  void DoAccept();
  void OnAccept(beast::error_code ec, tcp::socket socket);
  // Calls Shutdown(force) on every live session.
  void ShutdownSessions(bool force);
  // Waits until no sessions are left or `deadline` passes.
  void WaitForSessions(SteadyTime deadline);

  const ServerOptions options_;
  const Router* const router_;
  AccessLog* const log_;
  uint16_t port_ = 0;

  std::mutex mu_;
  std::condition_variable cv_;    // signalled on stop request and session exit
  bool stop_requested_ = false;   // guarded by mu_
  bool shutting_down_ = false;    // guarded by mu_
  bool ran_ = false;              // guarded by mu_
  uint64_t next_session_id_ = 1;  // guarded by mu_
  std::unordered_map<uint64_t, std::weak_ptr<Session>> sessions_;  // mu_

  // One io_context per worker thread, each run by that thread alone: a
  // connection lives on one of them (round robin), so its handlers never
  // hand off between threads (no lock contention, no cross-thread wake-ups
  // per request). The acceptor and signals live on the first.
  static std::vector<std::unique_ptr<net::io_context>> MakeContexts(int threads) {
    std::vector<std::unique_ptr<net::io_context>> out;
    for (int i = 0; i < std::max(threads, 1); ++i) out.push_back(std::make_unique<net::io_context>(1));
    return out;
  }
  std::vector<std::unique_ptr<net::io_context>> iocs_;
  size_t next_ioc_ = 0;                   // touched only by the acceptor's handlers
  tcp::acceptor acceptor_;                // on iocs_[0]
  net::steady_timer accept_retry_timer_;  // on iocs_[0]
};

namespace {

// One connection. All members are touched only on the connection's io_context
// (the executor of stream_, run by one thread), except id_, set once before Start().
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, ServerCore* core) : core_(core), stream_(std::move(socket)) {
    beast::error_code ec;
    stream_.socket().set_option(tcp::no_delay(true), ec);
    tcp::endpoint remote = stream_.socket().remote_endpoint(ec);
    if (!ec) client_address_ = remote.address().to_string();
  }

  ~Session() {
    if (id_ != 0) core_->Unregister(id_);
  }

  void set_id(uint64_t id) { id_ = id; }

  void Start() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::DoRead, shared_from_this()));
  }

  // Graceful: finish the request being read or written, then close; close
  // at once if idle. Forced: close at once. Callable from any thread.
  void Shutdown(bool force) {
    net::post(stream_.get_executor(),
              [self = shared_from_this(), force] { self->OnShutdown(force); });
  }

 private:
  // A response waiting to be written, with what the access log needs.
  struct Pending {
    Response response;
    std::string request_id;
    std::string method;
    std::string route;
    SteadyTime start;
  };

  void DoRead() {
    if (stopping_ || closing_) return;
    parser_.emplace();
    parser_->header_limit(
        static_cast<std::uint32_t>(std::min<size_t>(core_->options().header_limit, UINT32_MAX)));
    parser_->body_limit(static_cast<std::uint64_t>(core_->options().body_limit));
    read_pending_ = true;
    stream_.expires_after(core_->options().read_timeout);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             beast::bind_front_handler(&Session::OnReadHeader, shared_from_this()));
  }

  void OnReadHeader(beast::error_code ec, std::size_t) {
    request_start_ = std::chrono::steady_clock::now();
    if (ec) {
      read_pending_ = false;
      OnReadError(ec);
      return;
    }
    if (parser_->is_done()) {
      read_pending_ = false;
      OnRequest();
      return;
    }
    const Request& req = parser_->get();
    // Only when no response is being written: two writes must not overlap.
    if (req.version() >= 11 && queue_.empty() &&
        beast::iequals(req[bhttp::field::expect], "100-continue")) {
      continue_.emplace(bhttp::status::continue_, req.version());
      stream_.expires_after(core_->options().read_timeout);
      bhttp::async_write(
          stream_, *continue_,
          beast::bind_front_handler(&Session::OnContinueWritten, shared_from_this()));
      return;
    }
    ReadBody();
  }

  void OnContinueWritten(beast::error_code ec, std::size_t) {
    continue_.reset();
    if (ec) {
      read_pending_ = false;
      CloseNow();
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::OnReadBody, shared_from_this()));
  }

  void OnReadBody(beast::error_code ec, std::size_t) {
    read_pending_ = false;
    if (ec) {
      OnReadError(ec);
      return;
    }
    OnRequest();
  }

  void OnReadError(beast::error_code ec) {
    if (ec == net::error::operation_aborted || ec == beast::error::timeout) {
      return;  // we closed the stream, or the read timed out and it closed
    }
    if (ec == bhttp::error::end_of_stream) {
      // The client is done sending; finish writing, then close.
      close_after_write_ = true;
      if (queue_.empty()) CloseNow();
      return;
    }
    if (ec == bhttp::error::body_limit) {
      Reject(bhttp::status::payload_too_large,
             "request body exceeds " + std::to_string(core_->options().body_limit) + " bytes");
    } else if (ec == bhttp::error::header_limit) {
      Reject(bhttp::status::request_header_fields_too_large,
             "request headers exceed " + std::to_string(core_->options().header_limit) + " bytes");
    } else if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category()) {
      if (ec == bhttp::error::partial_message) {
        CloseNow();  // the client went away mid-request
      } else {
        Reject(bhttp::status::bad_request, "malformed HTTP request");
      }
    } else {
      CloseNow();  // connection reset and the like
    }
  }

  // Answers a request the router never sees, then closes the connection.
  void Reject(bhttp::status status, std::string message) {
    close_after_write_ = true;
    // The start line may or may not have been parsed; use what there is.
    Request stub;
    stub.version(11);
    std::string method;
    if (parser_) {
      const Request& partial = parser_->get();
      if (partial.version() == 10) stub.version(10);
      method = ToString(partial.method_string());
    }
    RequestContext ctx;
    ctx.request_id = RequestIdFrom(parser_ ? &parser_->get() : nullptr);
    ctx.client_address = client_address_;
    const ErrorCode code = status == bhttp::status::bad_request ? ErrorCode::kInvalidArgument
                                                                : ErrorCode::kResourceExhausted;
    Response res = ErrorResponse(stub, ctx, status, Error(code, std::move(message)));
    AddStandardHeaders(res, ctx);
    res.keep_alive(false);
    Enqueue({std::move(res), std::move(ctx.request_id), std::move(method), "", request_start_});
  }

  static std::string RequestIdFrom(const Request* req) {
    if (req != nullptr) {
      auto it = req->find("X-Request-Id");
      if (it != req->end()) {
        const auto value = it->value();
        std::string_view id(value.data(), value.size());
        if (IsValidRequestId(id)) return std::string(id);
      }
    }
    return NewRequestId();
  }

  static void AddStandardHeaders(Response& res, const RequestContext& ctx) {
    res.set(bhttp::field::server, "vigil");
    res.set("X-Request-Id", ctx.request_id);
    res.set("X-Content-Type-Options", "nosniff");
    if (res.find(bhttp::field::cache_control) == res.end()) {
      res.set(bhttp::field::cache_control, "no-store");
    }
  }

  void OnRequest() {
    Request req = parser_->release();
    RequestContext ctx;
    ctx.request_id = RequestIdFrom(&req);
    ctx.client_address = client_address_;
    const bool keep_alive = req.keep_alive() && !stopping_;

    Response res;
    try {
      res = core_->router().Dispatch(req, ctx);
      res.version(req.version());
      res.keep_alive(keep_alive && res.keep_alive());
      if (!res.has_content_length() && !res.chunked()) res.prepare_payload();
    } catch (...) {
      // Router::Dispatch already catches handler exceptions; this is for
      // failures around it (bad_alloc, a payload invalid for its status).
      res = ErrorResponse(req, ctx, Error(ErrorCode::kInternal, "internal error"));
      res.keep_alive(keep_alive);
    }
    AddStandardHeaders(res, ctx);
    if (!res.keep_alive()) close_after_write_ = true;

    Enqueue({std::move(res), std::move(ctx.request_id), ToString(req.method_string()),
             std::move(ctx.route), request_start_});
    if (queue_.size() < core_->options().max_pipelined) DoReadUnlessDone();
  }

  void DoReadUnlessDone() {
    if (!read_pending_ && !close_after_write_ && !stopping_ && !closing_) DoRead();
  }

  void Enqueue(Pending pending) {
    queue_.push_back(std::move(pending));
    if (queue_.size() == 1) DoWrite();
  }

  void DoWrite() {
    stream_.expires_after(core_->options().read_timeout);
    bhttp::async_write(stream_, queue_.front().response,
                       beast::bind_front_handler(&Session::OnWrite, shared_from_this()));
  }

  void OnWrite(beast::error_code ec, std::size_t bytes) {
    Pending& done = queue_.front();
    const auto duration = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - done.start);
    if (AccessLog* log = core_->log(); log != nullptr) {
      log->Record({done.request_id, client_address_, done.method, done.route,
                   done.response.result_int(), bytes, duration});
    }
    if (metrics::Registry* m = core_->options().metrics; m != nullptr) {
      // The route *pattern*: a raw path can carry an A-number.
      const std::string route = done.route.empty() ? "-" : std::string(done.route);
      m->Add("vigil_http_requests_total",
             {{"route", route}, {"status", std::to_string(done.response.result_int())}});
      m->Observe("vigil_http_request_duration_seconds", {{"route", route}},
                 std::chrono::duration<double>(duration).count());
    }
    const bool eof = done.response.need_eof();
    queue_.pop_front();

    if (ec) {
      CloseNow();
      return;
    }
    if (eof) {
      LingerClose();
      return;
    }
    if (!queue_.empty()) {
      DoWrite();
    } else if (close_after_write_) {
      CloseNow();
      return;
    } else if (stopping_) {
      CloseIfIdle();
      return;
    }
    // Reading pauses while the queue is full; there is room again now.
    DoReadUnlessDone();
  }

  void OnShutdown(bool force) {
    stopping_ = true;
    if (closing_ && !lingering_) return;  // already closed
    if (force || lingering_) {
      CloseNow();
      return;
    }
    if (queue_.empty()) CloseIfIdle();
    // Otherwise OnWrite closes once the queue drains.
  }

  // While stopping: closes unless a request is partly received.
  void CloseIfIdle() {
    if (!queue_.empty()) return;
    if (read_pending_ && parser_ && (parser_->got_some() || buffer_.size() > 0)) {
      return;  // a request is arriving; answer it (Connection: close)
    }
    CloseNow();
  }

  void CloseNow() {
    closing_ = true;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.close();  // cancels any pending read; handlers see operation_aborted
  }

  void LingerClose() {
    closing_ = true;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec || read_pending_ || stopping_) {
      stream_.close();
      return;
    }
    lingering_ = true;
    stream_.expires_after(kLingerTime);
    DoLinger();
  }

  void DoLinger() {
    stream_.async_read_some(net::buffer(linger_buffer_),
                            beast::bind_front_handler(&Session::OnLinger, shared_from_this()));
  }

  void OnLinger(beast::error_code ec, std::size_t) {
    if (ec) {
      stream_.close();
      return;
    }
    DoLinger();
  }

  ServerCore* const core_;
  uint64_t id_ = 0;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::string client_address_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::optional<bhttp::response<bhttp::empty_body>> continue_;  // being written
  std::deque<Pending> queue_;                                   // front() is being written
  SteadyTime request_start_;
  bool read_pending_ = false;       // a request read is outstanding
  bool close_after_write_ = false;  // no more requests on this connection
  bool stopping_ = false;           // the server is shutting down
  bool closing_ = false;            // close has begun
  bool lingering_ = false;          // discarding input before the close
  std::array<char, 1024> linger_buffer_;
};

}  // namespace

Result<void> ServerCore::Listen() {
  beast::error_code ec;
  const net::ip::address address = net::ip::make_address(options_.address, ec);
  if (ec) {
    return InvalidArgument("invalid listen address \"" + options_.address +
                           "\": not an IP address");
  }
  const tcp::endpoint endpoint(address, options_.port);
  auto fail = [&](const beast::error_code& error) {
    std::string where = address.is_v6() ? "[" + options_.address + "]" : options_.address;
    return Unavailable("cannot listen on " + where + ":" + std::to_string(options_.port) + ": " +
                       error.message());
  };
  acceptor_.open(endpoint.protocol(), ec);
  if (ec) return fail(ec);
  acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (ec) return fail(ec);
  acceptor_.bind(endpoint, ec);
  if (ec) return fail(ec);
  acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return fail(ec);
  port_ = acceptor_.local_endpoint(ec).port();
  if (ec) return fail(ec);
  return {};
}

void ServerCore::Run() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (ran_ || stop_requested_) return;
    ran_ = true;
  }

  net::signal_set signals(acceptor_.get_executor(), SIGINT, SIGTERM);
  signals.async_wait([this](const beast::error_code& ec, int) {
    if (!ec) Stop();
  });
  net::post(acceptor_.get_executor(), [this] { DoAccept(); });

  std::vector<std::thread> workers;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> keep_running;
  workers.reserve(iocs_.size());
  for (auto& ioc : iocs_) {
    keep_running.push_back(net::make_work_guard(*ioc));
    workers.emplace_back(
        [&ioc = *ioc, name = options_.thread_name + "-" + std::to_string(workers.size())] {
          NameThisThread(name);
          ioc.run();
        });
  }

  {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return stop_requested_; });
    shutting_down_ = true;  // from here on, Register() turns sessions away
  }
  // `signals` outlives this handler: it is destroyed after the workers join.
  net::post(acceptor_.get_executor(), [this, &signals] {
    beast::error_code ec;
    acceptor_.close(ec);
    accept_retry_timer_.cancel();
    signals.cancel(ec);
  });

  ShutdownSessions(/*force=*/false);
  WaitForSessions(std::chrono::steady_clock::now() + options_.shutdown_grace);
  ShutdownSessions(/*force=*/true);
  WaitForSessions(std::chrono::steady_clock::now() + kForceCloseWait);

  keep_running.clear();
  for (auto& ioc : iocs_) ioc->stop();
  for (std::thread& worker : workers) worker.join();
}

void ServerCore::Stop() {
  std::lock_guard<std::mutex> lock(mu_);
  stop_requested_ = true;
  cv_.notify_all();
}

bool ServerCore::Register(const std::shared_ptr<Session>& session) {
  std::lock_guard<std::mutex> lock(mu_);
  if (shutting_down_) return false;
  const uint64_t id = next_session_id_++;
  session->set_id(id);
  sessions_.emplace(id, session);
  return true;
}

void ServerCore::Unregister(uint64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  sessions_.erase(id);
  if (sessions_.empty()) cv_.notify_all();
}

void ServerCore::ShutdownSessions(bool force) {
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [id, weak] : sessions_) {
      if (auto session = weak.lock()) live.push_back(std::move(session));
    }
  }
  for (auto& session : live) session->Shutdown(force);
}

void ServerCore::WaitForSessions(SteadyTime deadline) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_until(lock, deadline, [this] { return sessions_.empty(); });
}

void ServerCore::DoAccept() {
  net::io_context& home = *iocs_[next_ioc_++ % iocs_.size()];
  acceptor_.async_accept(home, beast::bind_front_handler(&ServerCore::OnAccept, this));
}

void ServerCore::OnAccept(beast::error_code ec, tcp::socket socket) {
  if (!acceptor_.is_open()) return;  // shutting down
  if (ec) {
    // E.g. out of file descriptors: pause rather than spin.
    accept_retry_timer_.expires_after(kAcceptRetryDelay);
    accept_retry_timer_.async_wait([this](const beast::error_code& wait_ec) {
      if (!wait_ec && acceptor_.is_open()) DoAccept();
    });
    return;
  }
  auto session = std::make_shared<Session>(std::move(socket), this);
  if (Register(session)) session->Start();
  DoAccept();
}

}  // namespace detail

Result<std::unique_ptr<Server>> Server::Create(ServerOptions options, const Router* router,
                                               AccessLog* log) {
  if (router == nullptr) return InvalidArgument("http server needs a router");
  if (options.threads < 1) {
    return InvalidArgument("http server needs at least one thread");
  }
  if (options.max_pipelined < 1) {
    return InvalidArgument("max_pipelined must be at least 1");
  }
  auto core = std::make_unique<detail::ServerCore>(std::move(options), router, log);
  VIGIL_RETURN_IF_ERROR(core->Listen());
  return std::unique_ptr<Server>(new Server(std::move(core)));
}

Server::Server(std::unique_ptr<detail::ServerCore> core) : core_(std::move(core)) {}

Server::~Server() = default;

uint16_t Server::port() const { return core_->port(); }

void Server::Run() { core_->Run(); }

void Server::Stop() { core_->Stop(); }

}  // namespace vigil::http
