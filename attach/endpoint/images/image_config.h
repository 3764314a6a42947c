// The image config blob (OCI image-spec config.md; docker's image JSON):
// what attachd reads from it, and the blob `import` writes.
//
// Parsers take outside input: they never throw, ignore unknown fields (as
// docker does), and answer kInvalidArgument naming the field for a wrong
// type.
#ifndef TETHER_ATTACH_ENDPOINT_IMAGES_IMAGE_CONFIG_H_
#define TETHER_ATTACH_ENDPOINT_IMAGES_IMAGE_CONFIG_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace attach {
namespace endpoint {

// What an image says about the containers made from it (the config's
// `config`), merged into create as docker does (image_merge.h).
struct ImageConfig {
  std::vector<std::string> env;  // "K=V"
  std::vector<std::string> cmd;
  std::vector<std::string> entrypoint;
  std::string workdir;
  std::string user;
  std::vector<std::string> exposed_ports;  // "80/tcp"
  std::map<std::string, std::string> labels;
};

// The rest of the blob that inspect and the store need.
struct ImageMeta {
  ImageConfig config;
  std::string architecture;  // "amd64"
  std::string os;            // "linux"
  std::string created;       // RFC 3339 as written; may be empty.
  int64_t created_unix = 0;  // Parsed; 0 when absent or unparsable.
  std::string author;
  std::string comment;  // The last history entry's comment.
  std::vector<std::string> diff_ids;  // rootfs.diff_ids
};

// Reads a config blob. kInvalidArgument "image config: <field>: ..." for
// malformed JSON, wrong types, a diff id that is not sha256:<64 hex>, or
// more than 1000 layers.
base::Result<ImageMeta> ParseImageConfig(std::string_view blob);

// Epoch seconds of an RFC 3339 time ("2024-01-02T03:04:05.678Z",
// "...+02:00"); kInvalidArgument otherwise.
base::Result<int64_t> ParseRfc3339(std::string_view text);
// "2024-01-02T03:04:05Z" (UTC).
std::string FormatRfc3339(int64_t unix_seconds);

// The config blob `docker import` makes: amd64/linux, `created`, the
// config, one layer's diff id, a history entry with `comment` (docker's
// "Imported from -" when empty). Canonical JSON: its sha256 is the id.
std::string ImportConfigBlob(const ImageConfig& config,
                             const std::string& diff_id, int64_t created,
                             const std::string& comment);

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_IMAGES_IMAGE_CONFIG_H_
