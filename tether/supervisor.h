// Supervisor: PID 1's duties for one container (DESIGN §4).
//
// Starts the sessions, reaps every child through the Reaper, forwards
// signals to the primary, restarts by policy with exponential backoff, and
// when the primary is done: stops the other sessions (stop signal, SIGKILL
// after stop_timeout_s), kills what is left, waits for all output to drain
// (bounded), and reports the primary's exit code. It never exits the
// process itself: main() does that once finished() is true and the loop
// has stopped. Everything runs on one libuv loop.
#ifndef TETHER_TETHER_SUPERVISOR_H_
#define TETHER_TETHER_SUPERVISOR_H_

#include <uv.h>

#include <memory>
#include <string>
#include <vector>

#include "base/os.h"
#include "base/uv_handle.h"
#include "guestinfo/config.h"
#include "tether/reaper.h"
#include "tether/session.h"
#include "tether/signal_router.h"

namespace tether {

class Supervisor {
 public:
  struct Options {
    // PID 1 of a VM or a PID namespace: at the end every process left is
    // killed with kill(-1). Otherwise the tether is a subreaper and kills
    // only its sessions' process groups.
    bool pid1 = false;
    // Forward signals to the primary's whole process group (tini -g).
    bool signal_group = false;
    // How long to wait for output after the last process is gone.
    int64_t drain_timeout_ms = 5000;
    // Given to a non-tty primary with open_stdin as its stdin; -1: none.
    int stdin_fd = -1;
    // A terminal whose size a tty primary follows (SIGWINCH resizes the
    // pty instead of being forwarded); -1: forward SIGWINCH.
    int window_fd = -1;
    // Longest restart backoff.
    int64_t max_backoff_ms = 10000;
    // attach_before_start sessions wait for Unblock() (a client attached)
    // at most their attach_timeout_s, then start anyway with a warning.
    // False: they do not wait at all (no endpoint to attach through).
    bool hold_for_attach = false;
  };

  // Told about lifecycle changes (state write-back, the attach link).
  class Observer {
   public:
    virtual ~Observer() = default;
    virtual void OnSessionStarted(const Session&) {}
    // Also for runs that failed to start (session.error() says why).
    virtual void OnSessionExited(const Session&) {}
    // Every output stream of the session's run reached EOF.
    virtual void OnOutputDrained(const Session&) {}
    virtual void OnFinished(int /*exit_code*/) {}
  };

  // `sink` and `observer` may be null; both must outlive the supervisor.
  Supervisor(uv_loop_t* loop, base::Os& os, const guestinfo::Config& config,
             Options options, OutputSink* sink, Observer* observer);
  ~Supervisor();

  // Watches signals and starts the sessions. A session that fails to start
  // is not an error here (it is an exit with 125/126/127); the Status is
  // for the tether's own setup.
  base::Status Start();

  // Starts an extra, non-primary session (docker exec) with a pty of
  // `window` when it is a tty. The Observer hears of its start or failure
  // as for any session. kInvalidArgument when the id is taken or the
  // container is already stopping.
  base::Status AddSession(guestinfo::SessionConfig config,
                          base::WindowSize window);
  // Forgets an exec session (one AddSession started) that is over: not
  // running, no restart pending, its output drained. The caller knows the
  // endpoint has its output and exit (review F4). From now on the session
  // is not found and not listed; its memory goes on a later loop turn, so
  // no caller up the stack is left holding it. Returns whether it was
  // released: false for an unknown session, the primary, a config
  // session, or one not over yet.
  bool ReleaseSession(const std::string& id);
  // Starts a session held by attach_before_start now. Unknown or already
  // started sessions are ignored.
  void Unblock(const std::string& id);
  // Stops the container from the endpoint (docker stop): `signo` (0: the
  // primary's stop_signal) to the primary, SIGKILL to its group after
  // `timeout_s` (<0: its stop_timeout_s). No restart follows.
  void Stop(int signo, int timeout_s);

  // Entry points of the loop's events; public so tests can drive them.
  void OnSignal(int signo);
  void OnChildExit(pid_t pid, int wait_status);

  bool finished() const { return phase_ == Phase::kDone; }
  // The primary's exit code (valid once finished()).
  int exit_code() const { return exit_code_; }
  // Sessions not released, in start order.
  Session* FindSession(const std::string& id);
  std::vector<Session*> sessions();
  uint64_t orphans_reaped() const { return orphans_reaped_; }

 private:
  enum class Phase { kRunning, kStopping, kDraining, kDone };
  struct Slot;

  void StartSession(Slot& slot);
  Slot& AddSlot(guestinfo::SessionConfig config);
  void OnAttachWaitOver();
  void OnSessionEnded(Slot& slot);
  bool ShouldRestart(const Slot& slot) const;
  void ScheduleRestart(Slot& slot);
  void BeginStop();
  void OnStopTimeout();
  void BeginDrain();
  void OnOutputClosed();
  void Finish();
  void SweepReleased();
  Slot* FindSlot(const std::string& id);
  Slot* FindByPid(pid_t pid);
  Slot* Primary();
  // supervisor_signals.cc
  void ForwardToPrimary(int signo);
  void Suspend(int signo);
  // (Re)arms a one-shot timer, creating the handle when needed.
  base::Status StartTimer(base::UvHandle<uv_timer_t>& timer, int64_t ms,
                          void (*cb)(uv_timer_t*), void* data);

  uv_loop_t* loop_;
  base::Os& os_;
  const guestinfo::Config& config_;
  Options options_;
  OutputSink* sink_;
  Observer* observer_;
  Reaper reaper_;
  SignalRouter signals_;
  const base::Confinement confinement_;  // Of every session (confinement.h).
  std::vector<std::unique_ptr<Slot>> slots_;
  base::UvHandle<uv_timer_t> stop_timer_;
  base::UvHandle<uv_timer_t> drain_timer_;
  base::UvHandle<uv_timer_t> attach_wait_timer_;
  base::UvHandle<uv_timer_t> kill_timer_;     // Endpoint Stop's deadline.
  base::UvHandle<uv_timer_t> release_timer_;  // Frees released slots.
  Phase phase_ = Phase::kRunning;
  bool stop_requested_ = false;  // A stop signal was forwarded: no restart.
  int exit_code_ = 0;
  uint64_t orphans_reaped_ = 0;
};

}  // namespace tether

#endif  // TETHER_TETHER_SUPERVISOR_H_
