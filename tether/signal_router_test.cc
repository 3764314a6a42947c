// SignalRouter on a real loop with real signals: what another process sends
// arrives, what the tether raised itself (an EPIPE's SIGPIPE) does not.
#include "tether/signal_router.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vector>

#include "tests/fakes/loop_runner.h"

namespace tether {
namespace {

// Sends `signo` to this process from a child, so the sender is not us.
void SendFromChild(int signo) {
  pid_t parent = ::getpid();
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::kill(parent, signo);
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
}

class SignalRouterTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(uv_loop_init(&loop_), 0); }
  void TearDown() override {
    router_.reset();
    EXPECT_EQ(fakes::DrainAndClose(&loop_), 0);
  }
  void Start(const std::vector<int>& signals) {
    router_ = std::make_unique<SignalRouter>(
        &loop_, [this](int signo) { got_.push_back(signo); });
    base::Status s = router_->Start(signals, ::getpid());
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  uv_loop_t loop_;
  std::unique_ptr<SignalRouter> router_;
  std::vector<int> got_;
};

TEST_F(SignalRouterTest, DeliversSignalsOthersSendIncludingRealTime) {
  Start({SIGUSR1, SIGALRM, SIGRTMIN + 3});
  SendFromChild(SIGALRM);  // Would kill a process that did not take it.
  SendFromChild(SIGRTMIN + 3);
  SendFromChild(SIGRTMIN + 3);  // Real-time signals queue: both arrive.
  SendFromChild(SIGUSR1);
  ASSERT_TRUE(fakes::RunUntil(&loop_, [&] { return got_.size() == 4; }));
  // Pending signals come out lowest number first, real-time ones in order.
  EXPECT_EQ(got_,
            (std::vector<int>{SIGUSR1, SIGALRM, SIGRTMIN + 3, SIGRTMIN + 3}));
}

TEST_F(SignalRouterTest, DropsTheSigpipeOfItsOwnBrokenPipe) {
  Start({SIGPIPE, SIGUSR2});
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ::close(fds[0]);
  // Without the block this write would end the test binary.
  EXPECT_EQ(::write(fds[1], "x", 1), -1);
  EXPECT_EQ(errno, EPIPE);
  ::close(fds[1]);
  SendFromChild(SIGUSR2);  // Something to wait for.
  ASSERT_TRUE(fakes::RunUntil(&loop_, [&] { return !got_.empty(); }));
  uv_run(&loop_, UV_RUN_NOWAIT);
  EXPECT_EQ(got_, std::vector<int>{SIGUSR2});
  // A SIGPIPE someone else sends is forwarded like any other.
  SendFromChild(SIGPIPE);
  ASSERT_TRUE(fakes::RunUntil(&loop_, [&] { return got_.size() == 2; }));
  EXPECT_EQ(got_.back(), SIGPIPE);
}

TEST_F(SignalRouterTest, SignalsPendingBeforeTheStartArrive) {
  ASSERT_TRUE(base::BlockSignals({SIGHUP}).ok());
  SendFromChild(SIGHUP);  // As during early init, before the supervisor.
  Start({SIGHUP});
  ASSERT_TRUE(fakes::RunUntil(&loop_, [&] { return !got_.empty(); }));
  EXPECT_EQ(got_, std::vector<int>{SIGHUP});
}

TEST_F(SignalRouterTest, CloseFromTheCallbackStopsDelivery) {
  router_ = std::make_unique<SignalRouter>(&loop_, [this](int signo) {
    got_.push_back(signo);
    router_->Close();
  });
  ASSERT_TRUE(router_->Start({SIGWINCH, SIGXCPU}, ::getpid()).ok());
  SendFromChild(SIGWINCH);
  SendFromChild(SIGXCPU);
  ASSERT_TRUE(fakes::RunUntil(&loop_, [&] { return !got_.empty(); }));
  for (int i = 0; i < 10; ++i) uv_run(&loop_, UV_RUN_NOWAIT);
  // The first of the two (the lower number), and nothing after Close.
  EXPECT_EQ(got_, std::vector<int>{SIGXCPU});
}

}  // namespace
}  // namespace tether
