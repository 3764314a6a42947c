// The container's root filesystem (DESIGN §4, config `rootfs`).
//
// "initramfs": the container runs in the initramfs itself; nothing to do.
// "/dev/vda" or "label:NAME": mount that block device (found by its ext4
// label for label:), move /proc, /sys, /dev and /run onto it and make it
// the root, as switch_root does. This runs before the /etc files and the
// configured mounts are written, so those land in the container's root.
#ifndef TETHER_TETHER_INIT_ROOTFS_H_
#define TETHER_TETHER_INIT_ROOTFS_H_

#include <cstdint>
#include <string>

#include "base/os.h"
#include "guestinfo/config.h"
#include "tether/init/init_report.h"

namespace tether {

inline constexpr char kRootfsMountPoint[] = "/rootfs";

// The /dev path of the block device whose ext2/3/4 label is `label`.
base::Result<std::string> FindDeviceByLabel(base::Os& os,
                                            const std::string& label);

// Waits up to `timeout_ms` for the device. Any failure is fatal: the
// container's files are not there.
InitReport SwitchToRootfs(base::Os& os, const guestinfo::RootfsConfig& rootfs,
                          int64_t timeout_ms);

}  // namespace tether

#endif  // TETHER_TETHER_INIT_ROOTFS_H_
