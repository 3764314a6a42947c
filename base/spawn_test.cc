// Spawn against the real kernel: the child-side steps and their reports.
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "base/os.h"

namespace base {
namespace {

int WaitFor(pid_t pid) {
  int status = 0;
  EXPECT_EQ(::waitpid(pid, &status, 0), pid);
  return status;
}

std::string ReadAll(int fd) {
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof(buf))) > 0) out.append(buf, n);
  return out;
}

TEST(Spawn, RunsWithExactArgvEnvAndWorkdir) {
  Result<PipePair> pipe = RealOs().Pipe();
  ASSERT_TRUE(pipe.ok());
  SpawnSpec spec;
  spec.path = "/bin/sh";
  spec.argv = {"sh", "-c", "echo \"$0|$FOO|$(pwd)|$#\"", "zero"};
  spec.env = {"FOO=a b"};
  spec.workdir = "/tmp";
  spec.stdout_fd = pipe->write.get();
  Result<pid_t> pid = RealOs().Spawn(spec);
  ASSERT_TRUE(pid.ok()) << pid.status().ToString();
  pipe->write.Reset();
  EXPECT_EQ(ReadAll(pipe->read.get()), "zero|a b|/tmp|0\n");
  int status = WaitFor(*pid);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(Spawn, MissingExecutableIsNotFound) {
  SpawnSpec spec;
  spec.path = "/nonexistent/cmd";
  spec.argv = {"cmd"};
  Result<pid_t> pid = RealOs().Spawn(spec);
  ASSERT_FALSE(pid.ok());
  EXPECT_EQ(pid.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(pid.status().message(),
            "exec \"/nonexistent/cmd\": No such file or directory");
  while (RealOs().WaitAny()->has_value()) {
  }
}

TEST(Spawn, NonExecutableFileIsPermissionDenied) {
  char path[] = "/tmp/tether-spawn-XXXXXX";
  int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ::close(fd);
  SpawnSpec spec;
  spec.path = path;
  spec.argv = {"x"};
  Result<pid_t> pid = RealOs().Spawn(spec);
  ::unlink(path);
  ASSERT_FALSE(pid.ok());
  EXPECT_EQ(pid.status().code(), Status::Code::kPermissionDenied);
  while (RealOs().WaitAny()->has_value()) {
  }
}

TEST(Spawn, BadWorkdirNamesTheStep) {
  SpawnSpec spec;
  spec.path = "/bin/true";
  spec.argv = {"true"};
  spec.workdir = "/nonexistent-dir";
  Result<pid_t> pid = RealOs().Spawn(spec);
  ASSERT_FALSE(pid.ok());
  EXPECT_EQ(pid.status().code(), Status::Code::kIoError);
  EXPECT_EQ(pid.status().message(),
            "chdir \"/nonexistent-dir\": No such file or directory");
  while (RealOs().WaitAny()->has_value()) {
  }
}

}  // namespace
}  // namespace base
