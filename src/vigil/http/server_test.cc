#include "vigil/http/server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <future>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <utility>  // before Asio headers

#include "vigil/core/thread_name.h"
#include "vigil/http/access_log.h"
#include "vigil/http/message.h"
#include "vigil/http/router.h"

namespace vigil::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

// Upper bound on any single wait in these tests; reached only when the
// server misbehaves, so that a broken server fails a test instead of hanging.
constexpr std::chrono::seconds kDeadline{10};

// Lets a test hold a handler inside its call.
class Gate {
 public:
  void EnterAndWait() {
    std::unique_lock<std::mutex> lock(mu_);
    entered_ = true;
    cv_.notify_all();
    cv_.wait_for(lock, kDeadline, [this] { return released_; });
  }
  bool WaitUntilEntered() {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, kDeadline, [this] { return entered_; });
  }
  void Release() {
    std::lock_guard<std::mutex> lock(mu_);
    released_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool entered_ = false;
  bool released_ = false;
};

// A blocking HTTP client whose every operation gives up after kDeadline.
class Client {
 public:
  beast::error_code Connect(uint16_t port) {
    beast::error_code result;
    stream_.expires_after(kDeadline);
    stream_.async_connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port),
                          [&](beast::error_code ec) { result = ec; });
    RunIo();
    return result;
  }

  beast::error_code Send(std::string_view raw) {
    beast::error_code result;
    stream_.expires_after(kDeadline);
    net::async_write(stream_, net::buffer(raw.data(), raw.size()),
                     [&](beast::error_code ec, std::size_t) { result = ec; });
    RunIo();
    return result;
  }

  // Reads one response. `head` says the request was HEAD (no body follows).
  beast::error_code Read(Response& out, bool head = false) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(boost::none);
    parser.skip(head);
    beast::error_code result;
    stream_.expires_after(kDeadline);
    bhttp::async_read(stream_, buffer_, parser,
                      [&](beast::error_code ec, std::size_t) { result = ec; });
    RunIo();
    if (!result) out = parser.release();
    return result;
  }

  // True if the server has closed the connection (no further bytes).
  bool ReadsEof() {
    if (buffer_.size() > 0) return false;
    char byte;
    beast::error_code result;
    stream_.expires_after(kDeadline);
    stream_.async_read_some(net::buffer(&byte, 1),
                            [&](beast::error_code ec, std::size_t) { result = ec; });
    RunIo();
    return result == net::error::eof || result == net::error::connection_reset;
  }

 private:
  void RunIo() {
    ioc_.restart();
    ioc_.run();
  }

  net::io_context ioc_;
  beast::tcp_stream stream_{ioc_};
  beast::flat_buffer buffer_;
};

// A Server running Run() on a background thread; stopped on destruction.
class RunningServer {
 public:
  RunningServer(ServerOptions options, const Router* router, AccessLog* log) {
    options.port = 0;
    auto server = Server::Create(options, router, log);
    if (!server) {
      ADD_FAILURE() << server.error().ToString();
      return;
    }
    server_ = std::move(*server);
    run_ = std::async(std::launch::async, [s = server_.get()] { s->Run(); });
  }
  ~RunningServer() {
    if (server_ == nullptr) return;
    server_->Stop();
    run_.wait();
  }

  Server& server() { return *server_; }
  uint16_t port() const { return server_ ? server_->port() : 0; }
  // True once Run() has returned; waits at most `wait`.
  bool Exited(std::chrono::milliseconds wait) {
    return run_.wait_for(wait) == std::future_status::ready;
  }

 private:
  std::unique_ptr<Server> server_;
  std::future<void> run_;
};

// A file in a fresh temporary directory, removed with it.
class TempFile {
 public:
  TempFile() {
    std::string pattern = ::testing::TempDir() + "vigil_http_XXXXXX";
    char* dir = ::mkdtemp(pattern.data());
    if (dir == nullptr) {
      ADD_FAILURE() << "mkdtemp failed";
      return;
    }
    dir_ = dir;
    path_ = dir_ + "/access.log";
  }
  ~TempFile() {
    if (dir_.empty()) return;
    std::remove(path_.c_str());
    ::rmdir(dir_.c_str());
  }
  const std::string& path() const { return path_; }
  std::string Contents() const {
    std::ifstream in(path_);
    std::stringstream out;
    out << in.rdbuf();
    return out.str();
  }

