// attachd's own TLS set under STATE_DIR/certs/, VIC and docker-machine
// style (shared/docker-api.md §9-10):
//
//   certs/            0700
//     ca.pem          0644  CA certificate (written last: marks a whole CA)
//     ca-key.pem      0600
//     server-cert.pem 0644
//     server-key.pem  0600
//     client/         0700  DOCKER_CERT_PATH
//       ca.pem        0644  copy of ../ca.pem
//       cert.pem      0644  client certificate
//       key.pem       0600
//       env           0644  DOCKER_HOST, DOCKER_TLS_VERIFY|DOCKER_TLS,
//                           DOCKER_CERT_PATH
//
// An internal part of PrepareTls (tls_material.h), which documents the
// reuse and re-issue rules.
#ifndef TETHER_ATTACH_ENDPOINT_CERTS_GENERATED_SET_H_
#define TETHER_ATTACH_ENDPOINT_CERTS_GENERATED_SET_H_

#include <ctime>
#include <string>

#include "attach/endpoint/certs/tls_material.h"

namespace attach {
namespace endpoint {
namespace certs {

// Loads, completes or creates the set below `state_dir` (absolute) for
// `material`, whose mode, api, docker_host and server_names are set, and
// returns it with the paths, credentials and events filled in.
base::Result<TlsMaterial> PrepareGeneratedSet(const std::string& state_dir,
                                              const std::string& hostname,
                                              TlsMaterial material, time_t now);

}  // namespace certs
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CERTS_GENERATED_SET_H_
