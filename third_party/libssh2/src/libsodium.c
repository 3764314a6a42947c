/* Tether's libsodium crypto back-end for libssh2 1.11.1 (libsodium.h says what
 * it carries; ../README.tether.md why). Compiled through crypto.c, as
 * upstream's back-ends are. OpenSSH-format private keys are parsed by
 * libssh2's own pem.c, as openssl.c does for them.
 *
 * Every function returns what crypto.h documents for it: 0 for success and
 * non-zero for failure, except the digest and HMAC helpers, which return 1
 * for success and 0 for failure.
 *
 * SPDX-License-Identifier: BSD-3-Clause
 */

#ifdef LIBSSH2_CRYPTO_C /* Compile this via crypto.c */

#include <stdlib.h>

#if SODIUM_LIBRARY_VERSION_MAJOR < 10
#error "libsodium.c needs libsodium 1.0.12 or later (AES-GCM state API)"
#endif

static int sodium_ready = 0;

void
_libssh2_sodium_crypto_init(void)
{
    /* Picks the CPU-specific implementations (AES-NI, SSE, AVX2) and
       checks that the kernel gives randomness. */
    sodium_ready = sodium_init() >= 0;
}

/* Digests */

int
_libssh2_sha256(const unsigned char *message, size_t len, unsigned char *out)
{
    return crypto_hash_sha256(out, message, len) == 0 ? 0 : 1;
}

int
_libssh2_sha512(const unsigned char *message, size_t len, unsigned char *out)
{
    return crypto_hash_sha512(out, message, len) == 0 ? 0 : 1;
}

/* HMAC: SHA-256 and SHA-512 only (LIBSSH2_HMAC_SHA1, LIBSSH2_MD5 and
   LIBSSH2_HMAC_RIPEMD are 0, so mac.c has no other). */

int
_libssh2_hmac_ctx_init(libssh2_hmac_ctx *ctx)
{
    ctx->type = 0;
    return 1;
}

int
_libssh2_hmac_sha256_init(libssh2_hmac_ctx *ctx, void *key, size_t keylen)
{
    ctx->type = 256;
    return crypto_auth_hmacsha256_init(&ctx->u.sha256, key, keylen) == 0;
}

int
_libssh2_hmac_sha512_init(libssh2_hmac_ctx *ctx, void *key, size_t keylen)
{
    ctx->type = 512;
    return crypto_auth_hmacsha512_init(&ctx->u.sha512, key, keylen) == 0;
}

int
_libssh2_hmac_update(libssh2_hmac_ctx *ctx, const void *data, size_t datalen)
{
    if(ctx->type == 256)
        return crypto_auth_hmacsha256_update(&ctx->u.sha256, data,
                                             datalen) == 0;
    if(ctx->type == 512)
        return crypto_auth_hmacsha512_update(&ctx->u.sha512, data,
                                             datalen) == 0;
    return 0;
}

int
_libssh2_hmac_final(libssh2_hmac_ctx *ctx, void *data)
{
    if(ctx->type == 256)
        return crypto_auth_hmacsha256_final(&ctx->u.sha256, data) == 0;
    if(ctx->type == 512)
        return crypto_auth_hmacsha512_final(&ctx->u.sha512, data) == 0;
    return 0;
}

void
_libssh2_hmac_cleanup(libssh2_hmac_ctx *ctx)
{
    sodium_memzero(ctx, sizeof(*ctx));
}

/* Big numbers: the curve25519 shared secret only (libsodium.h). */

_libssh2_bn *
_libssh2_sodium_bn_init(void)
{
    return calloc(1, sizeof(_libssh2_bn));
}

int
_libssh2_bn_from_bin(_libssh2_bn *bn, size_t len, const unsigned char *v)
{
    while(len > 0 && *v == 0) {
        v++;
        len--;
    }
    if(!bn || len > sizeof(bn->bytes))
        return -1;
    memcpy(bn->bytes, v, len);
    bn->len = len;
    return 0;
}

size_t
_libssh2_sodium_bn_bits(const _libssh2_bn *bn)
{
    size_t bits;
    unsigned char top;
    if(bn->len == 0)
        return 0;
    bits = 8 * (bn->len - 1);
    for(top = bn->bytes[0]; top; top >>= 1)
        bits++;
    return bits;
}

void
_libssh2_sodium_bn_free(_libssh2_bn *bn)
{
    if(bn) {
        sodium_memzero(bn, sizeof(*bn));
        free(bn);
    }
}

/* AES-256-GCM, one call per packet */

