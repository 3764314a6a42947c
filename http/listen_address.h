// Numeric listen addresses ("127.0.0.1:6060", "[::1]:0", "0.0.0.0:2376")
// and the peer addresses the server reports ("192.0.2.7:51234",
// "[2001:db8::7]:51234"). Numeric only: the static tether has no NSS, so
// names are never resolved. Pure functions.
#ifndef TETHER_HTTP_LISTEN_ADDRESS_H_
#define TETHER_HTTP_LISTEN_ADDRESS_H_

#include <netinet/in.h>
#include <sys/socket.h>

#include <string>
#include <string_view>

#include "base/result.h"

namespace http {

struct ListenAddress {
  sockaddr_storage addr{};
  socklen_t len = 0;
  bool loopback = false;  // 127.0.0.0/8 or ::1.
  std::string text;       // As given.
};

// "HOST:PORT" with a numeric IPv4 host or a bracketed IPv6 one; port 0
// lets the kernel pick. kInvalidArgument says what is wrong.
base::Result<ListenAddress> ParseListenAddress(std::string_view text);

// "192.0.2.7:51234" or "[2001:db8::7]:51234"; "?" for other families.
std::string FormatAddress(const sockaddr* sa);

// The port of an AF_INET or AF_INET6 address, host byte order; else 0.
uint16_t PortOf(const sockaddr* sa);

}  // namespace http

#endif  // TETHER_HTTP_LISTEN_ADDRESS_H_
