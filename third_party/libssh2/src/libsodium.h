#ifndef LIBSSH2_LIBSODIUM_H
#define LIBSSH2_LIBSODIUM_H
/* Tether's libsodium crypto back-end for libssh2 1.11.1 (not upstream;
 * ../README.tether.md says why and how to update it). Selected by
 * LIBSSH2_SODIUM through crypto.h, like upstream's openssl.h or mbedtls.h,
 * and implemented in libsodium.c.
 *
 * It carries exactly what the tether's link speaks (docs/protocol.md):
 * curve25519-sha256 key exchange, ssh-ed25519 host and user keys,
 * aes256-gcm@openssh.com (AES-NI and PCLMUL only; chacha20-poly1305 is
 * libssh2's cipher-chachapoly.c, on libsodium by patch 0007), hmac-sha2-256/512
 * (negotiated alongside chacha20-poly1305, never used by it), SHA-256/512
 * and random bytes. Everything else is compiled out by the LIBSSH2_* = 0
 * switches below and by tether patch 0005 (Diffie-Hellman groups, SHA-1
 * MACs, AES-128-GCM), not stubbed: no other algorithm can be negotiated.
 *
 * SPDX-License-Identifier: BSD-3-Clause
 */

#include <sodium.h>

/* The public enum has no entry for libsodium. */
#define LIBSSH2_CRYPTO_ENGINE libssh2_no_crypto

#define LIBSSH2_RSA 0
#define LIBSSH2_RSA_SHA1 0
#define LIBSSH2_RSA_SHA2 0
#define LIBSSH2_DSA 0
#define LIBSSH2_ECDSA 0
#define LIBSSH2_ED25519 1
#define LIBSSH2_MD5 0
#define LIBSSH2_HMAC_RIPEMD 0
#define LIBSSH2_HMAC_SHA1 0
#define LIBSSH2_HMAC_SHA256 1
#define LIBSSH2_HMAC_SHA512 1
#define LIBSSH2_AES_CTR 0
#define LIBSSH2_AES_CBC 0
#define LIBSSH2_AES_GCM 1
/* libsodium has AES-256-GCM only, as one call per packet (patch 0005). */
#define LIBSSH2_AES128_GCM 0
#define LIBSSH2_AES_GCM_WHOLE_PACKET 1
#define LIBSSH2_BLOWFISH 0
#define LIBSSH2_RC4 0
#define LIBSSH2_CAST 0
#define LIBSSH2_3DES 0
#define LIBSSH2_DH 0

#include "crypto_config.h"

#define MD5_DIGEST_LENGTH 16
#define SHA_DIGEST_LENGTH 20
#define SHA256_DIGEST_LENGTH crypto_hash_sha256_BYTES
#define SHA384_DIGEST_LENGTH 48
#define SHA512_DIGEST_LENGTH crypto_hash_sha512_BYTES

#define EC_MAX_POINT_LEN ((528 * 2 / 8) + 1)

/* randombytes_buf cannot fail: libsodium aborts if the kernel gives no
   randomness. */
#define _libssh2_random(buf, len) (randombytes_buf((buf), (len)), 0)

#define libssh2_prepare_iovec(vec, len)  /* Empty. */

/* SHA-1: libssh2 computes the host key's SHA-1 fingerprint during every
   key exchange (kex.c) and nothing else here needs SHA-1. libsodium has
   none, so the fingerprint is reported unavailable, as MD5's is when
   LIBSSH2_MD5 is 0: libssh2_hostkey_hash(LIBSSH2_HOSTKEY_HASH_SHA1)
   returns NULL. The tether checks the SHA-256 fingerprint. */
#define libssh2_sha1_ctx int
#define libssh2_sha1_init(x) ((void)(x), 0)
#define libssh2_sha1_update(ctx, data, len) ((void)(ctx), 0)
#define libssh2_sha1_final(ctx, out) ((void)(ctx), 0)

/* Digests: return 0 in case of failure, as every back-end's do. */
#define libssh2_sha256_ctx crypto_hash_sha256_state
#define libssh2_sha256_init(x) (crypto_hash_sha256_init(x) == 0)
#define libssh2_sha256_update(ctx, data, len) \
    (crypto_hash_sha256_update(&(ctx), (const unsigned char *)(data), \
                               (len)) == 0)
#define libssh2_sha256_final(ctx, out) \
    (crypto_hash_sha256_final(&(ctx), (out)) == 0)
int _libssh2_sha256(const unsigned char *message, size_t len,
                    unsigned char *out);
#define libssh2_sha256(x, y, z) _libssh2_sha256(x, y, z)

