// Os: the one seam between PID-1 logic and the kernel.
//
// Like leveldb's Env, every system call the supervisor, reaper, sessions and
// early init need goes through this interface, so their logic runs in unit
// tests against tests/fakes/fake_os.h without root and without being PID 1.
// LinuxOs (os_linux.cc) is the only implementation that touches the kernel;
// OsWrapper forwards every call and lets a test override one of them.
//
// All methods are called on the tether's loop thread. None blocks for long:
// Spawn waits only until the child has exec'd or failed.
#ifndef TETHER_BASE_OS_H_
#define TETHER_BASE_OS_H_

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/ip_address.h"
#include "base/result.h"
#include "base/status.h"
#include "base/unique_fd.h"

namespace base {

// How the child is kept from the tether's secrets (docs/config.md,
// "privileged"), applied between fork and exec before the ids change.
struct Confinement {
  // clone(CLONE_NEWNS): the child gets a copy of the caller's mount
  // namespace, made a slave (mounts reach it, none leave it), in which
  // each of `masked_paths` is covered as runc masks paths: a file by
  // /dev/null, a directory by an empty read-only tmpfs. A path that does
  // not exist there is skipped. Needs CAP_SYS_ADMIN.
  bool new_mount_namespace = false;
  std::vector<std::string> masked_paths;  // Absolute.
  // Keep only `capabilities` (bit n = capability n): every other one
  // leaves the bounding set, the ambient set is cleared, the inheritable
  // set emptied, and effective and permitted keep what they had of
  // `capabilities` (nothing, after a switch to a non-root uid). Needs
  // CAP_SETPCAP.
  bool limit_capabilities = false;
  uint64_t capabilities = 0;
  // PR_SET_NO_NEW_PRIVS: exec grants nothing (setuid bits, file caps).
  bool no_new_privs = false;
};

// Everything the child does between fork and exec, decided by the parent.
struct SpawnSpec {
  std::string path;               // Contains a '/': already resolved.
  std::vector<std::string> argv;  // argv[0] included.
  std::vector<std::string> env;   // "K=V" entries, passed exactly.
  std::string workdir;            // chdir target; empty keeps the cwd.
  bool set_ids = false;           // Switch to uid/gid/groups below.
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;      // Supplementary groups (setgroups).
  // The child's stdio: each is dup2'd onto 0, 1, 2; -1 means /dev/null.
  int stdin_fd = -1;
  int stdout_fd = -1;
  int stderr_fd = -1;
  bool new_session = true;        // setsid(): own session and process group.
  bool controlling_tty = false;   // TIOCSCTTY on stdin (a pty slave).
  Confinement confine;            // Default none: the tether's own rights.
};

struct ChildExit {
  pid_t pid = 0;
  int wait_status = 0;  // As from waitpid(2); decode with WIFEXITED etc.
};

struct FileInfo {
  bool is_regular = false;
  bool is_dir = false;
  mode_t mode = 0;
  uid_t uid = 0;
  gid_t gid = 0;
};

struct PtyPair {
  UniqueFd master;  // Non-blocking, close-on-exec.
  UniqueFd slave;   // Close-on-exec; the child gets it through dup2.
};

struct PipePair {
  UniqueFd read;   // Close-on-exec.
  UniqueFd write;  // Close-on-exec.
};

class Os {
 public:
  virtual ~Os() = default;

