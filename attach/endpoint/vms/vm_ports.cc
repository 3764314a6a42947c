#include "attach/endpoint/vms/vm_ports.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "base/unique_fd.h"

namespace attach {
namespace endpoint {
namespace {

// Binds a socket as QEMU will (SO_REUSEADDR, as slirp sets it) and
// returns the port it got.
base::Result<uint16_t> TryBind(const PortMapping& m) {
  int type = m.proto == "udp" ? SOCK_DGRAM : SOCK_STREAM;
  base::UniqueFd fd(::socket(AF_INET, type | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return base::Status::Io("socket", errno);
  int one = 1;
  (void)::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(m.host_port);
  std::string ip = m.host_ip.empty() ? "0.0.0.0" : m.host_ip;
  if (inet_pton(AF_INET, ip.c_str(), &addr.sin_addr) != 1) {
    return base::Status::InvalidArgument("Invalid ip address: " + ip);
  }
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    int err = errno;
    std::string where = ip + ":" + std::to_string(m.host_port);
    if (err == EADDRINUSE) {
      return base::Status::Conflict("Bind for " + where +
                                    " failed: port is already allocated");
    }
    return base::Status::Io("Bind for " + where + " failed", err);
  }
  if (type == SOCK_STREAM && ::listen(fd.get(), 1) != 0) {
    return base::Status::Conflict("Bind for " + ip + ":" +
                                  std::to_string(m.host_port) +
                                  " failed: port is already allocated");
  }
  socklen_t len = sizeof(addr);
  if (::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    return base::Status::Io("getsockname", errno);
  }
  return ntohs(addr.sin_port);
}

}  // namespace

base::Result<std::vector<PortMapping>> BindPorts(
    const std::vector<PortMapping>& wanted) {
  std::vector<PortMapping> out;
  for (const PortMapping& m : wanted) {
    TETHER_RETURN_IF_ERROR(CheckPortMapping(m));
    for (const PortMapping& o : out) {
      if (m.host_port != 0 && o.host_port == m.host_port &&
          o.proto == m.proto &&
          (o.host_ip == m.host_ip || o.host_ip.empty() || m.host_ip.empty())) {
        return base::Status::Conflict(
            "Bind for " + (m.host_ip.empty() ? "0.0.0.0" : m.host_ip) + ":" +
            std::to_string(m.host_port) + " failed: port is already allocated");
      }
    }
    TETHER_ASSIGN_OR_RETURN(uint16_t port, TryBind(m));
    PortMapping bound = m;
    bound.host_port = port;
    out.push_back(bound);
  }
  return out;
}

}  // namespace endpoint
}  // namespace attach
