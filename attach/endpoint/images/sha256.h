// SHA-256 as images are addressed: streaming, and one-shot helpers that
// give the lower-case hex docker prints after "sha256:".
#ifndef TETHER_ATTACH_ENDPOINT_IMAGES_SHA256_H_
#define TETHER_ATTACH_ENDPOINT_IMAGES_SHA256_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace attach {
namespace endpoint {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(const void* data, size_t len);
  // The digest of everything so far, as 64 hex digits. Call once.
  std::string Hex();

 private:
  void* ctx_;  // EVP_MD_CTX
};

// 64 hex digits.
std::string Sha256Hex(std::string_view data);

// Whether `digest` is "sha256:" and 64 lower-case hex digits.
bool IsSha256Digest(std::string_view digest);

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_IMAGES_SHA256_H_
