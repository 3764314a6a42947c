// Supervisor decisions against FakeOs on a real loop: no root, no PID 1.
#include "tether/supervisor.h"

#include <signal.h>

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/fakes/fake_os.h"
#include "tests/fakes/loop_runner.h"
#include "tether/suspend_signal.h"

namespace tether {
namespace {

using fakes::FakeOs;

guestinfo::SessionConfig MakeSession(const std::string& id, bool primary) {
  guestinfo::SessionConfig s;
  s.id = id;
  s.primary = primary;
  s.path = "/bin/" + id;
  s.args = {id};
  s.workdir = "";
  return s;
}

class SupervisorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(uv_loop_init(&loop_), 0);
    config_.sessions.push_back(MakeSession("main", true));
  }
  void TearDown() override {
    sup_.reset();
    EXPECT_EQ(fakes::DrainAndClose(&loop_), 0);
  }
  void StartSupervisor() {
    sup_ = std::make_unique<Supervisor>(&loop_, os_, config_, options_,
                                        nullptr, nullptr);
    ASSERT_TRUE(sup_->Start().ok());
  }
  void Exit(pid_t pid, int wait_status) {
    os_.QueueExit(pid, wait_status);
    sup_->OnSignal(SIGCHLD);
  }
  bool RunToFinish(int timeout_ms = 5000) {
    return fakes::RunUntil(&loop_, [this] { return sup_->finished(); },
                           timeout_ms);
  }
  bool Killed(pid_t pid, int signo) const {
    for (const auto& k : os_.kills) {
      if (k.pid == pid && k.signo == signo) return true;
    }
    return false;
  }

  uv_loop_t loop_;
  FakeOs os_;
  guestinfo::Config config_;
  Supervisor::Options options_;
  std::unique_ptr<Supervisor> sup_;
};

TEST_F(SupervisorTest, PrimaryExitCodeBecomesTheTethers) {
  StartSupervisor();
  ASSERT_EQ(os_.spawned.size(), 1u);
  EXPECT_EQ(os_.spawned[0].argv, std::vector<std::string>{"main"});
  Exit(100, FakeOs::Exited(3));
  ASSERT_TRUE(RunToFinish());
  EXPECT_EQ(sup_->exit_code(), 3);
}

TEST_F(SupervisorTest, SignalDeathIs128PlusSignal) {
  StartSupervisor();
  Exit(100, FakeOs::Signaled(SIGKILL));
  ASSERT_TRUE(RunToFinish());
  EXPECT_EQ(sup_->exit_code(), 137);
}

TEST_F(SupervisorTest, ForwardsEveryCatchableSignalToThePrimary) {
  StartSupervisor();
  std::vector<int> forwarded;
  for (int signo : RoutedSignals(false)) {
    if (signo == SIGCHLD || IsSuspendSignal(signo)) continue;
    sup_->OnSignal(signo);
    forwarded.push_back(signo);
  }
  // SIGALRM, SIGPIPE, SIGCONT, SIGPROF, SIGURG and the real-time ones too.
  EXPECT_EQ(forwarded.size(), 18u + (SIGRTMAX - SIGRTMIN + 1));
  for (int signo : forwarded) EXPECT_TRUE(Killed(100, signo)) << signo;
  EXPECT_FALSE(sup_->finished());
  Exit(100, FakeOs::Exited(0));
  ASSERT_TRUE(RunToFinish());
}

TEST_F(SupervisorTest, TakesNoSynchronousFaultsAndLeavesProfilerSignals) {
  for (bool profiler : {false, true}) {
    std::vector<int> routed = RoutedSignals(profiler);
    for (int signo : kSynchronousSignals) {
      EXPECT_EQ(std::count(routed.begin(), routed.end(), signo), 0) << signo;
    }
    for (int signo : {SIGKILL, SIGSTOP, 32, 33}) {
      EXPECT_EQ(std::count(routed.begin(), routed.end(), signo), 0) << signo;
    }
    EXPECT_EQ(std::count(routed.begin(), routed.end(), SIGPROF), !profiler);
    EXPECT_EQ(std::count(routed.begin(), routed.end(), SIGURG), !profiler);
    EXPECT_EQ(routed.back(), SIGRTMAX);
  }
}

