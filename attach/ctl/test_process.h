// TetherctlProcess: the real tetherctl binary run by a test, with its
// standard streams on pipes (or a pseudo-terminal) the test controls.
// Test-only: every wait has a deadline, after which the child is killed
// and the test fails instead of hanging.
#ifndef TETHER_ATTACH_CTL_TEST_PROCESS_H_
#define TETHER_ATTACH_CTL_TEST_PROCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "base/unique_fd.h"

namespace attach {
namespace ctl {

struct ProcessResult {
  bool exited = false;  // Else killed by `signo`.
  int exit_code = -1;
  int signo = 0;
  std::string out;  // Empty when stdout was a terminal.
  std::string err;
};

class TetherctlProcess {
 public:
  // Starts TETHERCTL_BINARY with `args`, TETHER_STATE_DIR=state_dir, and
  // only PATH, TETHER_ATTACHD and TETHERCTL_TERMINAL_HANDOFF of the test's
  // environment.
  // stdin and stdout are `in_fd` and `out_fd` when given (a terminal whose
  // master side the test keeps, a file), pipes otherwise.
  TetherctlProcess(const std::string& state_dir,
                   const std::vector<std::string>& args, int in_fd = -1,
                   int out_fd = -1);
  ~TetherctlProcess();  // Kills a child still running.

  pid_t pid() const { return pid_; }
  // Writes to the child's stdin pipe; CloseStdin sends EOF.
  void WriteStdin(const std::string& data);
  void CloseStdin();
  // Collects the output pipes to EOF and waits, within `timeout_ms`.
  ProcessResult Finish(int timeout_ms = 20000);

 private:
  pid_t pid_ = -1;
  base::UniqueFd in_;
  base::UniqueFd out_;
  base::UniqueFd err_;
};

// Runs tetherctl to completion with `input` on its stdin.
ProcessResult RunTetherctl(const std::string& state_dir,
                           const std::vector<std::string>& args,
                           const std::string& input = "");

}  // namespace ctl
}  // namespace attach

#endif  // TETHER_ATTACH_CTL_TEST_PROCESS_H_
