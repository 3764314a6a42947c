#include "attach/endpoint/containers/session_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "attach/endpoint/containers/log_fd_cache.h"
#include "attach/endpoint/containers/log_syncer.h"
#include "base/log.h"

namespace attach {
namespace endpoint {
namespace {

constexpr int kOpenFlags = O_RDWR | O_CLOEXEC | O_NOFOLLOW;

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

// A new segment's first bytes: the file header and, for a segment that
// continues another, its kSegment record.
std::string SegmentStart(bool continues, uint64_t base,
                         const StreamEnds& ends) {
  std::string out(kLogFileMagic, kLogFileHeaderBytes);
  if (!continues) return out;
  RecordHeader h;
  h.type = RecordType::kSegment;
  h.stream = 0;
  h.length = 16;
  h.offset = base;
  char head[kRecordHeaderBytes], payload[16], trailer[kRecordTrailerBytes];
  EncodeRecordHeader(h, head);
  EncodeSegmentPayload(ends, payload);
  EncodeRecordTrailer(h.length, trailer);
  out.append(head, sizeof(head));
  out.append(payload, sizeof(payload));
  out.append(trailer, sizeof(trailer));
  return out;
}

}  // namespace

base::Result<std::unique_ptr<SessionLog>> SessionLog::Open(
    const std::string& path, LogOptions options, const LogScan* scan) {
  LogScan local;
  if (scan == nullptr) {
    base::Result<LogScan> scanned = ScanLog(path);
    // The scan opens the file too: out of descriptors, it sheds other
    // logs as OpenFd does, or a new session could not start at all.
    if (!scanned.ok() && OutOfDescriptors(scanned.status()) && options.fds &&
        options.fds->Shed(nullptr)) {
      scanned = ScanLog(path);
    }
    TETHER_ASSIGN_OR_RETURN(local, std::move(scanned));
    scan = &local;
  }
  if (scan->not_a_log) {
    // Not a log at all: keep it for a human, never append to it.
    std::string aside = path + ".corrupt";
    LOG_WARN("%s: %s; moved to %s", path.c_str(), scan->problem.c_str(),
             aside.c_str());
    if (::rename(path.c_str(), aside.c_str()) != 0) {
      return base::Status::Io("rename " + path, errno);
    }
    return Open(path, options);
  }
  std::unique_ptr<SessionLog> log(new SessionLog(path, options));
  base::Status s = log->Apply(*scan);
  if (!s.ok()) return s.Annotate(path);
  return log;
}

SessionLog::~SessionLog() {
  if (options_.fds) options_.fds->Forget(this);
}

bool OutOfDescriptors(const base::Status& s) {
  return OutOfDescriptors(s.error_number());
}

bool OutOfDescriptors(int err) { return err == EMFILE || err == ENFILE; }

int SessionLog::OpenFd(const std::string& path, int flags, mode_t mode) {
  int fd = ::open(path.c_str(), flags, mode);
  if (fd < 0 && OutOfDescriptors(errno) && options_.fds &&
      options_.fds->Shed(this)) {
    fd = ::open(path.c_str(), flags, mode);
  }
  return fd;
}

void SessionLog::Touched() {
  if (options_.fds && (fd_ || rotated_fd_)) options_.fds->Touch(this);
}

base::Status SessionLog::Apply(const LogScan& scan) {
  const std::string next = path_ + ".next";
  if (scan.next_only) {
    if (::rename(next.c_str(), path_.c_str()) != 0) {
      return base::Status::Io("finish rotation", errno);
    }
  } else {
    (void)::unlink(next.c_str());  // A rotation that never began.
  }
  for (int k : scan.stale) {
    std::string name = path_ + "." + std::to_string(k);
    LOG_WARN("%s: not part of the log's segments; removed", name.c_str());
    (void)::unlink(name.c_str());
  }
  int fd = OpenFd(path_, kOpenFlags | O_CREAT, 0600);
  if (fd < 0) return base::Status::Io("open", errno);
  fd_.Reset(fd);
  Touched();
  struct stat st;
  if (::fstat(fd, &st) != 0) return base::Status::Io("stat", errno);
  if (static_cast<uint64_t>(st.st_size) != scan.file_size) {
    return base::Status::Unavailable("changed while it was scanned");
  }
  uint64_t keep = scan.valid_end;
  if (keep < scan.file_size) {
    if (!scan.problem.empty()) {
      LOG_WARN("%s: %s; cutting %llu bytes", path_.c_str(),
               scan.problem.c_str(),
               static_cast<unsigned long long>(scan.file_size - keep));
    }
    if (::ftruncate(fd, static_cast<off_t>(keep)) != 0) {
      return base::Status::Io("truncate", errno);
    }
  }
  base_ = scan.base;
  ends_ = scan.ends;
  rotated_ = scan.rotated;
  if (keep == 0) {
    std::string start = SegmentStart(scan.needs_segment_record, base_, ends_);
    struct iovec iov = {&start[0], start.size()};
    TETHER_RETURN_IF_ERROR(PwritevAll(fd, &iov, 1, 0));
    keep = start.size();
  }
  size_ = keep;
  DropPastLimit();
  return base::Status::Ok();
}

uint64_t SessionLog::begin() const {
  return (rotated_.empty() ? base_ : rotated_.front().base) +
         kLogFileHeaderBytes;
}

uint64_t SessionLog::disk_bytes() const {
  uint64_t n = size_;
  for (const LogSegment& s : rotated_) n += s.size;
  return n;
}

std::string SessionLog::SegmentPath(size_t index) const {
  return path_ + "." + std::to_string(rotated_.size() - index);
}

base::Status SessionLog::EnsureOpen() {
  if (fd_) {
    Touched();
    return base::Status::Ok();
  }
  base::UniqueFd fd(OpenFd(path_, kOpenFlags));
  if (!fd) return base::Status::Io("reopen " + path_, errno);
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return base::Status::Io("stat", errno);
  // Only attachd writes here; a file shorter than what it wrote was cut
  // by someone else, and offsets would lie.
  if (static_cast<uint64_t>(st.st_size) < size_) {
    return base::Status::Io(path_ + " shrank while closed", EIO);
  }
  if (static_cast<uint64_t>(st.st_size) > size_ &&
      ::ftruncate(fd.get(), static_cast<off_t>(size_)) != 0) {
    return base::Status::Io("truncate " + path_, errno);
  }
  fd_ = std::move(fd);
  Touched();
  return base::Status::Ok();
}

void SessionLog::CloseFile() {
  fd_.Reset();
  rotated_fd_.Reset();
  if (options_.fds) options_.fds->Forget(this);
}

bool SessionLog::TakeDirty() {
  bool d = dirty_;
  dirty_ = false;
  return d;
}

base::Status SessionLog::Append(const RecordHeader& h, const char* payload) {
  TETHER_RETURN_IF_ERROR(EnsureOpen());
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
  dirty_ = true;
  return base::Status::Ok();
}

base::Status SessionLog::MaybeRotate(size_t len) {
  uint32_t rec =
      static_cast<uint32_t>(len < kMaxRecordPayload ? len : kMaxRecordPayload);
  if (size_ + RecordBytes(rec) <= options_.max_size) return base::Status::Ok();
  return Rotate();
}

base::Status SessionLog::Rotate() {
  const std::string start =
      SegmentStart(true, size() - kLogFileHeaderBytes, ends_);
  if (size_ <= start.size()) return base::Status::Ok();  // Nothing to keep.
  TETHER_RETURN_IF_ERROR(EnsureOpen());
  // The next segment is whole before any rename, so a crash anywhere
  // below leaves files that ScanLog puts back together.
  const std::string next = path_ + ".next";
  base::UniqueFd fd(OpenFd(next, kOpenFlags | O_CREAT | O_TRUNC, 0600));
  if (!fd) return base::Status::Io("create " + next, errno);
  struct iovec iov = {const_cast<char*>(start.data()), start.size()};
  TETHER_RETURN_IF_ERROR(PwritevAll(fd.get(), &iov, 1, 0).Annotate(next));
  for (size_t k = rotated_.size(); k >= 1; --k) {
    std::string from = path_ + "." + std::to_string(k);
    std::string to = path_ + "." + std::to_string(k + 1);
    if (::rename(from.c_str(), to.c_str()) != 0) {
      return base::Status::Io("rotate " + from, errno);
    }
  }
  if (::rename(path_.c_str(), (path_ + ".1").c_str()) != 0 ||
      ::rename(next.c_str(), path_.c_str()) != 0) {
    return base::Status::Io("rotate " + path_, errno);
  }
  // The rotated segment reaches the disk off the loop.
  if (options_.syncer != nullptr) options_.syncer->Submit(std::move(fd_));
  fd_ = std::move(fd);
  rotated_.push_back(LogSegment{base_, size_});
  base_ = size() - kLogFileHeaderBytes;
  size_ = start.size();
  dirty_ = true;
  DropPastLimit();
  return base::Status::Ok();
}

void SessionLog::DropPastLimit() {
  while (rotated_.size() + 1 > static_cast<size_t>(options_.max_files) &&
         DropOldestSegment() > 0) {
  }
}

void SessionLog::AddPin(Pin* pin) { pins_.push_back(pin); }

void SessionLog::RemovePin(const Pin* pin) {
  pins_.erase(std::remove(pins_.begin(), pins_.end(), pin), pins_.end());
  DropPastLimit();
}

uint64_t SessionLog::DropOldestSegment() {
  if (rotated_.empty()) return 0;
  const LogSegment& oldest = rotated_.front();
  const uint64_t end = oldest.base + oldest.size;
  if (disk_bytes() < options_.max_pinned_bytes) {
    for (const Pin* pin : pins_) {
      if (pin->needed_from() < end) return 0;
    }
  } else {
    // Past the pin limit: readers still in this segment lose the rest of
    // it, and are told before it goes.
    const uint64_t first = oldest.base + kLogFileHeaderBytes;
    for (Pin* pin : pins_) {
      uint64_t from = pin->needed_from();
      if (from < end) ReportLost(pin, from < first ? first : from, end);
    }
  }
  std::string name = SegmentPath(0);
  if (::unlink(name.c_str()) != 0 && errno != ENOENT) {
    LOG_ERROR("remove %s: %s", name.c_str(), std::strerror(errno));
    return 0;
  }
  // A reader's descriptor of it would keep the deleted file's blocks.
  if (rotated_fd_ && rotated_fd_base_ == oldest.base) {
    rotated_fd_.Reset();
    if (!fd_ && options_.fds) options_.fds->Forget(this);
  }
  uint64_t freed = rotated_.front().size;
  rotated_.erase(rotated_.begin());
  return freed;
}

base::Status SessionLog::AppendData(uint8_t stream, const char* data,
                                    size_t len, int64_t time_ns,
                                    uint64_t* first_record) {
  // Rotation only before the first record, so the records of one append
  // are consecutive (a segment may end up to one append past max_size).
  if (len > 0) TETHER_RETURN_IF_ERROR(MaybeRotate(len));
  if (first_record != nullptr) *first_record = size();
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
  TETHER_RETURN_IF_ERROR(MaybeRotate(8));
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

void SessionLog::ReportLost(Pin* pin, uint64_t from, uint64_t to) {
  // Walks the record headers the reader has not read; the data records
  // and gaps among them give each stream's offsets lost.
  struct Range {
    bool any = false;
    uint64_t from = 0;
    uint64_t to = 0;
    int64_t time_ns = 0;
  };
  Range lost[2];
  auto report = [&] {
    for (int i = 0; i < 2; ++i) {
      if (lost[i].any && lost[i].to > lost[i].from) {
        pin->Lost(i == 0 ? kStdout : kStderr, lost[i].from, lost[i].to,
                  lost[i].time_ns);
      }
      lost[i] = Range();
    }
  };
  LogView view(this);
  for (uint64_t pos = from; pos < to;) {
    base::Result<RecordRef> ref = ReadRecordAt(&view, pos);
    if (!ref.ok()) {
      LOG_WARN("%s: reading what a reader loses: %s", path_.c_str(),
               ref.status().ToString().c_str());
      break;
    }
    const RecordHeader& h = ref->header;
    if (h.type == RecordType::kRestart) {
      report();  // Offsets start again at zero.
    } else if ((h.type == RecordType::kData || h.type == RecordType::kGap) &&
               (h.stream == kStdout || h.stream == kStderr)) {
      Range& r = lost[h.stream == kStdout ? 0 : 1];
      if (!r.any) r.from = h.offset;
      r.any = true;
      r.to = h.type == RecordType::kData ? h.offset + h.length : ref->gap_end;
      r.time_ns = h.time_ns;
    }
    pos = ref->end_pos();
  }
  report();
}

base::Status SessionLog::ReadRotated(size_t index, uint64_t pos, char* buf,
                                     size_t n) {
  const LogSegment& seg = rotated_[index];
  if (!rotated_fd_ || rotated_fd_base_ != seg.base) {
    rotated_fd_.Reset(
        OpenFd(SegmentPath(index), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!rotated_fd_) {
      return errno == ENOENT
                 ? base::Status::NotFound("log segment rotated away")
                 : base::Status::Io("open " + SegmentPath(index), errno);
    }
    rotated_fd_base_ = seg.base;
  }
  Touched();
  return PreadAll(rotated_fd_.get(), pos - seg.base, buf, n);
}

base::Status SessionLog::ReadAt(uint64_t pos, char* buf, size_t n) {
  while (n > 0) {
    size_t take = 0;
    if (pos >= base_ + kLogFileHeaderBytes) {
      if (pos + n > size()) return base::Status::Internal("read past a log");
      TETHER_RETURN_IF_ERROR(EnsureOpen());
      TETHER_RETURN_IF_ERROR(PreadAll(fd_.get(), pos - base_, buf, n));
      return base::Status::Ok();
    }
    size_t i = rotated_.size();
    while (i > 0 && pos < rotated_[i - 1].base + kLogFileHeaderBytes) --i;
    if (i == 0) return base::Status::NotFound("log segment rotated away");
    const LogSegment& seg = rotated_[i - 1];
    uint64_t end = seg.base + seg.size;
    if (pos >= end) return base::Status::NotFound("log segment rotated away");
    take = static_cast<size_t>(end - pos < n ? end - pos : n);
    TETHER_RETURN_IF_ERROR(ReadRotated(i - 1, pos, buf, take));
    pos += take;
    buf += take;
    n -= take;
  }
  return base::Status::Ok();
}

base::Status SessionLog::Sync() {
  base::UniqueFd closed;
  if (!fd_) {
    // Closed to make room after an append the log tick has not synced.
    if (!dirty_) return base::Status::Ok();
    closed.Reset(OpenFd(path_, O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!closed) return base::Status::Io("open " + path_, errno);
  }
  if (::fdatasync(fd_ ? fd_.get() : closed.get()) != 0)
    return base::Status::Io("sync " + path_, errno);
  return base::Status::Ok();
}

}  // namespace endpoint
}  // namespace attach
