#include "attach/endpoint/vms/vm_process.h"

#include <fcntl.h>
#include <linux/kvm.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "attach/endpoint/containers/state_files.h"
#include "base/log.h"

extern char** environ;

namespace attach {
namespace endpoint {
namespace {

// glibc 2.36's <sys/pidfd.h> lacks extern "C", so C++ cannot link its
// wrappers: the system calls directly.
int PidfdOpen(pid_t pid) {
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
}
int PidfdSendSignal(int pidfd, int signo) {
  return static_cast<int>(
      ::syscall(SYS_pidfd_send_signal, pidfd, signo, nullptr, 0));
}

// posix_spawn's attribute and file-action objects, released on every path.
struct SpawnSetup {
  posix_spawnattr_t attr;
  posix_spawn_file_actions_t actions;
  SpawnSetup() {
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_init(&actions);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
};

base::Status SpawnError(const std::string& program, int err) {
  base::Status::Code code = err == ENOENT ? base::Status::Code::kNotFound
                            : err == EACCES || err == ENOEXEC
                                ? base::Status::Code::kPermissionDenied
                                : base::Status::Code::kIoError;
  return base::Status::FromErrno(code, "start " + program, err);
}

}  // namespace

base::Result<std::unique_ptr<VmProcess>> VmProcess::Spawn(
    uv_loop_t* loop, const std::vector<std::string>& argv,
    const std::string& log_path, ExitCallback on_exit) {
  if (argv.empty()) return base::Status::InvalidArgument("empty argv");
  base::UniqueFd log(::open(log_path.c_str(),
                            O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
  if (log.get() < 0) return base::Status::Io("open " + log_path, errno);

  SpawnSetup s;
  // attachd ignores SIGPIPE and blocks nothing, but make the child's
  // signal state a fresh process's whatever attachd's is.
  sigset_t all, none;
  sigfillset(&all);
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&s.attr, &all);
  posix_spawnattr_setsigmask(&s.attr, &none);
  posix_spawnattr_setflags(&s.attr, POSIX_SPAWN_SETSID |
                                        POSIX_SPAWN_SETSIGDEF |
                                        POSIX_SPAWN_SETSIGMASK);
  posix_spawn_file_actions_addopen(&s.actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&s.actions, log.get(), 1);
  posix_spawn_file_actions_adddup2(&s.actions, log.get(), 2);
  // Sockets of tethers and clients must not live on in a VM that
  // outlives attachd (libssh's own descriptors are not all close-on-exec).
  posix_spawn_file_actions_addclosefrom_np(&s.actions, 3);

  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  // glibc reports the child's exec failure here (CLONE_VFORK).
  int err = posix_spawnp(&pid, args[0], &s.actions, &s.attr, args.data(),
                         environ);
  if (err != 0) return SpawnError(argv[0], err);

  // Until now the child cannot have been reaped (only we may wait for
  // it), so the pid is still this process, at worst a zombie.
  base::UniqueFd pidfd(PidfdOpen(pid));
  if (pidfd.get() < 0) {
    int e = errno;
    ::kill(pid, SIGKILL);
    siginfo_t info;
    ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED);
    return base::Status::Io("pidfd_open", e);
  }
  std::unique_ptr<VmProcess> p(new VmProcess(pid, std::move(pidfd), true));
  TETHER_RETURN_IF_ERROR(p->Watch(loop, std::move(on_exit)));
  return p;
}

base::Result<std::unique_ptr<VmProcess>> VmProcess::Adopt(
    uv_loop_t* loop, pid_t pid, ExitCallback on_exit) {
  base::UniqueFd pidfd(PidfdOpen(pid));
  if (pidfd.get() < 0) {
    int e = errno;
    if (e == ESRCH) {
      return base::Status::NotFound("process " + std::to_string(pid) +
                                    " is gone");
    }
    return base::Status::Io("pidfd_open " + std::to_string(pid), e);
  }
  std::unique_ptr<VmProcess> p(new VmProcess(pid, std::move(pidfd), false));
  TETHER_RETURN_IF_ERROR(p->Watch(loop, std::move(on_exit)));
  return p;
}

VmProcess::~VmProcess() = default;

base::Status VmProcess::Watch(uv_loop_t* loop, ExitCallback on_exit) {
  on_exit_ = std::move(on_exit);
  int rc = uv_poll_init(loop, poll_.get(), pidfd_.get());
  if (rc != 0) return base::UvError("watch pidfd", rc);
  poll_.MarkInitialized();
  poll_->data = this;
  rc = uv_poll_start(poll_.get(), UV_READABLE, &VmProcess::OnReadable);
  if (rc != 0) return base::UvError("watch pidfd", rc);
  return base::Status::Ok();
}

void VmProcess::OnReadable(uv_poll_t* h, int, int) noexcept {
  VmProcess* self = static_cast<VmProcess*>(h->data);
  uv_poll_stop(h);
  if (self->exited_) return;
  self->Reap();
  ExitCallback cb = std::move(self->on_exit_);
  if (cb) cb();  // May destroy self.
}

void VmProcess::Reap() {
  exited_ = true;
  // Reap our own child so it does not linger as a zombie; a re-adopted
  // VM is reaped by whoever inherited it.
  if (!child_) return;
  siginfo_t info;
  std::memset(&info, 0, sizeof(info));
  if (::waitid(static_cast<idtype_t>(P_PIDFD),
               static_cast<id_t>(pidfd_.get()), &info,
               WEXITED | WNOHANG) == 0 &&
      info.si_pid != 0) {
    LOG_DEBUG("QEMU %d: %s %d", pid_,
              info.si_code == CLD_EXITED ? "exited with" : "killed by signal",
              info.si_status);
  }
}

bool VmProcess::WaitExited(int timeout_ms) {
  if (exited_) return true;
  struct pollfd p = {pidfd_.get(), POLLIN, 0};
  if (::poll(&p, 1, timeout_ms) != 1) return false;
  uv_poll_stop(poll_.get());
  Reap();
  return true;
}

base::Status VmProcess::Signal(int signo) {
  if (exited_) return base::Status::Ok();
  if (PidfdSendSignal(pidfd_.get(), signo) != 0) {
    if (errno == ESRCH) return base::Status::Ok();
    return base::Status::Io("signal QEMU " + std::to_string(pid_), errno);
  }
  return base::Status::Ok();
}

base::Result<pid_t> ParsePidfile(std::string_view text) {
  if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  if (text.empty() || text.size() > 10) {
    return base::Status::InvalidArgument("pidfile: not a pid");
  }
  long long v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      return base::Status::InvalidArgument("pidfile: not a pid");
    }
    v = v * 10 + (c - '0');
  }
  if (v < 1 || v > 0x3fffffff) {
    return base::Status::InvalidArgument("pidfile: pid out of range");
  }
  return static_cast<pid_t>(v);
}

base::Result<std::string> ReadProcCmdline(pid_t pid) {
  base::Result<std::string> text =
      ReadFile("/proc/" + std::to_string(pid) + "/cmdline", 256 * 1024);
  if (!text.ok() || text->empty()) {
    return base::Status::NotFound("process " + std::to_string(pid) +
                                  " is gone");
  }
  return text;
}

bool KvmUsable() {
  base::UniqueFd kvm(::open("/dev/kvm", O_RDWR | O_CLOEXEC));
  if (kvm.get() < 0) return false;
  if (::ioctl(kvm.get(), KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
    return false;
  }
  base::UniqueFd vm(::ioctl(kvm.get(), KVM_CREATE_VM, 0));
  if (vm.get() < 0) return false;
  base::Result<std::string> cpuinfo = ReadFile("/proc/cpuinfo", 4 << 20);
  if (!cpuinfo.ok()) return false;
  return cpuinfo->find(" vmx") != std::string::npos ||
         cpuinfo->find(" svm") != std::string::npos;
}

}  // namespace endpoint
}  // namespace attach
