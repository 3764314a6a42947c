// clone + exec for LinuxOs::Spawn.
//
// The child shares the tether's memory until it execs (CLONE_VM |
// CLONE_VFORK, as posix_spawn does): fork() would copy the page tables of
// PID 1 and leave both sides to take copy-on-write faults (under TCG a
// container's start went from ~56 to ~47 ms; the rest is its own exec).
// The rules that come with it:
// - the parent prepares every buffer first; the child only makes system
//   calls until execve, and writes nothing the parent reads but errno;
// - every signal is blocked across clone(), and the child resets the
//   dispositions before it unblocks, so no handler of ours ever runs in it;
// - ids change through raw system calls: glibc's setuid() would try to
//   change them in every thread of the parent as well.
// A close-on-exec pipe carries {step, errno} back when a step fails, so
// exec failures surface at once with the right docker exit code, never a
// hang. The confinement steps (spawn_confine_linux.cc) come in this order:
// mounts while the child is still root in full, the bounding set while it
// has CAP_SETPCAP, the ids, then the remaining sets and no_new_privs.
#include "base/spawn_linux.h"

#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "base/os.h"
#include "base/spawn_confine_linux.h"

namespace base {
namespace {

// In the order the child takes them.
enum class Step : int {
  kSignals,
  kMounts,
  kSetsid,
  kTty,
  kStdio,
  kBounding,
  kGroups,
  kGid,
  kUid,
  kCapabilities,
  kNoNewPrivs,
  kChdir,
  kExec
};

struct Failure {
  int step;
  int err;
  int index;  // kMounts: the masked path, or -1 for the namespace itself.
};

std::vector<char*> CStrings(const std::vector<std::string>& v) {
  std::vector<char*> out;
  out.reserve(v.size() + 1);
  for (const std::string& s : v) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

[[noreturn]] void Fail(int report_fd, Step step, int err = errno,
                       int index = -1) {
  Failure f{static_cast<int>(step), err, index};
  ssize_t ignored = ::write(report_fd, &f, sizeof(f));
  (void)ignored;
  ::_exit(127);
}

// Puts `fd` on `target`, or /dev/null when fd < 0. The result must not be
// close-on-exec, so an fd already in place has its flag cleared instead.
bool PlaceFd(int fd, int target, int open_flags) {
  if (fd < 0) {
    int null_fd = ::open("/dev/null", open_flags);
    if (null_fd < 0) return false;
    if (null_fd == target) return true;
    bool ok = ::dup2(null_fd, target) >= 0;
    ::close(null_fd);
    return ok;
  }
  if (fd == target) return ::fcntl(fd, F_SETFD, 0) == 0;
  return ::dup2(fd, target) >= 0;
}

struct ChildArgs {
  const SpawnSpec* spec;
  char* const* argv;
  char* const* envp;
  int report_fd;
  int* stdio_copies;
};

// Runs in the child. Never returns.
[[noreturn]] void ChildMain(const SpawnSpec& spec, char* const* argv,
                            char* const* envp, int report_fd,
                            int stdio_copies[3]) {
  // Dispositions: handlers are reset by exec, but ignored signals stay
  // ignored, and the mask is inherited. Start the container clean, the
  // handlers first: they are the parent's code, on the parent's memory.
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    ::signal(sig, SIG_DFL);  // Fails harmlessly for glibc-reserved signals.
  }
  sigset_t none;
  sigemptyset(&none);
  if (::sigprocmask(SIG_SETMASK, &none, nullptr) != 0) {
    Fail(report_fd, Step::kSignals);
  }
  const Confinement& confine = spec.confine;
  if (confine.new_mount_namespace) {
    int index = -1;
    int err = ConfineMounts(confine, &index);
    if (err != 0) Fail(report_fd, Step::kMounts, err, index);
  }
  if (spec.new_session && ::setsid() < 0) Fail(report_fd, Step::kSetsid);
  // stdio_copies hold fds moved above 2 by the parent path below, so that
  // dup2 onto 0..2 cannot clobber a source that itself sits on 0..2.
  if (!PlaceFd(stdio_copies[0], 0, O_RDONLY) ||
      !PlaceFd(stdio_copies[1], 1, O_WRONLY) ||
      !PlaceFd(stdio_copies[2], 2, O_WRONLY)) {
    Fail(report_fd, Step::kStdio);
  }
  if (spec.controlling_tty && ::ioctl(0, TIOCSCTTY, 0) < 0) {
    Fail(report_fd, Step::kTty);
  }
  if (confine.limit_capabilities) {
    int err = DropBoundingCapabilities(confine.capabilities);
    if (err != 0) Fail(report_fd, Step::kBounding, err);
  }
  if (spec.set_ids) {
    if (::syscall(SYS_setgroups, spec.groups.size(), spec.groups.data()) != 0) {
      Fail(report_fd, Step::kGroups);
    }
    if (::syscall(SYS_setgid, spec.gid) != 0) Fail(report_fd, Step::kGid);
    if (::syscall(SYS_setuid, spec.uid) != 0) Fail(report_fd, Step::kUid);
  }
  if (confine.limit_capabilities) {
    int err = LimitCapabilitySets(confine.capabilities);
    if (err != 0) Fail(report_fd, Step::kCapabilities, err);
  }
  if (confine.no_new_privs && ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    Fail(report_fd, Step::kNoNewPrivs);
  }
  if (!spec.workdir.empty() && ::chdir(spec.workdir.c_str()) != 0) {
    Fail(report_fd, Step::kChdir);
  }
  ::execve(spec.path.c_str(), argv, envp);
  Fail(report_fd, Step::kExec);
}

int ChildEntry(void* arg) {
  auto* a = static_cast<ChildArgs*>(arg);
  ChildMain(*a->spec, a->argv, a->envp, a->report_fd, a->stdio_copies);
}

// The child's stack until execve: ChildMain's frames and the libc calls it
// makes, far less than this.
constexpr size_t kChildStackBytes = 64 << 10;

Status Describe(const SpawnSpec& spec, const Failure& f) {
  switch (static_cast<Step>(f.step)) {
    case Step::kExec: {
      std::string what = "exec \"" + spec.path + "\"";
      if (f.err == ENOENT) {
        return Status::FromErrno(Status::Code::kNotFound, what, f.err);
      }
      if (f.err == EACCES || f.err == ENOEXEC || f.err == EISDIR ||
          f.err == EPERM || f.err == ENOTDIR) {
        return Status::FromErrno(Status::Code::kPermissionDenied, what, f.err);
      }
      return Status::FromErrno(Status::Code::kIoError, what, f.err);
    }
    case Step::kChdir:
      return Status::FromErrno(Status::Code::kIoError,
                               "chdir \"" + spec.workdir + "\"", f.err);
    case Step::kUid:
      return Status::FromErrno(Status::Code::kIoError,
                               "setuid " + std::to_string(spec.uid), f.err);
    case Step::kGid:
      return Status::FromErrno(Status::Code::kIoError,
                               "setgid " + std::to_string(spec.gid), f.err);
    case Step::kGroups:
      return Status::FromErrno(Status::Code::kIoError, "setgroups", f.err);
    case Step::kTty:
      return Status::FromErrno(Status::Code::kIoError,
                               "set controlling terminal", f.err);
    case Step::kStdio:
      return Status::FromErrno(Status::Code::kIoError, "set up stdio", f.err);
    case Step::kSetsid:
      return Status::FromErrno(Status::Code::kIoError, "setsid", f.err);
    case Step::kSignals:
      return Status::FromErrno(Status::Code::kIoError, "reset signals", f.err);
    case Step::kMounts: {
      const auto& paths = spec.confine.masked_paths;
      std::string what =
          f.index >= 0 && static_cast<size_t>(f.index) < paths.size()
              ? "hide \"" + paths[static_cast<size_t>(f.index)] + "\""
              : std::string("make the mount namespace a slave");
      return Status::FromErrno(Status::Code::kIoError, what, f.err);
    }
    case Step::kBounding:
      return Status::FromErrno(Status::Code::kIoError,
                               "drop capabilities from the bounding set",
                               f.err);
    case Step::kCapabilities:
      return Status::FromErrno(Status::Code::kIoError, "set capabilities",
                               f.err);
    case Step::kNoNewPrivs:
      return Status::FromErrno(Status::Code::kIoError, "set no_new_privs",
                               f.err);
  }
  return Status::Internal("spawn: unknown failure step");
}

}  // namespace

Result<pid_t> SpawnProcess(const SpawnSpec& spec) {
  if (spec.path.empty() || spec.argv.empty()) {
    return Status::InvalidArgument("spawn: empty path or argv");
  }
  std::vector<char*> argv = CStrings(spec.argv);
  std::vector<char*> envp = CStrings(spec.env);

  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0) return Status::Io("spawn: pipe", errno);
  UniqueFd report_read(report[0]);
  UniqueFd report_write(report[1]);

