// What a docker CLI user needs to reach attachd: the env file written
// into the client bundle and the one-line hint for the start-up log.
//
// The docker CLI 20.10 reads DOCKER_HOST, DOCKER_CERT_PATH (ca.pem,
// cert.pem, key.pem), DOCKER_TLS_VERIFY (any non-empty value, even "0",
// means verify) and DOCKER_TLS (non-empty: TLS without verifying the
// server), in docker/cli cli/flags/common.go. So server mode must not
// set DOCKER_TLS_VERIFY, and unsets it in case an earlier env file did.
#ifndef TETHER_ATTACH_ENDPOINT_CERTS_CLIENT_ENV_H_
#define TETHER_ATTACH_ENDPOINT_CERTS_CLIENT_ENV_H_

#include <string>

#include "attach/endpoint/certs/tls_material.h"

namespace attach {
namespace endpoint {
namespace certs {

// `value` quoted for a POSIX shell when it needs quoting.
std::string ShellQuote(const std::string& value);

// The env file: a comment, then `export` lines for `source FILE`:
//   verify: DOCKER_HOST, DOCKER_TLS_VERIFY=1, DOCKER_CERT_PATH
//   server: DOCKER_HOST, DOCKER_TLS=1, DOCKER_CERT_PATH, and
//           `unset DOCKER_TLS_VERIFY`
// `mode` must not be kOff.
std::string EnvFileText(TlsMode mode, const std::string& docker_host,
                        const std::string& cert_path);

// See TlsMaterial::ConnectHint.
std::string ConnectHintFor(const TlsMaterial& material);

}  // namespace certs
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CERTS_CLIENT_ENV_H_
