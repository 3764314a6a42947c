// Where the tether dials its endpoint, resolved to what the kernel needs.
//
// The syntax (tcp:IPv4:PORT, tcp:[IPv6]:PORT, vsock:CID:PORT,
// serial:/PATH) is guestinfo's, shared with the config validator so both
// accept exactly the same strings; this adds the socket address. Hosts are
// numeric only (inet_pton): the static tether has no NSS, so no DNS.
#ifndef TETHER_ATTACH_LINK_ADDRESS_H_
#define TETHER_ATTACH_LINK_ADDRESS_H_

#include <sys/socket.h>

#include <string>
#include <string_view>

#include "base/result.h"
#include "guestinfo/net_address.h"

namespace attach {

struct Address {
  using Kind = guestinfo::EndpointAddress::Kind;
  Kind kind = Kind::kTcp;
  std::string text;  // As configured; used in every message about it.
  // kTcp and kVsock: the peer for connect(2).
  sockaddr_storage sockaddr{};
  socklen_t sockaddr_len = 0;
  std::string path;  // kSerial: the character device.
};

// Parses an endpoint.address. Returns kInvalidArgument naming the problem:
// `endpoint address "tcp:host:1": expected a numeric IPv4 address or
// [IPv6], got "host"`.
base::Result<Address> ParseEndpointAddress(std::string_view text);

}  // namespace attach

#endif  // TETHER_ATTACH_LINK_ADDRESS_H_
