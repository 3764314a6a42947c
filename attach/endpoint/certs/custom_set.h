// The user's own --tlscacert / --tlscert / --tlskey, checked at start so
// that a bad file is an error naming it rather than a handshake failure
// for every client later.
//
// An internal part of PrepareTls (tls_material.h).
#ifndef TETHER_ATTACH_ENDPOINT_CERTS_CUSTOM_SET_H_
#define TETHER_ATTACH_ENDPOINT_CERTS_CUSTOM_SET_H_

#include <ctime>

#include "attach/endpoint/certs/tls_material.h"

namespace attach {
namespace endpoint {
namespace certs {

// Whether `options` names any custom file.
bool HasCustomFiles(const TlsOptions& options);

// Loads and checks the files of `options` for `material` (mode, api and
// docker_host set). --tlscert and --tlskey go together; verify mode
// needs --tlscacert. kInvalidArgument or kNotFound, the message starting
// with the flag and file. What would make clients fail but need not stop
// attachd (a name missing from the certificate, SHA-1, near expiry, a
// key others can read) becomes a warning.
base::Result<TlsMaterial> PrepareCustomSet(const TlsOptions& options,
                                           TlsMaterial material, time_t now);

}  // namespace certs
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CERTS_CUSTOM_SET_H_
