#include "http/listen_address.h"

#include <arpa/inet.h>

#include <cstring>

#include "base/ip_address.h"

namespace http {
namespace {

base::Status Bad(std::string_view text, const std::string& why) {
  return base::Status::InvalidArgument("listen address \"" + std::string(text) +
                                       "\": " + why);
}

}  // namespace

base::Result<ListenAddress> ParseListenAddress(std::string_view text) {
  ListenAddress out;
  out.text = std::string(text);
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    return Bad(text, "expected HOST:PORT");
  }
  std::string_view host = text.substr(0, colon);
  std::string_view digits = text.substr(colon + 1);
  bool bracketed =
      host.size() >= 2 && host.front() == '[' && host.back() == ']';
  if (bracketed) host = host.substr(1, host.size() - 2);
  uint32_t port = 0;
  bool port_ok = !digits.empty() && digits.size() <= 5;
  for (char c : digits) {
    if (c < '0' || c > '9') port_ok = false;
    port = port * 10 + static_cast<uint32_t>(c - '0');
  }
  if (!port_ok || port > 65535) return Bad(text, "bad port");
  base::Result<base::IpAddress> ip = base::ParseIpAddress(host);
  // An unbracketed IPv6 host is ambiguous ("::1:80"); a bracketed IPv4
  // one is a form nobody writes. Both are refused.
  if (!ip.ok() || (ip->family == AF_INET6) != bracketed) {
    return Bad(text, "host must be a numeric IPv4 or [IPv6] address");
  }
  if (ip->family == AF_INET6) {
    auto* a6 = reinterpret_cast<sockaddr_in6*>(&out.addr);
    a6->sin6_family = AF_INET6;
    a6->sin6_port = htons(static_cast<uint16_t>(port));
    std::memcpy(&a6->sin6_addr, ip->bytes.data(), 16);
    out.loopback = IN6_IS_ADDR_LOOPBACK(&a6->sin6_addr);
    out.len = sizeof(sockaddr_in6);
  } else {
    auto* a4 = reinterpret_cast<sockaddr_in*>(&out.addr);
    a4->sin_family = AF_INET;
    a4->sin_port = htons(static_cast<uint16_t>(port));
    std::memcpy(&a4->sin_addr, ip->bytes.data(), 4);
    out.loopback = ip->bytes[0] == 127;
    out.len = sizeof(sockaddr_in);
  }
  return out;
}

std::string FormatAddress(const sockaddr* sa) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (sa->sa_family == AF_INET) {
    const auto* a4 = reinterpret_cast<const sockaddr_in*>(sa);
    inet_ntop(AF_INET, &a4->sin_addr, buf, sizeof(buf));
    return std::string(buf) + ":" + std::to_string(ntohs(a4->sin_port));
  }
  if (sa->sa_family == AF_INET6) {
    const auto* a6 = reinterpret_cast<const sockaddr_in6*>(sa);
    inet_ntop(AF_INET6, &a6->sin6_addr, buf, sizeof(buf));
    return "[" + std::string(buf) + "]:" + std::to_string(ntohs(a6->sin6_port));
  }
  return "?";
}

uint16_t PortOf(const sockaddr* sa) {
  if (sa->sa_family == AF_INET) {
    return ntohs(reinterpret_cast<const sockaddr_in*>(sa)->sin_port);
  }
  if (sa->sa_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6*>(sa)->sin6_port);
  }
  return 0;
}

}  // namespace http
