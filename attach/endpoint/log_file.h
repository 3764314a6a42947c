// attachd's own log as a file (--log-file; DIR/attachd.log by default when
// the admin portal is on, which serves it): every line base/log writes,
// with a UTC time stamp in front, appended with one write(2).
//
// Size-capped: past max_bytes the file moves to FILE.1 (replacing the one
// before) and a new FILE starts, so the log never takes more than twice
// the cap. When stderr already is that file (tetherctl run and the e2e
// tests redirect attachd's stderr to DIR/attachd.log), lines go to the
// file only, and stderr follows the file across a rotation, so what
// libraries print still lands in it.
//
// Lines are written from whichever thread logs (attachd logs from its
// loop thread only). Not copyable; must outlive its installation.
#ifndef TETHER_ATTACH_ENDPOINT_LOG_FILE_H_
#define TETHER_ATTACH_ENDPOINT_LOG_FILE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "base/result.h"
#include "base/unique_fd.h"

namespace attach {
namespace endpoint {

class LogFile {
 public:
  static constexpr uint64_t kDefaultMaxBytes = 16 << 20;

  // Opens (creating, 0600, never through a symlink) `path` for appending.
  // kIoError naming the path.
  static base::Result<std::unique_ptr<LogFile>> Open(std::string path,
                                                     uint64_t max_bytes);
  ~LogFile();  // Uninstalls itself.
  LogFile(const LogFile&) = delete;
  LogFile& operator=(const LogFile&) = delete;

  // Makes base/log write every line here from now on.
  void Install();
  // Appends one line (newline included), rotating first when it would
  // pass the cap.
  void Write(const char* line, size_t len);

  const std::string& path() const { return path_; }
  // Whether stderr is this file (lines are then not doubled).
  bool is_stderr() const { return is_stderr_; }

 private:
  LogFile(std::string path, base::UniqueFd fd, uint64_t size,
          uint64_t max_bytes, bool is_stderr)
      : path_(std::move(path)),
        fd_(std::move(fd)),
        size_(size),
        max_bytes_(max_bytes),
        is_stderr_(is_stderr) {}
  static void Sink(const char* line, size_t len, void* ctx) noexcept;
  void Rotate();

  std::string path_;
  base::UniqueFd fd_;
  uint64_t size_;
  uint64_t max_bytes_;
  bool is_stderr_;
  bool installed_ = false;
};

// "2026-12-07T00:51:02.123Z": the time stamp in front of each line.
std::string LogTimestamp();

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_LOG_FILE_H_
