// Makes the keys and certificates of attachd's generated TLS set.
//
// The profiles follow what the docker CLI's Go crypto/tls and OpenSSL
// verify, and what docker-machine and VIC generated (shared/docker-api.md
// §9, §10): ECDSA P-256 keys, SHA-256 signatures, X.509 v3, random 128-bit
// serials, subject and authority key identifiers on every certificate.
#ifndef TETHER_ATTACH_ENDPOINT_CERTS_ISSUER_H_
#define TETHER_ATTACH_ENDPOINT_CERTS_ISSUER_H_

#include <ctime>
#include <string>

#include "attach/endpoint/certs/openssl_ptr.h"
#include "attach/endpoint/certs/san_set.h"
#include "base/result.h"

namespace attach {
namespace endpoint {
namespace certs {

enum class CertProfile {
  // basicConstraints critical CA:TRUE, pathlen:0 (it signs leaves only);
  // keyUsage critical keyCertSign, cRLSign; no extendedKeyUsage, so it
  // does not narrow what its leaves may be used for.
  kCa,
  // CA:FALSE; keyUsage critical digitalSignature (plus keyEncipherment for
  // an RSA key); extendedKeyUsage serverAuth; subjectAltName = names.
  kServer,
  // CA:FALSE; keyUsage critical digitalSignature; extendedKeyUsage
  // clientAuth.
  kClient,
};

struct CertRequest {
  CertProfile profile = CertProfile::kClient;
  std::string common_name;  // Subject is O=Tether attachd, CN=common_name.
  SanSet names;             // Required non-empty for kServer, else unused.
  time_t not_before = 0;
  time_t not_after = 0;
};

// A fresh ECDSA P-256 key. kInternal when OpenSSL fails.
base::Result<EvpPkeyPtr> GenerateKey();

// A certificate for the public half of `subject_key`, per `request`,
// signed with SHA-256 by `issuer_key`. `issuer` is the issuing CA's
// certificate, or null for a self-signed kCa certificate (then
// `issuer_key` must be `subject_key`). Borrows every pointer.
// kInvalidArgument for an inconsistent request, kInternal when OpenSSL
// fails.
base::Result<X509Ptr> IssueCertificate(const CertRequest& request,
                                       EVP_PKEY* subject_key, X509* issuer,
                                       EVP_PKEY* issuer_key);

}  // namespace certs
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CERTS_ISSUER_H_
