// Supervisor::Slot: one session of the supervisor and its restart
// bookkeeping. Private to the supervisor's files (supervisor*.cc).
#ifndef TETHER_TETHER_SUPERVISOR_SLOT_H_
#define TETHER_TETHER_SUPERVISOR_SLOT_H_

#include <memory>

#include "tether/supervisor.h"

namespace tether {

// One session and its restart bookkeeping.
struct Supervisor::Slot {
  Supervisor* owner;
  std::unique_ptr<Session> session;
  base::UvHandle<uv_timer_t> restart_timer;
  int backoff_step = 0;     // Consecutive quick failures.
  int64_t started_ms = 0;   // Monotonic start of the current run.
  bool held = false;        // attach_before_start, waiting for Unblock.
  bool exec = false;        // Added by AddSession (docker exec).
  bool released = false;    // Forgotten; freed by SweepReleased().
  base::WindowSize window;  // Initial pty size (exec sessions).
};

}  // namespace tether

#endif  // TETHER_TETHER_SUPERVISOR_SLOT_H_