TEST_F(SupervisorTest, SuspendSignalsReachThePrimaryThenStopTheTether) {
  os_.pid = 4242;  // The tether, not PID 1: it can stop itself.
  StartSupervisor();
  // The primary catches SIGTSTP (bit 20) and leaves SIGTTIN at the default.
  os_.AddFile("/proc/100/status",
              "Name:\tsh\nSigIgn:\t0000000000000000\n"
              "SigCgt:\t0000000000080000\n");
  sup_->OnSignal(SIGTSTP);
  EXPECT_TRUE(Killed(100, SIGTSTP));
  EXPECT_TRUE(Killed(4242, SIGSTOP));
  os_.kills.clear();
  // A default SIGTTIN would be discarded for the primary's orphaned group:
  // SIGSTOP does what it would have done.
  sup_->OnSignal(SIGTTIN);
  EXPECT_TRUE(Killed(100, SIGSTOP));
  EXPECT_TRUE(Killed(4242, SIGSTOP));
  sup_->OnSignal(SIGCONT);
  EXPECT_TRUE(Killed(100, SIGCONT));
  EXPECT_FALSE(sup_->finished());
  Exit(100, FakeOs::Exited(0));
  ASSERT_TRUE(RunToFinish());
}

TEST_F(SupervisorTest, Pid1ForwardsSuspendSignalsWithoutStoppingItself) {
  options_.pid1 = true;
  StartSupervisor();
  sup_->OnSignal(SIGTTOU);  // No status file: the default, so SIGSTOP.
  EXPECT_TRUE(Killed(100, SIGSTOP));
  EXPECT_FALSE(Killed(1, SIGSTOP));
  Exit(100, FakeOs::Exited(0));
  ASSERT_TRUE(RunToFinish());
}

TEST_F(SupervisorTest, TheTetherIsNotDumpable) {
  StartSupervisor();
  EXPECT_FALSE(os_.dumpable);
  Exit(100, FakeOs::Exited(0));
  ASSERT_TRUE(RunToFinish());
}

TEST_F(SupervisorTest, ReapedLeadersGroupIsNeverSignalledLater) {
  StartSupervisor();
  ASSERT_TRUE(sup_->AddSession(MakeSession("exec1", false), {}).ok());
  Exit(101, FakeOs::Exited(0));  // Reaped: -101 may be anyone's from now.
  sup_->OnSignal(SIGTERM);
  Exit(100, FakeOs::Signaled(SIGTERM));
  ASSERT_TRUE(RunToFinish());
  EXPECT_TRUE(Killed(-100, SIGKILL));  // At once, as the primary was reaped.
  EXPECT_FALSE(Killed(-101, SIGKILL));
}

TEST_F(SupervisorTest, GroupModeSignalsTheProcessGroup) {
  options_.signal_group = true;
  StartSupervisor();
  sup_->OnSignal(SIGTERM);
  EXPECT_TRUE(Killed(-100, SIGTERM));
  Exit(100, FakeOs::Signaled(SIGTERM));
  ASSERT_TRUE(RunToFinish());
  EXPECT_EQ(sup_->exit_code(), 143);
}

TEST_F(SupervisorTest, SpawnFailuresGiveDockerCodesAtOnce) {
  os_.FailNextSpawn(base::Status::NotFound("exec \"/bin/main\": ENOENT"));
  StartSupervisor();
  ASSERT_TRUE(RunToFinish(1000));
  EXPECT_EQ(sup_->exit_code(), 127);
  EXPECT_EQ(sup_->FindSession("main")->error(), "exec \"/bin/main\": ENOENT");
}

