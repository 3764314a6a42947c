// attachd's container VMs with a fake QEMU (fake_qemu.cc): start, what a
// VM's end means for its container, kill and rm without a tether, clean
// stop, re-adoption after a crash, and auto-remove. The real QEMU runs in
// tests/e2e.
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <future>

#include "attach/endpoint/containers/state_files.h"
#include "attach/endpoint/testing/test_fixture.h"
#include "attach/endpoint/vms/qemu_command.h"
#include "attach/endpoint/vms/vm_process.h"
#include "guestinfo/config_codec.h"

namespace attach {
namespace endpoint {
namespace {

namespace pb = ::tether::attach;
using testing::AttachdTest;
using testing::RunUntil;

class VmTest : public AttachdTest {
 protected:
  VmTest() {
    vm_options_.image.qemu = FAKE_QEMU_BINARY;
    vm_options_.image.kernel = dir_.path() + "/vmlinux";
    vm_options_.image.initrd = dir_.path() + "/initramfs.cpio.lz4";
    vm_options_.accel = "tcg";
    EXPECT_TRUE(WriteFileAtomic(vm_options_.image.kernel, "k", 0644).ok());
    EXPECT_TRUE(WriteFileAtomic(vm_options_.image.initrd, "i", 0644).ok());
    setenv("FAKE_QEMU", "run", 1);
  }
  void TearDown() override {
    if (daemon_) daemon_->Stop();  // A clean stop kills what is left.
    AttachdTest::TearDown();
  }

