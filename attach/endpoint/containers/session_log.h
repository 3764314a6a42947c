// One session's output log on disk: the append-only writer attachd feeds
// from the tether's stream channel, and the file source readers use.
//
// Exactness is the point (docs/attachd.md): after any crash of attachd,
// Open() cuts the file back to its last whole, valid record and recomputes
// each stream's end from the records, so the Welcome offsets it reports
// make the tether resend exactly the bytes that are missing.
//
// Single-threaded: the loop thread owns the writer; readers on the same
// thread see whole records only, because appends complete (or are cut
// back) before control returns to the loop.
#ifndef TETHER_ATTACH_ENDPOINT_CONTAINERS_SESSION_LOG_H_
#define TETHER_ATTACH_ENDPOINT_CONTAINERS_SESSION_LOG_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "attach/endpoint/containers/log_format.h"
#include "base/result.h"
#include "base/unique_fd.h"

namespace attach {
namespace endpoint {

// pread(2) with a read-ahead window, for sequential scans. `size` is the
// readable length (a snapshot; set_size() moves it for a growing log).
class FileSource : public LogSource {
 public:
  FileSource(int fd, uint64_t size) : fd_(fd), size_(size) {}
  uint64_t size() const override { return size_; }
  void set_size(uint64_t size) { size_ = size; }
  base::Status ReadAt(uint64_t pos, char* buf, size_t n) override;

 private:
  int fd_;  // Not owned.
  uint64_t size_;
  std::vector<char> window_;
  uint64_t window_pos_ = 0;
};

class SessionLog {
 public:
  // Opens or creates the log at `path` (mode 0600) and recovers it: a torn
  // or invalid tail is truncated (with a warning naming what was cut); a
  // file that is not a log at all is renamed to PATH.corrupt and a new one
  // started. kIoError when the file cannot be opened, read or cut.
  static base::Result<std::unique_ptr<SessionLog>> Open(
      const std::string& path);

  const std::string& path() const { return path_; }
  int fd() const { return fd_.get(); }
  // Bytes of whole records (the readable length of the file).
  uint64_t size() const { return size_; }
  // The next offset of each stream: what a Welcome reports.
  const StreamEnds& ends() const { return ends_; }

  // Appends `len` bytes of `stream` (kStdout/kStderr) as one record per
  // kMaxRecordPayload. On failure (disk full) the file is cut back to the
  // last whole record and kIoError is returned; ends() is unchanged.
  base::Status AppendData(uint8_t stream, const char* data, size_t len,
                          int64_t time_ns);
  // Records that the stream's bytes from ends() to `end` are lost. A gap
  // that does not move the end forward is ignored.
  base::Status AppendGap(uint8_t stream, uint64_t end, int64_t time_ns);
  // Records that the tether's offsets restarted at zero (a new run of the
  // VM); both ends become 0.
  base::Status AppendRestart(int64_t time_ns);
  // fdatasync(2): what is appended survives attachd without this; a host
  // crash does not. Called on a clean stop.
  base::Status Sync();

 private:
  SessionLog(std::string path, base::UniqueFd fd)
      : path_(std::move(path)), fd_(std::move(fd)) {}
  base::Status Recover();
  base::Status Append(const RecordHeader& h, const char* payload);

  std::string path_;
  base::UniqueFd fd_;
  uint64_t size_ = 0;
  StreamEnds ends_;
};

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CONTAINERS_SESSION_LOG_H_
