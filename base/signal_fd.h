// SignalFd: signals taken as data from a file descriptor (signalfd(2)).
//
// PID 1 forwards almost every signal, and must tell a signal someone sent
// it from one its own work raised: an EPIPE write raises SIGPIPE on the
// writer, and a write to a terminal the tether does not own raises
// SIGTTOU. A libuv handler cannot see the sender, and a handler on SIGTTOU
// would make every such write retry forever. So the signals are blocked,
// as tini blocks them, and read here with their siginfo: blocked SIGTTIN
// and SIGTTOU are never raised for the tether's own terminal I/O (the
// kernel treats them as ignored), and a SIGPIPE the tether raised names
// the tether as its sender.
//
// The mask is per thread and inherited: block before any thread exists
// (the tether has none besides its loop). Not for the synchronous faults
// (SIGSEGV, SIGBUS, ...), which must never be blocked.
#ifndef TETHER_BASE_SIGNAL_FD_H_
#define TETHER_BASE_SIGNAL_FD_H_

#include <sys/types.h>

#include <optional>
#include <vector>

#include "base/result.h"
#include "base/status.h"
#include "base/unique_fd.h"

namespace base {

struct SignalInfo {
  int signo = 0;
  int code = 0;      // si_code: SI_USER, SI_KERNEL, CLD_EXITED, ...
  pid_t sender = 0;  // si_pid in our PID namespace; 0 from outside it.
};

// True when the calling process raised `info` itself (kill or tgkill with
// its own pid, which is how the kernel reports an EPIPE's SIGPIPE), as
// opposed to another process or the kernel on someone's behalf.
bool RaisedBy(const SignalInfo& info, pid_t self);

// Adds `signals` to the calling thread's blocked set. Invalid numbers and
// glibc's reserved real-time signals are skipped, as sigaddset does.
Status BlockSignals(const std::vector<int>& signals);

class SignalFd {
 public:
  // Blocks `signals` (BlockSignals) and opens a non-blocking, close-on-exec
  // signalfd for them. Signals already pending are read first.
  static Result<SignalFd> Open(const std::vector<int>& signals);

  int fd() const { return fd_.get(); }
  // The next pending signal; nullopt when none is pending now.
  Result<std::optional<SignalInfo>> Read();

 private:
  explicit SignalFd(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
};

}  // namespace base

#endif  // TETHER_BASE_SIGNAL_FD_H_
