// Server SSL_CTXs for attachd's Docker API and admin portal.
//
// The HTTP part drives OpenSSL over memory BIOs with SSL objects made
// from these contexts; it chooses the SSL modes it needs (partial writes,
// moving write buffers) per SSL. A context is immutable once made and may
// be shared by every connection on any thread.
#ifndef TETHER_ATTACH_ENDPOINT_CERTS_SERVER_CONTEXT_H_
#define TETHER_ATTACH_ENDPOINT_CERTS_SERVER_CONTEXT_H_

#include <openssl/ssl.h>

#include <memory>
#include <string>

#include "attach/endpoint/certs/tls_material.h"
#include "base/result.h"

namespace attach {
namespace endpoint {
namespace certs {

// What the server asks of clients.
enum class ClientAuth {
  kNone,      // No certificate request (server mode).
  kOptional,  // Requested; a client without one gets through, one with a
              // certificate that does not verify is refused (admin
              // portal: monitoring by certificate, people by password).
  kRequired,  // Requested and required (verify mode): no certificate or
              // one that does not verify ends the handshake.
};

// kRequired for TlsMode::kVerify, kNone otherwise.
ClientAuth ClientAuthFor(TlsMode mode);

// A TLS server context for `material`, which must come from PrepareTls in
// verify or server mode:
// - TLS 1.2 and 1.3 only; TLS 1.2 suites are ECDHE with AES-GCM or
//   ChaCha20-Poly1305 (what the docker CLI offers, shared/docker-api.md
//   §9); server preference; no renegotiation, no compression.
// - No session resumption (no cache, no tickets): the docker CLI does not
//   resume, and ticket keys would be one more secret whose compromise
//   opens recorded sessions.
// - With kOptional/kRequired: client certificates are checked against
//   the material's CA(s) only (never the system store) for clientAuth
//   use, and those CAs' names are sent in the certificate request.
// kInvalidArgument when client certificates are asked for but the
// material has no CA, or there are no credentials; kInternal when
// OpenSSL fails.
base::Result<std::shared_ptr<SSL_CTX>> MakeServerContext(
    const TlsMaterial& material, ClientAuth client_auth);

// The subject of the verified client certificate of `ssl`, one RFC 2253
// line with control characters escaped ("CN=client,O=Tether attachd"),
// for access logs; "" when the client sent none or it did not verify.
std::string PeerSubject(const SSL* ssl);

}  // namespace certs
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CERTS_SERVER_CONTEXT_H_
