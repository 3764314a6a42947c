#include "attach/endpoint/containers/session_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/log.h"

namespace attach {
namespace endpoint {
namespace {

constexpr size_t kReadAhead = 256 * 1024;

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

// pwritev(2) until every byte is written; advances the iovecs in place.
base::Status PwritevAll(int fd, struct iovec* iov, int count, uint64_t pos) {
  while (count > 0) {
    ssize_t w = ::pwritev(fd, iov, count, static_cast<off_t>(pos));
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return base::Status::Io("write log", errno);
    if (w == 0) return base::Status::Io("write log", ENOSPC);
    pos += static_cast<uint64_t>(w);
    size_t left = static_cast<size_t>(w);
    while (count > 0 && left >= iov->iov_len) {
      left -= iov->iov_len;
      ++iov;
      --count;
    }
    if (count > 0) {
      iov->iov_base = static_cast<char*>(iov->iov_base) + left;
      iov->iov_len -= left;
    }
  }
  return base::Status::Ok();
}

}  // namespace

base::Status FileSource::ReadAt(uint64_t pos, char* buf, size_t n) {
  if (pos > size_ || n > size_ - pos) {
    return base::Status::Internal("read past the end of a log");
  }
  if (n > kReadAhead / 2) return PreadAll(fd_, pos, buf, n);
  if (pos < window_pos_ || pos + n > window_pos_ + window_.size()) {
    // Read ahead in the direction of travel: backwards walks (tail) end
    // the window at the request, forward scans start it there.
    uint64_t start = pos;
    if (pos < window_pos_ && !window_.empty()) {
      start = pos + n > kReadAhead ? pos + n - kReadAhead : 0;
    }
    uint64_t len = size_ - start < kReadAhead ? size_ - start : kReadAhead;
    window_.resize(static_cast<size_t>(len));
    window_pos_ = start;
    base::Status s = PreadAll(fd_, start, window_.data(), window_.size());
    if (!s.ok()) {
      window_.clear();
      return s;
    }
  }
  std::memcpy(buf, window_.data() + (pos - window_pos_), n);
  return base::Status::Ok();
}

base::Result<std::unique_ptr<SessionLog>> SessionLog::Open(
    const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return base::Status::Io("open " + path, errno);
  std::unique_ptr<SessionLog> log(new SessionLog(path, base::UniqueFd(fd)));
  base::Status s = log->Recover();
  if (s.code() == base::Status::Code::kInvalidArgument) {
    // Not a log at all: keep it for a human, never append to it.
    std::string aside = path + ".corrupt";
    LOG_WARN("%s: %s; moved to %s", path.c_str(), s.message().c_str(),
             aside.c_str());
    if (::rename(path.c_str(), aside.c_str()) != 0) {
      return base::Status::Io("rename " + path, errno);
    }
    return Open(path);
  }
  if (!s.ok()) return s.Annotate(path);
  return log;
}

base::Status SessionLog::Recover() {
  struct stat st;
  if (::fstat(fd_.get(), &st) != 0) return base::Status::Io("stat", errno);
  uint64_t file_size = static_cast<uint64_t>(st.st_size);
  uint64_t keep = 0;
  if (file_size > 0) {
    FileSource source(fd_.get(), file_size);
    RecordScanner scanner(&source);
    TETHER_RETURN_IF_ERROR(scanner.Start());
    RecordRef ref;
    for (;;) {
      base::Result<bool> more = scanner.Next(&ref);
      if (!more.ok()) return more.TakeStatus();
      if (!*more) break;
    }
    keep = scanner.valid_end();
    ends_ = scanner.ends();
    if (keep < file_size) {
      LOG_WARN("%s: %s; cutting %llu bytes", path_.c_str(),
               scanner.problem().c_str(),
               static_cast<unsigned long long>(file_size - keep));
    }
  }
  if (keep < file_size && ::ftruncate(fd_.get(), static_cast<off_t>(keep))) {
    return base::Status::Io("truncate", errno);
  }
  if (keep == 0) {
    struct iovec iov = {const_cast<char*>(kLogFileMagic), kLogFileHeaderBytes};
    TETHER_RETURN_IF_ERROR(PwritevAll(fd_.get(), &iov, 1, 0));
    keep = kLogFileHeaderBytes;
  }
  size_ = keep;
  return base::Status::Ok();
}

base::Status SessionLog::Append(const RecordHeader& h, const char* payload) {
  char head[kRecordHeaderBytes];
  char trailer[kRecordTrailerBytes];
  EncodeRecordHeader(h, head);
  EncodeRecordTrailer(h.length, trailer);
  struct iovec iov[3] = {{head, sizeof(head)},
                         {const_cast<char*>(payload), h.length},
                         {trailer, sizeof(trailer)}};
  base::Status s = PwritevAll(fd_.get(), iov, 3, size_);
  if (!s.ok()) {
    // A partial record must not survive: readers and recovery would stop
    // there. If even the cut fails, recovery on the next start does it.
    if (::ftruncate(fd_.get(), static_cast<off_t>(size_)) != 0) {
      LOG_ERROR("%s: cannot cut a failed write: %s", path_.c_str(),
                std::strerror(errno));
    }
    return s.Annotate(path_);
  }
  size_ += RecordBytes(h.length);
  return base::Status::Ok();
}

base::Status SessionLog::AppendData(uint8_t stream, const char* data,
                                    size_t len, int64_t time_ns) {
  while (len > 0) {
    RecordHeader h;
    h.type = RecordType::kData;
    h.stream = stream;
    h.length = static_cast<uint32_t>(
        len < kMaxRecordPayload ? len : kMaxRecordPayload);
    h.time_ns = time_ns;
    h.offset = ends_.For(stream);
    TETHER_RETURN_IF_ERROR(Append(h, data));
    ends_.For(stream) += h.length;
    data += h.length;
    len -= h.length;
  }
  return base::Status::Ok();
}

base::Status SessionLog::AppendGap(uint8_t stream, uint64_t end,
                                   int64_t time_ns) {
  if (end <= ends_.For(stream)) return base::Status::Ok();
  RecordHeader h;
  h.type = RecordType::kGap;
  h.stream = stream;
  h.length = 8;
  h.time_ns = time_ns;
  h.offset = ends_.For(stream);
  char payload[8];
  for (int i = 0; i < 8; ++i) payload[i] = static_cast<char>(end >> (8 * i));
  TETHER_RETURN_IF_ERROR(Append(h, payload));
  ends_.For(stream) = end;
  return base::Status::Ok();
}

base::Status SessionLog::AppendRestart(int64_t time_ns) {
  RecordHeader h;
  h.type = RecordType::kRestart;
  h.stream = 0;
  h.time_ns = time_ns;
  TETHER_RETURN_IF_ERROR(Append(h, nullptr));
  ends_ = StreamEnds();
  return base::Status::Ok();
}

base::Status SessionLog::Sync() {
  if (::fdatasync(fd_.get()) != 0)
    return base::Status::Io("sync " + path_, errno);
  return base::Status::Ok();
}

}  // namespace endpoint
}  // namespace attach
