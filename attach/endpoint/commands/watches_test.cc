// StartWatch and ExitWatch against a real registry's container, driven by
// the reports a tether would send.
#include "attach/endpoint/commands/watches.h"

#include <gtest/gtest.h>

#include <optional>

#include "attach/endpoint/containers/registry.h"
#include "attach/endpoint/testing/test_util.h"

namespace attach {
namespace endpoint {
namespace {

namespace pb = ::tether::attach;
using testing::TempDir;

class WatchesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(registry_.Load().ok());
    ContainerRecord r;
    r.name = "w";
    r.args = {"/bin/true"};
    r.endpoint = "tcp:127.0.0.1:2377";
    base::Result<Container*> c = registry_.Create(r);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    c_ = *c;
    base::Result<Session*> s = c_->GetSession(kPrimarySession);
    ASSERT_TRUE(s.ok());
    primary_ = *s;
  }
  void TearDown() override { uv_loop_close(&loop_); }

  void Started() {
    pb::SessionStarted m;
    m.set_session_id(kPrimarySession);
    m.set_pid(7);
    ASSERT_TRUE(c_->ApplyStarted(m).ok());
  }
  void Exited(int code) {
    pb::SessionExited m;
    m.set_session_id(kPrimarySession);
    m.set_exit_code(code);
    ASSERT_TRUE(c_->ApplyExited(m).ok());
  }

  struct LoopInit {
    explicit LoopInit(uv_loop_t* l) { uv_loop_init(l); }
  };
  uv_loop_t loop_;
  LoopInit loop_init_{&loop_};
  TempDir dir_;
  Registry registry_{dir_.path()};
  Container* c_ = nullptr;
  Session* primary_ = nullptr;
};

TEST(WaitCondition, ParsesDockersNames) {
  EXPECT_EQ(*ParseWaitCondition(""), WaitCondition::kNotRunning);
  EXPECT_EQ(*ParseWaitCondition("not-running"), WaitCondition::kNotRunning);
  EXPECT_EQ(*ParseWaitCondition("next-exit"), WaitCondition::kNextExit);
  EXPECT_EQ(*ParseWaitCondition("removed"), WaitCondition::kRemoved);
  base::Result<WaitCondition> bad = ParseWaitCondition("soon");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "invalid condition: \"soon\"");
}

TEST_F(WatchesTest, NotRunningIsImmediateOnlyWhenNotRunning) {
  EXPECT_TRUE(ExitWatch::Immediate(*c_, WaitCondition::kNotRunning));
  EXPECT_FALSE(ExitWatch::Immediate(*c_, WaitCondition::kNextExit));
  Started();
  EXPECT_FALSE(ExitWatch::Immediate(*c_, WaitCondition::kNotRunning));
  Exited(3);
  EXPECT_TRUE(ExitWatch::Immediate(*c_, WaitCondition::kNotRunning));
  EXPECT_EQ(ExitWatch::LastExitCode(*c_), 3);
}

TEST_F(WatchesTest, NextExitGetsTheCode) {
  std::optional<int> got;
  ExitWatch w(c_, primary_, WaitCondition::kNextExit,
              [&](int code, const std::string& error) {
                EXPECT_EQ(error, "");
                got = code;
              });
  Started();
  EXPECT_FALSE(got.has_value());
  Exited(7);
  EXPECT_EQ(got, 7);
}

TEST_F(WatchesTest, RemovedWaitsForRemovalAndHoldsNothing) {
  std::optional<int> got;
  ExitWatch w(c_, primary_, WaitCondition::kRemoved,
              [&](int code, const std::string&) { got = code; });
  // An auto-remove container must not wait for this watcher to go.
  EXPECT_FALSE(c_->observed());
  Started();
  Exited(42);
  EXPECT_FALSE(got.has_value());
  c_->NotifyGone("container removed");
  EXPECT_EQ(got, 42);
}

TEST_F(WatchesTest, RemovedWhileRunningIsAKill) {
  Started();
  std::optional<int> got;
  ExitWatch w(c_, primary_, WaitCondition::kRemoved,
              [&](int code, const std::string&) { got = code; });
  c_->NotifyGone("container removed");
  EXPECT_EQ(got, 137);
}

TEST_F(WatchesTest, NextExitReportsAContainerThatWentAway) {
  std::string error;
  ExitWatch w(c_, primary_, WaitCondition::kNextExit,
              [&](int, const std::string& e) { error = e; });
  c_->NotifyGone("attachd is stopping");
  EXPECT_EQ(error, "attachd is stopping");
}

TEST_F(WatchesTest, AHelloEndWithOutputToComeWaitsForSessionExited) {
  std::optional<int> got;
  ExitWatch w(c_, primary_, WaitCondition::kNextExit,
              [&](int code, const std::string&) { got = code; });
  // The container ended before the tether connected, and its 5 bytes are
  // still on their way: not over yet for logs, wait or ps.
  pb::Hello hello;
  hello.set_container_id(c_->id());
  pb::SessionInfo* s = hello.add_sessions();
  s->set_id(kPrimarySession);
  s->set_primary(true);
  s->set_exited(true);
  s->set_exit_code(3);
  s->set_stdout_end(5);
  c_->ApplyHello(hello);
  EXPECT_EQ(c_->state(), "running");
  EXPECT_FALSE(got.has_value());
  Exited(3);
  EXPECT_EQ(c_->state(), "exited");
  EXPECT_EQ(got, 3);
}

TEST_F(WatchesTest, StartSucceedsOnHello) {
  std::optional<StartOutcome> got;
  {
    StartWatch w(&loop_, c_, primary_, 60000,
                 [&](const StartOutcome& o) { got = o; });
    pb::Hello hello;
    hello.set_container_id(c_->id());
    c_->ApplyHello(hello);
    ASSERT_TRUE(got.has_value());
    EXPECT_TRUE(got->status.ok());
    EXPECT_FALSE(got->ended);
  }
  uv_run(&loop_, UV_RUN_DEFAULT);
}

TEST_F(WatchesTest, StartReportsAnEndAndAFailure) {
  std::optional<StartOutcome> got;
  {
    StartWatch w(&loop_, c_, primary_, 60000,
                 [&](const StartOutcome& o) { got = o; });
    Exited(5);
    ASSERT_TRUE(got.has_value());
    EXPECT_TRUE(got->status.ok());
    EXPECT_TRUE(got->ended);
    EXPECT_EQ(got->exit_code, 5);
  }
  got.reset();
  {
    c_->ResetForStart();  // A second boot, whose VM fails.
    StartWatch w(&loop_, c_, primary_, 60000,
                 [&](const StartOutcome& o) { got = o; });
    c_->ApplyVmExit(125, 0, "tether: bad config");
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->status.message(), "tether: bad config");
  }
  uv_run(&loop_, UV_RUN_DEFAULT);
}

TEST_F(WatchesTest, StartTimesOutNamingTheConsole) {
  std::optional<StartOutcome> got;
  StartWatch w(&loop_, c_, primary_, 10,
               [&](const StartOutcome& o) { got = o; });
  ASSERT_TRUE(testing::RunUntil(&loop_, [&] { return got.has_value(); }));
  EXPECT_NE(got->status.message().find("console.log"), std::string::npos)
      << got->status.message();
  uv_run(&loop_, UV_RUN_DEFAULT);
}

}  // namespace
}  // namespace endpoint
}  // namespace attach
