// A streaming tar.gz writer for the log bundle: POSIX ustar entries (GNU
// base-256 sizes past 8 GiB, the ustar prefix for names past 100 bytes)
// compressed by zlib into gzip as they are written.
//
// Memory is bounded whatever the sizes: the caller adds data in pieces and
// takes the compressed bytes out (TakeOutput) as it goes; zlib's state is
// about 256 KiB. Each entry's size is declared up front, as tar needs:
// Write refuses bytes beyond it and EndFile pads a short entry with NULs.
//
// Not thread-safe; no I/O.
#ifndef TETHER_ATTACH_ENDPOINT_ADMIN_TAR_GZ_H_
#define TETHER_ATTACH_ENDPOINT_ADMIN_TAR_GZ_H_

#include <zlib.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"

namespace attach {
namespace endpoint {
namespace admin {

class TarGzWriter {
 public:
  // `level`: zlib's 1 (fast) to 9 (small). kInternal when zlib fails.
  static base::Result<std::unique_ptr<TarGzWriter>> Create(int level);
  ~TarGzWriter();
  TarGzWriter(const TarGzWriter&) = delete;
  TarGzWriter& operator=(const TarGzWriter&) = delete;

  // Starts a regular file. kInvalidArgument for an empty name, one with a
  // NUL, one that ustar cannot hold (over 255 bytes, or no '/' to split at
  // past 100), or when the previous entry is still open.
  base::Status BeginFile(const std::string& name, uint64_t size, int64_t mtime,
                         uint32_t mode);
  // Adds body bytes; kInvalidArgument beyond the declared size.
  base::Status Write(std::string_view data);
  // Bytes the open entry still expects.
  uint64_t remaining() const { return remaining_; }
  // Closes the entry: NULs for what was not written, then the padding to
  // a 512-byte block.
  base::Status EndFile();
  // The end-of-archive blocks and the gzip trailer. Nothing after it.
  base::Status Finish();

  // Compressed bytes produced so far and not yet taken.
  size_t pending() const { return out_.size(); }
  std::string TakeOutput();
  uint64_t bytes_in() const { return bytes_in_; }

 private:
  TarGzWriter() = default;
  base::Status Deflate(std::string_view data, int flush);
  base::Status Zeros(uint64_t n);

  z_stream z_{};
  bool z_ready_ = false;
  bool open_ = false;
  bool finished_ = false;
  uint64_t remaining_ = 0;
  uint64_t size_ = 0;
  uint64_t bytes_in_ = 0;
  std::string out_;
};

// The 512-byte ustar header of a regular file (exposed for tests and the
// fuzz target); kInvalidArgument as for BeginFile.
base::Result<std::string> TarHeader(const std::string& name, uint64_t size,
                                    int64_t mtime, uint32_t mode);

}  // namespace admin
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_ADMIN_TAR_GZ_H_
