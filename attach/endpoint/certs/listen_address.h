// The --api HOST:PORT of attachd, seen from the client's side: which name
// the server certificate must carry for it and what DOCKER_HOST to hand
// out.
#ifndef TETHER_ATTACH_ENDPOINT_CERTS_LISTEN_ADDRESS_H_
#define TETHER_ATTACH_ENDPOINT_CERTS_LISTEN_ADDRESS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace attach {
namespace endpoint {
namespace certs {

struct ListenAddress {
  std::string host;  // Without brackets: "::1", "0.0.0.0", "example".
  uint16_t port = 0;
  bool wildcard = false;  // "", 0.0.0.0 or "::": every local address.

  // The host a local client connects to: 127.0.0.1 for a wildcard (the
  // one address every such listener also serves), else `host`.
  std::string ClientHost() const;
  // "tcp://127.0.0.1:2376", "tcp://[::1]:2376": DOCKER_HOST's form.
  std::string DockerHost() const;
};

// Parses "HOST:PORT", "[IPV6]:PORT" or ":PORT" (wildcard). HOST is an IP
// literal or a DNS name; PORT is 1..65535. kInvalidArgument otherwise.
base::Result<ListenAddress> ParseListenAddress(std::string_view text);

}  // namespace certs
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CERTS_LISTEN_ADDRESS_H_