  // --- processes ---
  // fork + exec per `spec`. Returns the pid once the child has exec'd.
  // A failure in the child before exec is reported through a close-on-exec
  // pipe, so it is known at once: exec's ENOENT gives kNotFound, exec's
  // EACCES/ENOEXEC/EISDIR kPermissionDenied (126 in docker's codes), any
  // earlier step (chdir, setuid, dup2, a mask, the capabilities) kIoError,
  // each naming the step. A mount namespace the caller may not create is
  // kPermissionDenied from clone itself.
  // The failed child still exits and is reaped by whoever calls WaitAny.
  virtual Result<pid_t> Spawn(const SpawnSpec& spec) = 0;
  // waitpid(-1, WNOHANG). nullopt when no child has changed state (or there
  // are no children at all).
  virtual Result<std::optional<ChildExit>> WaitAny() = 0;
  // kill(2); pid < 0 addresses a process group. ESRCH is an error Status.
  virtual Status Kill(pid_t pid, int signo) = 0;
  virtual pid_t GetPid() = 0;
  // prctl(PR_SET_CHILD_SUBREAPER): orphans of our descendants become ours.
  virtual Status SetChildSubreaper() = 0;
  // prctl(PR_SET_DUMPABLE). A process that is not dumpable has its /proc
  // files owned by root and is closed to ptrace, /proc/PID/mem, environ,
  // root and fd for anyone without CAP_SYS_PTRACE, root included. Children
  // are dumpable again once they exec.
  virtual Status SetDumpable(bool dumpable) = 0;

  // --- files ---
  // Reads at most `max_bytes`; a longer file is kInvalidArgument (callers
  // read outside input and must bound it).
  virtual Result<std::string> ReadFile(const std::string& path,
                                       size_t max_bytes) = 0;
  // Replaces the file atomically enough for /etc files: O_TRUNC write.
  virtual Status WriteFile(const std::string& path, const std::string& data,
                           mode_t mode) = 0;
  virtual Result<FileInfo> Stat(const std::string& path) = 0;
  // mkdir(2); an existing directory is success.
  virtual Status MakeDir(const std::string& path, mode_t mode) = 0;
  virtual Status Mount(const std::string& source, const std::string& target,
                       const std::string& fstype, unsigned long flags,
                       const std::string& data) = 0;
  virtual Result<PipePair> Pipe() = 0;
  virtual Result<PtyPair> OpenPty() = 0;
  // Up to `len` bytes at `offset` (fewer at the end of the file): reads a
  // block device's superblock without reading the device.
  virtual Result<std::string> ReadAt(const std::string& path, uint64_t offset,
                                     size_t len) = 0;
  // Entry names without "." and "..", sorted.
  virtual Result<std::vector<std::string>> ListDir(const std::string& path) = 0;
  // symlink(2); an existing link with the same target is success.
  virtual Status Symlink(const std::string& target,
                         const std::string& link) = 0;
  // Points fds 0, 1 and 2 at `path` (the console, when the kernel started
  // us without one).
  virtual Status RedirectStdio(const std::string& path) = 0;
  // Moves the mount at `new_root` onto / and chroots into it, as
  // switch_root does; the old root's files stay (an initramfs cannot be
  // unmounted) but are out of the container's reach.
  virtual Status SwitchRoot(const std::string& new_root) = 0;

  // --- system ---
  virtual Status SetHostname(const std::string& name) = 0;
  // Sets IFF_UP on an interface (used for `lo` in early init).
  virtual Status SetLinkUp(const std::string& ifname) = 0;
  virtual Status SetRlimit(int resource, uint64_t soft, uint64_t hard) = 0;
  // finit_module(2) of a decompressed .ko; EEXIST (already loaded) is
  // success.
  virtual Status LoadModule(const std::string& path) = 0;
  // Mixes `seed` into the kernel's random pool and credits all of its
  // bits (RNDADDENTROPY): only for bytes drawn for this boot alone.
  virtual Status CreditEntropy(const std::string& seed) = 0;

