/* attach_link_crypto: the vendored libssh2's libsodium back-end
 * (third_party/libssh2/src/libsodium.c) runs every algorithm the link
 * negotiates, through the entry points libssh2 itself calls, with known
 * answers from the RFCs or from an independent implementation (Python's
 * `cryptography`, OpenSSL underneath); and libssh2 offers nothing else.
 * Linked -static exactly as the tether is. Prints what failed; exit status
 * 0 when all passed.
 *
 * C, not C++: it reaches into libssh2_priv.h, which is C99 only. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "libssh2_priv.h"

static int failures = 0;

static void expect(int ok, const char *what) {
  if (!ok) {
    fprintf(stderr, "FAILED: %s\n", what);
    ++failures;
  }
}

/* Compares n bytes with a hex string. */
static int same(const unsigned char *p, size_t n, const char *hex) {
  unsigned char want[128];
  size_t len = 0;
  return sodium_hex2bin(want, sizeof(want), hex, strlen(hex), NULL, &len,
                        NULL) == 0 &&
         len == n && memcmp(p, want, n) == 0;
}

static void unhex(unsigned char *out, size_t n, const char *hex) {
  size_t len = 0;
  if (sodium_hex2bin(out, n, hex, strlen(hex), NULL, &len, NULL) != 0 ||
      len != n) {
    fprintf(stderr, "bad test vector %s\n", hex);
    ++failures;
  }
}

static void check_digests_and_hmac(void) {
  static const char fox[] = "The quick brown fox jumps over the lazy dog";
  unsigned char md[SHA512_DIGEST_LENGTH];
  libssh2_sha256_ctx s256;
  libssh2_hmac_ctx h;

  /* FIPS 180-2, appendices B.1 and C.1. */
  expect(libssh2_sha256((const unsigned char *)"abc", 3, md) == 0 &&
             same(md, 32,
                  "ba7816bf8f01cfea414140de5dae2223"
                  "b00361a396177a9cb410ff61f20015ad"),
         "SHA-256");
  expect(libssh2_sha256_init(&s256) && libssh2_sha256_update(s256, "a", 1) &&
             libssh2_sha256_update(s256, "bc", 2) &&
             libssh2_sha256_final(s256, md) &&
             same(md, 32,
                  "ba7816bf8f01cfea414140de5dae2223"
                  "b00361a396177a9cb410ff61f20015ad"),
         "SHA-256, incremental");
  expect(libssh2_sha512((const unsigned char *)"abc", 3, md) == 0 &&
             same(md, 64,
                  "ddaf35a193617abacc417349ae204131"
                  "12e6fa4e89a97ea20a9eeee64b55d39a"
                  "2192992a274fc1a836ba3c23a3feebbd"
                  "454d4423643ce80e2a9ac94fa54ca49f"),
         "SHA-512");
  /* The answers Wikipedia's HMAC article gives. */
  expect(_libssh2_hmac_ctx_init(&h) &&
             _libssh2_hmac_sha256_init(&h, "key", 3) &&
             _libssh2_hmac_update(&h, fox, sizeof(fox) - 1) &&
             _libssh2_hmac_final(&h, md) &&
             same(md, 32,
                  "f7bc83f430538424b13298e6aa6fb143"
                  "ef4d59a14946175997479dbc2d1a3cd8"),
         "HMAC-SHA256");
  _libssh2_hmac_cleanup(&h);
  expect(_libssh2_hmac_ctx_init(&h) &&
             _libssh2_hmac_sha512_init(&h, "key", 3) &&
             _libssh2_hmac_update(&h, fox, sizeof(fox) - 1) &&
             _libssh2_hmac_final(&h, md) &&
             same(md, 64,
                  "b42af09057bac1e2d41708e48a902e09"
                  "b5ff7f12ab428a4fe86653c73dd248fb"
                  "82f948a549f7b791a5b41915ee4d1ec3"
                  "935357e4e2317250d0372afa2ebeeb3a"),
         "HMAC-SHA512");
  _libssh2_hmac_cleanup(&h);
}

/* RFC 7748 section 6.1; K as kex.c hashes it (RFC 8731: the X25519 output
   read as a big-endian integer). */
