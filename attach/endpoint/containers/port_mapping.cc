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

base::Result<PortMapping> ParsePortKey(const std::string& key) {
  PortMapping m;
  size_t slash = key.find('/');
  std::string port = key.substr(0, slash);
  if (slash != std::string::npos) m.proto = key.substr(slash + 1);
  int64_t n = 0;
  bool digits = !port.empty() && port.size() <= 5 &&
                port.find_first_not_of("0123456789") == std::string::npos;
  if (digits) n = std::stoll(port);
  if (!digits || n < 1 || n > 65535) {
    return base::Status::InvalidArgument("invalid port specification: \"" +
                                         key + "\"");
  }
  m.container_port = static_cast<uint16_t>(n);
  return m;
}

std::string PortKey(const PortMapping& m) {
  return std::to_string(m.container_port) + "/" + m.proto;
}

bool SameContainerPort(const PortMapping& a, const PortMapping& b) {
  return a.container_port == b.container_port && a.proto == b.proto;
}

void PublishExposed(const std::vector<std::string>& exposed,
                    std::vector<PortMapping>* ports) {
  for (const std::string& key : exposed) {
    base::Result<PortMapping> m = ParsePortKey(key);
    if (!m.ok()) continue;
    bool published = false;
    for (const PortMapping& p : *ports) published |= SameContainerPort(p, *m);
    if (!published) ports->push_back(*m);
  }
}

std::string FormatPortMapping(const PortMapping& m) {
  return (m.host_ip.empty() ? "0.0.0.0" : m.host_ip) + ":" +
         std::to_string(m.host_port) + "->" + PortKey(m);
}

}  // namespace endpoint
}  // namespace attach
