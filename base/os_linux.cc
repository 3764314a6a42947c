// LinuxOs: the only file (with spawn_linux.cc) that makes the system calls
// behind base::Os. CI greps the rest of the tree for these calls.
#include <fcntl.h>
#include <net/if.h>
#include <pty.h>
#include <linux/random.h>
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

#include <dirent.h>
#include <sys/syscall.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "base/os.h"
#include "base/rtnetlink_linux.h"
#include "base/spawn_linux.h"

namespace base {
namespace {

// if_nametoindex is an ioctl, not NSS: safe in the static tether.
Result<int> IfIndex(const std::string& ifname) {
  unsigned index = ::if_nametoindex(ifname.c_str());
  if (index == 0) return Status::Io("interface " + ifname, errno);
  return static_cast<int>(index);
}

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

  Status SetDumpable(bool dumpable) override {
    if (::prctl(PR_SET_DUMPABLE, dumpable ? 1 : 0, 0, 0, 0) != 0) {
      return Status::Io("prctl(PR_SET_DUMPABLE)", errno);
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

  Result<std::string> ReadAt(const std::string& path, uint64_t offset,
                             size_t len) override {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return Status::Io("open " + path, errno);
    std::string out(len, '\0');
    size_t done = 0;
    while (done < len) {
      ssize_t n = ::pread(fd.get(), &out[done], len - done,
                          static_cast<off_t>(offset + done));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return Status::Io("read " + path, errno);
      if (n == 0) break;
      done += static_cast<size_t>(n);
    }
    out.resize(done);
    return out;
  }

  Result<std::vector<std::string>> ListDir(const std::string& path) override {
    DIR* d = ::opendir(path.c_str());
    if (d == nullptr) return Status::Io("open directory " + path, errno);
    std::vector<std::string> names;
    errno = 0;
    while (struct dirent* e = ::readdir(d)) {
      std::string name = e->d_name;
      if (name != "." && name != "..") names.push_back(std::move(name));
    }
    int err = errno;
    ::closedir(d);
    if (err != 0) return Status::Io("read directory " + path, err);
    std::sort(names.begin(), names.end());
    return names;
  }

  Status Symlink(const std::string& target, const std::string& link) override {
    if (::symlink(target.c_str(), link.c_str()) == 0) return Status::Ok();
    int err = errno;
    char buf[4096];
    ssize_t n = ::readlink(link.c_str(), buf, sizeof(buf));
    if (err == EEXIST && n >= 0 &&
        std::string(buf, static_cast<size_t>(n)) == target) {
      return Status::Ok();
    }
    return Status::Io("symlink " + link + " -> " + target, err);
  }

  Status RedirectStdio(const std::string& path) override {
    UniqueFd fd(::open(path.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (!fd) return Status::Io("open " + path, errno);
    for (int target = 0; target < 3; ++target) {
      if (target != fd.get() && ::dup2(fd.get(), target) < 0) {
        return Status::Io("dup2 " + path, errno);
      }
    }
    // With 0..2 missing, open() itself returned one of them: keep it.
    if (fd.get() < 3) ::fcntl(fd.Release(), F_SETFD, 0);
    return Status::Ok();
  }

  Status SwitchRoot(const std::string& new_root) override {
    if (::chdir(new_root.c_str()) != 0) {
      return Status::Io("chdir " + new_root, errno);
    }
    if (::mount(new_root.c_str(), "/", nullptr, MS_MOVE, nullptr) != 0) {
      return Status::Io("move " + new_root + " to /", errno);
    }
    if (::chroot(".") != 0) return Status::Io("chroot " + new_root, errno);
    if (::chdir("/") != 0) return Status::Io("chdir /", errno);
    return Status::Ok();
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

  Status LoadModule(const std::string& path) override {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return Status::Io("open " + path, errno);
    if (::syscall(SYS_finit_module, fd.get(), "", 0) != 0 && errno != EEXIST) {
      return Status::Io("load module " + path, errno);
    }
    return Status::Ok();
  }

  Status CreditEntropy(const std::string& seed) override {
    UniqueFd fd(::open("/dev/urandom", O_WRONLY | O_CLOEXEC));
    if (!fd) return Status::Io("open /dev/urandom", errno);
    // struct rand_pool_info ends in a flexible array of __u32.
    std::vector<uint32_t> info(2 + (seed.size() + 3) / 4, 0);
    auto* pool = reinterpret_cast<struct rand_pool_info*>(info.data());
    pool->entropy_count = static_cast<int>(seed.size() * 8);
    pool->buf_size = static_cast<int>(seed.size());
    std::memcpy(pool->buf, seed.data(), seed.size());
    int rc = ::ioctl(fd.get(), RNDADDENTROPY, pool);
    int err = errno;
    explicit_bzero(info.data(), info.size() * sizeof(uint32_t));
    if (rc != 0) return Status::Io("credit the random seed", err);
    return Status::Ok();
  }

  Status SetLinkMtuUp(const std::string& ifname, int mtu) override {
    TETHER_ASSIGN_OR_RETURN(int index, IfIndex(ifname));
    TETHER_ASSIGN_OR_RETURN(RtNetlink nl, RtNetlink::Open());
    return nl.SetLink(index, mtu, true).Annotate(ifname);
  }

  Status AddAddress(const std::string& ifname,
                    const IpPrefix& prefix) override {
    TETHER_ASSIGN_OR_RETURN(int index, IfIndex(ifname));
    TETHER_ASSIGN_OR_RETURN(RtNetlink nl, RtNetlink::Open());
    return nl.AddAddress(index, prefix).Annotate(ifname);
  }

  Status AddDefaultRoute(const std::string& ifname,
                         const IpAddress& gateway) override {
    TETHER_ASSIGN_OR_RETURN(int index, IfIndex(ifname));
    TETHER_ASSIGN_OR_RETURN(RtNetlink nl, RtNetlink::Open());
    return nl.AddDefaultRoute(index, gateway).Annotate(ifname);
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

  void SleepMs(int ms) override {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (::nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
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
