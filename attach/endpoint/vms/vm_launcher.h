// attachd owns the container VMs, as dockerd owns its containers: it
// writes each VM's tether config, starts QEMU (docs/vm-image.md),
// watches it, re-adopts running VMs after a restart, and stops them when
// it stops cleanly. docs/attachd.md "Container VMs" is the user's view.
//
// Files in the container's directory: config.json (the tether config,
// 0600: it holds the identity key; QEMU hands it to the guest through
// fw_cfg), console.log (the guest's serial console), qemu.log (QEMU's own
// stderr) and qemu.pid (while attachd believes the VM runs).
//
// Loop thread only.
#ifndef TETHER_ATTACH_ENDPOINT_VMS_VM_LAUNCHER_H_
#define TETHER_ATTACH_ENDPOINT_VMS_VM_LAUNCHER_H_

#include <uv.h>

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "attach/endpoint/containers/deferred_delete.h"
#include "attach/endpoint/containers/registry.h"
#include "attach/endpoint/images/image_store.h"
#include "attach/endpoint/vms/qemu_command.h"
#include "attach/endpoint/vms/vm_files.h"
#include "attach/endpoint/vms/vm_instance.h"
#include "base/result.h"
#include "base/uv_handle.h"

namespace attach {
namespace endpoint {

struct VmOptions {
  VmImage image;
  std::string accel = "auto";  // auto (KVM when usable), kvm or tcg.
  // For tests of the tether's own checks: an RFC 7386 JSON merge patch
  // applied to every VM's config after attachd has validated it, so the
  // VM may get a config the tether rejects. Empty: none.
  std::string config_patch;
  // Confinement (review F11; vm_files.h): QEMU's seccomp sandbox, and the
  // user it drops to when attachd runs as root ("": tether-qemu, else
  // nobody; "root": stay root).
  bool sandbox = true;
  std::string qemu_user;
  // console.log and qemu.log are cut past this (vm_files.h).
  uint64_t log_max_bytes = kDefaultVmLogMaxBytes;
};

class VmLauncher {
 public:
  // `registry` must outlive the launcher. `host_key_sha256` goes into
  // every config. kInvalidArgument for a bad accel or config patch.
  static base::Result<std::unique_ptr<VmLauncher>> Create(
      uv_loop_t* loop, Registry* registry, VmOptions options,
      std::string host_key_sha256);
  // Forgets the VMs without stopping them (they are re-adopted by the
  // next attachd). StopAll first for a clean stop.
  ~VmLauncher();
  VmLauncher(const VmLauncher&) = delete;
  VmLauncher& operator=(const VmLauncher&) = delete;

  // The images containers run from; must outlive the launcher. Without
  // it every container boots the VM image's own root.
  void set_images(const ImageStore* images) { images_ = images; }

  // Where QEMU connects the guest's attach port: attachd's tether
  // listener (a wildcard host becomes loopback).
  void SetAttachAddress(const std::string& host, uint16_t port);

  // Every container with a qemu.pid: watch its QEMU again when
  // /proc/PID/cmdline shows it is that container's, else record that the
  // VM ended while attachd was away (125 and the console's error).
  void AdoptAll();

  // Boots `c`'s VM: true when it did, false when the container runs
  // already (in its VM or with a tether of its own elsewhere). The
  // VM of a run that has ended but is still powering off is killed
  // first, and a tether still connected from it dropped. A container of
  // a loaded image boots from its overlay (vm_disk.h, made on first
  // start) as /dev/vda; published ports are bound-tested first. Errors
  // are for the user: kNotFound for a missing image or QEMU, kConflict
  // for a host port in use, kIoError otherwise.
  base::Result<bool> Start(Container* c);

  // Makes `c`'s root disk (an overlay on its image's base disk) unless it
  // has one or runs the VM image's own root: at create, so a container
  // costs its overlay from the start, and again at each start in case it
  // went. Blocks for qemu-img. Errors as Start's.
  base::Status PrepareRootDisk(const Container& c) const;

  // `c` is being removed: its QEMU is killed; its end is not recorded.
  void Discard(Container* c);

  // Clean shutdown: every VM is killed and its container exits with 137.
  void StopAll();

  // Removes an auto_remove container (ContainerOps::Remove), called
  // once its VM is gone and no client watches it any more.
  void set_remover(std::function<void(Container*)> remover) {
    remover_ = std::move(remover);
  }

  bool kvm() const { return kvm_; }
  size_t vm_count() const { return vms_.size(); }

 private:
  VmLauncher(uv_loop_t* loop, Registry* registry, VmOptions options,
             std::string host_key_sha256);
  // What a start needs beyond the record: the root disk and the NIC.
  struct Boot {
    std::string overlay;  // Empty: the initramfs root.
    bool nic = false;
    std::vector<PortMapping> ports;  // As bound.
  };
  base::Result<Boot> PrepareBoot(const Container& c) const;
  base::Result<std::string> ConfigFor(const Container& c,
                                      const Boot& boot) const;
  void OnVmDone(VmInstance* vm);
  void Adopt(Container* c);
  static void OnRemoveTick(uv_timer_t* h) noexcept;
  void RemoveTick();
  void WatchLogCaps();
  static void OnLogCapTick(uv_timer_t* h) noexcept;

  uv_loop_t* loop_;
  Registry* registry_;
  const ImageStore* images_ = nullptr;
  VmOptions options_;
  std::string host_key_sha256_;
  bool kvm_ = false;
  std::string attach_host_ = "127.0.0.1";
  uint16_t attach_port_ = 0;
  std::map<VmInstance*, std::unique_ptr<VmInstance>> vms_;
  // auto_remove containers whose VM is gone, by id, with the loop time
  // their wait for clients to leave began.
  std::map<std::string, uint64_t> to_remove_;
  base::UvHandle<uv_timer_t> remove_tick_;
  base::UvHandle<uv_timer_t> log_cap_tick_;  // While VMs run.
  std::string run_as_;  // QEMU's user (-runas); empty: attachd's.
  std::function<void(Container*)> remover_;
  DeferredDelete graveyard_;
};

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_VMS_VM_LAUNCHER_H_
