#include "attach/endpoint/admin/file_stream.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace attach {
namespace endpoint {
namespace admin {
namespace {

// A line longer than this is judged by what is kept of it (attachd's own
// lines are at most 2 KiB).
constexpr size_t kMaxLine = 64 * 1024;

}  // namespace

base::Result<OpenedFile> OpenLogFile(const std::string& path) {
  OpenedFile f;
  f.fd = base::UniqueFd(
      ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY));
  if (!f.fd) {
    if (errno == ELOOP) {
      return base::Status::PermissionDenied(path + " is a symlink");
    }
    return base::Status::Io("open " + path, errno);
  }
  struct stat st;
  if (::fstat(f.fd.get(), &st) != 0) {
    return base::Status::Io("stat " + path, errno);
  }
  if (!S_ISREG(st.st_mode)) {
    return base::Status::PermissionDenied(path + " is not a regular file");
  }
  f.size = static_cast<uint64_t>(st.st_size);
  f.mtime = st.st_mtim.tv_sec;
  return f;
}

base::Result<std::string> ReadPiece(int fd, uint64_t pos, size_t n) {
  std::string buf(n, '\0');
  size_t got = 0;
  while (got < n) {
    ssize_t r = ::pread(fd, &buf[got], n - got, static_cast<off_t>(pos + got));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return base::Status::Io("read", errno);
    if (r == 0) break;
    got += static_cast<size_t>(r);
  }
  buf.resize(got);
  return buf;
}

bool IsSecurityLine(std::string_view line) {
  return line.find("security:") != std::string_view::npos ||
         line.find("refused") != std::string_view::npos;
}

void FileStreamOp::Produce() {
  uint64_t left = file_.size - pos_;
  size_t n = left < kPieceBytes ? static_cast<size_t>(left) : kPieceBytes;
  base::Result<std::string> piece =
      n == 0 ? std::string() : ReadPiece(file_.fd.get(), pos_, n);
  // A file that shrank (truncated by hand) or failed ends the answer
  // early; the client sees a short body.
  if (!piece.ok() || (n > 0 && piece->empty())) return Finish();
  pos_ += piece->size();
  bool last = pos_ >= file_.size;
  if (!filter_) {
    if (!piece->empty()) out().Write(std::move(*piece));
  } else {
    std::string lines;
    Filter(*piece, last, &lines);
    if (!lines.empty()) out().Write(std::move(lines));
  }
  if (last) Finish();
}

void FileStreamOp::Filter(std::string_view piece, bool last, std::string* out) {
  while (!piece.empty()) {
    size_t nl = piece.find('\n');
    if (nl == std::string_view::npos) {
      size_t room = kMaxLine - partial_.size();
      partial_.append(piece.substr(0, room));
      break;
    }
    if (partial_.size() < kMaxLine) {
      partial_.append(
          piece.substr(0, std::min(nl, kMaxLine - partial_.size())));
    }
    if (IsSecurityLine(partial_)) out->append(partial_).push_back('\n');
    partial_.clear();
    piece.remove_prefix(nl + 1);
  }
  if (last && !partial_.empty()) {
    if (IsSecurityLine(partial_)) out->append(partial_).push_back('\n');
    partial_.clear();
  }
}

}  // namespace admin
}  // namespace endpoint
}  // namespace attach
