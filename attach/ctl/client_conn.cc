#include "attach/ctl/client_conn.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/fd_io.h"

namespace attach {
namespace ctl {
namespace {

using tether::attach::Request;
using tether::attach::Response;

// Waits until `fd` is ready for `events`; EINTR just retries the wait.
base::Status WaitFor(int fd, short events) {
  struct pollfd p = {fd, events, 0};
  while (::poll(&p, 1, -1) < 0) {
    if (errno != EINTR) return base::Status::Io("poll attachd socket", errno);
  }
  return base::Status::Ok();
}

}  // namespace

std::string SocketPath(const std::string& state_dir) {
  std::string path = state_dir;
  if (path.empty() || path.back() != '/') path += '/';
  return path + "attachd.sock";
}

base::Result<ClientConn> ClientConn::Connect(const std::string& path) {
  struct sockaddr_un addr = {};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof(addr.sun_path)) {
    return base::Status::InvalidArgument(
        "attachd socket path too long (" + std::to_string(path.size()) +
        " bytes, at most " + std::to_string(sizeof(addr.sun_path) - 1) +
        "): " + path);
  }
  std::memcpy(addr.sun_path, path.data(), path.size());
  base::UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) return base::Status::Io("socket", errno);
  int rc;
  do {
    rc = ::connect(fd.get(), reinterpret_cast<struct sockaddr*>(&addr),
                   sizeof(addr));
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    if (errno == EACCES || errno == EPERM) {
      return base::Status::PermissionDenied(
          "permission denied while trying to connect to attachd at " + path);
    }
    // ENOENT (no socket), ECONNREFUSED (stale socket), ENOTSOCK and the
    // rest all mean the same to the user: no attachd to talk to.
    return base::Status::Unavailable("Cannot connect to attachd at " + path +
                                     ": is attachd running?");
  }
  return ClientConn(std::move(fd));
}

base::Status ClientConn::Send(const Request& req) {
  TETHER_RETURN_IF_ERROR(QueueAndFlush(req));
  while (pending() > 0) {
    TETHER_RETURN_IF_ERROR(WaitFor(fd_.get(), POLLOUT));
    TETHER_RETURN_IF_ERROR(Flush());
  }
  return base::Status::Ok();
}

base::Status ClientConn::SendWithFd(const Request& req, int fd) {
  if (pending() > 0) {
    return base::Status::InvalidArgument(
        "a file descriptor must go with the first request");
  }
  std::string frame = EncodeFrame(req);
  base::Status s =
      base::SendAllWithFd(fd_.get(), frame.data(), frame.size(), fd);
  if (!s.ok()) s.Annotate("write to attachd");
  return s;
}

base::Result<std::optional<Response>> ClientConn::Receive() {
  for (;;) {
    TETHER_ASSIGN_OR_RETURN(std::optional<Response> next, NextBuffered());
    if (next) return next;
    base::Result<size_t> n = ReadSome();
    if (!n.ok()) {
      if (n.status().code() != base::Status::Code::kUnavailable) {
        return n.TakeStatus();
      }
      TETHER_RETURN_IF_ERROR(WaitFor(fd_.get(), POLLIN));
      continue;
    }
    if (*n == 0) {
      if (reader_.buffered() > 0) {
        return base::Status::FromErrno(base::Status::Code::kIoError,
                                       "attachd closed the connection "
                                       "mid-message",
                                       ECONNRESET);
      }
      return std::optional<Response>();
    }
  }
}

base::Status ClientConn::SetNonBlocking() {
  int flags = ::fcntl(fd_.get(), F_GETFL);
  if (flags < 0 || ::fcntl(fd_.get(), F_SETFL, flags | O_NONBLOCK) < 0) {
    return base::Status::Io("fcntl O_NONBLOCK", errno);
  }
  return base::Status::Ok();
}

base::Result<size_t> ClientConn::ReadSome() {
  char buf[64 * 1024];
  for (;;) {
    ssize_t n = ::read(fd_.get(), buf, sizeof(buf));
    if (n >= 0) {
      reader_.Append(buf, static_cast<size_t>(n));
      return static_cast<size_t>(n);
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN) {
      return base::Status::Unavailable("attachd socket: nothing to read");
    }
    return base::Status::Io("read from attachd", errno);
  }
}

base::Result<std::optional<Response>> ClientConn::NextBuffered() {
  base::Result<std::optional<std::string>> payload = reader_.Next();
  if (!payload.ok()) return payload.TakeStatus().Annotate("attachd");
  if (!payload->has_value()) return std::optional<Response>();
  Response resp;
  TETHER_RETURN_IF_ERROR(ParseFrame(**payload, &resp, "attachd response"));
  return std::optional<Response>(std::move(resp));
}

base::Status ClientConn::QueueAndFlush(const Request& req) {
  // Compact before growing so a long session does not keep every byte it
  // ever sent.
  if (out_pos_ > 0 && out_pos_ == out_.size()) {
    out_.clear();
    out_pos_ = 0;
  }
  out_ += EncodeFrame(req);
  return Flush();
}

base::Status ClientConn::Flush() {
  while (out_pos_ < out_.size()) {
    // MSG_NOSIGNAL: attachd going away is an error to report, not a
    // SIGPIPE that kills us with the terminal still in raw mode.
    ssize_t n = ::send(fd_.get(), out_.data() + out_pos_,
                       out_.size() - out_pos_, MSG_NOSIGNAL);
    if (n >= 0) {
      out_pos_ += static_cast<size_t>(n);
      continue;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN) return base::Status::Ok();
    return base::Status::Io("write to attachd", errno);
  }
  out_.clear();
  out_pos_ = 0;
  return base::Status::Ok();
}

}  // namespace ctl
}  // namespace attach
