// Test support: run the real vigil binary (or any program) as a child
// process, capture its output, signal it; find a free loopback port; speak
// just enough HTTP to probe a server. Thread-compatible.
#ifndef VIGIL_TESTING_PROCESS_H_
#define VIGIL_TESTING_PROCESS_H_

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace vigil::testutil {

// The vigil binary under test: $TEST_VIGIL_BINARY, set by CTest.
inline std::string VigilBinary() {
  const char* path = std::getenv("TEST_VIGIL_BINARY");
  if (path == nullptr) throw std::runtime_error("TEST_VIGIL_BINARY is not set (run through ctest)");
  return path;
}

struct RunResult {
  int exit_code = -1;  // -1 if killed by a signal
  std::string out, err;
};

// A child process started in `dir`, its current directory, where its stdout
// and stderr go to files. Its stdin is /dev/null, or with `pipe_stdin` a
// pipe the test writes with WriteStdin.
class Child {
 public:
  Child(const std::vector<std::string>& argv, const std::string& dir, bool pipe_stdin = false) {
    static int counter = 0;
    std::string stem = dir + "/child" + std::to_string(counter++);
    out_path_ = stem + ".out";
    err_path_ = stem + ".err";
    int in_pipe[2] = {-1, -1};
    if (pipe_stdin && pipe(in_pipe) != 0) in_pipe[0] = in_pipe[1] = -1;
    pid_ = fork();
    if (pid_ == 0) {
      int out = open(out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      int err = open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      dup2(out, STDOUT_FILENO);
      dup2(err, STDERR_FILENO);
      if (in_pipe[0] >= 0) {
        dup2(in_pipe[0], STDIN_FILENO);
        close(in_pipe[1]);
      } else {
        int devnull = open("/dev/null", O_RDONLY);
        dup2(devnull, STDIN_FILENO);
      }
      if (chdir(dir.c_str()) != 0) _exit(126);
      std::vector<char*> args;
      for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      execv(args[0], args.data());
      _exit(127);
    }
    if (in_pipe[0] >= 0) {
      close(in_pipe[0]);
      stdin_ = in_pipe[1];
    }
  }
  ~Child() {
    if (stdin_ >= 0) close(stdin_);
    if (pid_ > 0 && !reaped_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  pid_t pid() const { return pid_; }
  // Writes to the child's stdin (only with `pipe_stdin`); false on failure.
  bool WriteStdin(const std::string& data) {
    size_t done = 0;
    while (stdin_ >= 0 && done < data.size()) {
      ssize_t n = write(stdin_, data.data() + done, data.size() - done);
      if (n <= 0) return false;
      done += static_cast<size_t>(n);
    }
    return stdin_ >= 0;
  }
  void Signal(int sig) { kill(pid_, sig); }

  // Waits for exit and collects output.
  RunResult Wait() {
    int status = exit_status_;
    if (!reaped_) waitpid(pid_, &status, 0);
    reaped_ = true;
    RunResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = Slurp(out_path_);
    r.err = Slurp(err_path_);
    return r;
  }

  // True if the child has exited (then Wait() returns at once).
  bool Exited() {
    if (reaped_) return true;
    int status = 0;
    pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      reaped_ = true;
      exit_status_ = status;
      return true;
    }
    return false;
  }

  std::string Stdout() const { return Slurp(out_path_); }
  std::string Stderr() const { return Slurp(err_path_); }

 private:
  static std::string Slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  pid_t pid_ = -1;
  int stdin_ = -1;
  bool reaped_ = false;
  int exit_status_ = 0;
  std::string out_path_, err_path_;
};

// Runs to completion.
inline RunResult Run(const std::vector<std::string>& argv, const std::string& dir) {
  Child child(argv, dir);
  return child.Wait();
}

// A loopback port that was free a moment ago.
// Makes what an operator makes once before anything else: the secret key
// ($dir/var/secret.key, the default [secrets] key_file, with `dir` the
// current directory) and, for a SQLite `db`, the database. Throws when
// either fails, with vigil's message.
inline void InitVigil(const std::string& dir, const std::string& db) {
  for (std::vector<std::string> args :
       {std::vector<std::string>{VigilBinary(), "secrets", "init"},
        std::vector<std::string>{VigilBinary(), "--db", db, "--create", "migrate"}}) {
    RunResult r = Run(args, dir);
    if (r.exit_code != 0) throw std::runtime_error(args[1] + " failed: " + r.err);
  }
}

inline int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

// Sends one HTTP/1.1 request to 127.0.0.1:port and returns the raw
// response, or "" if the connection failed.
inline std::string HttpRequest(int port, const std::string& method, const std::string& target,
                               const std::string& body = "",
                               const std::string& content_type = "application/json",
                               const std::string& extra_headers = "") {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return "";
  }
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  if (!body.empty() || method == "POST") {
    req += "Content-Type: " + content_type + "\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\n";
  }
  req += extra_headers + "\r\n" + body;
  send(fd, req.data(), req.size(), 0);
  std::string resp;
  char buf[4096];
  ssize_t n;
  while ((n = recv(fd, buf, sizeof buf, 0)) > 0) resp.append(buf, static_cast<size_t>(n));
  close(fd);
  return resp;
}

inline std::string HttpGet(int port, const std::string& target) {
  return HttpRequest(port, "GET", target);
}

// The body of a raw HTTP response ("" when there is none).
inline std::string HttpBody(const std::string& response) {
  size_t at = response.find("\r\n\r\n");
  return at == std::string::npos ? "" : response.substr(at + 4);
}

// Polls `probe` until it returns true or `timeout` passes.
template <typename F>
bool WaitFor(F probe, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (probe()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return probe();
}

}  // namespace vigil::testutil

#endif  // VIGIL_TESTING_PROCESS_H_
