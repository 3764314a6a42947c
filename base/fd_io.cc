#include "base/fd_io.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace base {
namespace {

// The fd may be non-blocking because another process set it so.
Status WaitWritable(int fd) {
  struct pollfd p = {fd, POLLOUT, 0};
  if (::poll(&p, 1, -1) < 0 && errno != EINTR) return Status::Io("poll", errno);
  return Status::Ok();
}

}  // namespace

Status WriteAll(int fd, const char* data, size_t len) {
  while (len > 0) {
    ssize_t n = ::write(fd, data, len);
    if (n >= 0) {
      data += n;
      len -= static_cast<size_t>(n);
      continue;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN) {
      TETHER_RETURN_IF_ERROR(WaitWritable(fd));
      continue;
    }
    return Status::Io("write", errno);
  }
  return Status::Ok();
}

Status SendAllWithFd(int socket, const char* data, size_t len, int fd) {
  alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  bool fd_sent = false;
  while (len > 0) {
    struct iovec iov = {const_cast<char*>(data), len};
    struct msghdr msg = {};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    if (!fd_sent) {
      msg.msg_control = control;
      msg.msg_controllen = sizeof(control);
      struct cmsghdr* c = CMSG_FIRSTHDR(&msg);
      c->cmsg_level = SOL_SOCKET;
      c->cmsg_type = SCM_RIGHTS;
      c->cmsg_len = CMSG_LEN(sizeof(int));
      std::memcpy(CMSG_DATA(c), &fd, sizeof(int));
    }
    ssize_t n = ::sendmsg(socket, &msg, MSG_NOSIGNAL);
    if (n >= 0) {
      fd_sent = true;  // With the first byte that went out.
      data += n;
      len -= static_cast<size_t>(n);
      continue;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN) {
      TETHER_RETURN_IF_ERROR(WaitWritable(socket));
      continue;
    }
    return Status::Io("sendmsg", errno);
  }
  return Status::Ok();
}

bool EnsureStdio() {
  bool missing = false;
  for (int fd = 0; fd < 3; ++fd) {
    if (::fcntl(fd, F_GETFD) >= 0) continue;
    missing = true;
    // The lowest free number: `fd` itself, as the ones below it are open.
    int n = ::open("/dev/null", O_RDWR);
    if (n >= 0 && n != fd) {
      ::dup2(n, fd);
      ::close(n);
    }
  }
  return missing;
}

}  // namespace base
