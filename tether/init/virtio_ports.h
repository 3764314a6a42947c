// /dev/virtio-ports/<name> links, which udev makes on a normal system.
//
// The endpoint address names the attach port by its QEMU name
// (serial:/dev/virtio-ports/org.tether.attach) because the vportNpM numbers
// depend on device order. A container VM has no udev, so the tether makes
// the links from /sys/class/virtio-ports/*/name itself.
#ifndef TETHER_TETHER_INIT_VIRTIO_PORTS_H_
#define TETHER_TETHER_INIT_VIRTIO_PORTS_H_

#include <cstdint>
#include <string>

#include "base/os.h"
#include "tether/init/init_report.h"

namespace tether {

inline constexpr char kVirtioPortsDir[] = "/dev/virtio-ports";

// Links every named port. When `wait_for` is a path under
// /dev/virtio-ports, waits up to `timeout_ms` for that port to be announced
// (the host adds ports asynchronously after the driver probes) and reports
// a warning naming it if it never comes. Nothing is fatal: the attach link
// keeps retrying, and a missing port shows in its errors too.
InitReport LinkVirtioPorts(base::Os& os, const std::string& wait_for,
                           int64_t timeout_ms);

}  // namespace tether

#endif  // TETHER_TETHER_INIT_VIRTIO_PORTS_H_