 private:
  std::string dir_;
  std::string path_;
};

std::string Str(beast::string_view s) { return std::string(s.data(), s.size()); }

class ServerTest : public ::testing::Test {
 protected:
  ServerTest() {
    router_.Add(bhttp::verb::get, "/hello", [](const Request& req, RequestContext&) {
      return TextResponse(req, bhttp::status::ok, "hello");
    });
    router_.Add(bhttp::verb::get, "/echo/{n}", [](const Request& req, RequestContext& ctx) {
      return TextResponse(req, bhttp::status::ok, ctx.path_params["n"]);
    });
    router_.Add(bhttp::verb::post, "/upload", [](const Request& req, RequestContext&) {
      return TextResponse(req, bhttp::status::ok, std::to_string(req.body().size()));
    });
    router_.Add(bhttp::verb::get, "/thread", [](const Request& req, RequestContext&) {
      return TextResponse(req, bhttp::status::ok, ThisThreadName());
    });
    router_.Add(bhttp::verb::get, "/cached", [](const Request& req, RequestContext&) {
      Response res = TextResponse(req, bhttp::status::ok, "c");
      res.set(bhttp::field::cache_control, "max-age=60");
      return res;
    });
    router_.Add(bhttp::verb::get, "/subjects/{a_number}",
                [](const Request& req, RequestContext& ctx) {
                  return JsonResponse(req, bhttp::status::ok, "{}");
                });
    router_.Add(bhttp::verb::get, "/slow", [this](const Request& req, RequestContext&) {
      gate_.EnterAndWait();
      return TextResponse(req, bhttp::status::ok, "slow");
    });
    options_.threads = 2;
    options_.read_timeout = std::chrono::seconds(10);
    options_.shutdown_grace = std::chrono::seconds(30);
  }

  static std::string Get(std::string_view target, std::string_view extra = "") {
    std::string out = "GET ";
    out.append(target);
    out += " HTTP/1.1\r\nHost: localhost\r\n";
    out.append(extra);
    out += "\r\n";
    return out;
  }

  Router router_;
  Gate gate_;
  ServerOptions options_;
};

