// The parsed key material a TLS server context is built from.
#ifndef TETHER_ATTACH_ENDPOINT_CERTS_CREDENTIALS_H_
#define TETHER_ATTACH_ENDPOINT_CERTS_CREDENTIALS_H_

#include <vector>

#include "attach/endpoint/certs/openssl_ptr.h"

namespace attach {
namespace endpoint {
namespace certs {

// Checked by PrepareTls: `key` matches `cert`, `cert` is in its validity
// window and, when there are CAs, chains to one of them. Immutable once
// built; shared by every context made from it.
struct Credentials {
  X509Ptr cert;                     // The server's own certificate.
  std::vector<X509Ptr> chain;       // Intermediates sent after it.
  EvpPkeyPtr key;                   // Its private key. Secret.
  std::vector<X509Ptr> client_cas;  // The only roots client certificates
                                    // may chain to; may be empty.
};

}  // namespace certs
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CERTS_CREDENTIALS_H_
