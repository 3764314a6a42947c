// Exec sessions are released once the endpoint has all of them (review
// F4): 20,000 finished execs leave the supervisor, its fds and the Hello
// bounded. The link's part (OnSessionDone only after the endpoint
// acknowledged output and exit) is in attach/link/tether_link_test.cc;
// here the bridge hears it as the link would say it.
#include <dirent.h>
#include <gtest/gtest.h>
#include <signal.h>

#include "tests/fakes/fake_os.h"
#include "tests/fakes/loop_runner.h"
#include "tether/attach_bridge.h"
#include "tether/supervisor.h"

namespace tether {
namespace {

using fakes::FakeOs;

int OpenFdCount() {
  int n = 0;
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) return -1;
  while (dirent* e = ::readdir(dir)) n += e->d_name[0] != '.';
  ::closedir(dir);
  return n;
}

class ExecReleaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(uv_loop_init(&loop_), 0);
    config_.id = std::string(64, 'a');
    guestinfo::EndpointConfig endpoint;
    endpoint.address = "tcp:127.0.0.1:1";  // Never dialed: no Start().
    config_.endpoint = endpoint;
    guestinfo::SessionConfig main;
    main.id = "main";
    main.primary = true;
    main.path = "/bin/main";
    main.workdir = "";
    main.env = {"PATH=/bin", "KEEP=1"};
    config_.sessions.push_back(main);
    bridge_ = std::make_unique<AttachBridge>(&loop_, config_);
    sup_ = std::make_unique<Supervisor>(&loop_, os_, config_,
                                        Supervisor::Options(), bridge_.get(),
                                        bridge_.get());
    bridge_->SetSupervisor(sup_.get());
    ASSERT_TRUE(sup_->Start().ok());
  }
  void TearDown() override {
    os_.QueueExit(100, FakeOs::Exited(0));
    sup_->OnSignal(SIGCHLD);
    EXPECT_TRUE(fakes::RunUntil(&loop_, [&] { return sup_->finished(); }));
    sup_.reset();
    bridge_->Close();
    bridge_.reset();
    EXPECT_EQ(fakes::DrainAndClose(&loop_), 0);
  }

  // Turns the loop without sleeping until `done` (a pipe's EOF and a
  // zero timer each take a turn or two).
  bool Spin(const std::function<bool()>& done) {
    for (int i = 0; i < 1000; ++i) {
      if (done()) return true;
      uv_run(&loop_, UV_RUN_NOWAIT);
    }
    return done();
  }

  void Exec(const std::string& id, std::vector<std::string> env = {}) {
    tether::attach::Envelope msg;
    tether::attach::Exec* exec = msg.mutable_exec();
    exec->set_session_id(id);
    exec->add_args("/bin/true");
    for (const std::string& e : env) exec->add_env(e);
    bridge_->OnControl(msg);
  }

  // Runs exec `id` to its end: started, exited, output drained.
  void RunExec(const std::string& id) {
    Exec(id);
    Session* s = sup_->FindSession(id);
    ASSERT_NE(s, nullptr) << id;
    os_.QueueExit(s->pid(), FakeOs::Exited(0));
    sup_->OnSignal(SIGCHLD);
    ASSERT_TRUE(Spin([&] { return !s->output_open(); })) << id;
  }

  uv_loop_t loop_;
  FakeOs os_;
  guestinfo::Config config_;
  std::unique_ptr<AttachBridge> bridge_;
  std::unique_ptr<Supervisor> sup_;
};

TEST_F(ExecReleaseTest, TwentyThousandFinishedExecsStayBounded) {
  const int fds_before = OpenFdCount();
  size_t max_hello = 0;
  for (int i = 0; i < 20000; ++i) {
    const std::string id = "exec" + std::to_string(i);
    RunExec(id);
    ASSERT_TRUE(bridge_->OnSessionDone(id)) << id;  // As the link says it.
    EXPECT_EQ(sup_->FindSession(id), nullptr);
    if (i % 1000 == 999) {
      ASSERT_TRUE(Spin([&] { return sup_->sessions().size() == 1; }));
      max_hello = std::max(max_hello, bridge_->MakeHello().ByteSizeLong());
    }
  }
  ASSERT_TRUE(Spin([&] { return sup_->sessions().size() == 1; }));
  // The primary, plus the last released exits until a Welcome confirms.
  tether::attach::Hello hello = bridge_->MakeHello();
  EXPECT_EQ(hello.sessions_size(), 1 + int{AttachBridge::kMaxReleasedInHello});
  EXPECT_LT(max_hello, 8u * 1024);
  EXPECT_EQ(hello.sessions(1).id(), "exec19936");
  EXPECT_TRUE(hello.sessions(1).exited());
  // Each finished exec held two pipes until released.
  EXPECT_LE(OpenFdCount(), fds_before + 4);
  EXPECT_EQ(os_.spawned.size(), 20001u);
}

TEST_F(ExecReleaseTest, OnlyFinishedExecSessionsAreReleased) {
  EXPECT_FALSE(bridge_->OnSessionDone("main"));  // The primary stays.
  EXPECT_FALSE(bridge_->OnSessionDone("nosuch"));
  Exec("running");
  EXPECT_FALSE(bridge_->OnSessionDone("running"));  // Not over yet.
  ASSERT_NE(sup_->FindSession("running"), nullptr);
  EXPECT_FALSE(sup_->ReleaseSession("main"));
  RunExec("done");
  EXPECT_TRUE(bridge_->OnSessionDone("done"));
  EXPECT_EQ(sup_->FindSession("done"), nullptr);
  EXPECT_EQ(sup_->sessions().size(), 2u);  // main, running.
  // The released exit is still in Hello, with its ends for the link.
  EXPECT_EQ(bridge_->MakeHello().sessions_size(), 3);
  // Until a Welcome answered a Hello that listed it: then it is gone.
  EXPECT_TRUE(bridge_->OnSessionDone("done"));
  EXPECT_EQ(bridge_->MakeHello().sessions_size(), 2);
  os_.QueueExit(sup_->FindSession("running")->pid(), FakeOs::Exited(0));
  sup_->OnSignal(SIGCHLD);
}

TEST_F(ExecReleaseTest, ExecEnvOverridesTheContainersByKey) {
  Exec("e1", {"PATH=/opt/bin:/bin", "NEW=x"});
  ASSERT_EQ(os_.spawned.size(), 2u);
  const std::vector<std::string>& env = os_.spawned[1].env;
  // One PATH, the exec's, where the container had it; then the rest.
  EXPECT_EQ(std::count_if(
                env.begin(), env.end(),
                [](const std::string& e) { return e.rfind("PATH=", 0) == 0; }),
            1);
  EXPECT_EQ(env[0], "PATH=/opt/bin:/bin");
  EXPECT_EQ(env[1], "KEEP=1");
  EXPECT_EQ(env[2], "NEW=x");
  os_.QueueExit(sup_->FindSession("e1")->pid(), FakeOs::Exited(0));
  sup_->OnSignal(SIGCHLD);
}

}  // namespace
}  // namespace tether
