#include "base/signal_fd.h"

#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

namespace base {
namespace {

sigset_t SetOf(const std::vector<int>& signals) {
  sigset_t set;
  sigemptyset(&set);
  // sigaddset refuses glibc's SIGCANCEL and SIGSETXID (32, 33), and
  // anything out of range; those are not ours to take.
  for (int signo : signals) (void)sigaddset(&set, signo);
  return set;
}

}  // namespace

bool RaisedBy(const SignalInfo& info, pid_t self) {
  return (info.code == SI_USER || info.code == SI_TKILL) && info.sender == self;
}

Status BlockSignals(const std::vector<int>& signals) {
  sigset_t set = SetOf(signals);
  int rc = ::pthread_sigmask(SIG_BLOCK, &set, nullptr);
  if (rc != 0) return Status::Io("block signals", rc);
  return Status::Ok();
}

Result<SignalFd> SignalFd::Open(const std::vector<int>& signals) {
  TETHER_RETURN_IF_ERROR(BlockSignals(signals));
  sigset_t set = SetOf(signals);
  UniqueFd fd(::signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC));
  if (!fd) return Status::Io("signalfd", errno);
  return SignalFd(std::move(fd));
}

Result<std::optional<SignalInfo>> SignalFd::Read() {
  signalfd_siginfo si;
  ssize_t n;
  do {
    n = ::read(fd_.get(), &si, sizeof(si));
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    if (errno == EAGAIN) return std::optional<SignalInfo>();
    return Status::Io("read signalfd", errno);
  }
  if (n != static_cast<ssize_t>(sizeof(si))) {
    return Status::Internal("read signalfd: short read");
  }
  SignalInfo info;
  info.signo = static_cast<int>(si.ssi_signo);
  info.code = si.ssi_code;
  info.sender = static_cast<pid_t>(si.ssi_pid);
  return std::optional<SignalInfo>(info);
}

}  // namespace base
