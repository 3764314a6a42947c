// One container VM at run time: its QEMU process, and what attachd
// concludes when that process is gone.
//
// When QEMU exits, the container's end may still be on its way: the tether
// sends SessionExited and powers off, and the last bytes of the attach
// link can still sit in attachd's socket when the pidfd reports the exit.
// So with a tether connected the instance waits for the link to drop (at
// most kLinkGraceMs) before it records anything. Then a container whose
// primary never reported an end takes the tether's exit record from the
// console, or exits with 125 and the tether's console error
// (`tether: error: ...`), or 137 when attachd killed QEMU itself.
//
// Loop thread only. Owned by VmLauncher; the container holds it as its
// VmControl while QEMU runs.
#ifndef TETHER_ATTACH_ENDPOINT_VMS_VM_INSTANCE_H_
#define TETHER_ATTACH_ENDPOINT_VMS_VM_INSTANCE_H_

#include <uv.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "attach/endpoint/containers/container.h"
#include "attach/endpoint/containers/registry.h"
#include "attach/endpoint/vms/vm_process.h"
#include "base/result.h"
#include "base/uv_handle.h"

namespace attach {
namespace endpoint {

// How long a VM's end waits for its attach link to drop.
constexpr uint64_t kLinkGraceMs = 3000;

class VmInstance : public VmControl {
 public:
  // Called once the VM's end is recorded (the container may be gone).
  using Done = std::function<void(VmInstance*)>;

  VmInstance(uv_loop_t* loop, Registry* registry, std::string container_id,
             std::string container_dir, Done done);
  ~VmInstance() override;
  VmInstance(const VmInstance&) = delete;
  VmInstance& operator=(const VmInstance&) = delete;

  // Starts QEMU with `argv` (VmProcess::Spawn; its stderr goes to
  // qemu.log) or watches the running `pid` after a restart of attachd.
  base::Status Spawn(const std::vector<std::string>& argv);
  base::Status Adopt(pid_t pid);

  const std::string& container_id() const { return container_id_; }
  bool finished() const { return finished_; }

  // VmControl.
  pid_t pid() const override;
  base::Status Kill() override;
  void LinkChanged() override;

  // The container is being removed: kill QEMU and record nothing more.
  void Discard();
  // attachd stops: kill QEMU and record the end now, not at its exit.
  void KillNow();

 private:
  void OnExit();
  static void OnGrace(uv_timer_t* h) noexcept;
  // Records the end in the container, removes the pidfile, calls done_.
  void Finish();

  uv_loop_t* loop_;
  Registry* registry_;
  std::string container_id_;
  std::string dir_;
  Done done_;
  std::unique_ptr<VmProcess> process_;
  base::UvHandle<uv_timer_t> grace_;
  bool killed_ = false;     // attachd sent SIGKILL.
  bool discarded_ = false;  // The container is gone.
  bool exited_ = false;
  bool finished_ = false;
};

// The end a container records when its VM is gone without its tether
// having reported one (`why`: "the VM exited", or that it went while
// attachd was not running, found at re-adoption). The primary takes the
// code of the tether's exit record on the console when there is one;
// whatever is still open then ends with 125 and the console's error line
// (or `why`). Removes the pidfile.
void RecordVmEnd(Container* c, const std::string& why);

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_VMS_VM_INSTANCE_H_
