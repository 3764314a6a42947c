// Numeric IP addresses and prefixes as the kernel wants them (network byte
// order), parsed with inet_pton(3): the static tether has no NSS, so names
// are never resolved.
#ifndef TETHER_BASE_IP_ADDRESS_H_
#define TETHER_BASE_IP_ADDRESS_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace base {

struct IpAddress {
  int family = 0;                    // AF_INET or AF_INET6.
  std::array<uint8_t, 16> bytes{};   // The first size() bytes are used.
  size_t size() const;               // 4 or 16.
  std::string ToString() const;
};

struct IpPrefix {
  IpAddress address;
  int length = 0;                    // 0..32 or 0..128.
  std::string ToString() const;      // "192.0.2.5/24".
};

// "192.0.2.1" or "2001:db8::1".
Result<IpAddress> ParseIpAddress(std::string_view text);
// "192.0.2.5/24"; the length is required.
Result<IpPrefix> ParseIpPrefix(std::string_view text);

}  // namespace base

#endif  // TETHER_BASE_IP_ADDRESS_H_
