// The one mapping from process outcomes to exit codes (docker's and tini's):
// the process's own code, 128+signal for a signal death, and for failures
// before the process ran: 127 not found, 126 not executable, 125 anything
// on the tether's side (bad config, chdir, setuid...).
#ifndef TETHER_TETHER_EXIT_CODE_H_
#define TETHER_TETHER_EXIT_CODE_H_

#include "base/status.h"

namespace tether {

constexpr int kExitTetherError = 125;
constexpr int kExitNotExecutable = 126;
constexpr int kExitNotFound = 127;

// From a waitpid(2) status: WEXITSTATUS, or 128 + WTERMSIG.
int ExitCodeFromWaitStatus(int wait_status);
// The signal that ended the process, or 0 when it exited.
int SignalFromWaitStatus(int wait_status);
// For a session that could not be started: kNotFound -> 127,
// kPermissionDenied -> 126, everything else -> 125.
int ExitCodeForSpawnFailure(const base::Status& status);

}  // namespace tether

#endif  // TETHER_TETHER_EXIT_CODE_H_
