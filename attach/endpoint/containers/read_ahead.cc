#include "attach/endpoint/containers/read_ahead.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace attach {
namespace endpoint {
namespace {

constexpr size_t kReadAhead = 256 * 1024;

}  // namespace

base::Status PreadAll(int fd, uint64_t pos, char* buf, size_t n) {
  while (n > 0) {
    ssize_t r = ::pread(fd, buf, n, static_cast<off_t>(pos));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return base::Status::Io("read log", errno);
    if (r == 0) return base::Status::Internal("log shrank while reading");
    buf += r;
    pos += static_cast<uint64_t>(r);
    n -= static_cast<size_t>(r);
  }
  return base::Status::Ok();
}

base::Status ReadAheadSource::ReadAt(uint64_t pos, char* buf, size_t n) {
  if (pos > size_ || n > size_ - pos) {
    return base::Status::Internal("read outside a log");
  }
  if (n > kReadAhead / 2) return RawRead(pos, buf, n);
  if (pos < window_pos_ || pos + n > window_pos_ + window_.size()) {
    uint64_t start = pos;
    if (pos < window_pos_ && !window_.empty() && pos >= begin_) {
      start = pos + n - begin_ > kReadAhead ? pos + n - kReadAhead : begin_;
    }
    uint64_t len = size_ - start < kReadAhead ? size_ - start : kReadAhead;
    window_.resize(static_cast<size_t>(len));
    window_pos_ = start;
    base::Status s = RawRead(start, window_.data(), window_.size());
    if (!s.ok()) {
      window_.clear();
      return s;
    }
  }
  std::memcpy(buf, window_.data() + (pos - window_pos_), n);
  return base::Status::Ok();
}

base::Status FileSource::RawRead(uint64_t pos, char* buf, size_t n) {
  return PreadAll(fd_, pos, buf, n);
}

}  // namespace endpoint
}  // namespace attach