static void check_curve25519(LIBSSH2_SESSION *session) {
  unsigned char a[32], b_pub[32], k_bytes[32];
  unsigned char *pub = NULL, *priv = NULL;
  _libssh2_bn *k = _libssh2_bn_init();
  unsigned char zero[32] = {0};

  unhex(a, 32,
        "77076d0a7318a57d3c16c17251b26645"
        "df4c2f87ebc0992ab177fba51db92c2a");
  unhex(b_pub, 32,
        "de9edb7d7b7dc1b4d35b61c2ece43537"
        "3f8343c85b78674dadfc7e146f882b4f");
  expect(k && _libssh2_curve25519_gen_k(&k, a, b_pub) == 0 &&
             _libssh2_bn_bytes(k) == 32 && _libssh2_bn_bits(k) == 255 &&
             _libssh2_bn_to_bin(k, k_bytes) == 0 &&
             same(k_bytes, 32,
                  "4a5d9d5ba4ce2de1728e3bf480350f25"
                  "e07e21c947d19e3376f09b3c1e161742"),
         "X25519 shared secret");
  /* A low-order peer key gives an all-zero secret: refused. */
  expect(_libssh2_curve25519_gen_k(&k, a, zero) != 0,
         "X25519 refuses an all-zero shared secret");
  _libssh2_bn_free(k);

  expect(_libssh2_curve25519_new(session, &pub, &priv) == 0 && pub && priv,
         "X25519 key pair");
  if (pub && priv) {
    unsigned char check[32];
    expect(
        crypto_scalarmult_base(check, priv) == 0 && memcmp(check, pub, 32) == 0,
        "X25519 public key");
    LIBSSH2_FREE(session, pub);
    LIBSSH2_FREE(session, priv);
  }
}

static void put_string(unsigned char **p, const void *s, size_t n) {
  _libssh2_store_u32(p, (uint32_t)n);
  memcpy(*p, s, n);
  *p += n;
}

/* An unencrypted OpenSSH private key (PROTOCOL.key) holding seed/pk. */
static size_t openssh_key(char *out, size_t out_len,
                          const unsigned char seed[32],
                          const unsigned char pk[32]) {
  unsigned char blob[512], pub[64], priv[256], sk[64];
  unsigned char *p = pub, *q = priv, *b = blob;
  char b64[1024];
  size_t i, n, pad = 1;

  put_string(&p, "ssh-ed25519", 11);
  put_string(&p, pk, 32);
  _libssh2_store_u32(&q, 0x12345678);
  _libssh2_store_u32(&q, 0x12345678);
  put_string(&q, "ssh-ed25519", 11);
  put_string(&q, pk, 32);
  memcpy(sk, seed, 32);
  memcpy(sk + 32, pk, 32);
  put_string(&q, sk, 64);
  put_string(&q, "check", 5);
  while ((q - priv) % 8) *q++ = (unsigned char)pad++;

  memcpy(b, "openssh-key-v1", 15);
  b += 15;
  put_string(&b, "none", 4);
  put_string(&b, "none", 4);
  put_string(&b, "", 0);
  _libssh2_store_u32(&b, 1);
  put_string(&b, pub, (size_t)(p - pub));
  put_string(&b, priv, (size_t)(q - priv));

  sodium_bin2base64(b64, sizeof(b64), blob, (size_t)(b - blob),
                    sodium_base64_VARIANT_ORIGINAL);
  n = (size_t)snprintf(out, out_len, "-----BEGIN OPENSSH PRIVATE KEY-----\n");
  for (i = 0; i < strlen(b64); i += 70)
    n += (size_t)snprintf(out + n, out_len - n, "%.70s\n", b64 + i);
  n += (size_t)snprintf(out + n, out_len - n,
                        "-----END OPENSSH PRIVATE KEY-----\n");
  return n;
}

