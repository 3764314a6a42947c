#include "attach/ctl/publish_flag.h"

#include <string>

namespace attach {
namespace ctl {
namespace {

// "80" or "8000-8010" into [first, last]; false when not ports.
bool ParseRange(const std::string& s, unsigned* first, unsigned* last) {
  size_t dash = s.find('-');
  std::string a = s.substr(0, dash);
  std::string b = dash == std::string::npos ? a : s.substr(dash + 1);
  auto number = [](const std::string& t, unsigned* out) {
    if (t.empty() || t.size() > 5) return false;
    unsigned v = 0;
    for (char c : t) {
      if (c < '0' || c > '9') return false;
      v = v * 10 + static_cast<unsigned>(c - '0');
    }
    *out = v;
    return v <= 65535;
  };
  return number(a, first) && number(b, last) && *first <= *last;
}

}  // namespace

base::Result<std::vector<tether::attach::PortBinding>> ParsePublish(
    std::string_view spec_view) {
  std::string spec(spec_view);
  std::string proto = "tcp";
  size_t slash = spec.rfind('/');
  if (slash != std::string::npos) {
    proto = spec.substr(slash + 1);
    spec = spec.substr(0, slash);
    if (proto != "tcp" && proto != "udp" && proto != "sctp") {
      return base::Status::InvalidArgument("Invalid proto: " + proto);
    }
  }
  std::string ip, host, container = spec;
  size_t last = spec.rfind(':');
  if (last != std::string::npos) {
    container = spec.substr(last + 1);
    std::string rest = spec.substr(0, last);
    size_t first = rest.rfind(':');
    if (first == std::string::npos) {
      host = rest;
    } else {
      ip = rest.substr(0, first);
      host = rest.substr(first + 1);
      if (ip.size() >= 2 && ip.front() == '[' && ip.back() == ']') {
        ip = ip.substr(1, ip.size() - 2);
      }
    }
  }
  unsigned c_first = 0, c_last = 0, h_first = 0, h_last = 0;
  if (!ParseRange(container, &c_first, &c_last) || c_first == 0) {
    return base::Status::InvalidArgument("Invalid containerPort: " + container);
  }
  if (!host.empty() && !ParseRange(host, &h_first, &h_last)) {
    return base::Status::InvalidArgument("Invalid hostPort: " + host);
  }
  if (!host.empty() && h_last - h_first != c_last - c_first &&
      h_first != h_last) {
    return base::Status::InvalidArgument(
        "Invalid ranges specified for container and host Ports: " + container +
        " and " + host);
  }
  std::vector<tether::attach::PortBinding> out;
  for (unsigned p = c_first; p <= c_last; ++p) {
    tether::attach::PortBinding b;
    b.set_host_ip(ip);
    if (!host.empty()) b.set_host_port(h_first == h_last ? h_first : h_first + (p - c_first));
    b.set_container_port(p);
    b.set_proto(proto);
    out.push_back(b);
  }
  return out;
}

}  // namespace ctl
}  // namespace attach
