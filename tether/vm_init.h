// The tether as a container VM's /init: early init, config from the
// hypervisor, system setup, the container, state write-back, power-off.
#ifndef TETHER_TETHER_VM_INIT_H_
#define TETHER_TETHER_VM_INIT_H_

#include <cstdint>
#include <string>

#include "base/os.h"

namespace tether {

struct VmOptions {
  std::string config_path;     // --config: skip the hypervisor sources.
  bool signal_group = false;
  // How long output pipes may stay open after the last process.
  int64_t drain_timeout_ms = 5000;
  // With an endpoint, how long to wait for it to acknowledge the
  // container's output and exit before the end, unless the config
  // (endpoint.drain_timeout_s) or the kernel command line
  // (tether.drain_timeout_s=) says otherwise. Generous: only the VM is
  // held, the container is already over, and its exit and the output's
  // tail would be lost with the VM (docs/operations.md).
  int64_t ack_timeout_ms = 300000;
  int verbosity = -1;          // -1: the config's `debug`.
  // Power the VM off at the end (the kernel started us as /init). Without
  // it (`--vm`, tests in namespaces) RunVm returns the exit code instead.
  bool power_off = true;
  // The kernel gave us no console (fds 0..2 were missing): open
  // /dev/console once devtmpfs is mounted.
  bool reopen_console = false;
  // How long early init waits for devices the kernel is still probing
  // (NICs, the attach port, the rootfs disk).
  int64_t device_wait_ms = 5000;
};

// Never returns when power_off is set and the power-off succeeds. Every
// failure is reported on the console and in the guest state; a failure the
// container cannot run with ends the VM with 125. A container that ran
// ends with its exit record on the console (guestinfo/exit_record.h).
int RunVm(base::Os& os, const VmOptions& options);

}  // namespace tether

#endif  // TETHER_TETHER_VM_INIT_H_
