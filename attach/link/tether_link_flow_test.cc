// TetherLink's flow control towards the tether: stdin is read only as far
// as the tether takes it (review F6), and a session the tether released is
// forgotten only after the endpoint has its output and exit (review F4).
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "attach/link/link_fixture.h"
#include "attach/link/tether_link.h"

namespace attach {
namespace testing {
namespace {

class TetherLinkFlowTest : public LinkFixture {
 protected:
  // Until the server knows the session's stream channel (it drops stdin
  // for one it has not identified yet): a byte of output went through.
  bool StreamUp(const std::string& id) {
    tether_.Write(id, 1, ".");
    link_->OutputAvailable(id);
    return Until([&] { return ServerHasAll(id); });
  }

  // Runs the loop for `ms` whatever happens.
  void RunFor(int ms) {
    auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (std::chrono::steady_clock::now() < end) {
      uv_run(&loop_, UV_RUN_NOWAIT);
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
};

TEST_F(TetherLinkFlowTest, StdinStopsWhereTheTetherStopsTakingIt) {
  StartServer();
  tether_.Add("s1");
  const size_t kBound = 256 * 1024;
  tether_.sessions["s1"].stdin_limit = kBound;
  StartLink();
  ASSERT_TRUE(StreamUp("s1"));
  std::string data(64 << 20, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i / 7);
  server_->SendStdin("s1", data);
  const std::string& got = tether_.sessions["s1"].stdin_data;
  ASSERT_TRUE(Until([&] { return got.size() == kBound; }));
  // Nothing more is read, and the endpoint's write cannot finish: the
  // channel's window stayed closed (libssh2 holds at most one window).
  RunFor(500);
  EXPECT_EQ(got.size(), kBound);
  EXPECT_EQ(server_->stdin_writes_done(), 0);
  EXPECT_TRUE(link_->connected());
  // The tether's queue drained: it says so, and the rest follows in order.
  tether_.sessions["s1"].stdin_limit = SIZE_MAX;
  link_->StdinReady("s1");
  ASSERT_TRUE(Until([&] { return got.size() == data.size(); }, 60000));
  EXPECT_TRUE(got == data);
  ASSERT_TRUE(Until([&] { return server_->stdin_writes_done() == 1; }));
  // EOF still comes after the data.
  server_->SendStdinEof("s1");
  ASSERT_TRUE(Until([&] { return tether_.sessions["s1"].stdin_closed; }));
}

TEST_F(TetherLinkFlowTest, StdinEofWaitsForTheDataBeforeIt) {
  StartServer();
  tether_.Add("s1");
  tether_.sessions["s1"].stdin_limit = 0;
  StartLink();
  ASSERT_TRUE(StreamUp("s1"));
  server_->SendStdin("s1", "typed");
  server_->SendStdinEof("s1");
  RunFor(300);
  EXPECT_EQ(tether_.sessions["s1"].stdin_data, "");
  EXPECT_FALSE(tether_.sessions["s1"].stdin_closed);
  tether_.sessions["s1"].stdin_limit = 3;
  link_->StdinReady("s1");
  ASSERT_TRUE(
      Until([&] { return tether_.sessions["s1"].stdin_data == "typ"; }));
  RunFor(100);
  EXPECT_FALSE(tether_.sessions["s1"].stdin_closed);
  tether_.sessions["s1"].stdin_limit = SIZE_MAX;
  link_->StdinReady("s1");
  ASSERT_TRUE(Until([&] { return tether_.sessions["s1"].stdin_closed; }));
  EXPECT_EQ(tether_.sessions["s1"].stdin_data, "typed");
}

TEST_F(TetherLinkFlowTest, ReleasedSessionIsForgottenAfterItsAcks) {
  StartServer();
  tether_.release_when_done = true;
  tether_.Add("e1");
  tether_.Write("e1", 1, "exec output\n");
  StartLink();
  ASSERT_TRUE(Until([&] { return ServerHasAll("e1"); }));
  EXPECT_TRUE(tether_.done.empty());  // Still running.
  link_->SessionExited(tether_.Exit("e1", 3));
  ASSERT_TRUE(Until([&] { return !tether_.done.empty(); }));
  EXPECT_EQ(tether_.done, std::vector<std::string>{"e1"});
  // Done means: every byte acknowledged and SessionExited sent (the
  // bridge's Hello repeats a released exit until a Welcome, in case the
  // connection drops before the endpoint read it).
  EXPECT_TRUE(ServerHasAll("e1"));
  ASSERT_TRUE(Until([&] { return link_->session_count() == 0; }));
  EXPECT_TRUE(link_->AllDelivered());
  ASSERT_TRUE(Until([&] { return server_->exits().size() == 1; }));
  EXPECT_EQ(server_->exits()[0].msg.exit_code(), 3);
  // A later mention of the session would start it over: there is none,
  // and a reconnect's Hello no longer lists it.
  server_->DropConnection();
  ASSERT_TRUE(Until([&] { return link_->connect_count() == 2; }));
  EXPECT_EQ(server_->last_hello().sessions_size(), 0);
  EXPECT_EQ(tether_.done.size(), 1u);
}

TEST_F(TetherLinkFlowTest, NoReleaseWithoutAcknowledgement) {
  StartServer(nullptr, /*acks=*/false);
  tether_.release_when_done = true;
  tether_.Add("e1");
  tether_.Write("e1", 1, "unacknowledged\n");
  StartLink();
  ASSERT_TRUE(Until([&] { return ServerHasAll("e1"); }));
  link_->SessionExited(tether_.Exit("e1", 0));
  ASSERT_TRUE(Until([&] { return server_->exits().size() == 1; }));
  RunFor(300);
  EXPECT_TRUE(tether_.done.empty());
  EXPECT_EQ(link_->session_count(), 1u);
}

}  // namespace
}  // namespace testing
}  // namespace attach
