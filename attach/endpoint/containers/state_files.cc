#include "attach/endpoint/containers/state_files.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <system_error>

#include "base/fd_io.h"
#include "base/unique_fd.h"

namespace attach {
namespace endpoint {
namespace {

struct DirCloser {
  void operator()(DIR* d) const { ::closedir(d); }
};

std::string Parent(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace

base::Status EnsureDir(const std::string& path, mode_t mode) {
  if (::mkdir(path.c_str(), mode) == 0) {
    // mkdir applies the umask; the mode asked for is the mode meant.
    if (::chmod(path.c_str(), mode) != 0) {
      return base::Status::Io("chmod " + path, errno);
    }
    return base::Status::Ok();
  }
  if (errno != EEXIST) return base::Status::Io("mkdir " + path, errno);
  const uid_t me = ::geteuid();
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) {
    return base::Status::Io("stat " + path, errno);
  }
  if (S_ISLNK(st.st_mode)) {
    if (st.st_uid != me && st.st_uid != 0) {
      return base::Status::PermissionDenied(
          path + " is a symbolic link owned by uid " +
          std::to_string(st.st_uid) + ": refusing it");
    }
    if (::stat(path.c_str(), &st) != 0) {
      return base::Status::Io("stat " + path, errno);
    }
  }
  if (!S_ISDIR(st.st_mode)) {
    return base::Status::Io("mkdir " + path, ENOTDIR);
  }
  if (st.st_uid != me) {
    return base::Status::PermissionDenied(
        path + " is owned by uid " + std::to_string(st.st_uid) +
        ", not by attachd's user (uid " + std::to_string(me) +
        "): refusing a directory someone else prepared");
  }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    char mode_text[8];
    std::snprintf(mode_text, sizeof(mode_text), "%04o", st.st_mode & 07777);
    return base::Status::PermissionDenied(
        path + " is writable by group or others (mode " + mode_text +
        "): refusing it (chmod go-w " + path + ")");
  }
  if ((st.st_mode & 07777) != mode && ::chmod(path.c_str(), mode) != 0) {
    return base::Status::Io("chmod " + path, errno);
  }
  return base::Status::Ok();
}

base::Result<std::string> ReadFile(const std::string& path, size_t max_bytes) {
  base::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return base::Status::Io("open " + path, errno);
  std::string out;
  char buf[16384];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return base::Status::Io("read " + path, errno);
    if (n == 0) break;
    if (out.size() + static_cast<size_t>(n) > max_bytes) {
      return base::Status::InvalidArgument(
          path + ": larger than " + std::to_string(max_bytes) + " bytes");
    }
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

base::Status WriteFileAtomic(const std::string& path, const std::string& data,
                             mode_t mode) {
  // mkostemp: O_CREAT | O_EXCL with a fresh name, mode 0600 until fchmod.
  std::string tmp = path + ".XXXXXX";
  base::UniqueFd fd(::mkostemp(&tmp[0], O_CLOEXEC));
  if (!fd) return base::Status::Io("create " + path + ".XXXXXX", errno);
  base::Status s;
  if (::fchmod(fd.get(), mode) != 0) {
    s = base::Status::Io("chmod " + tmp, errno);
  } else {
    s = base::WriteAll(fd.get(), data.data(), data.size()).Annotate(tmp);
  }
  if (s.ok() && ::fsync(fd.get()) != 0) {
    s = base::Status::Io("fsync " + tmp, errno);
  }
  fd.Reset();
  if (s.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) {
    s = base::Status::Io("rename " + tmp, errno);
  }
  if (!s.ok()) {
    (void)::unlink(tmp.c_str());
    return s;
  }
  // The rename is durable only once the directory is.
  base::UniqueFd dir(
      ::open(Parent(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir) (void)::fsync(dir.get());
  return base::Status::Ok();
}

base::Result<std::vector<std::string>> ListDir(const std::string& dir) {
  std::unique_ptr<DIR, DirCloser> d(::opendir(dir.c_str()));
  if (!d) return base::Status::Io("opendir " + dir, errno);
  std::vector<std::string> names;
  while (struct dirent* e = ::readdir(d.get())) {
    std::string name = e->d_name;
    if (name != "." && name != "..") names.push_back(std::move(name));
  }
  return names;
}

base::Status RemoveTree(const std::string& path) {
  // A status write finishing on a worker thread (upkeep.h) can rename a
  // file away or add one while the tree is walked: remove_all then fails
  // with ENOENT or ENOTEMPTY, and a second walk finishes the job. Once
  // the directory is gone the worker's writes fail instead.
  std::error_code ec;
  for (int attempt = 0; attempt < 100; ++attempt) {
    ec.clear();
    std::filesystem::remove_all(path, ec);
    if (!ec) return base::Status::Ok();
    if (ec.value() != ENOENT && ec.value() != ENOTEMPTY) break;
  }
  return base::Status::Io("remove " + path, ec.value());
}

}  // namespace endpoint
}  // namespace attach
