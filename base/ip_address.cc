#include "base/ip_address.h"

#include <arpa/inet.h>
#include <sys/socket.h>

namespace base {

size_t IpAddress::size() const { return family == AF_INET6 ? 16 : 4; }

std::string IpAddress::ToString() const {
  char buf[INET6_ADDRSTRLEN] = {};
  if (::inet_ntop(family, bytes.data(), buf, sizeof(buf)) == nullptr) {
    return "?";
  }
  return buf;
}

std::string IpPrefix::ToString() const {
  return address.ToString() + "/" + std::to_string(length);
}

Result<IpAddress> ParseIpAddress(std::string_view text) {
  // inet_pton needs a C string that ends where `text` ends.
  std::string s(text);
  IpAddress a;
  if (s.size() < INET6_ADDRSTRLEN) {
    if (::inet_pton(AF_INET, s.c_str(), a.bytes.data()) == 1) {
      a.family = AF_INET;
      return a;
    }
    if (::inet_pton(AF_INET6, s.c_str(), a.bytes.data()) == 1) {
      a.family = AF_INET6;
      return a;
    }
  }
  return Status::InvalidArgument("\"" + s +
                                 "\" is not a numeric IPv4 or IPv6 address");
}

Result<IpPrefix> ParseIpPrefix(std::string_view text) {
  size_t slash = text.find('/');
  if (slash == std::string_view::npos) {
    return Status::InvalidArgument("expected ADDRESS/PREFIX, got \"" +
                                   std::string(text) + "\"");
  }
  IpPrefix p;
  TETHER_ASSIGN_OR_RETURN(p.address, ParseIpAddress(text.substr(0, slash)));
  std::string_view digits = text.substr(slash + 1);
  const int max = p.address.family == AF_INET ? 32 : 128;
  int len = 0;
  bool ok = !digits.empty() && digits.size() <= 3;
  for (char c : digits) {
    if (c < '0' || c > '9') ok = false;
    len = len * 10 + (c - '0');
  }
  if (!ok || len > max) {
    return Status::InvalidArgument("prefix length \"" + std::string(digits) +
                                   "\" is out of range 0.." +
                                   std::to_string(max));
  }
  p.length = len;
  return p;
}

}  // namespace base
