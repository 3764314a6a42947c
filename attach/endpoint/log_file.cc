#include "attach/endpoint/log_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <ctime>

#include "base/log.h"

namespace attach {
namespace endpoint {
namespace {

base::UniqueFd OpenAppend(const std::string& path, int extra) {
  return base::UniqueFd(::open(
      path.c_str(),
      O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | extra, 0600));
}

}  // namespace

std::string LogTimestamp() {
  struct timespec ts;
  ::clock_gettime(CLOCK_REALTIME, &ts);
  struct tm tm;
  ::gmtime_r(&ts.tv_sec, &tm);
  char buf[40];
  size_t n = ::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof(buf) - n, ".%03ldZ", ts.tv_nsec / 1000000);
  return buf;
}

base::Result<std::unique_ptr<LogFile>> LogFile::Open(std::string path,
                                                     uint64_t max_bytes) {
  base::UniqueFd fd = OpenAppend(path, 0);
  if (!fd) return base::Status::Io("--log-file: open " + path, errno);
  struct stat st;
  struct stat err;
  if (::fstat(fd.get(), &st) != 0) {
    return base::Status::Io("--log-file: stat " + path, errno);
  }
  bool same = ::fstat(STDERR_FILENO, &err) == 0 && err.st_dev == st.st_dev &&
              err.st_ino == st.st_ino;
  return std::unique_ptr<LogFile>(new LogFile(std::move(path), std::move(fd),
                                              static_cast<uint64_t>(st.st_size),
                                              max_bytes, same));
}

LogFile::~LogFile() {
  if (installed_) base::SetLogSink(nullptr, nullptr, false);
}

void LogFile::Install() {
  base::SetLogSink(&LogFile::Sink, this, is_stderr_);
  installed_ = true;
}

void LogFile::Sink(const char* line, size_t len, void* ctx) noexcept {
  static_cast<LogFile*>(ctx)->Write(line, len);
}

void LogFile::Write(const char* line, size_t len) {
  std::string stamp = LogTimestamp() + " ";
  if (size_ + stamp.size() + len > max_bytes_) Rotate();
  struct iovec iov[2] = {{&stamp[0], stamp.size()},
                         {const_cast<char*>(line), len}};
  // One writev keeps the line whole for readers; a failed log write has
  // nowhere better to be reported.
  ssize_t n = ::writev(fd_.get(), iov, 2);
  if (n > 0) size_ += static_cast<uint64_t>(n);
}

void LogFile::Rotate() {
  if (::rename(path_.c_str(), (path_ + ".1").c_str()) != 0) return;
  base::UniqueFd fresh = OpenAppend(path_, O_EXCL);
  // Without a fresh file the old descriptor (now FILE.1) goes on.
  if (!fresh) return;
  if (is_stderr_) (void)::dup2(fresh.get(), STDERR_FILENO);
  fd_ = std::move(fresh);
  size_ = 0;
}

}  // namespace endpoint
}  // namespace attach
