// `tetherctl run` with no attachd: like the docker CLI finding no daemon,
// except that it starts one. The attachd runs detached (its own session,
// stdin /dev/null, output appended to <state-dir>/attachd.log, pid in
// <state-dir>/attachd.pid) and outlives tetherctl, so the container VMs
// it owns keep their endpoint.
#ifndef TETHER_ATTACH_CTL_ATTACHD_STARTER_H_
#define TETHER_ATTACH_CTL_ATTACHD_STARTER_H_

#include <string>

#include "attach/ctl/command_context.h"
#include "base/result.h"

namespace attach {
namespace ctl {

// The attachd binary: $TETHER_ATTACHD, else `attachd` beside tetherctl's
// own binary, else `attachd` from PATH.
std::string AttachdProgram();

// When attachd answers on ctx.socket_path, nothing. When nothing listens
// there (kUnavailable from ClientConn::Connect), starts
// `attachd --state-dir STATE_DIR --listen LISTEN --pidfile ...`, waits up
// to 15 s for its socket, and tells the user on ctx.io.err:
//   tetherctl: started attachd (pid N) for DIR, listening on HOST:PORT
// An empty `listen` means: the address STATE_DIR's last attachd listened
// on (DIR/attachd.listen), when it can still be bound, so the VMs that
// attachd left running find the new one; else a free port on 127.0.0.1.
// Errors carry the text to print: the socket is not ours to use
// (kPermissionDenied), attachd could not be run, or it exited or did not
// answer in time (kUnavailable, with the last line of its log).
base::Status EnsureAttachd(const Context& ctx, const std::string& state_dir,
                           const std::string& listen);

}  // namespace ctl
}  // namespace attach

#endif  // TETHER_ATTACH_CTL_ATTACHD_STARTER_H_
