// Host ports for a container VM's published ports, bound-tested before
// QEMU starts so that a taken port is the user's error at start ("Bind
// for 127.0.0.1:8080 failed: port is already allocated", docker's words),
// not QEMU's exit. A host port 0 gets a free one from the kernel.
//
// A few syscalls; loop thread.
#ifndef TETHER_ATTACH_ENDPOINT_VMS_VM_PORTS_H_
#define TETHER_ATTACH_ENDPOINT_VMS_VM_PORTS_H_

#include <vector>

#include "attach/endpoint/containers/port_mapping.h"
#include "base/result.h"

namespace attach {
namespace endpoint {

// The mappings with every host port decided and free right now.
// kConflict for a port in use, kInvalidArgument for a bad mapping.
base::Result<std::vector<PortMapping>> BindPorts(
    const std::vector<PortMapping>& wanted);

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_VMS_VM_PORTS_H_
