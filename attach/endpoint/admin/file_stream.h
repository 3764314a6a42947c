// Log files as streamed answers: attachd.log, api.log, a container's
// console.log, and the security lines of attachd.log.
//
// Only files attachd names itself are opened (never a path from the
// request), without following a symlink in the last component, and only
// regular files. The size is taken when the file is opened: a log that
// grows while it is sent is sent as it was then, so a Content-Length can
// be given.
//
// Loop thread only.
#ifndef TETHER_ATTACH_ENDPOINT_ADMIN_FILE_STREAM_H_
#define TETHER_ATTACH_ENDPOINT_ADMIN_FILE_STREAM_H_

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "attach/endpoint/admin/paced_op.h"
#include "base/result.h"
#include "base/unique_fd.h"

namespace attach {
namespace endpoint {
namespace admin {

struct OpenedFile {
  base::UniqueFd fd;
  uint64_t size = 0;
  int64_t mtime = 0;  // Epoch seconds.
};

// Opens `path` for reading (O_NOFOLLOW). kNotFound when absent,
// kPermissionDenied for a symlink or anything but a regular file,
// kIoError otherwise.
base::Result<OpenedFile> OpenLogFile(const std::string& path);

// pread(2) of up to `n` bytes at `pos`; fewer at the end of the file.
base::Result<std::string> ReadPiece(int fd, uint64_t pos, size_t n);

// Whether a line of attachd's log is security-related: the "security:"
// lines attachd writes for refused TLS handshakes, logins and keys, and
// every line saying something was refused.
bool IsSecurityLine(std::string_view line);

// Sends a file's first `size` bytes, whole or (with `security_only`) only
// its security lines.
class FileStreamOp : public PacedOp {
 public:
  FileStreamOp(uv_loop_t* loop, OpenedFile file, bool security_only)
      : PacedOp(loop), file_(std::move(file)), filter_(security_only) {}

 protected:
  void Produce() override;

 private:
  // Appends the security lines of `piece` (and of the partial line kept
  // from the last one) to `out`.
  void Filter(std::string_view piece, bool last, std::string* out);

  OpenedFile file_;
  bool filter_;
  uint64_t pos_ = 0;
  std::string partial_;  // An unfinished line, when filtering.
};

}  // namespace admin
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_ADMIN_FILE_STREAM_H_
