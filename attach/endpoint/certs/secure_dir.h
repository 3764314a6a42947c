// A directory that holds private keys, reached through one open fd.
//
// The state directory may have been tampered with (DESIGN §6 keeps it
// 0700, but a mistaken chmod or a hostile local user with write access
// to a parent could plant a symlink). So the directory is opened with
// O_NOFOLLOW and must be a real directory owned by the effective uid;
// every file below is opened relative to that fd with O_NOFOLLOW and
// must be a regular file owned by us; writes go to a fresh O_EXCL temp
// file renamed into place, so a crash leaves the old or the new file.
//
// Blocking calls on small local files, for start-up; not thread-safe.
#ifndef TETHER_ATTACH_ENDPOINT_CERTS_SECURE_DIR_H_
#define TETHER_ATTACH_ENDPOINT_CERTS_SECURE_DIR_H_

#include <sys/types.h>

#include <string>

#include "base/result.h"
#include "base/unique_fd.h"

namespace attach {
namespace endpoint {
namespace certs {

class SecureDir {
 public:
  // Opens `parent`/`name`, creating it with mode 0700 when absent (the
  // parent must exist; it is trusted and may be a symlink). Refuses with
  // kPermissionDenied a symlink, a non-directory or a directory owned by
  // another user; removes group and other permissions from an existing
  // one. kIoError for other failures.
  static base::Result<SecureDir> Open(const std::string& parent,
                                      const std::string& name);
  // The same for a subdirectory of this one.
  base::Result<SecureDir> OpenChild(const std::string& name) const;

  SecureDir(SecureDir&&) = default;
  SecureDir& operator=(SecureDir&&) = default;

  // As given to Open, joined: "/var/lib/attachd/certs".
  const std::string& path() const { return path_; }
  std::string PathOf(const std::string& name) const {
    return path_ + "/" + name;
  }

  // The contents of regular file `name` (at most 1 MiB). kNotFound when
  // it does not exist. kPermissionDenied when it is a symlink, not a
  // regular file, owned by another user or, with `secret`, readable or
  // writable by group or others (like ssh, refuse rather than fix: the
  // key may already have been copied).
  base::Result<std::string> Read(const std::string& name, bool secret) const;

  // Replaces `name` atomically with `data` at `mode`: ".NAME.tmp" is
  // created with O_EXCL|O_NOFOLLOW, written, fsynced and renamed over
  // `name`; then the directory is fsynced.
  base::Status Write(const std::string& name, const std::string& data,
                     mode_t mode) const;

  // Unlinks `name`; OK when it does not exist.
  base::Status Remove(const std::string& name) const;

 private:
  SecureDir(base::UniqueFd fd, std::string path)
      : fd_(std::move(fd)), path_(std::move(path)) {}
  static base::Result<SecureDir> OpenAt(int parent_fd,
                                        const std::string& parent_path,
                                        const std::string& name);

  base::UniqueFd fd_;
  std::string path_;
};

struct UserFile {
  std::string text;
  mode_t mode = 0;  // Permission bits.
};

// A file the user named (--tlscert and kin): symlinks are followed, as
// for /etc/letsencrypt/live/*; it must be a regular file of at most
// 1 MiB. kNotFound when absent. Messages leave the path to the caller.
base::Result<UserFile> ReadUserFile(const std::string& path);

}  // namespace certs
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CERTS_SECURE_DIR_H_
