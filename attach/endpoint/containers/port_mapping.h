// Published ports (docker run -p / -P): a host address and port that
// reach a port of the container VM. QEMU's user networking forwards them
// (vms/qemu_command.h); the guest's address is fixed (kGuestAddress).
#ifndef TETHER_ATTACH_ENDPOINT_CONTAINERS_PORT_MAPPING_H_
#define TETHER_ATTACH_ENDPOINT_CONTAINERS_PORT_MAPPING_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"

namespace attach {
namespace endpoint {

struct PortMapping {
  std::string host_ip;     // Numeric IPv4; "" means 0.0.0.0 (docker's).
  uint16_t host_port = 0;  // 0: any free port, chosen at start.
  uint16_t container_port = 0;
  std::string proto = "tcp";  // tcp or udp.

  bool operator==(const PortMapping& o) const {
    return host_ip == o.host_ip && host_port == o.host_port &&
           container_port == o.container_port && proto == o.proto;
  }
};

// Checks one mapping: a container port, tcp or udp (QEMU's user network
// forwards no other), an IPv4 host address or none. kInvalidArgument in
// docker's words ("Invalid containerPort: 0", "Invalid hostPort").
base::Status CheckPortMapping(const PortMapping& m);

// "0.0.0.0:8080->80/tcp", as docker ps prints it.
std::string FormatPortMapping(const PortMapping& m);

// A key of docker's ExposedPorts or PortBindings, "80/tcp" or "80" (tcp),
// as a mapping without a host side. kInvalidArgument "invalid port
// specification: \"x\"" for a port that is not 1..65535.
base::Result<PortMapping> ParsePortKey(const std::string& key);
// The key of a mapping: "80/tcp".
std::string PortKey(const PortMapping& m);
// The same container port and protocol, whatever the host side.
bool SameContainerPort(const PortMapping& a, const PortMapping& b);

// -P: each exposed port (ExposedPorts keys) that `ports` does not publish
// yet is added on a free host port; keys that do not parse are skipped.
void PublishExposed(const std::vector<std::string>& exposed,
                    std::vector<PortMapping>* ports);

// The container VM's network as the tether configures it and QEMU's
// user networking (slirp) serves it: the guest address, the gateway (the
// host, NAT) and the DNS forwarder.
constexpr char kGuestAddress[] = "10.0.2.15";
constexpr char kGuestCidr[] = "10.0.2.15/24";
constexpr char kGuestGateway[] = "10.0.2.2";
constexpr char kGuestDns[] = "10.0.2.3";

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CONTAINERS_PORT_MAPPING_H_
