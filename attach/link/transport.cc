#include "attach/link/transport.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include <utility>

namespace attach {

Dialer::Dialer(uv_loop_t* loop, const Address& address)
    : loop_(loop), address_(address) {}

Dialer::~Dialer() = default;  // poll_ closes itself; fd_ closes the socket.

base::Status Dialer::Fail(int err) const {
  return base::Status::Io(address_.text, err);
}

base::Status Dialer::Start(Callback done) {
  const auto* sa = reinterpret_cast<const sockaddr*>(&address_.sockaddr);
  fd_.Reset(
      ::socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd_.valid()) return Fail(errno);
  if (::connect(fd_.get(), sa, address_.sockaddr_len) != 0 &&
      errno != EINPROGRESS) {
    int err = errno;
    fd_.Reset();
    return Fail(err);
  }
  // Connected or in progress: either way the socket turns writable once
  // the outcome is known, and SO_ERROR then tells which.
  int rc = uv_poll_init(loop_, poll_.get(), fd_.get());
  if (rc != 0) return base::UvError(address_.text + ": uv_poll_init", rc);
  poll_.MarkInitialized();
  poll_->data = this;
  rc = uv_poll_start(poll_.get(), UV_WRITABLE, &Dialer::OnWritable);
  if (rc != 0) return base::UvError(address_.text + ": uv_poll_start", rc);
  done_ = std::move(done);
  return base::Status::Ok();
}

// A poll error (status < 0) needs no branch of its own: SO_ERROR holds the
// connect's error either way.
void Dialer::OnWritable(uv_poll_t* handle, int /*status*/,
                        int /*events*/) noexcept {
  static_cast<Dialer*>(handle->data)->Finish();
}

void Dialer::Finish() {
  // The poll must be gone before the fd changes hands: another uv_poll on
  // the same fd may follow at once.
  poll_.Close();
  int err = 0;
  socklen_t len = sizeof(err);
  if (::getsockopt(fd_.get(), SOL_SOCKET, SO_ERROR, &err, &len) != 0) {
    err = errno;
  }
  Callback done = std::move(done_);
  if (err != 0) {
    fd_.Reset();
    done(Fail(err));  // May destroy *this: nothing below touches members.
    return;
  }
  done(std::move(fd_));
}

base::Result<base::UniqueFd> OpenSerial(const std::string& path) {
  base::UniqueFd fd(
      ::open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC));
  if (!fd.valid()) return base::Status::Io(path, errno);
  // A virtio-serial port is not a tty and needs nothing; a UART or a pty
  // would otherwise echo, translate CR/LF and eat ^C/^S out of SSH bytes.
  if (::isatty(fd.get())) {
    termios tio{};
    if (::tcgetattr(fd.get(), &tio) != 0) {
      return base::Status::Io(path + ": tcgetattr", errno);
    }
    ::cfmakeraw(&tio);
    tio.c_cflag |= CLOCAL | CREAD;
    if (::tcsetattr(fd.get(), TCSANOW, &tio) != 0) {
      return base::Status::Io(path + ": tcsetattr", errno);
    }
  }
  return fd;
}

// poll(2) with no timeout instead of a uv_poll: this is asked once per
// redial, and libuv would report POLLHUP as readable+writable.
bool SerialHostConnected(int fd) {
  pollfd p{fd, POLLOUT, 0};
  int n;
  do {
    n = ::poll(&p, 1, 0);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return false;
  return (p.revents & (POLLHUP | POLLERR | POLLNVAL)) == 0 &&
         (p.revents & POLLOUT) != 0;
}

ssize_t TransportRead(int fd, void* buf, size_t len) {
  ssize_t n;
  do {
    n = ::read(fd, buf, len);
  } while (n < 0 && errno == EINTR);
  if (n >= 0) return n;
  return errno == EWOULDBLOCK ? -EAGAIN : -errno;
}

ssize_t TransportWrite(int fd, bool is_socket, const void* buf, size_t len) {
  ssize_t n;
  do {
    n = is_socket ? ::send(fd, buf, len, MSG_NOSIGNAL) : ::write(fd, buf, len);
  } while (n < 0 && errno == EINTR);
  if (n >= 0) return n;
  return errno == EWOULDBLOCK ? -EAGAIN : -errno;
}

}  // namespace attach
