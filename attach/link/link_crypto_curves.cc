// The elliptic curves libcrypto would carry for the static tether but the
// link never uses, answered by stand-ins (docs/vm-image.md, "A lean
// tether"). The link does curve25519 and ed25519 only (README.tether.md in
// third_party/libssh2).
//
// libcrypto's table of named curves (crypto/ec/ec_curve.c) and its group
// code (ec_lib.c) reference the optimised implementations of the NIST
// curves P-224, P-256 (with 170 KB of precomputed multiples) and P-521;
// its X25519 and Ed25519 code (ecx_exch.c, ecx_kmgmt.c, eddsa_sig.c) sits
// in the same objects as X448 and Ed448. None of them is reachable: the
// link's provider (link_crypto_provider.cc) has no EC, X448 or Ed448
// algorithm. Together they were 320 KB of the tether.
//
// attach_link_static_crypto links this with -Wl,--wrap=NAME for each NAME
// below, so every reference binds to __wrap_NAME here and libcrypto's
// objects for them are never linked. Each stand-in fails the way its
// caller checks for: a null method makes EC_GROUP_new_by_curve_name fail
// for that curve ("slot full"), and the 448 functions report failure.
#include <openssl/opensslv.h>

#include <cstddef>
#include <cstdint>

#if OPENSSL_VERSION_MAJOR != 3 || OPENSSL_VERSION_MINOR != 0
#error "link_crypto_curves.cc names OpenSSL 3.0 internals: re-check them"
#endif

extern "C" {

// crypto/ec/ecp_nistz256.c, ecp_nistp224.c, ecp_nistp521.c: methods.
const void* __wrap_EC_GFp_nistz256_method(void) { return nullptr; }
const void* __wrap_EC_GFp_nistp224_method(void) { return nullptr; }
const void* __wrap_EC_GFp_nistp521_method(void) { return nullptr; }

// Precomputation copies of groups that cannot exist without a method.
void* __wrap_EC_nistz256_pre_comp_dup(void*) { return nullptr; }
void* __wrap_EC_nistp224_pre_comp_dup(void*) { return nullptr; }
void* __wrap_EC_nistp256_pre_comp_dup(void*) { return nullptr; }
void* __wrap_EC_nistp521_pre_comp_dup(void*) { return nullptr; }
void __wrap_EC_nistz256_pre_comp_free(void*) {}
void __wrap_EC_nistp224_pre_comp_free(void*) {}
void __wrap_EC_nistp256_pre_comp_free(void*) {}
void __wrap_EC_nistp521_pre_comp_free(void*) {}

// crypto/ec/curve448/: X448 and Ed448 (include/crypto/ecx.h).
int __wrap_ossl_x448(uint8_t*, const uint8_t*, const uint8_t*) { return 0; }
void __wrap_ossl_x448_public_from_private(uint8_t*, const uint8_t*) {}
int __wrap_ossl_ed448_public_from_private(void*, uint8_t*, const uint8_t*,
                                          const char*) {
  return 0;
}
int __wrap_ossl_ed448_sign(void*, uint8_t*, const uint8_t*, size_t,
                           const uint8_t*, const uint8_t*, const uint8_t*,
                           size_t, const char*) {
  return 0;
}
int __wrap_ossl_ed448_verify(void*, const uint8_t*, size_t, const uint8_t*,
                             const uint8_t*, const uint8_t*, size_t,
                             const char*) {
  return 0;
}

}  // extern "C"
