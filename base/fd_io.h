// Blocking I/O helpers on file descriptors the process already owns.
#ifndef TETHER_BASE_FD_IO_H_
#define TETHER_BASE_FD_IO_H_

#include <cstddef>

#include "base/status.h"

namespace base {

// Writes all `len` bytes, retrying on EINTR and waiting with poll(2) on
// EAGAIN (the fd may be non-blocking because another process set it so).
// Fails with the errno of the first hard error (EPIPE when the reader left).
Status WriteAll(int fd, const char* data, size_t len);

// Sends all `len` bytes (len > 0) on the stream socket `socket`, passing a
// copy of `fd` along with the first byte (SCM_RIGHTS); the caller keeps
// `fd`. Waits like WriteAll; never raises SIGPIPE (EPIPE is the error).
Status SendAllWithFd(int socket, const char* data, size_t len, int fd);

// Opens /dev/null on whichever of fds 0..2 is closed; returns whether any
// was. Call it first in main: a program started with one closed (by a
// supervisor, a CI runner, the kernel for an /init without /dev/console)
// would otherwise get its first socket as "stdin" or "stdout", and libuv
// asserts when it closes such a descriptor.
bool EnsureStdio();

}  // namespace base

#endif  // TETHER_BASE_FD_IO_H_
