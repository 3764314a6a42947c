// pidns_launch: starts a program as PID 1 of a PID namespace of its own,
// once per line of stdin, and exits at once.
//
//   pidns_launch PROG [ARG...] <LINES >PIDS
//
// Each ARG that is exactly "{}" becomes the line. Each child is cloned
// with CLONE_NEWPID | CLONE_PARENT: it is PID 1 of its namespace, and the
// caller's parent (the benchmark's shell), not this launcher, is its
// parent, so nothing stays resident beside it and the shell reaps it. Its
// stdin, stdout and stderr are /dev/null. Prints each child's PID (as the
// caller sees it) on a line of its own as soon as it is started, so a
// caller that fails half way still knows whom to kill: killing a PID 1
// takes its whole namespace down.
//
// Exit status: 0 when every line started a child, 1 otherwise (those
// started are printed), 2 for a usage error. Needs CAP_SYS_ADMIN.
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

namespace {

// In the child, between clone and exec: async-signal-safe calls only.
[[noreturn]] void ExecChild(const char* prog, char* const argv[], int null_fd) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  // dup2 clears FD_CLOEXEC on 0-2; null_fd itself closes at the exec.
  for (int fd = 0; fd < 3; ++fd) {
    if (fd == null_fd) {
      fcntl(fd, F_SETFD, 0);
    } else {
      dup2(null_fd, fd);
    }
  }
  execv(prog, argv);
  _exit(127);
}

// clone(2) as fork(2) would be, plus the two flags; the raw system call
// needs no child stack. Returns the child's PID, 0 in the child, or -1.
pid_t CloneIntoNewPidNamespace() {
  return static_cast<pid_t>(syscall(SYS_clone, CLONE_NEWPID | CLONE_PARENT,
                                    nullptr, nullptr, nullptr, nullptr));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: pidns_launch PROG [ARG...] <LINES >PIDS\n");
    return 2;
  }
  int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null_fd < 0) {
    std::fprintf(stderr, "pidns_launch: /dev/null: %s\n", strerror(errno));
    return 1;
  }
  // A line per child as it starts: a caller killed half way still finds
  // every PID it must clean up.
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  std::string line;
  int status = 0;
  while (std::getline(std::cin, line)) {
    std::vector<std::string> args(argv + 1, argv + argc);
    std::vector<char*> cargs;
    for (std::string& a : args) {
      if (a == "{}") a = line;
      cargs.push_back(&a[0]);
    }
    cargs.push_back(nullptr);
    pid_t pid = CloneIntoNewPidNamespace();
    if (pid == 0) {
      ExecChild(argv[1], cargs.data(), null_fd);
    }
    if (pid < 0) {
      std::fprintf(stderr, "pidns_launch: clone for %s: %s\n", line.c_str(),
                   strerror(errno));
      status = 1;
      break;
    }
    std::printf("%d\n", static_cast<int>(pid));
  }
  std::fflush(stdout);
  return status;
}
