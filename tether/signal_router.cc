#include "tether/signal_router.h"

#include <signal.h>

namespace tether {

const int kForwardedSignals[7] = {SIGTERM, SIGINT,  SIGHUP,  SIGQUIT,
                                  SIGUSR1, SIGUSR2, SIGWINCH};

base::Status SignalRouter::Watch(int signo) {
  base::UvHandle<uv_signal_t> h;
  int rc = uv_signal_init(loop_, h.get());
  if (rc != 0) return base::UvError("uv_signal_init", rc);
  h.MarkInitialized();
  h->data = this;
  rc = uv_signal_start(h.get(), &SignalRouter::OnSignal, signo);
  if (rc != 0) return base::UvError("watch signal " + std::to_string(signo), rc);
  handles_.push_back(std::move(h));
  return base::Status::Ok();
}

void SignalRouter::OnSignal(uv_signal_t* h, int signo) noexcept {
  static_cast<SignalRouter*>(h->data)->fn_(signo);
}

}  // namespace tether
