// Fuzzes everything guestinfo parses from outside the VM: the config
// document, its payload encodings, RPCI replies, the kernel command line
// override and the address/signal syntaxes.
//
// The whole input is a config document. Its first byte also picks a
// payload encoding for the rest ('p' plain, 'b' base64, 'g' gzip+base64,
// anything else by value, including an unknown name), and the rest is fed
// to the smaller parsers. Invariants checked (abort on violation):
//   - an accepted config re-encodes to a document that decodes to the same
//     encoding (EncodeConfig and DecodeConfig agree);
//   - the redacted encoding never contains the identity key or the random
//     seed;
//   - a decoded base64 payload re-encodes and decodes to itself.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "guestinfo/base64.h"
#include "guestinfo/config_codec.h"
#include "guestinfo/encoding.h"
#include "guestinfo/load_config.h"
#include "guestinfo/net_address.h"
#include "guestinfo/rpci.h"
#include "guestinfo/signal_names.h"

namespace {

void CheckConfig(std::string_view text) {
  base::Result<guestinfo::Config> config = guestinfo::DecodeConfig(text);
  if (!config.ok()) return;
  std::string encoded = guestinfo::EncodeConfig(*config);
  base::Result<guestinfo::Config> again = guestinfo::DecodeConfig(encoded);
  if (!again.ok() || guestinfo::EncodeConfig(*again) != encoded) std::abort();
  std::string redacted = guestinfo::EncodeConfigRedacted(*config);
  if (config->endpoint &&
      redacted.find(config->endpoint->identity_key) != std::string::npos) {
    std::abort();
  }
  if (!config->random_seed.empty() &&
      redacted.find(guestinfo::Base64Encode(config->random_seed)) !=
          std::string::npos) {
    std::abort();
  }
}

std::string_view PickEncoding(uint8_t selector) {
  static const char* const kAll[] = {
      "", "plain", "base64", "b64", "gzip+base64", "gz+b64", "bogus"};
  switch (selector) {
    case 'p':
      return "plain";
    case 'b':
      return "base64";
    case 'g':
      return "gzip+base64";
    default:
      return kAll[selector % (sizeof(kAll) / sizeof(kAll[0]))];
  }
}

void CheckPayload(std::string_view data, std::string_view encoding) {
  base::Result<std::string> payload = guestinfo::DecodePayload(data, encoding);
  if (!payload.ok()) return;
  if (encoding == "base64") {
    base::Result<std::string> back =
        guestinfo::Base64Decode(guestinfo::Base64Encode(*payload));
    if (!back.ok() || *back != *payload) std::abort();
  }
  CheckConfig(*payload);
}

void CheckSmallParsers(std::string_view text) {
  (void)guestinfo::ParseRpciReply(text);
  (void)guestinfo::ParseSourceOverride(text);
  base::Result<int> signo = guestinfo::ParseSignal(text);
  if (signo.ok() && (*signo < 1 || *signo > 31)) std::abort();
  (void)guestinfo::ParseEndpointAddress(text);
  (void)guestinfo::ParseHostPort(text);
  (void)guestinfo::CheckCidr(text);
  base::Result<std::string> mac = guestinfo::NormalizeMac(text);
  if (mac.ok() && mac->size() != 17) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view all(reinterpret_cast<const char*>(data), size);
  CheckConfig(all);
  if (size == 0) return 0;
  std::string_view rest = all.substr(1);
  CheckPayload(rest, PickEncoding(data[0]));
  CheckSmallParsers(rest);
  return 0;
}
