#include "attach/endpoint/certs/listen_address.h"

#include "attach/endpoint/certs/san_set.h"
#include "base/ip_address.h"

namespace attach {
namespace endpoint {
namespace certs {
namespace {

base::Status Bad(std::string_view text, const std::string& why) {
  return base::Status::InvalidArgument("\"" + std::string(text) + "\": " + why);
}

bool IsWildcardIp(const base::IpAddress& ip) {
  for (size_t i = 0; i < ip.size(); ++i) {
    if (ip.bytes[i] != 0) return false;
  }
  return true;
}

}  // namespace

std::string ListenAddress::ClientHost() const {
  return wildcard ? "127.0.0.1" : host;
}

std::string ListenAddress::DockerHost() const {
  std::string h = ClientHost();
  if (h.find(':') != std::string::npos) h = "[" + h + "]";
  return "tcp://" + h + ":" + std::to_string(port);
}

base::Result<ListenAddress> ParseListenAddress(std::string_view text) {
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return Bad(text, "expected HOST:PORT");
  std::string_view host = text.substr(0, colon);
  std::string_view digits = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return Bad(text, "an IPv6 host needs brackets: [ADDRESS]:PORT");
  }
  ListenAddress out;
  unsigned long port = 0;
  bool ok = !digits.empty() && digits.size() <= 5;
  for (char c : digits) {
    if (c < '0' || c > '9') ok = false;
    port = port * 10 + static_cast<unsigned long>(c - '0');
  }
  if (!ok || port == 0 || port > 65535) {
    return Bad(text, "port must be 1..65535");
  }
  out.port = static_cast<uint16_t>(port);
  out.host = std::string(host);
  base::Result<base::IpAddress> ip = base::ParseIpAddress(host);
  if (host.empty() || (ip.ok() && IsWildcardIp(*ip))) {
    out.wildcard = true;
  } else if (!ip.ok() && !IsDnsName(host)) {
    return Bad(text, "host is neither an IP address nor a DNS name");
  }
  return out;
}

}  // namespace certs
}  // namespace endpoint
}  // namespace attach
