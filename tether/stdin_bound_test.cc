// Stdin in PID 1 is bounded (review F6): 512 MiB pushed at an open_stdin
// session running `sleep 600`, which never reads, through the bridge the
// attach link uses. The link reads a channel only as far as StdinRoom()
// allows (attach/link/tether_link_flow_test.cc shows it then stops, and
// the endpoint's window closes); here the queue itself is watched.
#include <gtest/gtest.h>

#include <cstdio>
#include <signal.h>

#include "tests/fakes/loop_runner.h"
#include "tether/attach_bridge.h"
#include "tether/supervisor.h"

namespace tether {
namespace {

constexpr size_t kPushed = size_t{512} << 20;
constexpr size_t kChunk = 64 * 1024;  // The link's read buffer.

class StdinBoundTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(uv_loop_init(&loop_), 0);
    config_.id = std::string(64, 'b');
    config_.privileged = true;  // No root needed: confinement is not tested.
    guestinfo::EndpointConfig endpoint;
    endpoint.address = "tcp:127.0.0.1:1";  // Never dialed.
    config_.endpoint = endpoint;
    guestinfo::SessionConfig main;
    main.id = "main";
    main.primary = true;
    main.path = "/bin/sleep";
    main.args = {"sleep", "600"};
    main.open_stdin = true;
    config_.sessions.push_back(main);
    bridge_ = std::make_unique<AttachBridge>(&loop_, config_);
    sup_ = std::make_unique<Supervisor>(&loop_, base::RealOs(), config_,
                                        Supervisor::Options(), bridge_.get(),
                                        bridge_.get());
    bridge_->SetSupervisor(sup_.get());
    ASSERT_TRUE(sup_->Start().ok());
    session_ = sup_->FindSession("main");
    ASSERT_NE(session_, nullptr);
    ASSERT_TRUE(session_->running());
  }
  void TearDown() override {
    sup_->OnSignal(SIGTERM);  // Forwarded: sleep dies of it.
    EXPECT_TRUE(fakes::RunUntil(&loop_, [&] { return sup_->finished(); }));
    EXPECT_EQ(sup_->exit_code(), 128 + SIGTERM);
    sup_.reset();
    bridge_->Close();
    bridge_.reset();
    EXPECT_EQ(fakes::DrainAndClose(&loop_), 0);
  }

  uv_loop_t loop_;
  guestinfo::Config config_;
  std::unique_ptr<AttachBridge> bridge_;
  std::unique_ptr<Supervisor> sup_;
  Session* session_ = nullptr;
};

TEST_F(StdinBoundTest, FiveHundredTwelveMibAtASleepQueueNoMoreThanTheBound) {
  const std::string chunk(kChunk, 'z');
  size_t offered = 0, taken = 0, max_queued = 0;
  // As the link does: read no more than the room, none at 0 (what is not
  // read stays with the endpoint, whose window then closes).
  while (offered < kPushed) {
    size_t room = bridge_->StdinRoom("main");
    if (room == 0) {
      uv_run(&loop_, UV_RUN_NOWAIT);
      offered += kChunk;
      continue;
    }
    size_t n = std::min(room, kChunk);
    bridge_->OnStdin("main", std::string_view(chunk.data(), n));
    offered += n;
    taken += n;
    max_queued = std::max(max_queued, session_->stdin_queue_bytes());
    uv_run(&loop_, UV_RUN_NOWAIT);
  }
  std::printf("offered %zu MiB, taken %zu KiB, queued at most %zu KiB\n",
              offered >> 20, taken >> 10, max_queued >> 10);
  EXPECT_EQ(bridge_->StdinRoom("main"), 0u);  // The link is stopped.
  EXPECT_LE(max_queued, Session::kMaxStdinQueue);
  EXPECT_EQ(session_->stdin_queue_bytes(), max_queued);
  // What sleep's pipe buffer holds, plus the bound: nothing more.
  EXPECT_LE(taken, Session::kMaxStdinQueue + (1u << 20));
  // A caller that ignores the room is refused, not queued.
  for (size_t pushed = 0; pushed < kPushed; pushed += kChunk) {
    bridge_->OnStdin("main", std::string_view(chunk.data(), kChunk));
  }
  EXPECT_LE(session_->stdin_queue_bytes(), Session::kMaxStdinQueue);
}

TEST_F(StdinBoundTest, ClosingStdinWakesAWaitingSource) {
  const std::string chunk(kChunk, 'z');
  while (bridge_->StdinRoom("main") > 0) {
    size_t n = std::min(bridge_->StdinRoom("main"), kChunk);
    bridge_->OnStdin("main", std::string_view(chunk.data(), n));
    uv_run(&loop_, UV_RUN_NOWAIT);
  }
  int woken = 0;
  session_->SetStdinRoomCallback([&](Session&) { ++woken; });
  bridge_->OnStdinClosed("main");
  EXPECT_EQ(woken, 1);
  EXPECT_EQ(bridge_->StdinRoom("main"), SIZE_MAX);  // Now dropped.
  EXPECT_EQ(session_->stdin_queue_bytes(), 0u);
  session_->SetStdinRoomCallback(nullptr);  // `woken` goes with this scope.
}

}  // namespace
}  // namespace tether
