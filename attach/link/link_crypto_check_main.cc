// attach_link_crypto: the static tether's trimmed libcrypto
// (link_crypto_init.cc, link_crypto_provider.cc) runs every algorithm the
// link uses, through the same calls libssh2 makes, with known answers
// where there are published ones; and it has nothing else. Linked -static
// exactly as the tether is. Prints what failed; exit status 0 when all
// passed.
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstdio>
#include <cstring>
#include <string>

namespace {

int g_failures = 0;

void Expect(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "FAILED: %s\n", what);
    ++g_failures;
  }
}

std::string Hex(const unsigned char* p, size_t n) {
  static const char kDigits[] = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < n; ++i) {
    s += kDigits[p[i] >> 4];
    s += kDigits[p[i] & 15];
  }
  return s;
}

void CheckDigestsAndHmac() {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  // FIPS 180-2, appendix B.1.
  Expect(EVP_Digest("abc", 3, md, &len, EVP_sha256(), nullptr) == 1 &&
             Hex(md, len) ==
                 "ba7816bf8f01cfea414140de5dae2223"
                 "b00361a396177a9cb410ff61f20015ad",
         "SHA-256 of \"abc\"");
  for (const EVP_MD* m : {EVP_sha1(), EVP_sha512(), EVP_md5()}) {
    Expect(EVP_Digest("abc", 3, md, &len, m, nullptr) == 1, "SHA-1/512, MD5");
  }
  // HMAC as libssh2 computes it under OpenSSL 3: EVP_MAC "HMAC", digest by
  // name. The answer is the one Wikipedia's HMAC article gives.
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  EVP_MAC_CTX* ctx = mac != nullptr ? EVP_MAC_CTX_new(mac) : nullptr;
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string("digest", digest, 0),
      OSSL_PARAM_construct_end()};
  const char msg[] = "The quick brown fox jumps over the lazy dog";
  size_t out = 0;
  bool ok = ctx != nullptr &&
            EVP_MAC_init(ctx, reinterpret_cast<const unsigned char*>("key"),
                         3, params) == 1 &&
            EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(msg),
                           sizeof(msg) - 1) == 1 &&
            EVP_MAC_final(ctx, md, &out, sizeof(md)) == 1;
  Expect(ok && Hex(md, out) ==
                   "f7bc83f430538424b13298e6aa6fb143"
                   "ef4d59a14946175997479dbc2d1a3cd8",
         "HMAC-SHA256");
  EVP_MAC_CTX_free(ctx);
  EVP_MAC_free(mac);
}

// Encrypts and decrypts one packet's worth in place, as the vendored
// libssh2 does, and checks the GCM tag catches a flipped bit.
bool GcmRoundTrip(const EVP_CIPHER* cipher, bool tamper) {
  unsigned char key[32], iv[12], data[64], orig[64], tag[16];
  if (RAND_bytes(key, sizeof(key)) != 1 || RAND_bytes(iv, sizeof(iv)) != 1 ||
      RAND_bytes(orig, sizeof(orig)) != 1) {
    return false;
  }
  std::memcpy(data, orig, sizeof(data));
  int n = 0;
  EVP_CIPHER_CTX* c = EVP_CIPHER_CTX_new();
  bool ok = EVP_CipherInit(c, cipher, key, iv, 1) == 1 &&
            EVP_CipherUpdate(c, data, &n, data, sizeof(data)) == 1 &&
            EVP_CipherFinal(c, data + n, &n) == 1 &&
            EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, tag) == 1;
  EVP_CIPHER_CTX_free(c);
  if (!ok || std::memcmp(data, orig, sizeof(data)) == 0) return false;
  if (tamper) data[0] ^= 1;
  c = EVP_CIPHER_CTX_new();
  ok = EVP_CipherInit(c, cipher, key, iv, 0) == 1 &&
       EVP_CipherUpdate(c, data, &n, data, sizeof(data)) == 1 &&
       EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, 16, tag) == 1 &&
       EVP_CipherFinal(c, data + n, &n) == 1;
  EVP_CIPHER_CTX_free(c);
  return ok && std::memcmp(data, orig, sizeof(data)) == 0;
}

