// SignalRouter: turns the signals PID 1 cares about into loop callbacks.
//
// uv_signal handlers run on the loop, not in signal context, so the
// callback may do anything. Synchronous signals (SIGSEGV, SIGBUS, ...) are
// never touched: a fault in the tether must stay a fault (STYLE).
#ifndef TETHER_TETHER_SIGNAL_ROUTER_H_
#define TETHER_TETHER_SIGNAL_ROUTER_H_

#include <uv.h>

#include <functional>
#include <vector>

#include "base/status.h"
#include "base/uv_handle.h"

namespace tether {

// Signals forwarded to the primary session (DESIGN §4).
extern const int kForwardedSignals[7];

class SignalRouter {
 public:
  using SignalFn = std::function<void(int signo)>;
  SignalRouter(uv_loop_t* loop, SignalFn fn) : loop_(loop), fn_(std::move(fn)) {}

  // Starts watching `signo`. The watch keeps the loop alive until Close():
  // PID 1 must keep reaping even when no output stream is open.
  base::Status Watch(int signo);
  // Stops every watch (handles close on the next loop turn).
  void Close() { handles_.clear(); }

 private:
  static void OnSignal(uv_signal_t* h, int signo) noexcept;

  uv_loop_t* loop_;
  SignalFn fn_;
  std::vector<base::UvHandle<uv_signal_t>> handles_;
};

}  // namespace tether

#endif  // TETHER_TETHER_SIGNAL_ROUTER_H_
