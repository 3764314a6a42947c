#include "tether/exit_code.h"

#include <sys/wait.h>

namespace tether {

int ExitCodeFromWaitStatus(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return kExitTetherError;  // Stopped/continued never reach here: no WUNTRACED.
}

int SignalFromWaitStatus(int wait_status) {
  return WIFSIGNALED(wait_status) ? WTERMSIG(wait_status) : 0;
}

int ExitCodeForSpawnFailure(const base::Status& status) {
  switch (status.code()) {
    case base::Status::Code::kNotFound:
      return kExitNotFound;
    case base::Status::Code::kPermissionDenied:
      return kExitNotExecutable;
    default:
      return kExitTetherError;
  }
}

}  // namespace tether