  // Move stdio sources above 2 (close-on-exec copies) so the child's dup2
  // sequence is order-independent.
  int sources[3] = {spec.stdin_fd, spec.stdout_fd, spec.stderr_fd};
  UniqueFd copies[3];
  int copy_fds[3] = {-1, -1, -1};
  for (int i = 0; i < 3; ++i) {
    if (sources[i] < 0) continue;
    copies[i].Reset(::fcntl(sources[i], F_DUPFD_CLOEXEC, 3));
    if (!copies[i]) return Status::Io("spawn: dup stdio", errno);
    copy_fds[i] = copies[i].get();
  }

  ChildArgs args{&spec, argv.data(), envp.data(), report_write.get(), copy_fds};
  // Not zero-filled: the child touches only the pages its frames use, and
  // a vector's zeroing faulted in all sixteen at every spawn.
  std::unique_ptr<char[]> stack(new char[kChildStackBytes]);
  sigset_t all, old;
  sigfillset(&all);
  ::pthread_sigmask(SIG_SETMASK, &all, &old);
  // The stack grows down from its (16-byte aligned) end.
  int flags = CLONE_VM | CLONE_VFORK | SIGCHLD;
  if (spec.confine.new_mount_namespace) flags |= CLONE_NEWNS;
  pid_t pid =
      ::clone(&ChildEntry, stack.get() + kChildStackBytes, flags, &args);
  int clone_errno = errno;
  ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
  if (pid < 0 && spec.confine.new_mount_namespace && clone_errno == EPERM) {
    // The tether's own error (125), not the command's (126).
    return Status::FromErrno(Status::Code::kIoError,
                             "spawn: clone with a mount namespace of its own "
                             "(the tether needs CAP_SYS_ADMIN, or the config "
                             "\"privileged\": true)",
                             clone_errno);
  }
  if (pid < 0) return Status::Io("spawn: clone", clone_errno);
  report_write.Reset();
  Failure failure{};
  ssize_t n;
  do {
    n = ::read(report_read.get(), &failure, sizeof(failure));
  } while (n < 0 && errno == EINTR);
  if (n == 0) return pid;  // The pipe closed on exec: success.
  if (n != static_cast<ssize_t>(sizeof(failure))) {
    return Status::Internal("spawn: short failure report from child");
  }
  return Describe(spec, failure);
}

}  // namespace base
