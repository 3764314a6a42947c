// Supervisor: what PID 1 does with the signals it takes (signal_router.h).
//
// SIGCHLD reaps. Every other signal goes to the primary (its process group
// with -g), as tini and dumb-init forward them; a tty primary following
// the tether's terminal gets a resize for SIGWINCH instead. The job-control
// stops are passed on as dumb-init does: forwarded (suspend_signal.h), then
// the tether stops itself with SIGSTOP, and a SIGCONT continues both.
#include <signal.h>

#include "base/log.h"
#include "base/terminal.h"
#include "tether/supervisor.h"
#include "tether/supervisor_slot.h"
#include "tether/suspend_signal.h"

namespace tether {
namespace {

// Signals that end the container: no restart follows them.
bool IsStopSignal(int signo) {
  return signo == SIGTERM || signo == SIGINT || signo == SIGQUIT;
}

}  // namespace

void Supervisor::OnSignal(int signo) {
  if (signo == SIGCHLD) {
    reaper_.ReapAll();
    return;
  }
  if (phase_ == Phase::kDone) return;
  Slot* primary = Primary();
  if (signo == SIGWINCH && options_.window_fd >= 0 && primary != nullptr &&
      primary->session->config().tty) {
    if (auto ws = base::GetWindowSize(options_.window_fd)) {
      (void)primary->session->Resize(*ws);  // The kernel sends SIGWINCH.
    }
    return;
  }
  if (IsSuspendSignal(signo)) {
    Suspend(signo);
    return;
  }
  if (IsStopSignal(signo)) stop_requested_ = true;
  if (primary != nullptr && primary->session->running()) {
    ForwardToPrimary(signo);
    return;
  }
  // No primary process to tell: between restarts, a stop ends it all.
  if (phase_ == Phase::kRunning && stop_requested_ && primary != nullptr) {
    primary->restart_timer.Close();
    exit_code_ = primary->session->started_once()
                     ? primary->session->exit_code()
                     : 128 + signo;
    BeginStop();
  }
}

void Supervisor::Suspend(int signo) {
  Slot* primary = Primary();
  if (primary != nullptr && primary->session->running()) {
    ForwardToPrimary(SuspendSignalFor(os_, primary->session->pid(), signo));
  }
  // The kernel ignores a SIGSTOP that PID 1 (of a VM or a PID namespace)
  // sends itself; elsewhere the tether stops until a SIGCONT, like the
  // process it stands in for.
  if (options_.pid1) return;
  LOG_DEBUG("signal %d: stopping until SIGCONT", signo);
  base::Status st = os_.Kill(os_.GetPid(), SIGSTOP);
  if (!st.ok()) LOG_WARN("stop: %s", st.ToString().c_str());
}

void Supervisor::ForwardToPrimary(int signo) {
  base::Status st = Primary()->session->Signal(signo, options_.signal_group);
  if (!st.ok())
    LOG_DEBUG("forward signal %d: %s", signo, st.ToString().c_str());
}

}  // namespace tether