  Container* NewVm(const std::string& name, bool auto_remove = false) {
    ContainerRecord r;
    r.name = name;
    r.args = {"/bin/true"};
    r.endpoint = kVmEndpoint;
    r.auto_remove = auto_remove;
    base::Result<Container*> c = daemon_->registry().Create(r);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? *c : nullptr;
  }
  // Starts c's VM: whether one was booted.
  bool Boot(Container* c) {
    base::Result<bool> r = daemon_->vms().Start(c);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() && *r;
  }
  Container* Find(const std::string& ref) {
    base::Result<Container*> c = daemon_->registry().Find(ref);
    return c.ok() ? *c : nullptr;
  }
  static pb::Request Req(const std::string& ref, const char* what,
                         int signo = 0) {
    pb::Request req;
    std::string w = what;
    if (w == "start") req.mutable_start()->mutable_container()->set_ref(ref);
    if (w == "wait") req.mutable_wait()->mutable_container()->set_ref(ref);
    if (w == "rm") req.mutable_remove()->mutable_container()->set_ref(ref);
    if (w == "rm -f") {
      req.mutable_remove()->mutable_container()->set_ref(ref);
      req.mutable_remove()->set_force(true);
    }
    if (w == "kill") {
      req.mutable_kill()->mutable_container()->set_ref(ref);
      req.mutable_kill()->set_signo(signo);
    }
    return req;
  }
  // The container's primary session as last recorded.
  const SessionRecord* Primary(const std::string& ref) {
    Container* c = Find(ref);
    return c == nullptr ? nullptr : c->status().Find(kPrimarySession);
  }
};

TEST_F(VmTest, StartWritesTheConfigAndBootsTheContractCommandLine) {
  Container* c = NewVm("a");
  ASSERT_TRUE(Boot(c));
  ASSERT_NE(c->vm(), nullptr);
  pid_t pid = c->vm()->pid();
  EXPECT_EQ(c->state(), "running");  // Before any tether said so.
  EXPECT_EQ(c->Describe().vm_pid(), pid);

  struct stat st;
  ASSERT_EQ(::stat(VmConfigPath(c->dir()).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);  // It holds the identity key.
  base::Result<guestinfo::Config> cfg =
      guestinfo::DecodeConfig(*ReadFile(VmConfigPath(c->dir())));
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  EXPECT_EQ(cfg->endpoint->address, kVmEndpoint);
  EXPECT_EQ(cfg->endpoint->host_key_sha256, daemon_->fingerprint());
  EXPECT_EQ(cfg->random_seed.size(), 64u);
  EXPECT_EQ(*ReadFile(VmPidfilePath(c->dir())), std::to_string(pid) + "\n");

  base::Result<std::string> cmdline = ReadProcCmdline(pid);
  ASSERT_TRUE(cmdline.ok());
  EXPECT_TRUE(IsQemuFor(*cmdline, VmConfigPath(c->dir())));
  EXPECT_EQ(AttachPortOf(*cmdline), daemon_->port());
  EXPECT_TRUE(RunUntil(&loop_, [&] {
    base::Result<std::string> con = ReadFile(VmConsolePath(c->dir()));
    return con.ok() && con->find("fake VM up") != std::string::npos;
  }));
  // A second start of a running VM changes nothing.
  ASSERT_FALSE(Boot(c));
  EXPECT_EQ(c->vm()->pid(), pid);
}

TEST_F(VmTest, StartingAgainWhileTheLastRunPowersOffReplacesItsVm) {
  Container* c = NewVm("a");
  ASSERT_TRUE(Boot(c));
  pid_t old = c->vm()->pid();
  std::string old_config = *ReadFile(VmConfigPath(c->dir()));
  // The primary ended; its VM has not powered off yet.
  pb::SessionExited exited;
  exited.set_session_id(kPrimarySession);
  exited.set_exit_code(0);
  ASSERT_TRUE(c->ApplyExited(exited).ok());
  EXPECT_EQ(c->state(), "exited");
  ASSERT_TRUE(Boot(c));
  EXPECT_NE(c->vm()->pid(), old);
  // Every boot gets a seed of its own.
  base::Result<guestinfo::Config> before = guestinfo::DecodeConfig(old_config);
  base::Result<guestinfo::Config> after =
      guestinfo::DecodeConfig(*ReadFile(VmConfigPath(c->dir())));
  ASSERT_TRUE(before.ok() && after.ok());
  EXPECT_NE(before->random_seed, after->random_seed);
  EXPECT_EQ(c->state(), "running");
  EXPECT_TRUE(RunUntil(&loop_, [&] { return ::kill(old, 0) != 0; }))
      << "the old VM was not killed";
  // Its end does not end the new run.
  EXPECT_EQ(c->state(), "running");
  EXPECT_EQ(*ReadFile(VmPidfilePath(c->dir())),
            std::to_string(c->vm()->pid()) + "\n");
}

TEST_F(VmTest, StartAnswersOnceTheTetherSaysHello) {
  Container* c = NewVm("a");
  std::string sock = Sock();
  auto start = std::async(std::launch::async, [&] {
    return testing::RunCommand(sock, Req("a", "start"));
  });
  ASSERT_TRUE(RunUntil(&loop_, [&] { return c->vm() != nullptr; }));
  std::unique_ptr<testing::TestTether> t = ConnectTether(c);
  ASSERT_TRUE(RunUntil(&loop_, [&] {
    return start.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
  }));
  std::vector<pb::Response> r = start.get();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(r[0].done()) << r[0].DebugString();
}

TEST_F(VmTest, AVmThatPowersOffWithATetherErrorExits125WithIt) {
  setenv("FAKE_QEMU", "error", 1);
  Container* c = NewVm("bad");
  std::string dir = c->dir();
  std::vector<pb::Response> r = Run(Req("bad", "start"));
  ASSERT_EQ(r.size(), 1u);
  const std::string want =
      "tether: error: config: sessions[0]: unknown field \"bogus\"";
  EXPECT_EQ(r[0].error(), want);
  const SessionRecord* p = Primary("bad");
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE(p->exited);
  EXPECT_EQ(p->exit_code, 125);
  EXPECT_EQ(p->error, want);
  EXPECT_EQ(c->state(), "exited");
  EXPECT_FALSE(ReadFile(VmPidfilePath(dir)).ok());
  r = Run(Req("bad", "wait"));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].exit_code(), 125);
}

TEST_F(VmTest, QemuRefusingToStartIsReportedWithItsOwnWords) {
  setenv("FAKE_QEMU", "fail", 1);
  NewVm("q");
  std::vector<pb::Response> r = Run(Req("q", "start"));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NE(r[0].error().find("QEMU said: qemu-system-fake: -fake: invalid "
                              "option"),
            std::string::npos)
      << r[0].error();
  EXPECT_EQ(Primary("q")->exit_code, 125);
}

TEST_F(VmTest, AMissingImageIsNamed) {
  ASSERT_EQ(::unlink(vm_options_.image.kernel.c_str()), 0);
  Container* c = NewVm("a");
  std::vector<pb::Response> r = Run(Req("a", "start"));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NE(r[0].error().find("container VM kernel not found: " +
                              vm_options_.image.kernel),
            std::string::npos)
      << r[0].error();
  EXPECT_NE(r[0].error().find("make initramfs"), std::string::npos);
  EXPECT_EQ(c->state(), "created");
}

TEST_F(VmTest, KillWithoutATetherKillsQemuWith137) {
  Container* c = NewVm("a");
  ASSERT_TRUE(Boot(c));
  pid_t pid = c->vm()->pid();
  std::vector<pb::Response> r = Run(Req("a", "kill", SIGTERM));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NE(r[0].error().find("its tether is not connected"), std::string::npos)
      << r[0].DebugString();
  r = Run(Req("a", "kill", SIGKILL));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(r[0].done()) << r[0].DebugString();
  ASSERT_TRUE(RunUntil(&loop_, [&] { return c->state() == "exited"; }));
  EXPECT_EQ(Primary("a")->exit_code, 137);
  EXPECT_EQ(Primary("a")->error, "");
  EXPECT_TRUE(RunUntil(&loop_, [&] { return ::kill(pid, 0) != 0; }))
      << "QEMU was not reaped";
}

TEST_F(VmTest, RemoveForceKillsQemuAndRemovesItsFiles) {
  Container* c = NewVm("a");
  std::string dir = c->dir();
  ASSERT_TRUE(Boot(c));
  pid_t pid = c->vm()->pid();
  std::vector<pb::Response> r = Run(Req("a", "rm"));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NE(r[0].error().find("You cannot remove a running container"),
            std::string::npos);
  r = Run(Req("a", "rm -f"));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(r[0].done()) << r[0].DebugString();
  EXPECT_EQ(Find("a"), nullptr);
  EXPECT_FALSE(ReadFile(dir + "/config").ok());
  EXPECT_TRUE(RunUntil(&loop_, [&] { return ::kill(pid, 0) != 0; }))
      << "QEMU still there or not reaped";
}

TEST_F(VmTest, ACleanStopKillsTheVmsAndRecords137) {
  Container* c = NewVm("a");
  std::string dir = c->dir();
  ASSERT_TRUE(Boot(c));
  pid_t pid = c->vm()->pid();
  daemon_->Stop();
  EXPECT_NE(::kill(pid, 0), 0) << "QEMU outlived a clean stop";
  EXPECT_FALSE(ReadFile(VmPidfilePath(dir)).ok());
  RestartDaemon();
  EXPECT_EQ(Find("a")->state(), "exited");
  EXPECT_EQ(Primary("a")->exit_code, 137);
}

TEST_F(VmTest, ARunningVmIsReadoptedAfterACrash) {
  Container* c = NewVm("a");
  ASSERT_TRUE(Boot(c));
  pid_t pid = c->vm()->pid();
  RestartDaemon();  // Destroyed without Stop: a crash, for the VMs.
  c = Find("a");
  ASSERT_NE(c->vm(), nullptr) << "not re-adopted";
  EXPECT_EQ(c->vm()->pid(), pid);
  EXPECT_EQ(c->state(), "running");
  // Now it dies on its own: 125, and why.
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  ASSERT_TRUE(RunUntil(&loop_, [&] { return c->state() == "exited"; }));
  EXPECT_EQ(Primary("a")->exit_code, 125);
  EXPECT_NE(Primary("a")->error.find("the VM exited before its tether "
                                     "reported the container's exit"),
            std::string::npos)
      << Primary("a")->error;
  // The test process is its parent (the first attachd spawned it).
  EXPECT_EQ(::waitpid(pid, nullptr, 0), pid);
}

TEST_F(VmTest, APidfileNamingAnotherProcessIsNotAdopted) {
  Container* c = NewVm("a");
  c->ResetForStart();  // As a start would have.
  ASSERT_TRUE(WriteFileAtomic(VmPidfilePath(c->dir()),
                              std::to_string(::getpid()) + "\n", 0600)
                  .ok());
  RestartDaemon();
  c = Find("a");
  EXPECT_EQ(c->vm(), nullptr);
  EXPECT_EQ(c->state(), "exited");
  EXPECT_EQ(Primary("a")->exit_code, 125);
  EXPECT_NE(Primary("a")->error.find("while attachd was not running"),
            std::string::npos)
      << Primary("a")->error;
  EXPECT_FALSE(ReadFile(VmPidfilePath(c->dir())).ok());
}

TEST_F(VmTest, AutoRemoveRemovesTheContainerOnceItsVmIsGone) {
  setenv("FAKE_QEMU", "error", 1);
  Container* c = NewVm("rm", /*auto_remove=*/true);
  std::string dir = c->dir();
  ASSERT_TRUE(Boot(c));
  EXPECT_TRUE(RunUntil(&loop_, [&] { return Find("rm") == nullptr; }));
  EXPECT_FALSE(ReadFile(dir + "/config").ok());
}

}  // namespace
}  // namespace endpoint
}  // namespace attach
