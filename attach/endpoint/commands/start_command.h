// start on the client socket: boots a container's VM (VmLauncher).
//
// Without `attach`, it answers `done` once the VM's tether has said Hello
// (at once when a tether is connected already), or `error` when the VM
// ended first (with the tether's console error when it printed one) or
// its tether did not connect within kStartTimeoutMs (the VM keeps
// running then). With `attach`, the connection becomes an attach to the
// primary session, registered before QEMU starts, so every byte of
// output reaches the client; it ends with `exit_code` (after `error` when
// the VM failed), as attach does.
//
// Loop thread only.
#ifndef TETHER_ATTACH_ENDPOINT_COMMANDS_START_COMMAND_H_
#define TETHER_ATTACH_ENDPOINT_COMMANDS_START_COMMAND_H_

#include <uv.h>

#include <cstdint>

#include "attach/endpoint/clients/client_conn.h"
#include "attach/endpoint/containers/container.h"
#include "attach/endpoint/vms/vm_launcher.h"
#include "client.pb.h"

namespace attach {
namespace endpoint {

// A TCG boot under load takes tens of seconds; a tether that has not
// connected after this is reported, not waited for forever.
constexpr uint64_t kStartTimeoutMs = 120000;

void StartContainer(uv_loop_t* loop, ClientConn* conn, Container* c,
                    VmLauncher* vms, const ::tether::attach::StartRequest& req,
                    uint64_t timeout_ms = kStartTimeoutMs);

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_COMMANDS_START_COMMAND_H_