/* RFC 8032 section 7.1, TEST 1 (the empty message). */
static void check_ed25519(LIBSSH2_SESSION *session) {
  unsigned char seed[32], pk[32], other[32];
  char pem[2048];
  size_t pem_len;
  libssh2_ed25519_ctx *key = NULL, *pub = NULL;
  unsigned char *sig = NULL, *method = NULL, *pubdata = NULL;
  size_t sig_len = 0, method_len = 0, pubdata_len = 0;

  unhex(seed, 32,
        "9d61b19deffd5a60ba844af492ec2cc4"
        "4449c5697b326919703bac031cae7f60");
  unhex(pk, 32,
        "d75a980182b10ab7d54bfed3c964073a"
        "0ee172f3daa62325af021a68f707511a");
  pem_len = openssh_key(pem, sizeof(pem), seed, pk);

  expect(
      _libssh2_pub_priv_keyfilememory(session, &method, &method_len, &pubdata,
                                      &pubdata_len, pem, pem_len, "") == 0 &&
          method_len == 11 && memcmp(method, "ssh-ed25519", 11) == 0 &&
          pubdata_len == 51 && memcmp(pubdata + 19, pk, 32) == 0,
      "Ed25519 public key from an OpenSSH private key");
  if (method) LIBSSH2_FREE(session, method);
  if (pubdata) LIBSSH2_FREE(session, pubdata);

  expect(_libssh2_ed25519_new_private_frommemory(
             &key, session, pem, pem_len, (const unsigned char *)"") == 0 &&
             key,
         "Ed25519 OpenSSH private key");
  expect(key &&
             _libssh2_ed25519_sign(key, session, &sig, &sig_len,
                                   (const uint8_t *)"", 0) == 0 &&
             same(sig, sig_len,
                  "e5564300c360ac729086e2cc806e828a"
                  "84877f1eb8e5d974d873e06522490155"
                  "5fb8821590a33bacc61e39701cf9b46b"
                  "d25bf5f0595bbe24655141438e7a100b"),
         "Ed25519 signature");
  expect(_libssh2_ed25519_new_public(&pub, session, pk, 32) == 0 && sig &&
             _libssh2_ed25519_verify(pub, sig, sig_len, (const uint8_t *)"",
                                     0) == 0,
         "Ed25519 verifies");
  if (sig) {
    sig[7] ^= 1;
    expect(
        _libssh2_ed25519_verify(pub, sig, sig_len, (const uint8_t *)"", 0) != 0,
        "Ed25519 rejects a changed signature");
    LIBSSH2_FREE(session, sig);
  }
  _libssh2_ed25519_free(key);
  _libssh2_ed25519_free(pub);

  /* A key whose public half does not belong to its seed. */
  memcpy(other, pk, 32);
  other[0] ^= 1;
  pem_len = openssh_key(pem, sizeof(pem), seed, other);
  key = NULL;
  expect(_libssh2_ed25519_new_private_frommemory(
             &key, session, pem, pem_len, (const unsigned char *)"") != 0 &&
             !key,
         "Ed25519 refuses a key pair that does not match");
}

static const LIBSSH2_CRYPT_METHOD *crypt_method(const char *name) {
  const LIBSSH2_CRYPT_METHOD **m;
  for (m = libssh2_crypt_methods(); *m; m++) {
    if (strcmp((*m)->name, name) == 0) return *m;
  }
  return NULL;
}

/* One packet through a cipher both ways, as the transport calls it for
   LIBSSH2_CRYPT_FLAG_REQUIRES_FULL_PACKET methods (transport.c): sealing
   gets the packet from its length field on, opening gets the length field,
   the packet and the tag, and leaves the plain packet at the start. want
   is the wire form (length field, encrypted packet, tag) in hex. */
static void check_packet(LIBSSH2_SESSION *session, const char *name,
                         const char *key_hex, size_t key_len,
                         const char *iv_hex, size_t iv_len, unsigned int seqno,
                         const char *want) {
  const LIBSSH2_CRYPT_METHOD *m = crypt_method(name);
  unsigned char key[64], iv[12], plain[32], buf[4 + 32 + 16];
  unsigned char key2[64], iv2[12];
  void *enc = NULL, *dec = NULL;
  int free_iv, free_key, i;
  unsigned int len = 0;
  char what[128];

  snprintf(what, sizeof(what), "%s is compiled in", name);
  expect(m != NULL, what);
  if (!m) return;
  unhex(key, key_len, key_hex);
  if (iv_len) unhex(iv, iv_len, iv_hex);
  memcpy(key2, key, sizeof(key));
  memcpy(iv2, iv, sizeof(iv)); /* init may keep or change them */
  for (i = 0; i < 32; i++)     /* what the known answers encrypted */
    plain[i] =
        (unsigned char)((strcmp(name, "aes256-gcm@openssh.com") ? 0x10 : 0x40) +
                        i);
  snprintf(what, sizeof(what), "%s: init", name);
  expect(m->init(session, m, iv, &free_iv, key, &free_key, 1, &enc) == 0 &&
             m->init(session, m, iv2, &free_iv, key2, &free_key, 0, &dec) == 0,
         what);
  if (!enc || !dec) return;

  /* Two packets, so the nonce's progress is checked too. */
  for (i = 0; i < 2; i++) {
    _libssh2_htonu32(buf, 32);
    memcpy(buf + 4, plain, 32);
    snprintf(what, sizeof(what), "%s: packet %d sealed", name, i + 1);
    expect(m->crypt(session, seqno + i, buf, 4 + 32, &enc, 0) == 0 &&
               (i > 0 || same(buf, sizeof(buf), want)),
           what);
    snprintf(what, sizeof(what), "%s: packet %d length", name, i + 1);
    expect(m->get_len(session, seqno + i, buf, sizeof(buf), &len, &dec) == 0 &&
               len == 32,
           what);
    if (i == 0) {
      /* A fresh opener expects this packet; one changed bit. */
      unsigned char tampered[sizeof(buf)];
      void *dec2 = NULL;
      memcpy(tampered, buf, sizeof(buf));
      tampered[4 + 5] ^= 1;
      unhex(key2, key_len, key_hex);
      memcpy(iv2, iv, sizeof(iv));
      snprintf(what, sizeof(what), "%s: changed packet refused", name);
      expect(
          m->init(session, m, iv2, &free_iv, key2, &free_key, 0, &dec2) == 0 &&
              m->crypt(session, seqno, tampered, 32, &dec2, 0) != 0,
          what);
      if (dec2) m->dtor(session, &dec2);
    }
    snprintf(what, sizeof(what), "%s: packet %d opened", name, i + 1);
    /* libssh2's chacha20-poly1305 moves all but the last 4 bytes into
       place (crypt.c): those are always padding, which nobody reads. */
    expect(m->crypt(session, seqno + i, buf, 32, &dec, 0) == 0 &&
               memcmp(buf, plain,
                      strcmp(name, "chacha20-poly1305@openssh.com") == 0
                          ? 28
                          : 32) == 0,
           what);
  }
  m->dtor(session, &enc);
  m->dtor(session, &dec);
}

