#include "attach/ctl/fake_attachd.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace attach {
namespace ctl {
namespace {

using tether::attach::Request;
using tether::attach::Response;

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "fake attachd: %s: %s\n", what, std::strerror(errno));
  std::abort();
}

}  // namespace

std::optional<Request> FakeConn::Read() {
  for (;;) {
    base::Result<std::optional<std::string>> frame = reader_.Next();
    if (!frame.ok()) return std::nullopt;
    if (frame->has_value()) {
      Request req;
      if (!req.ParseFromString(**frame)) return std::nullopt;
      owner_->Record(req);
      return req;
    }
    char buf[4096];
    ssize_t n = ::read(fd_.get(), buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return std::nullopt;
    reader_.Append(buf, static_cast<size_t>(n));
  }
}

void FakeConn::Send(const Response& resp) {
  std::string frame = EncodeFrame(resp);
  size_t off = 0;
  while (off < frame.size()) {
    ssize_t n =
        ::send(fd_.get(), frame.data() + off, frame.size() - off, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    off += static_cast<size_t>(n);
  }
}

std::string FakeConn::ReadStdinToClose() {
  std::string input;
  for (std::optional<Request> in = Read(); in; in = Read()) {
    if (in->has_stdin()) input += in->stdin().data();
    if (in->has_stdin_close()) break;
  }
  return input;
}

FakeAttachd::FakeAttachd(Handler handler) : handler_(std::move(handler)) {
  char tmpl[] = "/tmp/tetherctl-test-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) Die("mkdtemp");
  dir_ = tmpl;
  listen_fd_.Reset(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!listen_fd_) Die("socket");
  struct sockaddr_un addr = {};
  addr.sun_family = AF_UNIX;
  std::string path = dir_ + "/attachd.sock";
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  if (::bind(listen_fd_.get(), reinterpret_cast<struct sockaddr*>(&addr),
             sizeof(addr)) != 0) {
    Die("bind");
  }
  if (::listen(listen_fd_.get(), 16) != 0) Die("listen");
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) Die("pipe2");
  wake_read_.Reset(p[0]);
  wake_write_.Reset(p[1]);
  thread_ = std::thread([this] { Serve(); });
}

FakeAttachd::~FakeAttachd() {
  if (::write(wake_write_.get(), "x", 1) != 1) Die("wake server");
  thread_.join();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

bool FakeAttachd::IdleLocked() {
  struct pollfd p = {listen_fd_.get(), POLLIN, 0};
  return !busy_ && ::poll(&p, 1, 0) == 0;
}

std::vector<Request> FakeAttachd::requests() {
  // The client has exited, so its connections are either served, being
  // served, or queued on the listening socket; accept and busy_ change
  // together under mu_, so "idle" cannot be seen between the two.
  for (int i = 0; i < 1000; ++i) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (IdleLocked()) return requests_;
    }
    ::usleep(10000);
  }
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

void FakeAttachd::Record(const Request& req) {
  std::lock_guard<std::mutex> lock(mu_);
  requests_.push_back(req);
}

void FakeAttachd::Serve() {
  for (;;) {
    struct pollfd fds[2] = {{listen_fd_.get(), POLLIN, 0},
                            {wake_read_.get(), POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      Die("poll");
    }
    if (fds[1].revents != 0) return;
    base::UniqueFd conn;
    {
      std::lock_guard<std::mutex> lock(mu_);
      conn.Reset(::accept4(listen_fd_.get(), nullptr, nullptr, SOCK_CLOEXEC));
      busy_ = static_cast<bool>(conn);
    }
    if (!conn) continue;
    {
      FakeConn fake(std::move(conn), this);
      handler_(fake);
      // Leaving scope closes the connection: the end of the command.
    }
    std::lock_guard<std::mutex> lock(mu_);
    busy_ = false;
  }
}

Response OutputResponse(tether::attach::StreamId stream,
                        const std::string& data, int64_t time_ns) {
  Response r;
  r.mutable_output()->set_stream(stream);
  r.mutable_output()->set_data(data);
  r.mutable_output()->set_time_ns(time_ns);
  return r;
}

Response ExitCodeResponse(int code) {
  Response r;
  r.set_exit_code(code);
  return r;
}

Response ErrorResponse(const std::string& msg) {
  Response r;
  r.set_error(msg);
  return r;
}

Response DoneResponse() {
  Response r;
  r.set_done(true);
  return r;
}

}  // namespace ctl
}  // namespace attach
