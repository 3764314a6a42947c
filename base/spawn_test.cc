// Spawn against the real kernel: the child-side steps and their reports.
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

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

// Confinement (needs root, as the tether has in a VM): the child's
// capabilities, masks and no_new_privs, and the parent's view left alone.
// kDocker is docker's default set (tether/confinement.h), spelled out.
constexpr uint64_t kDocker = 0xa80425fbULL;

class SpawnConfineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root";
    char dir[] = "/tmp/tether-confine-XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr);
    dir_ = dir;
    file_ = dir_ + "/config.json";
    std::ofstream(file_) << "secret";
    ASSERT_EQ(::mkdir((dir_ + "/firmware").c_str(), 0755), 0);
    std::ofstream(dir_ + "/firmware/raw") << "secret";
  }
  void TearDown() override {
    if (dir_.empty()) return;
    ::unlink((dir_ + "/firmware/raw").c_str());
    ::rmdir((dir_ + "/firmware").c_str());
    ::unlink(file_.c_str());
    ::rmdir(dir_.c_str());
  }

  // Runs `script` under `spec`'s confinement; returns its stdout.
  std::string Run(SpawnSpec spec, const std::string& script) {
    Result<PipePair> pipe = RealOs().Pipe();
    EXPECT_TRUE(pipe.ok());
    spec.path = "/bin/sh";
    spec.argv = {"sh", "-c", script};
    spec.env = {"PATH=/usr/bin:/bin:/usr/sbin:/sbin"};
    spec.stdout_fd = pipe->write.get();
    Result<pid_t> pid = RealOs().Spawn(spec);
    EXPECT_TRUE(pid.ok()) << pid.status().ToString();
    if (!pid.ok()) return "";
    pipe->write.Reset();
    std::string out = ReadAll(pipe->read.get());
    int status = 0;
    EXPECT_EQ(::waitpid(*pid, &status, 0), *pid);
    return out;
  }

  SpawnSpec Confined() {
    SpawnSpec spec;
    spec.confine.new_mount_namespace = true;
    spec.confine.masked_paths = {file_, dir_ + "/firmware", dir_ + "/absent"};
    spec.confine.limit_capabilities = true;
    spec.confine.capabilities = kDocker;
    return spec;
  }

  std::string dir_, file_;
};

TEST_F(SpawnConfineTest, RootKeepsDockersCapabilitiesAndSeesNoMaskedPath) {
  std::string out =
      Run(Confined(),
          "grep -E '^Cap(Inh|Prm|Eff|Bnd|Amb)|^NoNewPrivs' "
          "/proc/self/status | tr -d '\\t' | tr '\\n' ' '; "
          "echo \"[$(cat " +
              file_ + ")] [$(ls -A " + dir_ + "/firmware)]\"; umount " + file_ +
              " 2>/dev/null && echo unmounted");
  EXPECT_EQ(out,
            "CapInh:0000000000000000 CapPrm:00000000a80425fb "
            "CapEff:00000000a80425fb CapBnd:00000000a80425fb "
            "CapAmb:0000000000000000 NoNewPrivs:0 [] []\n");
  // The tether's own view is untouched.
  std::ifstream in(file_);
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(ss.str(), "secret");
}

TEST_F(SpawnConfineTest, NonRootGetsNoCapabilitiesButTheSameBound) {
  SpawnSpec spec = Confined();
  spec.set_ids = true;
  spec.uid = 65534;
  spec.gid = 65534;
  spec.confine.no_new_privs = true;
  std::string out = Run(spec,
                        "grep -E '^Cap(Prm|Eff|Bnd)|^NoNewPrivs' "
                        "/proc/self/status | tr -d '\\t' | tr '\\n' ' '");
  EXPECT_EQ(out,
            "CapPrm:0000000000000000 CapEff:0000000000000000 "
            "CapBnd:00000000a80425fb NoNewPrivs:1 ");
}

TEST_F(SpawnConfineTest, NoConfinementChangesNothing) {
  std::string own;
  {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("CapBnd:", 0) == 0) own = line;
    }
  }
  own.erase(std::remove(own.begin(), own.end(), '\t'), own.end());
  EXPECT_EQ(Run(SpawnSpec(),
                "grep ^CapBnd /proc/self/status | tr -d '\\t'; "
                "cat " +
                    file_),
            own + "\nsecret");
}

}  // namespace
}  // namespace base
