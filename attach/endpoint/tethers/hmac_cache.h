// A cache under libssh's per-packet HMAC set-up.
//
// libssh 0.10 (src/libcrypto.c, hmac_init) computes every packet's MAC with
// a brand-new key and context: EVP_PKEY_new_mac_key, then
// EVP_DigestSignInit, then update and final. With OpenSSL 3 those two
// set-up calls go through provider and key-manager lookups; profiled at
// full speed they cost about 30% of attachd's CPU, more than the MAC
// itself. attachd defines both functions itself (the dynamic linker
// resolves libssh's calls to the executable's definitions first) and
// forwards to libcrypto's through dlsym(RTLD_NEXT, ...), except that:
//   - EVP_PKEY_new_mac_key for HMAC returns a shared key object for key
//     bytes it has seen before (OpenSSL keys are reference counted and an
//     HMAC key is never changed after creation), and
//   - EVP_DigestSignInit on such a key copies a context initialised once
//     per key and digest (EVP_MD_CTX_copy_ex) instead of fetching again.
// The MAC computed is the same; only the set-up is reused. Any other call
// goes straight to libcrypto, and so does everything when the cache is
// off. Only keys made for a connection that has logged in are cached
// (hmac_owner.h: key exchange comes before login, so otherwise anyone who
// reaches the port could fill the cache), and they go when that
// connection closes. It holds at most kHmacCacheEntries keys (least
// recently used go first); dropped keys' bytes are cleansed.
//
// Process-wide by nature. Thread-safe.
#ifndef TETHER_ATTACH_ENDPOINT_TETHERS_HMAC_CACHE_H_
#define TETHER_ATTACH_ENDPOINT_TETHERS_HMAC_CACHE_H_

#include <cstddef>

namespace attach {
namespace endpoint {

constexpr size_t kHmacCacheEntries = 16384;

// Turns the cache on unless the environment says ATTACHD_HMAC_CACHE=0.
// Returns whether it is on. Calling it also keeps this file in the link.
bool EnableHmacCache();
// Turns it off and empties it (tests).
void DisableHmacCache();
// Keys held now (tests).
size_t HmacCacheSize();

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_TETHERS_HMAC_CACHE_H_