int
_libssh2_cipher_init(_libssh2_cipher_ctx *h,
                     _libssh2_cipher_type(algo),
                     unsigned char *iv, unsigned char *secret, int encrypt)
{
    (void)encrypt;
    memset(h, 0, sizeof(*h));
    /* The tether offers aes256-gcm only where libsodium has it
       (attach/link/ssh_client.cc); anything else is a programming error,
       and failing here fails the key exchange. */
    if(algo != _libssh2_cipher_aes256gcm || !sodium_ready ||
       !crypto_aead_aes256gcm_is_available() ||
       ((uintptr_t)&h->state % 16) != 0)
        return -1;
    if(crypto_aead_aes256gcm_beforenm(&h->state, secret) != 0)
        return -1;
    memcpy(h->nonce, iv, sizeof(h->nonce));
    h->ready = 1;
    return 0;
}

/* firstlast must be FIRST_BLOCK | LAST_BLOCK: block is a whole packet, the
   4-byte packet length (authenticated, not encrypted), the encrypted part
   and the 16-byte tag, which encrypting writes and decrypting checks.
   crypt.c's whole-packet GCM method (patch 0005) is the only caller. */
int
_libssh2_cipher_crypt(_libssh2_cipher_ctx *ctx,
                      _libssh2_cipher_type(algo),
                      int encrypt, unsigned char *block, size_t blocksize,
                      int firstlast)
{
    const size_t aadlen = 4;
    const size_t taglen = crypto_aead_aes256gcm_ABYTES;
    unsigned char *data = block + aadlen;
    size_t len;
    int i;

    if(algo != _libssh2_cipher_aes256gcm || !ctx->ready ||
       firstlast != (FIRST_BLOCK | LAST_BLOCK) ||
       blocksize < aadlen + taglen)
        return 1;
    len = blocksize - aadlen - taglen;

    if(encrypt) {
        if(crypto_aead_aes256gcm_encrypt_detached_afternm(
               data, data + len, NULL, data, len, block, aadlen, NULL,
               ctx->nonce, &ctx->state) != 0)
            return 1;
    }
    else {
        if(crypto_aead_aes256gcm_decrypt_detached_afternm(
               data, NULL, data, len, data + len, block, aadlen,
               ctx->nonce, &ctx->state) != 0)
            return 1;
    }

    /* RFC 5647 section 7.1: the invocation counter, the nonce's last 8
       bytes, counts packets. */
    for(i = (int)sizeof(ctx->nonce) - 1; i >= 4; i--) {
        if(++ctx->nonce[i] != 0)
            break;
    }
    return 0;
}

/* Curve25519 key exchange */

int
_libssh2_curve25519_new(LIBSSH2_SESSION *session, uint8_t **out_public_key,
                        uint8_t **out_private_key)
{
    unsigned char priv[crypto_scalarmult_SCALARBYTES];
    unsigned char pub[crypto_scalarmult_BYTES];
    int rc = -1;

    randombytes_buf(priv, sizeof(priv));
    if(crypto_scalarmult_base(pub, priv) != 0)
        goto clean_exit;

    if(out_private_key) {
        *out_private_key = LIBSSH2_ALLOC(session, sizeof(priv));
        if(!*out_private_key)
            goto clean_exit;
        memcpy(*out_private_key, priv, sizeof(priv));
    }
    if(out_public_key) {
        *out_public_key = LIBSSH2_ALLOC(session, sizeof(pub));
        if(!*out_public_key) {
            if(out_private_key) {
                _libssh2_explicit_zero(*out_private_key, sizeof(priv));
                LIBSSH2_FREE(session, *out_private_key);
                *out_private_key = NULL;
            }
            goto clean_exit;
        }
        memcpy(*out_public_key, pub, sizeof(pub));
    }
    rc = 0;

clean_exit:
    sodium_memzero(priv, sizeof(priv));
    return rc;
}

/* RFC 8731 section 3: K is the X25519 output read as a big-endian
   integer; an all-zero output (a low-order peer key) is refused, which
   crypto_scalarmult does. */
int
_libssh2_curve25519_gen_k(_libssh2_bn **k,
                          uint8_t private_key[LIBSSH2_ED25519_KEY_LEN],
                          uint8_t server_public_key[LIBSSH2_ED25519_KEY_LEN])
{
    unsigned char shared[crypto_scalarmult_BYTES];
    int rc;

    if(!k || !*k)
        return -1;
    if(crypto_scalarmult(shared, private_key, server_public_key) != 0)
        return -1;
    rc = _libssh2_bn_from_bin(*k, sizeof(shared), shared);
    sodium_memzero(shared, sizeof(shared));
    return rc;
}