TEST_F(SupervisorTest, CommandNotInPathIs127) {
  config_.sessions[0].path = "nosuchcmd";
  StartSupervisor();
  ASSERT_TRUE(RunToFinish(1000));
  EXPECT_EQ(sup_->exit_code(), 127);
  EXPECT_TRUE(os_.spawned.empty());
}

TEST_F(SupervisorTest, UnknownUserIs125) {
  config_.sessions[0].user = "nginx";
  os_.AddFile("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
  StartSupervisor();
  ASSERT_TRUE(RunToFinish(1000));
  EXPECT_EQ(sup_->exit_code(), 125);
  EXPECT_EQ(sup_->FindSession("main")->error(),
            "no user \"nginx\" in /etc/passwd");
}

TEST_F(SupervisorTest, OrphansAreReapedAndCounted) {
  StartSupervisor();
  os_.QueueExit(555, FakeOs::Exited(0));
  os_.QueueExit(556, FakeOs::Exited(1));
  sup_->OnSignal(SIGCHLD);
  EXPECT_EQ(sup_->orphans_reaped(), 2u);
  EXPECT_FALSE(sup_->finished());
  Exit(100, FakeOs::Exited(0));
  ASSERT_TRUE(RunToFinish());
}

TEST_F(SupervisorTest, RestartsOnFailureWithBackoff) {
  config_.sessions[0].restart = guestinfo::RestartPolicy::kOnFailure;
  StartSupervisor();
  Exit(100, FakeOs::Exited(1));
  EXPECT_FALSE(sup_->finished());
  ASSERT_TRUE(fakes::RunUntil(&loop_, [&] { return os_.spawned.size() == 2; }));
  Exit(101, FakeOs::Exited(2));
  ASSERT_TRUE(fakes::RunUntil(&loop_, [&] { return os_.spawned.size() == 3; }));
  EXPECT_EQ(sup_->FindSession("main")->runs(), 3);
  Exit(102, FakeOs::Exited(0));  // Success: on-failure does not restart.
  ASSERT_TRUE(RunToFinish());
  EXPECT_EQ(sup_->exit_code(), 0);
}

TEST_F(SupervisorTest, StopSignalDuringBackoffEndsTheContainer) {
  config_.sessions[0].restart = guestinfo::RestartPolicy::kAlways;
  StartSupervisor();
  Exit(100, FakeOs::Exited(4));
  sup_->OnSignal(SIGTERM);  // Nobody to forward to: a stop.
  ASSERT_TRUE(RunToFinish());
  EXPECT_EQ(sup_->exit_code(), 4);
  EXPECT_EQ(os_.spawned.size(), 1u);
}

TEST_F(SupervisorTest, ForwardedStopSignalPreventsRestart) {
  config_.sessions[0].restart = guestinfo::RestartPolicy::kAlways;
  StartSupervisor();
  sup_->OnSignal(SIGTERM);
  Exit(100, FakeOs::Signaled(SIGTERM));
  ASSERT_TRUE(RunToFinish());
  EXPECT_EQ(sup_->exit_code(), 143);
  EXPECT_EQ(os_.spawned.size(), 1u);
}

TEST_F(SupervisorTest, StopsOtherSessionsThenKillsTheirGroups) {
  guestinfo::SessionConfig side = MakeSession("side", false);
  side.stop_signal = SIGUSR1;
  side.stop_timeout_s = 0;
  config_.sessions.push_back(side);
  StartSupervisor();
  ASSERT_EQ(os_.spawned.size(), 2u);  // main 100, side 101.
  Exit(100, FakeOs::Exited(0));
  EXPECT_TRUE(Killed(101, SIGUSR1));
  ASSERT_TRUE(RunToFinish());
  EXPECT_TRUE(Killed(-101, SIGKILL));
  EXPECT_TRUE(Killed(-100, SIGKILL));
  EXPECT_FALSE(Killed(-1, SIGKILL));  // Not PID 1: only our groups.
}

TEST_F(SupervisorTest, Pid1KillsEverythingLeft) {
  options_.pid1 = true;
  StartSupervisor();
  Exit(100, FakeOs::Exited(0));
  ASSERT_TRUE(RunToFinish());
  EXPECT_TRUE(Killed(-1, SIGKILL));
  EXPECT_FALSE(os_.subreaper);  // PID 1 needs no subreaper.
}

TEST_F(SupervisorTest, SubreaperWhenNotPid1) {
  StartSupervisor();
  EXPECT_TRUE(os_.subreaper);
  Exit(100, FakeOs::Exited(0));
  ASSERT_TRUE(RunToFinish());
}

TEST_F(SupervisorTest, SideSessionExitDoesNotEndTheContainer) {
  config_.sessions.push_back(MakeSession("side", false));
  StartSupervisor();
  Exit(101, FakeOs::Exited(9));
  EXPECT_FALSE(sup_->finished());
  EXPECT_EQ(sup_->FindSession("side")->exit_code(), 9);
  Exit(100, FakeOs::Exited(0));
  ASSERT_TRUE(RunToFinish());
  EXPECT_EQ(sup_->exit_code(), 0);
}

TEST_F(SupervisorTest, ExecSessionsStartAndEndWithoutEndingTheContainer) {
  StartSupervisor();
  guestinfo::SessionConfig exec = MakeSession("exec1", true);  // Demoted.
  exec.tty = true;
  ASSERT_TRUE(sup_->AddSession(exec, {40, 100}).ok());
  EXPECT_EQ(sup_->AddSession(exec, {}).message(),
            "session exec1 already exists");
  ASSERT_EQ(os_.spawned.size(), 2u);
  EXPECT_FALSE(sup_->FindSession("exec1")->primary());
  Exit(101, FakeOs::Exited(5));
  EXPECT_FALSE(sup_->finished());
  EXPECT_EQ(sup_->FindSession("exec1")->exit_code(), 5);
  Exit(100, FakeOs::Exited(0));
  ASSERT_TRUE(RunToFinish());
  EXPECT_EQ(sup_->AddSession(MakeSession("late", false), {}).message(),
            "container is stopping");
}

TEST_F(SupervisorTest, AttachBeforeStartWaitsForUnblock) {
  config_.sessions[0].attach_before_start = true;
  options_.hold_for_attach = true;
  StartSupervisor();
  EXPECT_TRUE(os_.spawned.empty());
  sup_->Unblock("main");
  ASSERT_EQ(os_.spawned.size(), 1u);
  sup_->Unblock("main");  // Already started: ignored.
  EXPECT_EQ(os_.spawned.size(), 1u);
  Exit(100, FakeOs::Exited(0));
  ASSERT_TRUE(RunToFinish());
}

TEST_F(SupervisorTest, AttachBeforeStartGivesUpWaiting) {
  config_.sessions[0].attach_before_start = true;
  config_.sessions[0].attach_timeout_s = 1;
  options_.hold_for_attach = true;
  StartSupervisor();
  EXPECT_TRUE(os_.spawned.empty());
  ASSERT_TRUE(fakes::RunUntil(&loop_, [&] { return os_.spawned.size() == 1; }));
  Exit(100, FakeOs::Exited(0));
  ASSERT_TRUE(RunToFinish());
}

TEST_F(SupervisorTest, EndpointStopSignalsThenKills) {
  config_.sessions[0].restart = guestinfo::RestartPolicy::kAlways;
  config_.sessions[0].stop_signal = SIGUSR2;
  StartSupervisor();
  sup_->Stop(0, 0);
  EXPECT_TRUE(Killed(100, SIGUSR2));
  ASSERT_TRUE(fakes::RunUntil(&loop_, [&] { return Killed(-100, SIGKILL); }));
  Exit(100, FakeOs::Signaled(SIGKILL));
  ASSERT_TRUE(RunToFinish());
  EXPECT_EQ(sup_->exit_code(), 137);
  EXPECT_EQ(os_.spawned.size(), 1u);  // Stopped: not restarted.
}

}  // namespace
}  // namespace tether
