// Questions asked of a parsed certificate before it is trusted to serve:
// is it in its validity window, does the key belong to it, does it chain
// to the CA, what names and usages does it carry.
//
// All functions borrow their arguments and keep nothing. Checks return
// kInvalidArgument with a message meant for the user (callers prefix the
// file name); predicates return bool.
#ifndef TETHER_ATTACH_ENDPOINT_CERTS_CERT_INSPECT_H_
#define TETHER_ATTACH_ENDPOINT_CERTS_CERT_INSPECT_H_

#include <ctime>
#include <string>
#include <vector>

#include "attach/endpoint/certs/openssl_ptr.h"
#include "attach/endpoint/certs/san_set.h"
#include "base/status.h"

namespace attach {
namespace endpoint {
namespace certs {

// "2026-03-01 12:00:00 UTC".
std::string FormatTime(const ASN1_TIME* t);
// RFC 2253, one line, most specific first: "CN=client,O=Tether attachd".
// Control and non-ASCII bytes are escaped, so it is safe in a log line.
std::string NameLine(const X509_NAME* name);

// "expired on ..." or "not valid before ..." at `now`.
base::Status CheckValidAt(X509* cert, time_t now);
// NotAfter as a time_t (0 when unreadable).
time_t NotAfter(X509* cert);
// Whether NotAfter is at most `seconds` after `now`.
bool ExpiresWithin(X509* cert, time_t now, time_t seconds);

// basicConstraints CA:TRUE and, when keyUsage is present, keyCertSign:
// what OpenSSL and Go require of an issuer.
bool IsCa(X509* cert);
// Whether `cert` may be used for `eku_nid` (NID_server_auth,
// NID_client_auth): true when the extension lists it or is absent (RFC
// 5280: no extendedKeyUsage means any).
bool AllowsUsage(X509* cert, int eku_nid);
// Whether `key` is the private half of `cert`'s public key.
bool KeyMatches(X509* cert, EVP_PKEY* key);
// Whether the signature uses SHA-1 (or MD5), which Go refuses since 1.18.
bool HasWeakSignature(X509* cert);

// The IP and DNS entries of the subjectAltName extension (other kinds are
// ignored); empty when there is none.
SanSet SubjectAltNames(X509* cert);

// Verifies `leaf` (with `intermediates`, untrusted) up to one of `cas` at
// `now`, for `purpose` ("ssl_server" or "ssl_client", as OpenSSL's TLS code
// does). No system trust store takes part. The message is OpenSSL's
// reason ("unable to get local issuer certificate", ...).
base::Status VerifyChain(X509* leaf, const std::vector<X509Ptr>& intermediates,
                         const std::vector<X509Ptr>& cas, const char* purpose,
                         time_t now);

}  // namespace certs
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CERTS_CERT_INSPECT_H_
