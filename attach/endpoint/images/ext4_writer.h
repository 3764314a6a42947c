// Writes a LayerTree into an ext4 file system made by mke2fs, through
// e2fsprogs' libext2fs: no mount, no root. Owners, modes (setuid, setgid,
// sticky), device numbers, hard links, symlinks, times to the nanosecond
// and extended attributes land exactly as the layers say, which a tree
// staged on the host could not give without root.
//
// Use: Open, CreateTree (every name, with empty regular files), then
// WriteFile for each regular file whose bytes the tree kept (the disk
// builder streams each layer once for that), then Close. A file's blocks
// are allocated at once and its bytes written with pwrite straight into
// the (sparse) image file; blocks of zeros become holes of that file. mke2fs's lost+found is removed unless the image has one.
//
// Blocking; one thread.
#ifndef TETHER_ATTACH_ENDPOINT_IMAGES_EXT4_WRITER_H_
#define TETHER_ATTACH_ENDPOINT_IMAGES_EXT4_WRITER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "attach/endpoint/images/layer_reader.h"
#include "attach/endpoint/images/layer_tree.h"
#include "base/result.h"
#include "base/unique_fd.h"

namespace attach {
namespace endpoint {

class Ext4Writer {
 public:
  // Opens the file system in `path` read-write. kIoError naming libext2fs's
  // error otherwise.
  static base::Result<std::unique_ptr<Ext4Writer>> Open(
      const std::string& path);
  // Closes without flushing when Close was not called (the disk is then
  // garbage, to be deleted).
  ~Ext4Writer();
  Ext4Writer(const Ext4Writer&) = delete;
  Ext4Writer& operator=(const Ext4Writer&) = delete;

  // Creates every reachable name of `tree`. The tree must outlive the
  // writer. Errors name the path.
  base::Status CreateTree(const LayerTree& tree);
  // Fills the regular file `id` (a tree inode) with the data of the
  // entry `reader` is at. kInvalidArgument when the layer holds fewer
  // bytes than its header said.
  base::Status WriteFile(uint32_t id, LayerReader* reader);
  // Sets the directories' metadata (linking changes them), flushes and
  // closes.
  base::Status Close();

 private:
  explicit Ext4Writer(void* fs) : fs_(fs) {}
  base::Status Create(uint32_t parent, const std::string& name, uint32_t id,
                      bool first);
  base::Status Link(uint32_t dir_ino, const std::string& name, uint32_t ino,
                    int file_type);
  base::Status WriteMeta(uint32_t ino, const LayerTree::Inode& node,
                         bool fresh);
  base::Status SetXattrs(uint32_t ino, const LayerEntry& meta);
  base::Status RemoveLostFound();

  void* fs_;  // ext2_filsys
  const LayerTree* tree_ = nullptr;
  std::vector<uint32_t> ino_of_;  // Tree inode -> ext4 inode.
  std::vector<char> buf_;
  base::UniqueFd data_fd_;  // The image file, for file contents.
};

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_IMAGES_EXT4_WRITER_H_
