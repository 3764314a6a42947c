// libcrypto's legacy key-type methods for the static tether, as empty
// stand-ins (docs/vm-image.md, "A lean tether").
//
// EVP_PKEY_meth_find (crypto/evp/pmeth_lib.c) looks a key type up in a
// sorted table of functions that return OpenSSL 1.1's EVP_PKEY_METHODs:
// RSA, RSA-PSS, DH, DHX, DSA, EC, X25519, X448, Ed25519, Ed448. pmeth_lib.o
// is linked for EVP_PKEY_CTX, so the table linked every one of those
// methods and what they call (40 KB). OpenSSL 3 uses these methods
// only for keys a program builds from legacy structures
// (EVP_PKEY_set1_RSA and the like) or that an engine provides; the link's
// keys are all provider keys made from raw bytes (ed25519, curve25519;
// libssh2's RSA and DSA code is compiled out, README.tether.md), and the
// link's provider (link_crypto_provider.cc) has no other key type anyway.
//
// attach_link_static_crypto links this with -Wl,--wrap=NAME for each NAME
// below. Each stand-in returns a method with the same key type, so the
// table stays sorted for its binary search, and no operation: callers see
// a null function and report "operation not supported".
//
// ameth_lib.c's table of EVP_PKEY_ASN1_METHODs, which keeps X509, PKCS7
// and OCSP code linked the same way, is data: wrapping its entries made
// GNU ld 2.40 crash (signal 11), so it stays.
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/opensslv.h>

#if OPENSSL_VERSION_MAJOR != 3 || OPENSSL_VERSION_MINOR != 0
#error "link_crypto_pkey_methods.cc names OpenSSL 3.0 internals: re-check"
#endif

namespace {

// crypto/evp/evp_local.h's struct evp_pkey_method_st begins with the key
// type and flags, then holds only function pointers (about thirty in
// 3.0); this is larger, and all zeros after the key type.
struct EmptyMethod {
  int pkey_id;
  int flags;
  void* functions[64];
};

constexpr EmptyMethod kRsa{NID_rsaEncryption, 0, {}};
constexpr EmptyMethod kRsaPss{NID_rsassaPss, 0, {}};
constexpr EmptyMethod kDh{NID_dhKeyAgreement, 0, {}};
constexpr EmptyMethod kDhx{NID_dhpublicnumber, 0, {}};
constexpr EmptyMethod kDsa{NID_dsa, 0, {}};
constexpr EmptyMethod kEc{NID_X9_62_id_ecPublicKey, 0, {}};
constexpr EmptyMethod kX25519{NID_X25519, 0, {}};
constexpr EmptyMethod kX448{NID_X448, 0, {}};
constexpr EmptyMethod kEd25519{NID_ED25519, 0, {}};
constexpr EmptyMethod kEd448{NID_ED448, 0, {}};

}  // namespace

extern "C" {

const void* __wrap_ossl_rsa_pkey_method(void) { return &kRsa; }
const void* __wrap_ossl_rsa_pss_pkey_method(void) { return &kRsaPss; }
const void* __wrap_ossl_dh_pkey_method(void) { return &kDh; }
const void* __wrap_ossl_dhx_pkey_method(void) { return &kDhx; }
const void* __wrap_ossl_dsa_pkey_method(void) { return &kDsa; }
const void* __wrap_ossl_ec_pkey_method(void) { return &kEc; }
const void* __wrap_ossl_ecx25519_pkey_method(void) { return &kX25519; }
const void* __wrap_ossl_ecx448_pkey_method(void) { return &kX448; }
const void* __wrap_ossl_ed25519_pkey_method(void) { return &kEd25519; }
const void* __wrap_ossl_ed448_pkey_method(void) { return &kEd448; }

}  // extern "C"