static void check_ciphers(LIBSSH2_SESSION *session) {
  check_packet(session, "chacha20-poly1305@openssh.com",
               "808182838485868788898a8b8c8d8e8f"
               "909192939495969798999a9b9c9d9e9f"
               "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"
               "b0b1b2b3b4b5b6b7b8b9babbbcbdbebf",
               64, "", 0, 7,
               "b4a97947de282fb64613b85883d0b672"
               "ba6724ef951cb5bd87a3703b7d2c73b7"
               "a01880a80236a59905b3e22e5a964ad3"
               "1d186968");
  if (!crypto_aead_aes256gcm_is_available()) {
    fprintf(stderr, "skipped: AES-256-GCM (no AES-NI/PCLMUL here)\n");
    return;
  }
  /* The nonce's counter ends in 0xff: the second packet's carries. */
  check_packet(session, "aes256-gcm@openssh.com",
               "000102030405060708090a0b0c0d0e0f"
               "101112131415161718191a1b1c1d1e1f",
               32, "cafebabe00000000000000ff", 12, 0,
               "00000020"
               "e9d5faebccb4e210eb3e1962371b40d2"
               "a283f5029ea62d1a1a0c21bc60876c97"
               "fb50e4596da697f3d45c90cb9b4e9fff");
}

/* What libssh2 can negotiate at all: the link's algorithms and libssh2's
   pseudo-algorithms, nothing else. */
static void check_only(LIBSSH2_SESSION *session, int type, const char *name,
                       const char *want) {
  const char **algs = NULL;
  char got[512] = "";
  int i, n = libssh2_session_supported_algs(session, type, &algs);
  for (i = 0; i < n; i++) {
    if (i) strcat(got, ",");
    strncat(got, algs[i], sizeof(got) - strlen(got) - 2);
  }
  if (algs) libssh2_free(session, (void *)algs);
  if (strcmp(got, want) != 0) {
    fprintf(stderr, "FAILED: %s: libssh2 offers %s, expected %s\n", name, got,
            want);
    ++failures;
  }
}

int main(void) {
  LIBSSH2_SESSION *session;

  if (libssh2_init(0) != 0 || !(session = libssh2_session_init())) {
    fprintf(stderr, "FAILED: libssh2_init\n");
    return 1;
  }
  check_digests_and_hmac();
  check_curve25519(session);
  check_ed25519(session);
  check_ciphers(session);
  check_only(session, LIBSSH2_METHOD_KEX, "key exchange",
             "curve25519-sha256,curve25519-sha256@libssh.org,"
             "ext-info-c,kex-strict-c-v00@openssh.com");
  check_only(session, LIBSSH2_METHOD_HOSTKEY, "host keys",
             "ssh-ed25519,ssh-ed25519-cert-v01@openssh.com");
  check_only(session, LIBSSH2_METHOD_CRYPT_CS, "ciphers",
             "chacha20-poly1305@openssh.com,aes256-gcm@openssh.com");
  check_only(session, LIBSSH2_METHOD_MAC_CS, "MACs",
             "hmac-sha2-256,hmac-sha2-256-etm@openssh.com,"
             "hmac-sha2-512,hmac-sha2-512-etm@openssh.com");
  libssh2_session_free(session);
  libssh2_exit();
  if (failures == 0)
    printf("libsodium back-end: all link algorithms pass, no others\n");
  return failures == 0 ? 0 : 1;
}
