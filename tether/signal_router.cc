#include "tether/signal_router.h"

#include <signal.h>

#include <algorithm>

#include "base/log.h"

namespace tether {

const int kSynchronousSignals[7] = {SIGSEGV, SIGBUS,  SIGFPE, SIGILL,
                                    SIGABRT, SIGTRAP, SIGSYS};

std::vector<int> RoutedSignals(bool profiler) {
  std::vector<int> out;
  for (int signo = 1; signo <= SIGRTMAX; ++signo) {
    if (signo == SIGKILL || signo == SIGSTOP) continue;
    // 32 and 33 belong to glibc's threads (SIGRTMIN is 34 with them).
    if (signo > SIGSYS && signo < SIGRTMIN) continue;
    if (std::find(std::begin(kSynchronousSignals),
                  std::end(kSynchronousSignals),
                  signo) != std::end(kSynchronousSignals)) {
      continue;
    }
    if (profiler && (signo == SIGPROF || signo == SIGURG)) continue;
    out.push_back(signo);
  }
  return out;
}

base::Status SignalRouter::Start(const std::vector<int>& signals, pid_t self) {
  self_ = self;
  base::Result<base::SignalFd> fd = base::SignalFd::Open(signals);
  if (!fd.ok()) return fd.TakeStatus();
  fd_ = std::make_unique<base::SignalFd>(std::move(fd).value());
  poll_ = base::UvHandle<uv_poll_t>();
  int rc = uv_poll_init(loop_, poll_.get(), fd_->fd());
  if (rc != 0) return base::UvError("watch signals", rc);
  poll_.MarkInitialized();
  poll_->data = this;
  rc = uv_poll_start(poll_.get(), UV_READABLE, &SignalRouter::OnReadable);
  if (rc != 0) return base::UvError("watch signals", rc);
  // Signals that came before the watch (during early init, say) are
  // pending in the fd already; the poll reports them on the first turn.
  return base::Status::Ok();
}

void SignalRouter::Close() {
  // The poll handle goes first: libuv must stop watching an fd before it
  // is closed.
  poll_.Close();
  fd_.reset();
}

void SignalRouter::OnReadable(uv_poll_t* h, int status, int) noexcept {
  SignalRouter* self = static_cast<SignalRouter*>(h->data);
  if (status < 0) {
    LOG_ERROR("signals: %s", uv_strerror(status));
    return;
  }
  self->Drain();
}

void SignalRouter::Drain() {
  // The callback may Close() the router: re-check fd_ every round.
  while (fd_) {
    base::Result<std::optional<base::SignalInfo>> r = fd_->Read();
    if (!r.ok()) {
      LOG_ERROR("signals: %s", r.status().ToString().c_str());
      return;
    }
    if (!r->has_value()) return;
    const base::SignalInfo& info = **r;
    if (base::RaisedBy(info, self_)) {
      LOG_DEBUG("signals: dropping signal %d the tether raised itself",
                info.signo);
      continue;
    }
    fn_(info.signo);
  }
}

}  // namespace tether