  // --- network (rtnetlink; interfaces by name) ---
  // Sets the MTU (when > 0) and brings the link up.
  virtual Status SetLinkMtuUp(const std::string& ifname, int mtu) = 0;
  virtual Status AddAddress(const std::string& ifname,
                            const IpPrefix& prefix) = 0;
  virtual Status AddDefaultRoute(const std::string& ifname,
                                 const IpAddress& gateway) = 0;
  virtual void Sync() = 0;
  // reboot(2) with RB_POWER_OFF, RB_AUTOBOOT, ...; returns only on failure.
  virtual Status Reboot(int cmd) = 0;
  // Monotonic milliseconds.
  virtual int64_t NowMs() = 0;
  // Blocks the loop thread: only for early init, before the loop runs,
  // while waiting for a device the kernel is still probing.
  virtual void SleepMs(int ms) = 0;
  // Wall-clock seconds since the epoch, for state timestamps.
  virtual int64_t WallSeconds() = 0;
};

// The real kernel. Stateless; one instance may be shared.
Os& RealOs();

// Forwards every call to `target`; subclass and override one method to
// inject a fault into an otherwise real run.
class OsWrapper : public Os {
 public:
  explicit OsWrapper(Os& target) : target_(target) {}
  Result<pid_t> Spawn(const SpawnSpec& s) override { return target_.Spawn(s); }
  Result<std::optional<ChildExit>> WaitAny() override {
    return target_.WaitAny();
  }
  Status Kill(pid_t p, int s) override { return target_.Kill(p, s); }
  pid_t GetPid() override { return target_.GetPid(); }
  Status SetChildSubreaper() override { return target_.SetChildSubreaper(); }
  Status SetDumpable(bool d) override { return target_.SetDumpable(d); }
  Result<std::string> ReadFile(const std::string& p, size_t m) override {
    return target_.ReadFile(p, m);
  }
  Status WriteFile(const std::string& p, const std::string& d,
                   mode_t m) override {
    return target_.WriteFile(p, d, m);
  }
  Result<FileInfo> Stat(const std::string& p) override {
    return target_.Stat(p);
  }
  Status MakeDir(const std::string& p, mode_t m) override {
    return target_.MakeDir(p, m);
  }
  Status Mount(const std::string& s, const std::string& t,
               const std::string& f, unsigned long fl,
               const std::string& d) override {
    return target_.Mount(s, t, f, fl, d);
  }
  Result<PipePair> Pipe() override { return target_.Pipe(); }
  Result<PtyPair> OpenPty() override { return target_.OpenPty(); }
  Result<std::string> ReadAt(const std::string& p, uint64_t o,
                             size_t l) override {
    return target_.ReadAt(p, o, l);
  }
  Result<std::vector<std::string>> ListDir(const std::string& p) override {
    return target_.ListDir(p);
  }
  Status Symlink(const std::string& t, const std::string& l) override {
    return target_.Symlink(t, l);
  }
  Status RedirectStdio(const std::string& p) override {
    return target_.RedirectStdio(p);
  }
  Status SwitchRoot(const std::string& r) override {
    return target_.SwitchRoot(r);
  }
  Status SetHostname(const std::string& n) override {
    return target_.SetHostname(n);
  }
  Status SetLinkUp(const std::string& i) override {
    return target_.SetLinkUp(i);
  }
  Status SetRlimit(int r, uint64_t s, uint64_t h) override {
    return target_.SetRlimit(r, s, h);
  }
  Status LoadModule(const std::string& p) override {
    return target_.LoadModule(p);
  }
  Status SetLinkMtuUp(const std::string& i, int m) override {
    return target_.SetLinkMtuUp(i, m);
  }
  Status AddAddress(const std::string& i, const IpPrefix& p) override {
    return target_.AddAddress(i, p);
  }
  Status AddDefaultRoute(const std::string& i, const IpAddress& g) override {
    return target_.AddDefaultRoute(i, g);
  }
  void Sync() override { target_.Sync(); }
  Status Reboot(int c) override { return target_.Reboot(c); }
  int64_t NowMs() override { return target_.NowMs(); }
  void SleepMs(int ms) override { target_.SleepMs(ms); }
  int64_t WallSeconds() override { return target_.WallSeconds(); }

 private:
  Os& target_;
};

}  // namespace base

#endif  // TETHER_BASE_OS_H_
