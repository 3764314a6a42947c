#include "attach/ctl/peer_uid.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

namespace attach {
namespace ctl {
namespace {

// An address as /proc/net/tcp{,6} prints it: each 32-bit word of the
// address in host order as %08X, then the port as %04X.
std::string TableAddress(const sockaddr_storage& ss) {
  char buf[64];
  if (ss.ss_family == AF_INET) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(&ss);
    std::snprintf(buf, sizeof(buf), "%08X:%04X", a->sin_addr.s_addr,
                  ntohs(a->sin_port));
    return buf;
  }
  const auto* a = reinterpret_cast<const sockaddr_in6*>(&ss);
  uint32_t w[4];
  std::memcpy(w, &a->sin6_addr, sizeof(w));
  std::snprintf(buf, sizeof(buf), "%08X%08X%08X%08X:%04X", w[0], w[1], w[2],
                w[3], ntohs(a->sin6_port));
  return buf;
}

}  // namespace

base::Result<uid_t> LocalPeerUid(int fd) {
  sockaddr_storage self = {}, peer = {};
  socklen_t len = sizeof(self);
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&self), &len) != 0) {
    return base::Status::Io("getsockname", errno);
  }
  len = sizeof(peer);
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &len) != 0) {
    return base::Status::Io("getpeername", errno);
  }
  if (self.ss_family != AF_INET && self.ss_family != AF_INET6) {
    return base::Status::NotFound("not a TCP socket");
  }
  // The peer's own socket: its local address is our peer, its remote ours.
  const std::string want_local = TableAddress(peer);
  const std::string want_remote = TableAddress(self);
  const char* table =
      self.ss_family == AF_INET ? "/proc/net/tcp" : "/proc/net/tcp6";
  std::ifstream in(table);
  if (!in) return base::Status::Io(std::string("open ") + table, errno);
  std::string line;
  std::getline(in, line);  // Header.
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string sl, local, remote, st, queues, timer, retr;
    unsigned long uid = 0;
    if (!(f >> sl >> local >> remote >> st >> queues >> timer >> retr >> uid)) {
      continue;
    }
    if (local == want_local && remote == want_remote) {
      return static_cast<uid_t>(uid);
    }
  }
  return base::Status::NotFound("the peer is not a socket on this host");
}

bool PeerIsUserOrRoot(int fd, uid_t uid) {
  base::Result<uid_t> peer = LocalPeerUid(fd);
  return peer.ok() && (*peer == uid || *peer == 0);
}

}  // namespace ctl
}  // namespace attach
