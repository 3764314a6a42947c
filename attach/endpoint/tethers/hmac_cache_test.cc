// The HMAC set-up cache computes exactly the MACs libcrypto computes.
#include "attach/endpoint/tethers/hmac_cache.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <string>

#include "attach/endpoint/tethers/hmac_owner.h"

namespace attach {
namespace endpoint {
namespace {

// As libssh's hmac_init/update/final do it, per packet.
std::string LibsshStyleMac(const std::string& key, const std::string& data,
                           const EVP_MD* md) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_PKEY* pkey =
      EVP_PKEY_new_mac_key(EVP_PKEY_HMAC, nullptr,
                           reinterpret_cast<const unsigned char*>(key.data()),
                           static_cast<int>(key.size()));
  EXPECT_NE(pkey, nullptr);
  EXPECT_EQ(EVP_DigestSignInit(ctx, nullptr, md, nullptr, pkey), 1);
  EVP_PKEY_free(pkey);
  EVP_DigestSignUpdate(ctx, data.data(), data.size());
  unsigned char out[EVP_MAX_MD_SIZE];
  size_t len = sizeof(out);
  EXPECT_EQ(EVP_DigestSignFinal(ctx, out, &len), 1);
  EVP_MD_CTX_free(ctx);
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string OneShotMac(const std::string& key, const std::string& data,
                       const EVP_MD* md) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(md, key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out,
       &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string Key(int i) {
  return "key-" + std::to_string(i) + std::string(24, 'k');
}

TEST(HmacCache, SameMacsReusedKeysBoundedSize) {
  DisableHmacCache();  // Empty, whatever ran before in this process.
  ASSERT_TRUE(EnableHmacCache());
  int owner = 0;
  HmacOwnerScope scope(&owner);
  const std::string data(32768, 'd');
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 3; ++i) {
      EXPECT_EQ(LibsshStyleMac(Key(i), data, EVP_sha256()),
                OneShotMac(Key(i), data, EVP_sha256()));
      EXPECT_EQ(LibsshStyleMac(Key(i), data, EVP_sha1()),
                OneShotMac(Key(i), data, EVP_sha1()));
    }
  }
  EXPECT_EQ(HmacCacheSize(), 3u);
  for (size_t i = 0; i < kHmacCacheEntries + 10; ++i) {
    (void)LibsshStyleMac(Key(1000 + static_cast<int>(i)), "x", EVP_sha256());
  }
  EXPECT_EQ(HmacCacheSize(), kHmacCacheEntries);
  // An evicted key comes back, still right.
  EXPECT_EQ(LibsshStyleMac(Key(0), data, EVP_sha256()),
            OneShotMac(Key(0), data, EVP_sha256()));
  DisableHmacCache();
  EXPECT_EQ(HmacCacheSize(), 0u);
  EXPECT_EQ(LibsshStyleMac(Key(1), data, EVP_sha512()),
            OneShotMac(Key(1), data, EVP_sha512()));
}

// Review F15: key exchange precedes login, so keys made for no logged-in
// connection are not kept, and a connection's keys go when it closes.
TEST(HmacCache, KeepsOnlyOwnedKeysAndReleasesThem) {
  DisableHmacCache();
  ASSERT_TRUE(EnableHmacCache());
  const std::string data(100, 'd');
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(LibsshStyleMac(Key(i), data, EVP_sha256()),
              OneShotMac(Key(i), data, EVP_sha256()));
  }
  EXPECT_EQ(HmacCacheSize(), 0u);
  int a = 0, b = 0;
  {
    HmacOwnerScope scope(&a);
    (void)LibsshStyleMac(Key(1), data, EVP_sha256());
    (void)LibsshStyleMac(Key(2), data, EVP_sha256());
  }
  {
    HmacOwnerScope scope(&b);
    (void)LibsshStyleMac(Key(3), data, EVP_sha256());
  }
  EXPECT_EQ(HmacCacheSize(), 3u);
  ReleaseHmacKeys(&a);
  EXPECT_EQ(HmacCacheSize(), 1u);
  ReleaseHmacKeys(&b);
  EXPECT_EQ(HmacCacheSize(), 0u);
  // Still right after the release.
  HmacOwnerScope scope(&a);
  EXPECT_EQ(LibsshStyleMac(Key(1), data, EVP_sha256()),
            OneShotMac(Key(1), data, EVP_sha256()));
  DisableHmacCache();
}

}  // namespace
}  // namespace endpoint
}  // namespace attach