#define libssh2_sha512_ctx crypto_hash_sha512_state
#define libssh2_sha512_init(x) (crypto_hash_sha512_init(x) == 0)
#define libssh2_sha512_update(ctx, data, len) \
    (crypto_hash_sha512_update(&(ctx), (const unsigned char *)(data), \
                               (len)) == 0)
#define libssh2_sha512_final(ctx, out) \
    (crypto_hash_sha512_final(&(ctx), (out)) == 0)
int _libssh2_sha512(const unsigned char *message, size_t len,
                    unsigned char *out);
#define libssh2_sha512(x, y, z) _libssh2_sha512(x, y, z)

struct _libssh2_sodium_hmac_ctx {
    int type; /* 0: not keyed yet, 256 or 512 */
    union {
        crypto_auth_hmacsha256_state sha256;
        crypto_auth_hmacsha512_state sha512;
    } u;
};
#define libssh2_hmac_ctx struct _libssh2_sodium_hmac_ctx

extern void _libssh2_sodium_crypto_init(void);
#define libssh2_crypto_init() _libssh2_sodium_crypto_init()
#define libssh2_crypto_exit()

/* An Ed25519 key: the public half always, the secret one (libsodium's
   64-byte form, seed and public key) for the identity key only. */
typedef struct {
    unsigned char pub[crypto_sign_PUBLICKEYBYTES];
    unsigned char sec[crypto_sign_SECRETKEYBYTES];
    int has_secret;
} libssh2_ed25519_ctx;
void _libssh2_sodium_ed25519_free(libssh2_ed25519_ctx *ctx);
#define _libssh2_ed25519_free(ctx) _libssh2_sodium_ed25519_free(ctx)

#define _libssh2_ec_key void

/* Ciphers: libssh2 needs the type only for the methods of crypt.c that are
   compiled in. chacha20-poly1305 (cipher-chachapoly.c) never reaches the
   back-end's cipher functions. */
enum _libssh2_sodium_cipher {
    _libssh2_sodium_cipher_none = 0,
    _libssh2_sodium_cipher_aes256gcm
};
#define _libssh2_cipher_type(name) enum _libssh2_sodium_cipher name
#define _libssh2_cipher_aes256gcm _libssh2_sodium_cipher_aes256gcm
#define _libssh2_cipher_chacha20 _libssh2_sodium_cipher_none

/* AES-256-GCM as RFC 5647 uses it: the expanded key, and the 12-byte nonce
   (4 fixed bytes, then a 64-bit big-endian counter of packets). The state
   is 16-byte aligned by its type; libssh2 allocates it with malloc. */
typedef struct {
    crypto_aead_aes256gcm_state state;
    unsigned char nonce[crypto_aead_aes256gcm_NPUBBYTES];
    int ready;
} _libssh2_sodium_cipher_ctx;
#define _libssh2_cipher_ctx _libssh2_sodium_cipher_ctx
#define _libssh2_cipher_dtor(ctx) sodium_memzero((ctx), sizeof(*(ctx)))

/* Big numbers: only the curve25519 shared secret K is one (kex.c hashes it
   as an mpint), so a big-endian byte string without leading zeros is all
   libssh2 needs. The Diffie-Hellman groups, which would need arithmetic,
   are compiled out (LIBSSH2_DH above, patch 0005). */
typedef struct {
    unsigned char bytes[64];
    size_t len; /* no leading zero byte */
} _libssh2_bn;
#define _libssh2_bn_ctx void
#define _libssh2_bn_ctx_new() NULL
#define _libssh2_bn_ctx_free(bnctx) ((void)(bnctx))
_libssh2_bn *_libssh2_sodium_bn_init(void);
#define _libssh2_bn_init() _libssh2_sodium_bn_init()
#define _libssh2_bn_init_from_bin() _libssh2_bn_init()
int _libssh2_bn_from_bin(_libssh2_bn *bn, size_t len,
                         const unsigned char *v);
#define _libssh2_bn_to_bin(bn, val) \
    (memcpy((val), (bn)->bytes, (bn)->len), 0)
#define _libssh2_bn_bytes(bn) ((bn)->len)
size_t _libssh2_sodium_bn_bits(const _libssh2_bn *bn);
#define _libssh2_bn_bits(bn) _libssh2_sodium_bn_bits(bn)
void _libssh2_sodium_bn_free(_libssh2_bn *bn);
#define _libssh2_bn_free(bn) _libssh2_sodium_bn_free(bn)

/* Only for the (compiled out) Diffie-Hellman state in libssh2_priv.h. */
#define _libssh2_dh_ctx void *

#endif /* LIBSSH2_LIBSODIUM_H */
