#include "attach/endpoint/images/tool_process.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include "base/unique_fd.h"

extern char** environ;

namespace attach {
namespace endpoint {
namespace {

constexpr size_t kMaxOutput = 64 * 1024;

std::string LastLine(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
    text.pop_back();
  }
  size_t nl = text.rfind('\n');
  return text.substr(nl == std::string::npos ? 0 : nl + 1, 500);
}

}  // namespace

base::Status RunTool(const std::vector<std::string>& argv,
                     const std::string& package) {
  if (argv.empty()) return base::Status::Internal("RunTool: no program");
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return base::Status::Io("pipe", errno);
  base::UniqueFd read_end(fds[0]), write_end(fds[1]);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, write_end.get(), 1);
  posix_spawn_file_actions_adddup2(&actions, write_end.get(), 2);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(),
                          environ);
  posix_spawn_file_actions_destroy(&actions);
  write_end.Reset();
  if (rc == ENOENT) {
    return base::Status::NotFound(argv[0] + ": not found (install " + package +
                                  ")");
  }
  if (rc != 0) return base::Status::Io("run " + argv[0], rc);
  std::string output;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(read_end.get(), buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (output.size() < kMaxOutput) output.append(buf, static_cast<size_t>(n));
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return base::Status::Io("wait for " + argv[0], errno);
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return base::Status::Ok();
  std::string how = WIFEXITED(status)
                        ? "exited with code " + std::to_string(WEXITSTATUS(status))
                        : "was killed by signal " + std::to_string(WTERMSIG(status));
  std::string last = LastLine(output);
  return base::Status::IoError(argv[0] + " " + how +
                               (last.empty() ? "" : ": " + last));
}

}  // namespace endpoint
}  // namespace attach
