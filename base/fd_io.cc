#include "base/fd_io.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>

namespace base {

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
      struct pollfd p = {fd, POLLOUT, 0};
      if (::poll(&p, 1, -1) < 0 && errno != EINTR) return Status::Io("poll", errno);
      continue;
    }
    return Status::Io("write", errno);
  }
  return Status::Ok();
}

}  // namespace base
