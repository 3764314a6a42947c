// One entry of an image layer (a tar member), as layers are applied: the
// path already cleaned and checked (layer_path.h), the rest as the tar
// header says, numerically (user and group names are ignored, as docker
// ignores them).
#ifndef TETHER_ATTACH_ENDPOINT_IMAGES_LAYER_ENTRY_H_
#define TETHER_ATTACH_ENDPOINT_IMAGES_LAYER_ENTRY_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace attach {
namespace endpoint {

enum class EntryType { kFile, kDir, kSymlink, kHardlink, kChar, kBlock, kFifo };

struct LayerEntry {
  std::string path;  // Relative, cleaned: "usr/bin/sh"; "" is the root.
  EntryType type = EntryType::kFile;
  uint32_t mode = 0;  // Permission bits with setuid, setgid, sticky (07777).
  uint32_t uid = 0;
  uint32_t gid = 0;
  int64_t mtime = 0;  // Epoch seconds and nanoseconds.
  uint32_t mtime_ns = 0;
  int64_t atime = 0;
  uint32_t atime_ns = 0;
  uint64_t size = 0;  // Regular files: the bytes that follow.
  // A symlink's target as written; a hard link's target path, cleaned.
  std::string link;
  uint32_t dev_major = 0;
  uint32_t dev_minor = 0;
  std::vector<std::pair<std::string, std::string>> xattrs;  // Name, value.
};

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_IMAGES_LAYER_ENTRY_H_
