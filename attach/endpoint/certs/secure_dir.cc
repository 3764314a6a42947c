#include "attach/endpoint/certs/secure_dir.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "base/fd_io.h"

namespace attach {
namespace endpoint {
namespace certs {
namespace {

constexpr size_t kMaxFileBytes = 1 << 20;

std::string OctalMode(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof(buf), "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

// Explains a failed O_NOFOLLOW open: depending on the flags, a symlink
// fails with ELOOP or ENOTDIR, so look at what is there.
base::Status OpenError(int dir_fd, const std::string& name,
                       const std::string& path, int err) {
  struct stat st;
  if ((err == ELOOP || err == ENOTDIR) &&
      ::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
    return base::Status::PermissionDenied(
        path +
        (S_ISLNK(st.st_mode) ? ": is a symlink" : ": is not a directory") +
        "; refusing it");
  }
  return base::Status::Io("open " + path, err);
}

base::Status CheckOwner(const struct stat& st, const std::string& path) {
  if (st.st_uid != ::geteuid()) {
    return base::Status::PermissionDenied(
        path + ": owned by uid " + std::to_string(st.st_uid) +
        ", not by attachd's uid " + std::to_string(::geteuid()) +
        "; refusing it");
  }
  return base::Status::Ok();
}

// Errors say what failed, not where: callers prefix the path.
base::Result<std::string> ReadAll(int fd) {
  std::string out;
  char buf[16384];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return base::Status::Io("read", errno);
    if (n == 0) return out;
    if (out.size() + static_cast<size_t>(n) > kMaxFileBytes) {
      return base::Status::InvalidArgument("larger than 1 MiB");
    }
    out.append(buf, static_cast<size_t>(n));
  }
}

}  // namespace

base::Result<SecureDir> SecureDir::Open(const std::string& parent,
                                        const std::string& name) {
  base::UniqueFd parent_fd(
      ::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!parent_fd) return base::Status::Io("open " + parent, errno);
  return OpenAt(parent_fd.get(), parent, name);
}

base::Result<SecureDir> SecureDir::OpenChild(const std::string& name) const {
  return OpenAt(fd_.get(), path_, name);
}

base::Result<SecureDir> SecureDir::OpenAt(int parent_fd,
                                          const std::string& parent_path,
                                          const std::string& name) {
  const std::string path = parent_path + "/" + name;
  if (::mkdirat(parent_fd, name.c_str(), 0700) != 0 && errno != EEXIST) {
    return base::Status::Io("mkdir " + path, errno);
  }
  base::UniqueFd fd(::openat(parent_fd, name.c_str(),
                             O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd) return OpenError(parent_fd, name, path, errno);
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) {
    return base::Status::Io("stat " + path, errno);
  }
  TETHER_RETURN_IF_ERROR(CheckOwner(st, path));
  // mkdir applied the umask, and an old directory may have been opened
  // up by hand: 0700 is the mode meant either way.
  if ((st.st_mode & 07777) != 0700 && ::fchmod(fd.get(), 0700) != 0) {
    return base::Status::Io("chmod " + path, errno);
  }
  return SecureDir(std::move(fd), path);
}

base::Result<std::string> SecureDir::Read(const std::string& name,
                                          bool secret) const {
  const std::string path = PathOf(name);
  // O_NONBLOCK: a FIFO planted under this name must not hang start-up.
  base::UniqueFd fd(::openat(fd_.get(), name.c_str(),
                             O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (!fd) return OpenError(fd_.get(), name, path, errno);
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) {
    return base::Status::Io("stat " + path, errno);
  }
  if (!S_ISREG(st.st_mode)) {
    return base::Status::PermissionDenied(path +
                                          ": not a regular file; refusing it");
  }
  TETHER_RETURN_IF_ERROR(CheckOwner(st, path));
  if (secret && (st.st_mode & 077) != 0) {
    return base::Status::PermissionDenied(
        path + ": mode " + OctalMode(st.st_mode) +
        " lets other users at a private key; chmod 600 it (and consider "
        "the key leaked)");
  }
  base::Result<std::string> text = ReadAll(fd.get());
  if (!text.ok()) return text.TakeStatus().Annotate(path);
  return text;
}

base::Status SecureDir::Write(const std::string& name, const std::string& data,
                              mode_t mode) const {
  const std::string tmp = "." + name + ".tmp";
  const std::string tmp_path = PathOf(tmp);
  // A temp file left by a crash is ours to replace; O_EXCL below then
  // guarantees the file written is the one this call created.
  if (::unlinkat(fd_.get(), tmp.c_str(), 0) != 0 && errno != ENOENT) {
    return base::Status::Io("unlink " + tmp_path, errno);
  }
  base::UniqueFd fd(
      ::openat(fd_.get(), tmp.c_str(),
               O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
  if (!fd) return base::Status::Io("create " + tmp_path, errno);
  base::Status s;
  if (::fchmod(fd.get(), mode) != 0) {  // The umask narrowed `mode`.
    s = base::Status::Io("chmod " + tmp_path, errno);
  } else if (!(s = base::WriteAll(fd.get(), data.data(), data.size())).ok()) {
    s.Annotate("write " + tmp_path);
  } else if (::fsync(fd.get()) != 0) {
    s = base::Status::Io("fsync " + tmp_path, errno);
  } else if (::renameat(fd_.get(), tmp.c_str(), fd_.get(), name.c_str()) != 0) {
    s = base::Status::Io("rename " + tmp_path, errno);
  }
  if (!s.ok()) {
    (void)::unlinkat(fd_.get(), tmp.c_str(), 0);
    return s;
  }
  // The rename is durable only once the directory is.
  (void)::fsync(fd_.get());
  return base::Status::Ok();
}

base::Status SecureDir::Remove(const std::string& name) const {
  if (::unlinkat(fd_.get(), name.c_str(), 0) != 0 && errno != ENOENT) {
    return base::Status::Io("remove " + PathOf(name), errno);
  }
  return base::Status::Ok();
}

base::Result<UserFile> ReadUserFile(const std::string& path) {
  base::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (!fd) return base::Status::Io("open", errno);
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return base::Status::Io("stat", errno);
  if (!S_ISREG(st.st_mode)) {
    return base::Status::InvalidArgument("not a regular file");
  }
  UserFile file;
  file.mode = st.st_mode & 07777;
  TETHER_ASSIGN_OR_RETURN(file.text, ReadAll(fd.get()));
  return file;
}

}  // namespace certs
}  // namespace endpoint
}  // namespace attach
