// SignalRouter: turns the signals PID 1 takes into loop callbacks.
//
// The tether forwards every catchable signal to the primary, as tini and
// dumb-init do, so it takes nearly all of them: everything but SIGKILL and
// SIGSTOP (which nobody can catch), the synchronous faults (a fault in the
// tether must stay a fault, STYLE), glibc's two reserved real-time signals
// and, when a profiler may run, SIGPROF and SIGURG (pprof/signals.h).
//
// They are read from a signalfd (base/signal_fd.h says why not uv_signal)
// watched by the loop, so the callback runs on the loop and may do
// anything. Signals the tether raised itself (its own EPIPE) are dropped.
// Loop thread only.
#ifndef TETHER_TETHER_SIGNAL_ROUTER_H_
#define TETHER_TETHER_SIGNAL_ROUTER_H_

#include <sys/types.h>
#include <uv.h>

#include <functional>
#include <memory>
#include <vector>

#include "base/signal_fd.h"
#include "base/status.h"
#include "base/uv_handle.h"

namespace tether {

// Never blocked, never taken: the tether's own faults.
extern const int kSynchronousSignals[7];

// The signals the supervisor takes, SIGCHLD included, in ascending order:
// 1..SIGRTMAX() less the exceptions above. `profiler`: leave SIGPROF and
// SIGURG to pprof's handlers.
std::vector<int> RoutedSignals(bool profiler);

class SignalRouter {
 public:
  using SignalFn = std::function<void(int signo)>;
  SignalRouter(uv_loop_t* loop, SignalFn fn) : loop_(loop), fn_(std::move(fn)) {}

  // Blocks `signals` and starts delivering them to the callback. `self` is
  // the tether's pid as its own PID namespace sees it (1 as PID 1): what
  // it sent itself is dropped. The watch keeps the loop alive until
  // Close(): PID 1 must keep reaping even when no output stream is open.
  base::Status Start(const std::vector<int>& signals, pid_t self);
  // Stops delivering (the handle closes on the next loop turn). The
  // signals stay blocked: after this, the tether's own EPIPE must still
  // be an error and not its death.
  void Close();

 private:
  static void OnReadable(uv_poll_t* h, int status, int events) noexcept;
  void Drain();

  uv_loop_t* loop_;
  SignalFn fn_;
  pid_t self_ = 0;
  std::unique_ptr<base::SignalFd> fd_;
  base::UvHandle<uv_poll_t> poll_;
};

}  // namespace tether

#endif  // TETHER_TETHER_SIGNAL_ROUTER_H_