/* Ed25519 keys */

void
_libssh2_sodium_ed25519_free(libssh2_ed25519_ctx *ctx)
{
    if(ctx) {
        sodium_memzero(ctx, sizeof(*ctx));
        free(ctx);
    }
}

int
_libssh2_ed25519_new_public(libssh2_ed25519_ctx **ed_ctx,
                            LIBSSH2_SESSION *session,
                            const unsigned char *raw_pub_key,
                            const size_t key_len)
{
    libssh2_ed25519_ctx *ctx;

    if(!ed_ctx)
        return -1;
    if(key_len != crypto_sign_PUBLICKEYBYTES)
        return _libssh2_error(session, LIBSSH2_ERROR_PROTO,
                              "Wrong ED25519 public key length");
    ctx = calloc(1, sizeof(*ctx));
    if(!ctx)
        return _libssh2_error(session, LIBSSH2_ERROR_ALLOC,
                              "Unable to allocate an ED25519 key");
    memcpy(ctx->pub, raw_pub_key, key_len);
    *ed_ctx = ctx;
    return 0;
}

int
_libssh2_ed25519_verify(libssh2_ed25519_ctx *ctx, const uint8_t *s,
                        size_t s_len, const uint8_t *m, size_t m_len)
{
    if(!ctx || s_len != crypto_sign_BYTES)
        return -1;
    return crypto_sign_verify_detached(s, m, m_len, ctx->pub) == 0 ? 0 : -1;
}

int
_libssh2_ed25519_sign(libssh2_ed25519_ctx *ctx, LIBSSH2_SESSION *session,
                      uint8_t **out_sig, size_t *out_sig_len,
                      const uint8_t *message, size_t message_len)
{
    unsigned char *sig;

    *out_sig = NULL;
    *out_sig_len = 0;
    if(!ctx || !ctx->has_secret)
        return -1;
    sig = LIBSSH2_ALLOC(session, crypto_sign_BYTES);
    if(!sig)
        return -1;
    if(crypto_sign_detached(sig, NULL, message, message_len,
                            ctx->sec) != 0) {
        LIBSSH2_FREE(session, sig);
        return -1;
    }
    *out_sig = sig;
    *out_sig_len = crypto_sign_BYTES;
    return 0;
}

/* The rest of an OpenSSH "ssh-ed25519" private key record, after its type
   string: public key, secret key (seed and public key), comment and
   padding (PROTOCOL.key). The key pair is derived again from the seed and
   must match the stored public key, so a damaged key fails here, not at
   the endpoint. Any of method, pubkeydata and out_ctx may be NULL. */
static int
gen_publickey_from_ed25519_openssh_priv_data(LIBSSH2_SESSION *session,
                                             struct string_buf *decrypted,
                                             unsigned char **method,
                                             size_t *method_len,
                                             unsigned char **pubkeydata,
                                             size_t *pubkeydata_len,
                                             libssh2_ed25519_ctx **out_ctx)
{
    static const char name[] = "ssh-ed25519";
    const size_t name_len = sizeof(name) - 1;
    unsigned char *pub_key, *priv_key, *comment;
    size_t tmp_len;
    unsigned char *method_buf = NULL, *key = NULL, *p;
    size_t key_len = 4 + name_len + 4 + crypto_sign_PUBLICKEYBYTES;
    libssh2_ed25519_ctx *ctx = NULL;
    unsigned char pad = 1;

    if(_libssh2_get_string(decrypted, &pub_key, &tmp_len) ||
       tmp_len != crypto_sign_PUBLICKEYBYTES)
        return _libssh2_error(session, LIBSSH2_ERROR_PROTO,
                              "Wrong public key length");
    if(_libssh2_get_string(decrypted, &priv_key, &tmp_len) ||
       tmp_len != crypto_sign_SECRETKEYBYTES)
        return _libssh2_error(session, LIBSSH2_ERROR_PROTO,
                              "Wrong private key length");
    if(_libssh2_get_string(decrypted, &comment, &tmp_len))
        return _libssh2_error(session, LIBSSH2_ERROR_PROTO,
                              "Unable to read comment");
    while(decrypted->dataptr < decrypted->data + decrypted->len) {
        if(*decrypted->dataptr++ != pad++)
            return _libssh2_error(session, LIBSSH2_ERROR_PROTO,
                                  "Wrong padding");
    }

    ctx = calloc(1, sizeof(*ctx));
    if(!ctx)
        return _libssh2_error(session, LIBSSH2_ERROR_ALLOC,
                              "Unable to allocate an ED25519 key");
    if(crypto_sign_seed_keypair(ctx->pub, ctx->sec, priv_key) != 0 ||
       sodium_memcmp(ctx->pub, pub_key, crypto_sign_PUBLICKEYBYTES) != 0) {
        _libssh2_sodium_ed25519_free(ctx);
        return _libssh2_error(session, LIBSSH2_ERROR_PROTO,
                              "ED25519 private key does not match its "
                              "public key");
    }
    ctx->has_secret = 1;

    method_buf = LIBSSH2_ALLOC(session, name_len);
    key = LIBSSH2_ALLOC(session, key_len);
    if(!method_buf || !key) {
        if(method_buf)
            LIBSSH2_FREE(session, method_buf);
        if(key)
            LIBSSH2_FREE(session, key);
        _libssh2_sodium_ed25519_free(ctx);
        return _libssh2_error(session, LIBSSH2_ERROR_ALLOC,
                              "Unable to allocate memory for ED25519 key");
    }
    memcpy(method_buf, name, name_len);
    p = key;
    _libssh2_store_str(&p, name, name_len);
    _libssh2_store_str(&p, (const char *)ctx->pub,
                       crypto_sign_PUBLICKEYBYTES);

    if(method)
        *method = method_buf;
    else
        LIBSSH2_FREE(session, method_buf);
    if(method_len)
        *method_len = name_len;
    if(pubkeydata)
        *pubkeydata = key;
    else
        LIBSSH2_FREE(session, key);
    if(pubkeydata_len)
        *pubkeydata_len = key_len;
    if(out_ctx)
        *out_ctx = ctx;
    else
        _libssh2_sodium_ed25519_free(ctx);
    return 0;
}

