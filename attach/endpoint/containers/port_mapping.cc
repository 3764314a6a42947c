#include "attach/endpoint/containers/port_mapping.h"

#include <arpa/inet.h>

namespace attach {
namespace endpoint {

base::Status CheckPortMapping(const PortMapping& m) {
  if (m.container_port == 0) {
    return base::Status::InvalidArgument("Invalid containerPort: 0");
  }
  if (m.proto != "tcp" && m.proto != "udp") {
    return base::Status::InvalidArgument(
        "Invalid proto: " + m.proto +
        " (container VMs forward tcp and udp ports)");
  }
  if (!m.host_ip.empty()) {
    in_addr addr;
    if (inet_pton(AF_INET, m.host_ip.c_str(), &addr) != 1) {
      return base::Status::InvalidArgument(
          "Invalid ip address: " + m.host_ip +
          " (container VMs publish on IPv4 host addresses)");
    }
  }
  return base::Status::Ok();
}

std::string FormatPortMapping(const PortMapping& m) {
  return (m.host_ip.empty() ? "0.0.0.0" : m.host_ip) + ":" +
         std::to_string(m.host_port) + "->" +
         std::to_string(m.container_port) + "/" + m.proto;
}

}  // namespace endpoint
}  // namespace attach
