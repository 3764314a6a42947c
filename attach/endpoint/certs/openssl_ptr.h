// Owning pointers for the OpenSSL objects this folder handles.
//
// Every OpenSSL object lives in one of these from the line that creates it,
// so early returns on errors never leak (crun's cleanup attributes, in C++).
#ifndef TETHER_ATTACH_ENDPOINT_CERTS_OPENSSL_PTR_H_
#define TETHER_ATTACH_ENDPOINT_CERTS_OPENSSL_PTR_H_

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace attach {
namespace endpoint {
namespace certs {

// A deleter that calls the OpenSSL free function `F`.
template <typename T, void (*F)(T*)>
struct OpenSslDeleter {
  void operator()(T* p) const { F(p); }
};

template <typename T, void (*F)(T*)>
using OpenSslPtr = std::unique_ptr<T, OpenSslDeleter<T, F>>;

using X509Ptr = OpenSslPtr<X509, X509_free>;
using EvpPkeyPtr = OpenSslPtr<EVP_PKEY, EVP_PKEY_free>;
using EvpPkeyCtxPtr = OpenSslPtr<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using X509StorePtr = OpenSslPtr<X509_STORE, X509_STORE_free>;
using X509StoreCtxPtr = OpenSslPtr<X509_STORE_CTX, X509_STORE_CTX_free>;
using X509NamePtr = OpenSslPtr<X509_NAME, X509_NAME_free>;
using X509ExtensionPtr = OpenSslPtr<X509_EXTENSION, X509_EXTENSION_free>;
using BioPtr = OpenSslPtr<BIO, BIO_free_all>;
using BignumPtr = OpenSslPtr<BIGNUM, BN_free>;
using Asn1IntegerPtr = OpenSslPtr<ASN1_INTEGER, ASN1_INTEGER_free>;
using Asn1TimePtr = OpenSslPtr<ASN1_TIME, ASN1_TIME_free>;
using GeneralNamesPtr = OpenSslPtr<GENERAL_NAMES, GENERAL_NAMES_free>;
using SslPtr = OpenSslPtr<SSL, SSL_free>;
using SslCtxPtr = OpenSslPtr<SSL_CTX, SSL_CTX_free>;

// The STACK_OF() types have macro-made free functions; these wrap them.
inline void FreeExtendedKeyUsage(EXTENDED_KEY_USAGE* p) {
  sk_ASN1_OBJECT_pop_free(p, ASN1_OBJECT_free);
}
inline void FreeX509NameStack(STACK_OF(X509_NAME) * p) {
  sk_X509_NAME_pop_free(p, X509_NAME_free);
}
inline void FreeX509Stack(STACK_OF(X509) * p) { sk_X509_free(p); }

using ExtendedKeyUsagePtr =
    OpenSslPtr<EXTENDED_KEY_USAGE, FreeExtendedKeyUsage>;
using X509NameStackPtr = OpenSslPtr<STACK_OF(X509_NAME), FreeX509NameStack>;
// Does not own the certificates it lists: they stay owned by X509Ptrs.
using X509StackPtr = OpenSslPtr<STACK_OF(X509), FreeX509Stack>;

}  // namespace certs
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CERTS_OPENSSL_PTR_H_
