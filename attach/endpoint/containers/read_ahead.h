// LogSources that read ahead, for sequential scans and backward walks:
// one file (FileSource, what recovery scans), or the subclass's own
// storage (SessionLog's LogView spans a log's segments).
//
// Not thread-safe; each reader has its own.
#ifndef TETHER_ATTACH_ENDPOINT_CONTAINERS_READ_AHEAD_H_
#define TETHER_ATTACH_ENDPOINT_CONTAINERS_READ_AHEAD_H_

#include <cstdint>
#include <vector>

#include "attach/endpoint/containers/log_format.h"
#include "base/result.h"

namespace attach {
namespace endpoint {

// Serves reads from a window of up to 256 KiB, refilled in the direction
// of travel: backward walks (tail) end the window at the request, forward
// scans start it there.
class ReadAheadSource : public LogSource {
 public:
  uint64_t begin() const override { return begin_; }
  uint64_t size() const override { return size_; }
  // Moves the readable bounds (a growing or rotated log).
  void set_bounds(uint64_t begin, uint64_t size) {
    begin_ = begin;
    size_ = size;
  }
  base::Status ReadAt(uint64_t pos, char* buf, size_t n) override;

 protected:
  ReadAheadSource(uint64_t begin, uint64_t size) : begin_(begin), size_(size) {}
  // Reads exactly `n` bytes at `pos` from the storage.
  virtual base::Status RawRead(uint64_t pos, char* buf, size_t n) = 0;

 private:
  uint64_t begin_;
  uint64_t size_;
  std::vector<char> window_;
  uint64_t window_pos_ = 0;
};

// pread(2) on a borrowed descriptor; positions are file positions.
class FileSource : public ReadAheadSource {
 public:
  FileSource(int fd, uint64_t size)
      : ReadAheadSource(kLogFileHeaderBytes, size), fd_(fd) {}

 protected:
  base::Status RawRead(uint64_t pos, char* buf, size_t n) override;

 private:
  int fd_;
};

// pread(2) until `n` bytes are read. kIoError, or kInternal when the file
// ends first.
base::Status PreadAll(int fd, uint64_t pos, char* buf, size_t n);

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CONTAINERS_READ_AHEAD_H_
