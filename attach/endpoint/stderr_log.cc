#include "attach/endpoint/stderr_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "base/log.h"
#include "base/unique_fd.h"

namespace attach {
namespace endpoint {
namespace {

// The path of what `fd` has open, when it is a regular file.
std::string FilePath(int fd, struct stat* st) {
  if (::fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) return "";
  char buf[4096];
  std::string link = "/proc/self/fd/" + std::to_string(fd);
  ssize_t n = ::readlink(link.c_str(), buf, sizeof(buf) - 1);
  if (n <= 0) return "";
  std::string path(buf, static_cast<size_t>(n));
  // A file already renamed away reads "PATH (deleted)" or is elsewhere.
  return path[0] == '/' ? path : "";
}

}  // namespace

StderrLogCap::StderrLogCap(uv_loop_t* loop, uint64_t max_bytes,
                           uint64_t check_ms)
    : loop_(loop), max_bytes_(max_bytes), check_ms_(check_ms) {}

bool StderrLogCap::Start() {
  struct stat st;
  if (FilePath(STDERR_FILENO, &st).empty()) return false;
  uv_timer_init(loop_, timer_.get());
  timer_.MarkInitialized();
  timer_->data = this;
  uv_timer_start(timer_.get(), &StderrLogCap::OnTimer, check_ms_, check_ms_);
  // A periodic check must not keep attachd's loop alive after a stop.
  uv_unref(reinterpret_cast<uv_handle_t*>(timer_.get()));
  return true;
}

void StderrLogCap::OnTimer(uv_timer_t* h) noexcept {
  (void)static_cast<StderrLogCap*>(h->data)->Check();
}

bool StderrLogCap::Check() {
  struct stat err;
  std::string path = FilePath(STDERR_FILENO, &err);
  if (path.empty() || static_cast<uint64_t>(err.st_size) <= max_bytes_) {
    return false;
  }
  std::string old = path + ".1";
  if (::rename(path.c_str(), old.c_str()) != 0) return false;
  base::UniqueFd fd(
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
  if (!fd) {
    (void)::rename(old.c_str(), path.c_str());
    return false;
  }
  // stdout too, when it is the same file (tetherctl's starter sends both).
  struct stat out;
  if (::fstat(STDOUT_FILENO, &out) == 0 && out.st_dev == err.st_dev &&
      out.st_ino == err.st_ino) {
    (void)::dup2(fd.get(), STDOUT_FILENO);
  }
  (void)::dup2(fd.get(), STDERR_FILENO);
  LOG_INFO("log continues here; the %llu bytes before are in %s",
           static_cast<unsigned long long>(err.st_size), old.c_str());
  return true;
}

}  // namespace endpoint
}  // namespace attach