TEST_F(ServerTest, AnswersWithRequestIdAndStandardHeaders) {
  RunningServer server(options_, &router_, nullptr);
  Client client;
  ASSERT_FALSE(client.Connect(server.port()));
  ASSERT_FALSE(client.Send(Get("/hello")));
  Response res;
  ASSERT_FALSE(client.Read(res));
  EXPECT_EQ(res.result(), bhttp::status::ok);
  EXPECT_EQ(res.body(), "hello");
  EXPECT_THAT(Str(res["X-Request-Id"]), MatchesRegex("[0-9a-f]{16}"));
  EXPECT_EQ(res[bhttp::field::server], "vigil");
  EXPECT_EQ(res["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(res[bhttp::field::cache_control], "no-store");
  EXPECT_TRUE(res.keep_alive());

  // A well-formed client id is echoed; another request on the same connection.
  ASSERT_FALSE(client.Send(Get("/hello", "X-Request-Id: abc.DEF_123-x\r\n")));
  ASSERT_FALSE(client.Read(res));
  EXPECT_EQ(res["X-Request-Id"], "abc.DEF_123-x");

  // A malformed or overlong one is replaced.
  for (std::string bad : {std::string("bad id"), std::string("a/b"), std::string(65, 'a')}) {
    SCOPED_TRACE(bad);
    ASSERT_FALSE(client.Send(Get("/hello", "X-Request-Id: " + bad + "\r\n")));
    ASSERT_FALSE(client.Read(res));
    EXPECT_THAT(Str(res["X-Request-Id"]), MatchesRegex("[0-9a-f]{16}"));
  }

  // The handler's own Cache-Control wins.
  ASSERT_FALSE(client.Send(Get("/cached")));
  ASSERT_FALSE(client.Read(res));
  EXPECT_EQ(res[bhttp::field::cache_control], "max-age=60");
}

// `top -H` tells the request threads from vigil's background ones.
TEST_F(ServerTest, RequestsAreAnsweredOnThreadsNamedForTheServer) {
  options_.thread_name = "web";
  RunningServer server(options_, &router_, nullptr);
  Client client;
  ASSERT_FALSE(client.Connect(server.port()));
  ASSERT_FALSE(client.Send(Get("/thread")));
  Response res;
  ASSERT_FALSE(client.Read(res));
  EXPECT_THAT(res.body(), MatchesRegex("web-[01]"));
}

TEST_F(ServerTest, ErrorBodyCarriesTheRequestId) {
  RunningServer server(options_, &router_, nullptr);
  Client client;
  ASSERT_FALSE(client.Connect(server.port()));
  ASSERT_FALSE(client.Send(Get("/nope", "X-Request-Id: trace-1\r\n")));
  Response res;
  ASSERT_FALSE(client.Read(res));
  EXPECT_EQ(res.result(), bhttp::status::not_found);
  EXPECT_EQ(res["X-Request-Id"], "trace-1");
  EXPECT_EQ(nlohmann::json::parse(res.body())["error"]["request_id"], "trace-1");
}

TEST_F(ServerTest, HeadOverTheWire) {
  RunningServer server(options_, &router_, nullptr);
  Client client;
  ASSERT_FALSE(client.Connect(server.port()));
  ASSERT_FALSE(client.Send("HEAD /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
  Response res;
  ASSERT_FALSE(client.Read(res, /*head=*/true));
  EXPECT_EQ(res.result(), bhttp::status::ok);
  EXPECT_EQ(res[bhttp::field::content_length], "5");
  // The connection is still in step: the next response parses.
  ASSERT_FALSE(client.Send(Get("/echo/after")));
  ASSERT_FALSE(client.Read(res));
  EXPECT_EQ(res.body(), "after");
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  RunningServer server(options_, &router_, nullptr);
  Client client;
  ASSERT_FALSE(client.Connect(server.port()));
  ASSERT_FALSE(client.Send(Get("/echo/first") + Get("/echo/second")));
  Response res;
  ASSERT_FALSE(client.Read(res));
  EXPECT_EQ(res.body(), "first");
  EXPECT_TRUE(res.keep_alive());
  ASSERT_FALSE(client.Read(res));
  EXPECT_EQ(res.body(), "second");
  EXPECT_TRUE(res.keep_alive());
}

TEST_F(ServerTest, PipeliningBeyondTheQueueLimitStillAnswersEverything) {
  options_.max_pipelined = 2;
  RunningServer server(options_, &router_, nullptr);
  Client client;
  ASSERT_FALSE(client.Connect(server.port()));
  std::string burst;
  for (int i = 0; i < 25; ++i) burst += Get("/echo/" + std::to_string(i));
  ASSERT_FALSE(client.Send(burst));
  for (int i = 0; i < 25; ++i) {
    Response res;
    ASSERT_FALSE(client.Read(res)) << i;
    EXPECT_EQ(res.body(), std::to_string(i));
  }
}

TEST_F(ServerTest, ConnectionCloseIsHonoured) {
  RunningServer server(options_, &router_, nullptr);
  Client client;
  ASSERT_FALSE(client.Connect(server.port()));
  ASSERT_FALSE(client.Send(Get("/hello", "Connection: close\r\n")));
  Response res;
  ASSERT_FALSE(client.Read(res));
  EXPECT_EQ(res.body(), "hello");
  EXPECT_FALSE(res.keep_alive());
  EXPECT_TRUE(client.ReadsEof());
}

TEST_F(ServerTest, BodyWithinLimitIsDelivered) {
  options_.body_limit = 16;
  RunningServer server(options_, &router_, nullptr);
  Client client;
  ASSERT_FALSE(client.Connect(server.port()));
  ASSERT_FALSE(client.Send(
      "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 16\r\n\r\n0123456789abcdef"));
  Response res;
  ASSERT_FALSE(client.Read(res));
  EXPECT_EQ(res.result(), bhttp::status::ok);
  EXPECT_EQ(res.body(), "16");
}

TEST_F(ServerTest, BodyOverLimitIs413AndCloses) {
  options_.body_limit = 16;
  RunningServer server(options_, &router_, nullptr);
  Client client;
  ASSERT_FALSE(client.Connect(server.port()));
  ASSERT_FALSE(client.Send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 17\r\n\r\n" +
                           std::string(17, 'a')));
  Response res;
  ASSERT_FALSE(client.Read(res));
  EXPECT_EQ(res.result(), bhttp::status::payload_too_large);
  EXPECT_FALSE(res.keep_alive());
  EXPECT_THAT(Str(res["X-Request-Id"]), MatchesRegex("[0-9a-f]{16}"));
  EXPECT_EQ(nlohmann::json::parse(res.body())["error"]["code"], "resource_exhausted");
  EXPECT_TRUE(client.ReadsEof());
}

TEST_F(ServerTest, ChunkedBodyOverLimitIs413) {
  options_.body_limit = 16;
  RunningServer server(options_, &router_, nullptr);
  Client client;
  ASSERT_FALSE(client.Connect(server.port()));
  ASSERT_FALSE(
      client.Send("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "10\r\n0123456789abcdef\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n"));
  Response res;
  ASSERT_FALSE(client.Read(res));
  EXPECT_EQ(res.result(), bhttp::status::payload_too_large);
  EXPECT_TRUE(client.ReadsEof());
}

TEST_F(ServerTest, OversizedHeadersAre431) {
  options_.header_limit = 1024;
  RunningServer server(options_, &router_, nullptr);
  Client client;
  ASSERT_FALSE(client.Connect(server.port()));
  ASSERT_FALSE(client.Send(Get("/hello", "X-Padding: " + std::string(2048, 'p') + "\r\n")));
  Response res;
  ASSERT_FALSE(client.Read(res));
  EXPECT_EQ(res.result(), bhttp::status::request_header_fields_too_large);
  EXPECT_FALSE(res.keep_alive());
  EXPECT_TRUE(client.ReadsEof());
}

TEST_F(ServerTest, GarbageIs400AndCloses) {
  for (std::string garbage : {std::string("GARBAGE\r\n\r\n"), std::string("GET / HTTP/9\r\n\r\n"),
                              Get("/hello", "no colon here\r\n")}) {
    SCOPED_TRACE(garbage);
    RunningServer server(options_, &router_, nullptr);
    Client client;
    ASSERT_FALSE(client.Connect(server.port()));
    ASSERT_FALSE(client.Send(garbage));
    Response res;
    ASSERT_FALSE(client.Read(res));
    EXPECT_EQ(res.result(), bhttp::status::bad_request);
    EXPECT_FALSE(res.keep_alive());
    EXPECT_EQ(nlohmann::json::parse(res.body())["error"]["code"], "invalid_argument");
    EXPECT_TRUE(client.ReadsEof());
  }
}

TEST_F(ServerTest, ExpectContinueGets100First) {
  RunningServer server(options_, &router_, nullptr);
  Client client;
  ASSERT_FALSE(client.Connect(server.port()));
  ASSERT_FALSE(
      client.Send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
                  "Expect: 100-continue\r\n\r\n"));
  Response res;
  ASSERT_FALSE(client.Read(res));
  EXPECT_EQ(res.result(), bhttp::status::continue_);
  ASSERT_FALSE(client.Send("abc"));
  ASSERT_FALSE(client.Read(res));
  EXPECT_EQ(res.result(), bhttp::status::ok);
  EXPECT_EQ(res.body(), "3");
}

TEST_F(ServerTest, IdleConnectionTimesOut) {
  options_.read_timeout = std::chrono::seconds(1);
  RunningServer server(options_, &router_, nullptr);
  Client client;
  ASSERT_FALSE(client.Connect(server.port()));
  EXPECT_TRUE(client.ReadsEof());  // the client's own deadline is kDeadline
}

TEST_F(ServerTest, AccessLogRecordsRoutePatternNotRawTarget) {
  TempFile file;
  std::FILE* out = std::fopen(file.path().c_str(), "w");
  ASSERT_NE(out, nullptr);
  {
    AccessLog log(out);
    RunningServer server(options_, &router_, &log);
    Client client;
    ASSERT_FALSE(client.Connect(server.port()));
    ASSERT_FALSE(
        client.Send(Get("/subjects/012345678?given_name=Jane", "X-Request-Id: log-test-1\r\n")));
    Response res;
    ASSERT_FALSE(client.Read(res));
    EXPECT_EQ(res.result(), bhttp::status::ok);
    // The line is written once the response is on the wire: poll for it.
    const auto deadline = std::chrono::steady_clock::now() + kDeadline;
    while (file.Contents().find("log-test-1") == std::string::npos &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  std::fclose(out);
  const std::string contents = file.Contents();
  EXPECT_THAT(contents,
              MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z id=log-test-1 "
                           "client=127\\.0\\.0\\.1 method=GET route=/subjects/\\{a_number\\} "
                           "status=200 bytes=[1-9][0-9]* us=[0-9]+\n"));
  EXPECT_THAT(contents, Not(HasSubstr("012345678")));
  EXPECT_THAT(contents, Not(HasSubstr("Jane")));
}

TEST_F(ServerTest, StopMakesRunReturnAndClosesIdleConnections) {
  RunningServer server(options_, &router_, nullptr);
  Client client;
  ASSERT_FALSE(client.Connect(server.port()));
  ASSERT_FALSE(client.Send(Get("/hello")));
  Response res;
  ASSERT_FALSE(client.Read(res));
  ASSERT_TRUE(res.keep_alive());

  server.server().Stop();
  server.server().Stop();  // idempotent
  // shutdown_grace is 30 s: returning well before it means the idle
  // keep-alive connection was closed at once rather than waited for.
  EXPECT_TRUE(server.Exited(kDeadline));
  EXPECT_TRUE(client.ReadsEof());
  Client late;
  EXPECT_TRUE(late.Connect(server.port()));  // no longer listening
}

TEST_F(ServerTest, StopLetsInFlightRequestFinish) {
  RunningServer server(options_, &router_, nullptr);
  Client client;
  ASSERT_FALSE(client.Connect(server.port()));
  ASSERT_FALSE(client.Send(Get("/slow")));
  ASSERT_TRUE(gate_.WaitUntilEntered());

  server.server().Stop();
  // The handler is still blocked, so its session, and Run(), must still be live.
  EXPECT_FALSE(server.Exited(std::chrono::milliseconds(0)));
  gate_.Release();

  Response res;
  ASSERT_FALSE(client.Read(res));
  EXPECT_EQ(res.result(), bhttp::status::ok);
  EXPECT_EQ(res.body(), "slow");
  EXPECT_TRUE(client.ReadsEof());
  EXPECT_TRUE(server.Exited(kDeadline));
}

TEST_F(ServerTest, StopBeforeRunReturnsAtOnce) {
  auto server = Server::Create(options_, &router_, nullptr);
  ASSERT_TRUE(server) << server.error().ToString();
  (*server)->Stop();
  (*server)->Run();  // must not block
}

TEST_F(ServerTest, CreateFailsClearlyWhenPortIsTaken) {
  RunningServer first(options_, &router_, nullptr);
  ServerOptions options = options_;
  options.port = first.port();
  auto second = Server::Create(options, &router_, nullptr);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(second.error().message(), "cannot listen on 127.0.0.1:" + std::to_string(first.port()) +
                                          ": Address already in use");
}

TEST_F(ServerTest, CreateRejectsBadOptions) {
  ServerOptions options = options_;
  options.port = 0;
  options.address = "localhost";  // not an IP literal
  auto server = Server::Create(options, &router_, nullptr);
  ASSERT_FALSE(server);
  EXPECT_EQ(server.error().code(), ErrorCode::kInvalidArgument);

  options.address = "127.0.0.1";
  options.threads = 0;
  server = Server::Create(options, &router_, nullptr);
  ASSERT_FALSE(server);
  EXPECT_EQ(server.error().code(), ErrorCode::kInvalidArgument);

  options.threads = 1;
  server = Server::Create(options, nullptr, nullptr);
  ASSERT_FALSE(server);
  EXPECT_EQ(server.error().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace vigil::http
