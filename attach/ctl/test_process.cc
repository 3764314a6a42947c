#include "attach/ctl/test_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>

extern char** environ;

namespace attach {
namespace ctl {
namespace {

int64_t NowMs() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1000 + ts.tv_nsec / 1000000;
}

void Pipe(base::UniqueFd* read_end, base::UniqueFd* write_end) {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) std::abort();
  read_end->Reset(p[0]);
  write_end->Reset(p[1]);
}

}  // namespace

TetherctlProcess::TetherctlProcess(const std::string& state_dir,
                                   const std::vector<std::string>& args,
                                   int in_fd, int out_fd) {
  base::UniqueFd child_in, child_out, child_err;
  if (in_fd < 0) Pipe(&child_in, &in_);
  if (out_fd < 0) Pipe(&out_, &child_out);
  Pipe(&err_, &child_err);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in_fd >= 0 ? in_fd : child_in.get(), 0);
  posix_spawn_file_actions_adddup2(&fa, out_fd >= 0 ? out_fd : child_out.get(),
                                   1);
  posix_spawn_file_actions_adddup2(&fa, child_err.get(), 2);
  // A child that died early must fail the test, not SIGPIPE it.
  ::signal(SIGPIPE, SIG_IGN);

  std::vector<std::string> env = {"TETHER_STATE_DIR=" + state_dir};
  if (const char* path = std::getenv("PATH"))
    env.push_back(std::string("PATH=") + path);
  // run's tests say which attachd it may start (attachd_starter.h); the
  // terminal tests against FakeAttachd want the relay (terminal_handoff.h).
  for (const char* name : {"TETHER_ATTACHD", "TETHERCTL_TERMINAL_HANDOFF"}) {
    if (const char* value = std::getenv(name))
      env.push_back(std::string(name) + "=" + value);
  }
  std::vector<char*> envp;
  for (std::string& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_s = {TETHERCTL_BINARY};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  if (posix_spawn(&pid_, TETHERCTL_BINARY, &fa, nullptr, argv.data(),
                  envp.data()) != 0) {
    std::perror("posix_spawn tetherctl");
    std::abort();
  }
  posix_spawn_file_actions_destroy(&fa);
}

TetherctlProcess::~TetherctlProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

void TetherctlProcess::WriteStdin(const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(in_.get(), data.data() + off, data.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // The child is gone; Finish will tell.
    off += static_cast<size_t>(n);
  }
}

void TetherctlProcess::CloseStdin() { in_.Reset(); }

ProcessResult TetherctlProcess::Finish(int timeout_ms) {
  ProcessResult r;
  const int64_t deadline = NowMs() + timeout_ms;
  // A child that reads its stdin to the end would otherwise never finish.
  CloseStdin();
  while (out_.valid() || err_.valid()) {
    struct pollfd fds[2] = {{out_.get(), POLLIN, 0}, {err_.get(), POLLIN, 0}};
    int left = static_cast<int>(deadline - NowMs());
    if (left <= 0 || ::poll(fds, 2, left) == 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buf[4096];
      ssize_t n = ::read(fds[i].fd, buf, sizeof(buf));
      if (n > 0) {
        (i == 0 ? r.out : r.err).append(buf, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        (i == 0 ? out_ : err_).Reset();
      }
    }
  }
  int status = 0;
  while (NowMs() < deadline) {
    pid_t got = ::waitpid(pid_, &status, WNOHANG);
    if (got == pid_) {
      pid_ = -1;
      r.exited = WIFEXITED(status);
      r.exit_code = r.exited ? WEXITSTATUS(status) : -1;
      r.signo = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
      return r;
    }
    ::usleep(5000);
  }
  r.err += "[test: tetherctl did not finish in time; killed]";
  return r;
}

ProcessResult RunTetherctl(const std::string& state_dir,
                           const std::vector<std::string>& args,
                           const std::string& input) {
  TetherctlProcess p(state_dir, args);
  p.WriteStdin(input);
  return p.Finish();
}

}  // namespace ctl
}  // namespace attach
