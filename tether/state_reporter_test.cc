#include "tether/state_reporter.h"

#include <signal.h>

#include <gtest/gtest.h>

#include "tests/fakes/fake_os.h"
#include "tests/fakes/loop_runner.h"

namespace tether {
namespace {

class RecordingStateSink : public guestinfo::StateSink {
 public:
  base::Status Write(const guestinfo::GuestState& state) override {
    states.push_back(state);
    return fail ? base::Status::Unavailable("host refused") : base::Status::Ok();
  }
  std::vector<guestinfo::GuestState> states;
  bool fail = false;
};

TEST(StateReporter, FollowsTheSessionLifecycle) {
  uv_loop_t loop;
  ASSERT_EQ(uv_loop_init(&loop), 0);
  fakes::FakeOs os;
  guestinfo::Config config;
  config.id = std::string(64, 'c');
  guestinfo::SessionConfig s;
  s.id = "main";
  s.primary = true;
  s.path = "/bin/app";
  s.restart = guestinfo::RestartPolicy::kOnFailure;
  config.sessions.push_back(s);
  RecordingStateSink sink;
  {
    StateReporter reporter(config, sink);
    Supervisor sup(&loop, os, config, {}, nullptr, &reporter);
    ASSERT_TRUE(sup.Start().ok());
    ASSERT_FALSE(sink.states.empty());
    EXPECT_TRUE(reporter.state().sessions[0].started);
    EXPECT_EQ(reporter.state().sessions[0].pid, 100);
    os.QueueExit(100, fakes::FakeOs::Signaled(SIGSEGV));
    sup.OnSignal(SIGCHLD);
    EXPECT_EQ(reporter.state().sessions[0].signal, SIGSEGV);
    EXPECT_FALSE(reporter.state().sessions[0].exit_code.has_value());
    ASSERT_TRUE(fakes::RunUntil(&loop, [&] { return os.spawned.size() == 2; }));
    EXPECT_EQ(reporter.state().sessions[0].restarts, 1);
    EXPECT_EQ(reporter.state().sessions[0].pid, 101);
    os.QueueExit(101, fakes::FakeOs::Exited(0));
    sup.OnSignal(SIGCHLD);
    ASSERT_TRUE(fakes::RunUntil(&loop, [&] { return sup.finished(); }));
    EXPECT_EQ(*reporter.state().sessions[0].exit_code, 0);
    // What the host reads last (VMware: guestinfo.tether.state) has the
    // exit code: it is published before the wait for the endpoint and the
    // power-off, for a VM whose endpoint never heard the exit.
    ASSERT_TRUE(sink.states.back().sessions[0].exit_code.has_value());
    EXPECT_EQ(*sink.states.back().sessions[0].exit_code, 0);
    EXPECT_EQ(sink.states.back().id, config.id);
    reporter.AddError("set hostname: EPERM");
    EXPECT_EQ(sink.states.back().errors,
              std::vector<std::string>{"set hostname: EPERM"});
  }
  EXPECT_EQ(fakes::DrainAndClose(&loop), 0);
}

TEST(StateReporter, KeepsTheLatestExecSessionsOnly) {
  uv_loop_t loop;
  ASSERT_EQ(uv_loop_init(&loop), 0);
  fakes::FakeOs os;
  guestinfo::Config config;
  guestinfo::SessionConfig main;
  main.id = "main";
  main.primary = true;
  config.sessions.push_back(main);
  RecordingStateSink sink;
  StateReporter reporter(config, sink);
  for (int i = 0; i < 1000; ++i) {
    guestinfo::SessionConfig sc;
    sc.id = "exec" + std::to_string(i);
    Session s(&loop, os, sc, 4096, nullptr);
    reporter.OnSessionStarted(s);
    s.OnExit(0, 1700000000 + i);
    reporter.OnSessionExited(s);
  }
  const auto& sessions = reporter.state().sessions;
  ASSERT_EQ(sessions.size(), 1 + StateReporter::kMaxExecStates);
  EXPECT_EQ(sessions.front().id, "main");
  EXPECT_EQ(sessions[1].id, "exec936");
  EXPECT_EQ(sessions.back().id, "exec999");
  EXPECT_EQ(fakes::DrainAndClose(&loop), 0);
}

}  // namespace
}  // namespace tether
