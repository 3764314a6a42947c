#include "attach/link/ssh_client.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <sodium.h>

#include <algorithm>
#include <fstream>

#include "attach/link/test_support.h"

namespace attach {
namespace {

// The fingerprint the link compares must be exactly what `ssh-keygen -l`
// prints for the endpoint's key, since that is what goes in the config.
TEST(FormatSha256Fingerprint, MatchesSshKeygen) {
  testing::TempDir dir;
  testing::TestKey key = testing::MakeKey(dir.path(), "host");
  std::ifstream in(key.public_path);
  std::string type, b64;
  in >> type >> b64;
  ASSERT_EQ(type, "ssh-ed25519");
  std::string blob(b64.size(), '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(&blob[0]),
                          reinterpret_cast<const unsigned char*>(b64.data()),
                          static_cast<int>(b64.size()));
  ASSERT_GT(n, 0);
  // EVP_DecodeBlock counts padding as data; '=' marks bytes to drop.
  size_t len = static_cast<size_t>(n) -
               static_cast<size_t>(std::count(b64.begin(), b64.end(), '='));
  unsigned char hash[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(blob.data()), len, hash);
  EXPECT_EQ(FormatSha256Fingerprint(hash, sizeof(hash)), key.fingerprint);
}

TEST(FormatSha256Fingerprint, HasNoPadding) {
  unsigned char zeros[32] = {};
  EXPECT_EQ(FormatSha256Fingerprint(zeros, sizeof(zeros)),
            "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
}

// AES-GCM only where libsodium can run it (the cipher's init would fail
// after negotiation otherwise); chacha20-poly1305 everywhere.
TEST(LinkCiphers, OffersAesGcmOnlyWhereLibsodiumHasIt) {
  std::string ciphers = LinkCiphers();
  EXPECT_EQ(ciphers.find("aes256-gcm@openssh.com") == 0,
            crypto_aead_aes256gcm_is_available() == 1);
  EXPECT_NE(ciphers.find("chacha20-poly1305@openssh.com"), std::string::npos);
}

}  // namespace
}  // namespace attach