/* Parsed OpenSSH key data (from a file or memory): only "ssh-ed25519". */
static int
ed25519_from_decrypted(LIBSSH2_SESSION *session, struct string_buf *decrypted,
                       unsigned char **method, size_t *method_len,
                       unsigned char **pubkeydata, size_t *pubkeydata_len,
                       libssh2_ed25519_ctx **out_ctx)
{
    unsigned char *type = NULL;
    size_t type_len = 0;
    int rc;

    if(_libssh2_get_string(decrypted, &type, &type_len) || !type) {
        rc = _libssh2_error(session, LIBSSH2_ERROR_PROTO,
                            "Public key type in decrypted key data not "
                            "found");
    }
    else if(type_len != 11 || memcmp(type, "ssh-ed25519", 11) != 0) {
        rc = _libssh2_error(session, LIBSSH2_ERROR_FILE,
                            "Unsupported private key type: this libssh2 "
                            "has ssh-ed25519 keys only");
    }
    else {
        rc = gen_publickey_from_ed25519_openssh_priv_data(
            session, decrypted, method, method_len, pubkeydata,
            pubkeydata_len, out_ctx);
    }
    _libssh2_string_buf_free(session, decrypted);
    return rc;
}

static int
ed25519_from_file(LIBSSH2_SESSION *session, const char *filename,
                  const unsigned char *passphrase,
                  unsigned char **method, size_t *method_len,
                  unsigned char **pubkeydata, size_t *pubkeydata_len,
                  libssh2_ed25519_ctx **out_ctx)
{
    struct string_buf *decrypted = NULL;
    FILE *fp;
    int rc;

    _libssh2_init_if_needed();
    fp = fopen(filename, "r");
    if(!fp)
        return _libssh2_error(session, LIBSSH2_ERROR_FILE,
                              "Unable to open private key file");
    rc = _libssh2_openssh_pem_parse(session, passphrase, fp, &decrypted);
    fclose(fp);
    if(rc)
        return rc;
    return ed25519_from_decrypted(session, decrypted, method, method_len,
                                  pubkeydata, pubkeydata_len, out_ctx);
}

static int
ed25519_from_memory(LIBSSH2_SESSION *session, const char *filedata,
                    size_t filedata_len, const unsigned char *passphrase,
                    unsigned char **method, size_t *method_len,
                    unsigned char **pubkeydata, size_t *pubkeydata_len,
                    libssh2_ed25519_ctx **out_ctx)
{
    struct string_buf *decrypted = NULL;
    int rc;

    _libssh2_init_if_needed();
    rc = _libssh2_openssh_pem_parse_memory(session, passphrase, filedata,
                                           filedata_len, &decrypted);
    if(rc)
        return rc;
    return ed25519_from_decrypted(session, decrypted, method, method_len,
                                  pubkeydata, pubkeydata_len, out_ctx);
}

