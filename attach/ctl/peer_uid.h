// Who is on the other end of a loopback TCP connection (review F10):
// `tetherctl pprof` serves a container's profiles with the operator's
// socket rights, so it must not serve every local user who can reach its
// port. The kernel's socket tables (/proc/net/tcp, tcp6) name the owner
// of the peer's socket.
#ifndef TETHER_ATTACH_CTL_PEER_UID_H_
#define TETHER_ATTACH_CTL_PEER_UID_H_

#include <sys/types.h>

#include "base/result.h"

namespace attach {
namespace ctl {

// The uid owning the socket at the other end of the connected TCP socket
// `fd`, when that end is on this host. kNotFound when the peer is not a
// local socket; kIoError when the tables cannot be read.
base::Result<uid_t> LocalPeerUid(int fd);

// Whether `fd`'s peer is a local socket of `uid` or of root.
bool PeerIsUserOrRoot(int fd, uid_t uid);

}  // namespace ctl
}  // namespace attach

#endif  // TETHER_ATTACH_CTL_PEER_UID_H_
