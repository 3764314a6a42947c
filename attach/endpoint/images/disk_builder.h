// An image's read-only base disk: its layers merged (layer_tree.h) into
// one ext4 file system (ext4_writer.h), built once at load time.
//
//   pass 1  every layer's headers, in order, into the tree; gzip layers
//           are hashed here (their DiffID); nothing is written yet, so a
//           refused layer leaves nothing behind;
//   sizing  the file is sparse: its size is room for the image plus the
//           containers' writes (at least `min_disk_bytes`);
//   mke2fs  formats it;
//   pass 2  each layer with surviving files is read again and only their
//           bytes are copied.
//
// Blocking; a worker thread's job.
#ifndef TETHER_ATTACH_ENDPOINT_IMAGES_DISK_BUILDER_H_
#define TETHER_ATTACH_ENDPOINT_IMAGES_DISK_BUILDER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "attach/endpoint/images/layer_tree.h"
#include "base/result.h"

namespace attach {
namespace endpoint {

// The docker default for a container's root file system size
// (devicemapper's dm.basesize): images smaller than this get this much
// room for their containers' writes. Sparse: unused room costs nothing.
constexpr uint64_t kDefaultMinDiskBytes = 10ull << 30;

struct LayerSource {
  std::string path;         // The layer blob (tar or tar+gzip).
  std::string file_digest;  // "sha256:..." of the file's bytes.
  // What the image config says the uncompressed layer hashes to; empty
  // when nothing says (import).
  std::string diff_id;
};

struct BuildOptions {
  LayerLimits limits;
  uint64_t min_disk_bytes = kDefaultMinDiskBytes;
  int64_t now = 0;  // For directories the layers do not list.
  // Called while layers are copied: the layer's index, bytes of its file
  // read, its size.
  std::function<void(size_t layer, uint64_t current, uint64_t total)>
      progress;
  // Polled between entries; true aborts with kUnavailable "cancelled".
  std::function<bool()> cancelled;
};

struct BuiltDisk {
  std::vector<std::string> diff_ids;  // One per layer.
  uint64_t content_bytes = 0;         // Regular files of the image.
  uint64_t disk_bytes = 0;            // The file's (sparse) size.
};

// Builds `disk_path` (created; removed again on failure). Errors name the
// layer ("layer 2: entry 5 \"../x\": path escapes the image root").
base::Result<BuiltDisk> BuildDisk(const std::vector<LayerSource>& layers,
                                  const std::string& disk_path,
                                  const BuildOptions& options);

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_IMAGES_DISK_BUILDER_H_
