#include "guestinfo/encoding.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "guestinfo/base64.h"
#include "guestinfo/limits.h"

namespace guestinfo {
namespace {

std::string Error(std::string_view data, std::string_view encoding) {
  base::Result<std::string> r = DecodePayload(data, encoding);
  EXPECT_FALSE(r.ok());
  return r.status().ToString();
}

TEST(Base64, KnownVectors) {
  // RFC 4648 section 10.
  const std::pair<const char*, const char*> kVectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : kVectors) {
    EXPECT_EQ(Base64Encode(plain), encoded);
    base::Result<std::string> back = Base64Decode(encoded);
    ASSERT_TRUE(back.ok()) << encoded;
    EXPECT_EQ(*back, plain);
  }
}

TEST(Base64, ToleratesWhitespaceAndMissingPadding) {
  EXPECT_EQ(*Base64Decode("Zm9v\nYmE=\r\n"), "fooba");
  EXPECT_EQ(*Base64Decode("Zm9vYg"), "foob");
}

TEST(Base64, Errors) {
  EXPECT_EQ(Base64Decode("Zm9*").status().ToString(),
            "base64: invalid character '*' at offset 3");
  EXPECT_EQ(Base64Decode("Zm\x01").status().ToString(),
            "base64: invalid character byte 0x01 at offset 2");
  EXPECT_EQ(Base64Decode("Zm9vY").status().ToString(),
            "base64: truncated input");
  EXPECT_EQ(Base64Decode("Zg==Zg==").status().ToString(),
            "base64: invalid character 'Z' at offset 4");
  EXPECT_EQ(Base64Decode("Zm9v=").status().ToString(),
            "base64: bad '=' padding");
  EXPECT_EQ(Base64Decode("Zm9vYmFy", 5).status().ToString(),
            "base64: decoded data exceeds 5 bytes");
}

TEST(DecodePayload, EveryEncodingRoundTrips) {
  std::string data = "{\"version\": 1}\n";
  data += std::string(1000, 'x');
  data.push_back('\0');
  for (const char* enc :
       {"", "plain", "base64", "b64", "gzip+base64", "gz+b64"}) {
    base::Result<std::string> encoded = EncodePayload(data, enc);
    ASSERT_TRUE(encoded.ok()) << enc;
    base::Result<std::string> decoded = DecodePayload(*encoded, enc);
    ASSERT_TRUE(decoded.ok()) << enc << ": " << decoded.status().ToString();
    EXPECT_EQ(*decoded, data) << enc;
  }
  // gzip really compresses.
  EXPECT_LT(EncodePayload(data, "gzip+base64")->size(), 200u);
}

TEST(DecodePayload, EncodingNameIsTrimmed) {
  EXPECT_EQ(*DecodePayload("Zm9v", " base64\n"), "foo");
}

TEST(DecodePayload, UnknownEncodingIsNamed) {
  EXPECT_EQ(Error("x", "rot13"),
            "unknown encoding \"rot13\" (expected plain, base64 or "
            "gzip+base64)");
  EXPECT_EQ(EncodePayload("x", "zstd").status().ToString(),
            "unknown encoding \"zstd\" (expected plain, base64 or "
            "gzip+base64)");
}

TEST(DecodePayload, BadBase64) {
  EXPECT_EQ(Error("not base64!", "base64"),
            "base64: invalid character '!' at offset 10");
}

TEST(DecodePayload, TruncatedGzip) {
  std::string gz = *Gzip(std::string(5000, 'a') + "tail");
  std::string cut = Base64Encode(gz.substr(0, gz.size() - 6));
  EXPECT_EQ(Error(cut, "gzip+base64"), "gzip: truncated stream");
  EXPECT_EQ(Error("", "gzip+base64"), "gzip: truncated stream");
}

TEST(DecodePayload, CorruptGzip) {
  EXPECT_EQ(Error(Base64Encode("definitely not gzip"), "gzip+base64"),
            "gzip: corrupt data (incorrect header check)");
  std::string gz = *Gzip("hello");
  gz[gz.size() - 5] ^= 1;  // The CRC-32 in the trailer.
  EXPECT_EQ(Error(Base64Encode(gz), "gzip+base64"),
            "gzip: corrupt data (incorrect data check)");
}

TEST(DecodePayload, TrailingDataAfterGzip) {
  EXPECT_EQ(Error(Base64Encode(*Gzip("hello") + "junk"), "gzip+base64"),
            "gzip: 4 bytes of trailing data after the stream");
}

TEST(DecodePayload, ZipBombIsStoppedAtTheLimit) {
  // 64 MiB of zeros compress to ~64 KiB.
  std::string bomb = *Gzip(std::string(64u << 20, '\0'));
  ASSERT_LT(bomb.size(), kMaxConfigBytes);
  EXPECT_EQ(Error(Base64Encode(bomb), "gzip+base64"),
            "gzip: output exceeds the 1 MiB limit (a decompression bomb?)");
  // Exactly at the limit is fine.
  std::string max(kMaxConfigBytes, 'a');
  EXPECT_TRUE(DecodePayload(*EncodePayload(max, "gzip+base64"), "gz+b64").ok());
}

TEST(DecodePayload, PlainAndBase64AreCappedToo) {
  std::string big(kMaxConfigBytes + 1, 'a');
  EXPECT_EQ(Error(big, "plain"),
            "plain: 1048577 bytes exceeds the 1 MiB limit");
  EXPECT_EQ(Error(Base64Encode(big), "base64"),
            "base64: decoded data exceeds 1048576 bytes");
}

}  // namespace
}  // namespace guestinfo
