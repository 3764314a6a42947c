// LinuxOs: the only file (with spawn_linux.cc) that makes the system calls
// behind base::Os. CI greps the rest of the tree for these calls.
#include <fcntl.h>
#include <net/if.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/os.h"
#include "base/spawn_linux.h"

namespace base {
namespace {

class LinuxOs : public Os {
 public:
  Result<pid_t> Spawn(const SpawnSpec& spec) override {
    return SpawnProcess(spec);
  }

  Result<std::optional<ChildExit>> WaitAny() override {
    int status = 0;
    pid_t pid;
    do {
      pid = ::waitpid(-1, &status, WNOHANG);
    } while (pid < 0 && errno == EINTR);
    if (pid < 0) {
      if (errno == ECHILD) return std::optional<ChildExit>();
      return Status::Io("waitpid", errno);
    }
    if (pid == 0) return std::optional<ChildExit>();
    return std::optional<ChildExit>(ChildExit{pid, status});
  }

  Status Kill(pid_t pid, int signo) override {
    if (::kill(pid, signo) != 0) {
      return Status::Io("kill " + std::to_string(pid), errno);
    }
    return Status::Ok();
  }

  pid_t GetPid() override { return ::getpid(); }

  Status SetChildSubreaper() override {
    if (::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) {
      return Status::Io("prctl(PR_SET_CHILD_SUBREAPER)", errno);
    }
    return Status::Ok();
  }

  Result<std::string> ReadFile(const std::string& path,
                               size_t max_bytes) override {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return Status::Io("open " + path, errno);
    std::string out;
    char buf[16384];
    for (;;) {
      ssize_t n = ::read(fd.get(), buf, sizeof(buf));
      if (n < 0) {
        if (errno == EINTR) continue;
        return Status::Io("read " + path, errno);
      }
      if (n == 0) break;
      if (out.size() + static_cast<size_t>(n) > max_bytes) {
        return Status::InvalidArgument(path + ": larger than " +
                                       std::to_string(max_bytes) + " bytes");
      }
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }

  Status WriteFile(const std::string& path, const std::string& data,
                   mode_t mode) override {
    UniqueFd fd(
        ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode));
    if (!fd) return Status::Io("open " + path, errno);
    size_t done = 0;
    while (done < data.size()) {
      ssize_t n = ::write(fd.get(), data.data() + done, data.size() - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        return Status::Io("write " + path, errno);
      }
      done += static_cast<size_t>(n);
    }
    return Status::Ok();
  }

  Result<FileInfo> Stat(const std::string& path) override {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) return Status::Io("stat " + path, errno);
    FileInfo info;
    info.is_regular = S_ISREG(st.st_mode);
    info.is_dir = S_ISDIR(st.st_mode);
    info.mode = st.st_mode;
    info.uid = st.st_uid;
    info.gid = st.st_gid;
    return info;
  }

  Status MakeDir(const std::string& path, mode_t mode) override {
    if (::mkdir(path.c_str(), mode) == 0) return Status::Ok();
    int err = errno;
    struct stat st;
    if (err == EEXIST && ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
      return Status::Ok();
    }
    return Status::Io("mkdir " + path, err);
  }

  Status Mount(const std::string& source, const std::string& target,
               const std::string& fstype, unsigned long flags,
               const std::string& data) override {
    if (::mount(source.c_str(), target.c_str(),
                fstype.empty() ? nullptr : fstype.c_str(), flags,
                data.empty() ? nullptr : data.c_str()) != 0) {
      return Status::Io("mount " + fstype + " on " + target, errno);
    }
    return Status::Ok();
  }

  Result<PipePair> Pipe() override {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return Status::Io("pipe", errno);
    return PipePair{UniqueFd(fds[0]), UniqueFd(fds[1])};
  }

  Result<PtyPair> OpenPty() override {
    UniqueFd master(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK));
    if (!master) return Status::Io("posix_openpt", errno);
    if (::grantpt(master.get()) != 0) return Status::Io("grantpt", errno);
    if (::unlockpt(master.get()) != 0) return Status::Io("unlockpt", errno);
    char name[64];
    if (::ptsname_r(master.get(), name, sizeof(name)) != 0) {
      return Status::Io("ptsname", errno);
    }
    UniqueFd slave(::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (!slave) return Status::Io(std::string("open ") + name, errno);
    return PtyPair{std::move(master), std::move(slave)};
  }

  Status SetHostname(const std::string& name) override {
    if (::sethostname(name.data(), name.size()) != 0) {
      return Status::Io("sethostname", errno);
    }
    return Status::Ok();
  }

  Status SetLinkUp(const std::string& ifname) override {
    if (ifname.size() >= IFNAMSIZ) {
      return Status::InvalidArgument("interface name too long: " + ifname);
    }
    UniqueFd sock(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!sock) return Status::Io("socket", errno);
    struct ifreq ifr;
    std::memset(&ifr, 0, sizeof(ifr));
    std::memcpy(ifr.ifr_name, ifname.data(), ifname.size());
    if (::ioctl(sock.get(), SIOCGIFFLAGS, &ifr) != 0) {
      return Status::Io("get flags of " + ifname, errno);
    }
    ifr.ifr_flags |= IFF_UP;
    if (::ioctl(sock.get(), SIOCSIFFLAGS, &ifr) != 0) {
      return Status::Io("set " + ifname + " up", errno);
    }
    return Status::Ok();
  }

  Status SetRlimit(int resource, uint64_t soft, uint64_t hard) override {
    struct rlimit rl;
    rl.rlim_cur = soft;
    rl.rlim_max = hard;
    if (::setrlimit(resource, &rl) != 0) return Status::Io("setrlimit", errno);
    return Status::Ok();
  }

  void Sync() override { ::sync(); }

  Status Reboot(int cmd) override {
    ::reboot(cmd);
    return Status::Io("reboot", errno);
  }

  int64_t NowMs() override {
    struct timespec ts;
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
  }

  int64_t WallSeconds() override {
    struct timespec ts;
    ::clock_gettime(CLOCK_REALTIME, &ts);
    return ts.tv_sec;
  }
};

}  // namespace

Os& RealOs() {
  static LinuxOs os;
  return os;
}

}  // namespace base
