// A QEMU process as attachd watches it: through a pidfd (pidfd_open +
// uv_poll), which works the same for a child attachd spawned and for a VM
// it re-adopts after it was restarted (no longer its child: it cannot be
// waited for, but its pidfd still becomes readable when it exits).
// Signals go through pidfd_send_signal, so a recycled pid is never hit.
//
// Loop thread only. The process is not killed when its VmProcess goes:
// VMs outlive attachd crashes by design (docs/attachd.md).
#ifndef TETHER_ATTACH_ENDPOINT_VMS_VM_PROCESS_H_
#define TETHER_ATTACH_ENDPOINT_VMS_VM_PROCESS_H_

#include <sys/types.h>
#include <uv.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "base/unique_fd.h"
#include "base/uv_handle.h"

namespace attach {
namespace endpoint {

class VmProcess {
 public:
  // Called once, on the loop, when the process has exited. The VmProcess
  // may be destroyed from inside it.
  using ExitCallback = std::function<void()>;

  // Starts argv (argv[0] searched in PATH when it has no '/') in a new
  // session, so no signal aimed at attachd's process group or terminal
  // reaches it; stdin is /dev/null, stdout and stderr append to
  // `log_path` (created 0600), signal dispositions and mask are reset, no
  // other descriptor is inherited. kNotFound / kPermissionDenied when the
  // program cannot be run, kIoError otherwise; each names the program.
  static base::Result<std::unique_ptr<VmProcess>> Spawn(
      uv_loop_t* loop, const std::vector<std::string>& argv,
      const std::string& log_path, ExitCallback on_exit);

  // Watches a process attachd did not start (or no longer parents).
  // kNotFound when it has already gone.
  static base::Result<std::unique_ptr<VmProcess>> Adopt(uv_loop_t* loop,
                                                        pid_t pid,
                                                        ExitCallback on_exit);

  ~VmProcess();
  VmProcess(const VmProcess&) = delete;
  VmProcess& operator=(const VmProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool exited() const { return exited_; }
  // pidfd_send_signal. A process that already exited is success.
  base::Status Signal(int signo);
  // Blocks up to `timeout_ms` for the process to exit (and reaps a child
  // of ours); no exit callback then. For attachd's clean stop, after a
  // SIGKILL. Whether it has exited.
  bool WaitExited(int timeout_ms);

 private:
  VmProcess(pid_t pid, base::UniqueFd pidfd, bool child)
      : pid_(pid), pidfd_(std::move(pidfd)), child_(child) {}
  base::Status Watch(uv_loop_t* loop, ExitCallback on_exit);
  static void OnReadable(uv_poll_t* h, int status, int events) noexcept;
  void Reap();

  pid_t pid_;
  base::UniqueFd pidfd_;
  bool child_;  // Ours to reap (waitid on the pidfd) when it exits.
  bool exited_ = false;
  ExitCallback on_exit_;
  base::UvHandle<uv_poll_t> poll_;
};

// The pid in a pidfile ("1234\n"). kInvalidArgument for anything else.
base::Result<pid_t> ParsePidfile(std::string_view text);

// /proc/PID/cmdline: the NUL-separated argv. kNotFound when the process
// is gone (a zombie's is empty).
base::Result<std::string> ReadProcCmdline(pid_t pid);

// Whether KVM can run guests here: /dev/kvm opens read-write, speaks API
// version 12, creates a VM, and the CPU advertises vmx or svm (a /dev/kvm
// without them, as in some sandboxes, hangs or aborts QEMU).
bool KvmUsable();

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_VMS_VM_PROCESS_H_
