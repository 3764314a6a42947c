// What the store keeps about each image in
// <state-dir>/images/sha256/<hex>/:
//   config.json  the image config blob, byte for byte (its sha256 is the id)
//   image.json   this record (below)
//   disk.raw     the read-only base disk (ext4, sparse), mode 0444
// and the tags of all images in <state-dir>/images/repositories.json.
// Both JSON documents are ours: strict decoders, kInvalidArgument naming
// the field.
#ifndef TETHER_ATTACH_ENDPOINT_IMAGES_IMAGE_RECORD_H_
#define TETHER_ATTACH_ENDPOINT_IMAGES_IMAGE_RECORD_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace attach {
namespace endpoint {

struct ImageRecord {
  std::string id;  // "sha256:<64 hex>"
  uint64_t size = 0;        // Bytes of the image's files.
  uint64_t disk_bytes = 0;  // The base disk's (sparse) size.
  std::vector<std::string> repo_digests;
  int64_t loaded = 0;  // Epoch seconds.
};

std::string EncodeImageRecord(const ImageRecord& r);
base::Result<ImageRecord> DecodeImageRecord(std::string_view json);

// repositories.json: familiar tag -> image id.
std::string EncodeTags(const std::map<std::string, std::string>& tags);
base::Result<std::map<std::string, std::string>> DecodeTags(
    std::string_view json);

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_IMAGES_IMAGE_RECORD_H_
