// Reaper: the only code that waits for processes (STYLE: "only the Reaper
// waits"). On every SIGCHLD it collects every changed child with
// waitpid(-1, WNOHANG) until none is left, so orphans re-parented to PID 1
// (or to the subreaper) never stay zombies.
#ifndef TETHER_TETHER_REAPER_H_
#define TETHER_TETHER_REAPER_H_

#include <sys/types.h>

#include <cstdint>
#include <functional>

#include "base/os.h"

namespace tether {

class Reaper {
 public:
  // `on_exit` is called for each reaped child, known or not; the owner
  // decides whether the pid was one of its sessions.
  using ExitFn = std::function<void(pid_t pid, int wait_status)>;
  Reaper(base::Os& os, ExitFn on_exit) : os_(os), on_exit_(std::move(on_exit)) {}

  // Reaps until no child is waiting. Returns how many were reaped.
  int ReapAll();
  uint64_t total_reaped() const { return total_; }

 private:
  base::Os& os_;
  ExitFn on_exit_;
  uint64_t total_ = 0;
};

}  // namespace tether

#endif  // TETHER_TETHER_REAPER_H_
