// A container's root disk: a qcow2 overlay whose backing file is its
// image's read-only base disk, made at its first start and kept in its
// directory (rootfs.qcow2) until the container is removed. Writes stay in
// the overlay; starting costs the same for a 1 GiB image as for a 1 MiB
// one (nothing is copied).
#ifndef TETHER_ATTACH_ENDPOINT_VMS_VM_DISK_H_
#define TETHER_ATTACH_ENDPOINT_VMS_VM_DISK_H_

#include <string>

#include "base/result.h"

namespace attach {
namespace endpoint {

// Makes `overlay` on `base` with `qemu-img create -f qcow2 -F raw -b`
// unless it exists. Blocks for qemu-img (tens of ms). kNotFound when
// qemu-img is missing, kIoError when it fails (its message).
base::Status EnsureOverlay(const std::string& base, const std::string& overlay);

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_VMS_VM_DISK_H_
