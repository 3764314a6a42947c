// Reads one image layer: a tar stream, plain or gzip (one or more
// members), through libarchive. The reader does the decompression itself
// so it can hash the uncompressed stream: that hash is the layer's
// DiffID, which the image config lists (rootfs.diff_ids).
//
// Each entry comes out as a LayerEntry, checked: a path or a hard link
// that climbs out of the root, a relative symlink that does, sparse files,
// sockets, ids beyond 32 bits, names ext4 cannot hold — all are refused
// with kInvalidArgument naming the entry. zstd and other compressions are
// refused by their magic number.
//
// Blocking file I/O; any thread, one at a time.
#ifndef TETHER_ATTACH_ENDPOINT_IMAGES_LAYER_READER_H_
#define TETHER_ATTACH_ENDPOINT_IMAGES_LAYER_READER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "attach/endpoint/images/layer_entry.h"
#include "base/result.h"
#include "base/unique_fd.h"

struct archive;

namespace attach {
namespace endpoint {

class LayerReader {
 public:
  // Reads the layer in `fd` from its start. With `hash` the uncompressed
  // stream is hashed (Finish() returns it) and every byte is read; without
  // it a plain tar's file contents are skipped with lseek, so a scan of
  // headers costs little. kInvalidArgument for an unknown compression.
  static base::Result<std::unique_ptr<LayerReader>> Open(base::UniqueFd fd,
                                                         bool hash);
  ~LayerReader();
  LayerReader(const LayerReader&) = delete;
  LayerReader& operator=(const LayerReader&) = delete;

  // The next entry; false at the end of the archive. Errors name the
  // entry: `entry 7 "../x": path escapes the image root`.
  base::Result<bool> Next(LayerEntry* entry);
  // The number of entries returned so far (the last one's is this - 1).
  uint64_t count() const { return count_; }
  // Up to `len` bytes of the current entry's data; 0 at its end.
  base::Result<size_t> Read(char* buf, size_t len);
  // With `hash`: reads what is left of the stream (the archive's end
  // blocks, padding) and returns the "sha256:<hex>" of all of it.
  base::Result<std::string> Finish();

  bool gzip() const;
  // Bytes of the file read so far (progress).
  uint64_t consumed() const;

  struct Source;

 private:
  LayerReader() = default;
  base::Status Convert(void* entry, LayerEntry* out);

  std::unique_ptr<Source> source_;
  ::archive* archive_ = nullptr;
  uint64_t count_ = 0;
};

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_IMAGES_LAYER_READER_H_
