#include "attach/endpoint/vms/vm_files.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "base/fd_io.h"
#include "base/log.h"
#include "base/unique_fd.h"

namespace attach {
namespace endpoint {
namespace {

bool UserExists(const std::string& name) {
  return ::getpwnam(name.c_str()) != nullptr;
}

// Copies all of `from` to a new `to` (in the kernel where it can).
bool CopyFile(int from, const std::string& to, uint64_t size) {
  base::UniqueFd out(::open(
      to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (!out) return false;
  loff_t in_off = 0;
  while (static_cast<uint64_t>(in_off) < size) {
    ssize_t n = ::copy_file_range(from, &in_off, out.get(), nullptr,
                                  size - static_cast<uint64_t>(in_off), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
  }
  return true;
}

}  // namespace

bool CapVmLog(const std::string& path, uint64_t max_bytes) {
  base::UniqueFd fd(::open(path.c_str(), O_RDWR | O_CLOEXEC | O_NOFOLLOW));
  struct stat st;
  if (!fd || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  uint64_t size = static_cast<uint64_t>(st.st_size);
  if (size <= max_bytes) return false;
  std::string tail(kVmLogKeptTail, '\0');
  ssize_t got = ::pread(fd.get(), &tail[0], tail.size(),
                        static_cast<off_t>(size - tail.size()));
  tail.resize(got > 0 ? static_cast<size_t>(got) : 0);
  if (!CopyFile(fd.get(), path + ".1", size)) {
    LOG_WARN("%s: cannot keep its first part in %s.1: %s", path.c_str(),
             path.c_str(), std::strerror(errno));
  }
  if (::ftruncate(fd.get(), 0) != 0) return false;
  // QEMU appends (O_APPEND): its next write lands after this tail.
  (void)base::WriteAll(fd.get(), tail.data(), tail.size());
  LOG_INFO("%s: cut at %llu bytes (the part before is in %s.1)", path.c_str(),
           static_cast<unsigned long long>(size), path.c_str());
  return true;
}

base::Status ResetVmLog(const std::string& path) {
  base::UniqueFd fd(
      ::open(path.c_str(),
             O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (!fd) return base::Status::Io("reset " + path, errno);
  return base::Status::Ok();
}

base::Result<std::string> ResolveQemuUser(const std::string& wanted,
                                          uid_t euid) {
  if (euid != 0) return std::string();
  if (wanted == "root") return std::string();
  if (!wanted.empty()) {
    if (!UserExists(wanted)) {
      return base::Status::InvalidArgument("--qemu-user: no user \"" + wanted +
                                           "\"");
    }
    return wanted;
  }
  if (UserExists("tether-qemu")) return std::string("tether-qemu");
  if (UserExists("nobody")) {
    LOG_WARN(
        "attachd runs as root: QEMU drops to \"nobody\"; a user of its "
        "own is safer (useradd --system --no-create-home --shell "
        "/usr/sbin/nologin tether-qemu, or --qemu-user)");
    return std::string("nobody");
  }
  return base::Status::InvalidArgument(
      "attachd runs as root and found neither a \"tether-qemu\" nor a "
      "\"nobody\" user for QEMU: create one, or say --qemu-user USER (root "
      "to keep QEMU root)");
}

}  // namespace endpoint
}  // namespace attach
