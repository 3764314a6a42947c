// PEM text to OpenSSL objects and back.
//
// Only PEM is accepted: it is what docker, dockerd and docker-machine read
// and write (ca.pem, cert.pem, key.pem). Errors are kInvalidArgument and
// say what was wrong with the text; callers prefix the file name.
#ifndef TETHER_ATTACH_ENDPOINT_CERTS_PEM_H_
#define TETHER_ATTACH_ENDPOINT_CERTS_PEM_H_

#include <string>
#include <vector>

#include "attach/endpoint/certs/openssl_ptr.h"
#include "base/result.h"

namespace attach {
namespace endpoint {
namespace certs {

// Every "CERTIFICATE" block of `text`, in file order (a chain file lists
// the leaf first). Fails when there is none or a block does not parse.
base::Result<std::vector<X509Ptr>> ParseCertificates(const std::string& text);

// The one private key of `text`, in any of OpenSSL's PEM forms (PKCS#8,
// "EC PRIVATE KEY", "RSA PRIVATE KEY"). Passphrase-protected keys are
// refused with a message that says so: attachd starts unattended.
base::Result<EvpPkeyPtr> ParsePrivateKey(const std::string& text);

// "-----BEGIN CERTIFICATE-----..." for `cert`.
base::Result<std::string> CertificatePem(X509* cert);
// Unencrypted PKCS#8 "-----BEGIN PRIVATE KEY-----...", which Go's
// tls.X509KeyPair reads (the docker CLI's loader). Secret.
base::Result<std::string> PrivateKeyPem(EVP_PKEY* key);

}  // namespace certs
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CERTS_PEM_H_