int
_libssh2_ed25519_new_private(libssh2_ed25519_ctx **ed_ctx,
                             LIBSSH2_SESSION *session,
                             const char *filename, const uint8_t *passphrase)
{
    return ed25519_from_file(session, filename, passphrase, NULL, NULL, NULL,
                             NULL, ed_ctx);
}

int
_libssh2_ed25519_new_private_frommemory(libssh2_ed25519_ctx **ed_ctx,
                                        LIBSSH2_SESSION *session,
                                        const char *filedata,
                                        size_t filedata_len,
                                        unsigned const char *passphrase)
{
    return ed25519_from_memory(session, filedata, filedata_len, passphrase,
                               NULL, NULL, NULL, NULL, ed_ctx);
}

int
_libssh2_pub_priv_keyfile(LIBSSH2_SESSION *session,
                          unsigned char **method, size_t *method_len,
                          unsigned char **pubkeydata, size_t *pubkeydata_len,
                          const char *privatekey, const char *passphrase)
{
    return ed25519_from_file(session, privatekey,
                             (const unsigned char *)passphrase, method,
                             method_len, pubkeydata, pubkeydata_len, NULL);
}

int
_libssh2_pub_priv_keyfilememory(LIBSSH2_SESSION *session,
                                unsigned char **method, size_t *method_len,
                                unsigned char **pubkeydata,
                                size_t *pubkeydata_len,
                                const char *privatekeydata,
                                size_t privatekeydata_len,
                                const char *passphrase)
{
    return ed25519_from_memory(session, privatekeydata, privatekeydata_len,
                               (const unsigned char *)passphrase, method,
                               method_len, pubkeydata, pubkeydata_len, NULL);
}

/* Security keys (sk-ssh-ed25519@openssh.com) need a FIDO authenticator
   the tether never has: refused with an error, never half-supported. */

static int
no_security_keys(LIBSSH2_SESSION *session)
{
    return _libssh2_error(session, LIBSSH2_ERROR_FILE,
                          "Security key (sk-) private keys are not "
                          "supported by this libssh2");
}

int
_libssh2_ed25519_new_private_sk(libssh2_ed25519_ctx **ed_ctx,
                                unsigned char *flags,
                                const char **application,
                                const unsigned char **key_handle,
                                size_t *handle_len,
                                LIBSSH2_SESSION *session,
                                const char *filename,
                                const uint8_t *passphrase)
{
    (void)ed_ctx;
    (void)flags;
    (void)application;
    (void)key_handle;
    (void)handle_len;
    (void)filename;
    (void)passphrase;
    return no_security_keys(session);
}

int
_libssh2_ed25519_new_private_frommemory_sk(libssh2_ed25519_ctx **ed_ctx,
                                           unsigned char *flags,
                                           const char **application,
                                           const unsigned char **key_handle,
                                           size_t *handle_len,
                                           LIBSSH2_SESSION *session,
                                           const char *filedata,
                                           size_t filedata_len,
                                           unsigned const char *passphrase)
{
    (void)ed_ctx;
    (void)flags;
    (void)application;
    (void)key_handle;
    (void)handle_len;
    (void)filedata;
    (void)filedata_len;
    (void)passphrase;
    return no_security_keys(session);
}

int
_libssh2_sk_pub_keyfilememory(LIBSSH2_SESSION *session,
                              unsigned char **method, size_t *method_len,
                              unsigned char **pubkeydata,
                              size_t *pubkeydata_len,
                              int *algorithm, unsigned char *flags,
                              const char **application,
                              const unsigned char **key_handle,
                              size_t *handle_len,
                              const char *privatekeydata,
                              size_t privatekeydata_len,
                              const char *passphrase)
{
    (void)method;
    (void)method_len;
    (void)pubkeydata;
    (void)pubkeydata_len;
    (void)algorithm;
    (void)flags;
    (void)application;
    (void)key_handle;
    (void)handle_len;
    (void)privatekeydata;
    (void)privatekeydata_len;
    (void)passphrase;
    return no_security_keys(session);
}

/* No RSA: no rsa-sha2-* upgrades to offer. */
const char *
_libssh2_supported_key_sign_algorithms(LIBSSH2_SESSION *session,
                                       unsigned char *key_method,
                                       size_t key_method_len)
{
    (void)session;
    (void)key_method;
    (void)key_method_len;
    return NULL;
}

#endif /* LIBSSH2_CRYPTO_C */
