// The merged file tree of an image's layers, in memory (metadata only),
// applied the way docker applies layers (pkg/archive/diff.go UnpackLayer):
//
// - `.wh.NAME` removes NAME (and everything under it) from the layers
//   below; `.wh..wh..opq` in a directory hides everything the layers below
//   put there (entries of the same layer stay); other `.wh..wh.` names
//   (aufs bookkeeping) are skipped;
// - a directory over a directory merges (the new metadata wins); anything
//   else replaces what was there;
// - a hard link shares the inode of its target (which must exist and not
//   be a directory); replacing one name leaves the other names alone;
// - a missing parent is created (0755, root, as docker's MkdirAll).
//
// Refused with kInvalidArgument: a path or hard link that goes through a
// symlink (writing through one could leave the image root), a parent that
// is not a directory, more entries or bytes than the limits.
//
// A regular file remembers which layer and entry its bytes come from, so
// the disk writer can stream each layer once and copy only what survived.
// One thread at a time.
#ifndef TETHER_ATTACH_ENDPOINT_IMAGES_LAYER_TREE_H_
#define TETHER_ATTACH_ENDPOINT_IMAGES_LAYER_TREE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "attach/endpoint/images/layer_entry.h"
#include "base/result.h"

namespace attach {
namespace endpoint {

struct LayerLimits {
  // Entries in all layers together: a "million empty files" tarball is
  // refused before it costs a million inodes.
  uint64_t max_entries = 500000;
  // Bytes of regular files in all layers together.
  uint64_t max_bytes = 64ull << 30;
};

class LayerTree {
 public:
  struct Dentry {
    uint32_t inode;
    uint32_t layer;  // The layer that made this name.
  };
  struct Inode {
    LayerEntry meta;  // path, link (hard) and size as last applied.
    uint32_t nlink = 0;
    int32_t data_layer = -1;  // Regular files: where the bytes are.
    uint64_t data_entry = 0;
    std::map<std::string, Dentry> children;  // Directories.
  };

  // `now` is the time given to directories the layers did not list.
  LayerTree(LayerLimits limits, int64_t now);

  // Applies entry number `ordinal` of layer `layer` (layers in order,
  // from 0). Errors name no entry: the caller knows which it was.
  base::Status Apply(const LayerEntry& entry, uint32_t layer,
                     uint64_t ordinal);

  static constexpr uint32_t kRoot = 0;
  const Inode& inode(uint32_t id) const { return inodes_[id]; }
  // One name of the tree as Walk visits it.
  struct WalkStep {
    const std::string& path;  // "" for the root.
    const std::string& name;
    uint32_t parent;  // The directory's inode; the root's is itself.
    uint32_t id;
    bool first;  // The first name of this inode (later ones: hard links).
  };
  // Every reachable name, directories before what they hold, names in
  // byte order. Stops at the first error `visit` returns.
  base::Status Walk(
      const std::function<base::Status(const WalkStep&)>& visit) const;
  // For each layer, the entries whose bytes the final tree keeps, as
  // (entry, inode) sorted by entry.
  std::vector<std::vector<std::pair<uint64_t, uint32_t>>> DataByLayer(
      uint32_t layers) const;

  uint64_t entries() const { return entries_; }
  // Bytes of the regular files that are reachable (docker's Size).
  uint64_t ReachableBytes() const;
  uint64_t ReachableInodes() const;

 private:
  base::Result<uint32_t> Parent(const std::vector<std::string>& parts,
                                uint32_t layer);
  base::Result<uint32_t> Lookup(const std::vector<std::string>& parts) const;
  void Unlink(uint32_t dir, const std::string& name);
  void Release(uint32_t id);
  uint32_t NewInode(const LayerEntry& meta);

  LayerLimits limits_;
  int64_t now_;
  std::vector<Inode> inodes_;
  uint64_t entries_ = 0;
  uint64_t bytes_ = 0;
};

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_IMAGES_LAYER_TREE_H_
