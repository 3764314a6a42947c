// The QEMU command line of a container VM (the contract between the VM
// image, the launcher and the tether: docs/vm-image.md, docs/attachd.md
// "Container VMs"), and the test that a running process is a given
// container's QEMU, used when attachd re-adopts VMs after a restart.
//
// Pure functions: no system calls, so every rule here is unit tested.
#ifndef TETHER_ATTACH_ENDPOINT_VMS_QEMU_COMMAND_H_
#define TETHER_ATTACH_ENDPOINT_VMS_QEMU_COMMAND_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "attach/endpoint/containers/container_record.h"
#include "attach/endpoint/containers/port_mapping.h"

namespace attach {
namespace endpoint {

// What the tether in the VM dials: the virtio-serial port QEMU wires to
// attachd's TCP listener.
constexpr char kVmEndpoint[] = "serial:/dev/virtio-ports/org.tether.attach";
// The fw_cfg item the tether reads its config from.
constexpr char kFwCfgName[] = "opt/tether/config";
// The kernel command line (initramfs/cmdline; the ISO's isolinux.cfg
// carries the same one). acpi=noirq: routing a PCI interrupt through the
// ACPI link devices costs ~260 ms of a TCG boot (docs/vm-image.md).
constexpr char kKernelAppend[] =
    "console=ttyS0 quiet panic=-1 cryptomgr.notests tsc=reliable "
    "no_timer_check i8042.noaux acpi=noirq";

// The boot image: QEMU itself, the uncompressed kernel and the initramfs.
struct VmImage {
  std::string qemu = "qemu-system-x86_64";  // Searched in PATH without '/'.
  std::string kernel;                       // vmlinux (booted via PVH).
  std::string initrd;                       // initramfs.cpio.lz4
};

struct QemuLaunch {
  std::string container_dir;  // Holds config.json and console.log.
  std::string attach_host;    // attachd's numeric listen host (loopback
  uint16_t attach_port = 0;   // for a wildcard bind) and actual port.
  uint32_t memory_mb = kDefaultVmMemoryMb;
  bool kvm = false;  // -accel kvm -cpu host; else -accel tcg.
  // Confinement (review F11): QEMU's seccomp sandbox, and the user it
  // drops to once set up (-runas; empty: it stays attachd's user).
  bool sandbox = true;
  std::string run_as;
  // The container's root disk (a qcow2 overlay on its image's base
  // disk), attached as the first virtio disk (/dev/vda); empty: none.
  std::string root_disk;
  // A virtio NIC on QEMU's user network with this MAC, forwarding
  // `forwards` from the host; empty: no NIC.
  std::string mac;
  std::vector<PortMapping> forwards;
};

// Files of a VM in its container's directory.
std::string VmConfigPath(const std::string& container_dir);   // config.json
std::string VmConsolePath(const std::string& container_dir);  // console.log
std::string VmQemuLogPath(const std::string& container_dir);  // qemu.log
std::string VmPidfilePath(const std::string& container_dir);  // qemu.pid
std::string VmOverlayPath(const std::string& container_dir);  // rootfs.qcow2

// The guest NIC's MAC for container `id`: 52:54:00 and three bytes of
// the id, so it is stable across starts.
std::string VmMac(const std::string& id);

// QEMU's argv, argv[0] = image.qemu. Paths inside QEMU option lists
// (-fw_cfg) have their commas doubled, as QemuOpts requires.
std::vector<std::string> QemuArgv(const VmImage& image,
                                  const QemuLaunch& launch);

// Whether `cmdline` (the NUL-separated argv of /proc/PID/cmdline) is a
// QEMU booting the container whose config is `config_path`: argv[0]'s base
// name starts with "qemu-system" and the argv holds this container's
// -fw_cfg item. A reused pid of any other process fails the test.
bool IsQemuFor(std::string_view cmdline, const std::string& config_path);

// The attachd port a QEMU command line (NUL-separated) wires the attach
// port to; 0 when it has none. A re-adopted VM keeps dialing that port.
uint16_t AttachPortOf(std::string_view cmdline);

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_VMS_QEMU_COMMAND_H_