void CheckCiphers() {
  Expect(GcmRoundTrip(EVP_aes_128_gcm(), false), "AES-128-GCM round trip");
  Expect(GcmRoundTrip(EVP_aes_256_gcm(), false), "AES-256-GCM round trip");
  Expect(!GcmRoundTrip(EVP_aes_128_gcm(), true), "AES-GCM detects tampering");
  for (const EVP_CIPHER* cipher : {EVP_aes_128_ctr(), EVP_aes_256_ctr()}) {
    unsigned char key[32] = {1}, iv[16] = {2}, data[32] = {};
    int n = 0;
    EVP_CIPHER_CTX* c = EVP_CIPHER_CTX_new();
    Expect(EVP_CipherInit(c, cipher, key, iv, 1) == 1 &&
               EVP_CipherUpdate(c, data, &n, data, sizeof(data)) == 1,
           "AES-CTR");
    EVP_CIPHER_CTX_free(c);
  }
}

EVP_PKEY* Generate(int id) {
  EVP_PKEY* key = nullptr;
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(id, nullptr);
  if (ctx == nullptr || EVP_PKEY_keygen_init(ctx) != 1 ||
      EVP_PKEY_keygen(ctx, &key) != 1) {
    key = nullptr;
  }
  EVP_PKEY_CTX_free(ctx);
  return key;
}

void CheckKeys() {
  // curve25519-sha256: both sides derive the same secret.
  EVP_PKEY* a = Generate(EVP_PKEY_X25519);
  EVP_PKEY* b = Generate(EVP_PKEY_X25519);
  unsigned char s1[32], s2[32];
  size_t n1 = sizeof(s1), n2 = sizeof(s2);
  auto derive = [](EVP_PKEY* mine, EVP_PKEY* peer, unsigned char* out,
                   size_t* n) {
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(mine, nullptr);
    bool ok = ctx != nullptr && EVP_PKEY_derive_init(ctx) == 1 &&
              EVP_PKEY_derive_set_peer(ctx, peer) == 1 &&
              EVP_PKEY_derive(ctx, out, n) == 1;
    EVP_PKEY_CTX_free(ctx);
    return ok;
  };
  Expect(a != nullptr && b != nullptr && derive(a, b, s1, &n1) &&
             derive(b, a, s2, &n2) && n1 == 32 &&
             std::memcmp(s1, s2, 32) == 0,
         "X25519 agreement");
  EVP_PKEY_free(a);
  EVP_PKEY_free(b);

  // ssh-ed25519: sign and verify, and a changed message fails.
  EVP_PKEY* key = Generate(EVP_PKEY_ED25519);
  unsigned char msg[] = "exchange hash", sig[64];
  size_t sig_len = sizeof(sig);
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  bool ok = key != nullptr &&
            EVP_DigestSignInit(md, nullptr, nullptr, nullptr, key) == 1 &&
            EVP_DigestSign(md, sig, &sig_len, msg, sizeof(msg)) == 1;
  EVP_MD_CTX_free(md);
  auto verify = [&](const unsigned char* m, size_t len) {
    EVP_MD_CTX* v = EVP_MD_CTX_new();
    bool good = EVP_DigestVerifyInit(v, nullptr, nullptr, nullptr, key) == 1 &&
                EVP_DigestVerify(v, sig, sig_len, m, len) == 1;
    EVP_MD_CTX_free(v);
    return good;
  };
  Expect(ok && verify(msg, sizeof(msg)), "Ed25519 sign and verify");
  msg[0] ^= 1;
  Expect(ok && !verify(msg, sizeof(msg)), "Ed25519 rejects a changed message");
  EVP_PKEY_free(key);
}

// The provider carries the link's algorithms and nothing else.
void CheckNothingElse() {
  EVP_MD* sha3 = EVP_MD_fetch(nullptr, "SHA3-256", nullptr);
  EVP_CIPHER* chacha = EVP_CIPHER_fetch(nullptr, "ChaCha20-Poly1305", nullptr);
  EVP_PKEY_CTX* rsa = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
  Expect(sha3 == nullptr && chacha == nullptr && rsa == nullptr,
         "SHA3, ChaCha20 and RSA are not available");
  EVP_MD_free(sha3);
  EVP_CIPHER_free(chacha);
  EVP_PKEY_CTX_free(rsa);
}

}  // namespace

int main() {
  // As the tether's link does before its first session (tether_link.cc).
  Expect(OPENSSL_init_crypto(0, nullptr) == 1, "OPENSSL_init_crypto");
  unsigned char random[32];
  Expect(RAND_bytes(random, sizeof(random)) == 1, "RAND_bytes");
  CheckDigestsAndHmac();
  CheckCiphers();
  CheckKeys();
  CheckNothingElse();
  if (g_failures == 0) std::puts("link crypto: all algorithms work");
  return g_failures == 0 ? 0 : 1;
}
