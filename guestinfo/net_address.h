// Syntax of the network addresses in a config, numeric only.
//
// The tether is linked statically against glibc, where getaddrinfo() would
// need NSS modules that are not there, so every host is a numeric IPv4 or
// IPv6 address checked with inet_pton(3). IPv6 hosts next to a port are
// bracketed ("[fd00::1]:2377"); zone indexes ("%eth0") are not accepted.
//
// All functions are pure and return kInvalidArgument with a message that
// does not name the field; the config decoder prefixes the field path.
#ifndef TETHER_GUESTINFO_NET_ADDRESS_H_
#define TETHER_GUESTINFO_NET_ADDRESS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"
#include "base/status.h"

namespace guestinfo {

// "192.0.2.1" or "2001:db8::1".
base::Status CheckNumericIp(std::string_view text);
// "192.0.2.5/24" or "2001:db8::5/64"; the prefix length is required.
base::Status CheckCidr(std::string_view text);

struct HostPort {
  std::string host;  // Numeric, without brackets.
  uint16_t port = 0;
};
// "HOST:PORT" with PORT 1..65535 and HOST numeric ("[v6]" for IPv6).
base::Result<HostPort> ParseHostPort(std::string_view text);

// endpoint.address: where the tether dials its endpoint.
struct EndpointAddress {
  enum class Kind { kTcp, kVsock, kSerial };
  Kind kind = Kind::kTcp;
  std::string host;   // kTcp: numeric, without brackets.
  uint32_t cid = 0;   // kVsock: context id (2 is the host).
  uint32_t port = 0;  // kTcp: 1..65535; kVsock: 1..0xfffffffe.
  std::string path;   // kSerial: absolute device path.
};
// "tcp:HOST:PORT", "vsock:CID:PORT" or "serial:/PATH".
base::Result<EndpointAddress> ParseEndpointAddress(std::string_view text);

// "52:54:00:AB:cd:ef" -> "52:54:00:ab:cd:ef".
base::Result<std::string> NormalizeMac(std::string_view text);

}  // namespace guestinfo

#endif  // TETHER_GUESTINFO_NET_ADDRESS_H_
