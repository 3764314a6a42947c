// The names a server certificate is valid for (subjectAltName).
//
// Go's crypto/tls (the docker CLI) checks the host of DOCKER_HOST against
// these and nothing else: since Go 1.15 the Common Name is ignored, an IP
// host must match an IP SAN and a name a DNS SAN (shared/docker-api.md §9).
#ifndef TETHER_ATTACH_ENDPOINT_CERTS_SAN_SET_H_
#define TETHER_ATTACH_ENDPOINT_CERTS_SAN_SET_H_

#include <string>
#include <string_view>
#include <vector>

#include "base/ip_address.h"
#include "base/result.h"

namespace attach {
namespace endpoint {
namespace certs {

// A set of IP and DNS names in canonical form: IPs by family then bytes,
// DNS names lowercased and sorted, no duplicates. Two sets that name the
// same hosts compare equal whatever order they were built in.
class SanSet {
 public:
  // Adds an IP literal as an IP name, anything else as a DNS name.
  // kInvalidArgument for a string that is neither (a DNS name is
  // letters, digits, '-', '_' and dots, at most 253 characters, with an
  // optional leading "*." wildcard label).
  base::Status Add(std::string_view name);
  void AddIp(const base::IpAddress& ip);

  const std::vector<base::IpAddress>& ips() const { return ips_; }
  const std::vector<std::string>& dns() const { return dns_; }
  bool empty() const { return ips_.empty() && dns_.empty(); }
  // Whether `host` (an IP literal or a DNS name, no wildcards) is named,
  // exactly or through a "*." entry, as Go matches hosts.
  bool Matches(std::string_view host) const;
  // "IP:127.0.0.1, IP:::1, DNS:localhost" (openssl x509 -text style).
  std::string ToString() const;

  bool operator==(const SanSet& other) const;
  bool operator!=(const SanSet& other) const { return !(*this == other); }

 private:
  std::vector<base::IpAddress> ips_;
  std::vector<std::string> dns_;
};

// Whether `name` may be a DNS SAN (the rules of SanSet::Add).
bool IsDnsName(std::string_view name);

}  // namespace certs
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CERTS_SAN_SET_H_
