// TetherLink against a real SSH server (libssh) on 127.0.0.1: host key
// pinning, identity refusal, streaming from Welcome offsets, gaps, stdin,
// control messages, the end of a session and reconnects.
#include "attach/link/tether_link.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "attach/link/link_fixture.h"

namespace attach {
namespace testing {
namespace {

using ::testing::HasSubstr;
using tether::attach::Envelope;

class TetherLinkTest : public LinkFixture {};

TEST_F(TetherLinkTest, BadAddressFailsStart) {
  endpoint_.address = "tcp:example.com:2377";
  TetherLink link(&loop_, endpoint_, ContainerId(), &tether_);
  base::Status s = link.Start();
  EXPECT_EQ(s.code(), base::Status::Code::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("example.com"));
}

TEST_F(TetherLinkTest, RefusedConnectionRetriesWithoutError) {
  StartServer();
  int port = server_->port();
  server_.reset();  // Nobody listens there now.
  StartLink("tcp:127.0.0.1:" + std::to_string(port));
  ASSERT_TRUE(Until([&] { return !link_->last_error().ok(); }));
  EXPECT_THAT(link_->last_error().message(), HasSubstr("Connection refused"));
  EXPECT_FALSE(link_->connected());
}

TEST_F(TetherLinkTest, HostKeyMismatchSendsNothing) {
  StartServer();
  tether_.Add("s1");
  tether_.Write("s1", 1, "secret container output");
  TestKey other = MakeKey(dir_.path(), "other");
  StartLink("", &other.fingerprint);
  // Let it fail and retry at least once.
  ASSERT_TRUE(Until([&] { return server_->connections() >= 2; }));
  const base::Status& err = link_->last_error();
  EXPECT_EQ(err.code(), base::Status::Code::kPermissionDenied);
  EXPECT_THAT(err.message(), HasSubstr("host key mismatch"));
  EXPECT_THAT(err.message(), HasSubstr(host_key_.fingerprint));
  EXPECT_THAT(err.message(), HasSubstr(other.fingerprint));
  EXPECT_EQ(server_->auth_attempts(), 0);
  EXPECT_EQ(server_->channels_opened(), 0);
  EXPECT_EQ(server_->Stream("s1", 1).bytes, "");
  EXPECT_FALSE(link_->connected());
}

TEST_F(TetherLinkTest, WrongIdentityIsRefused) {
  TestKey other = MakeKey(dir_.path(), "other");
  StartServer(&other);
  StartLink();
  ASSERT_TRUE(Until([&] { return server_->connections() >= 2; }));
  const base::Status& err = link_->last_error();
  EXPECT_EQ(err.code(), base::Status::Code::kPermissionDenied);
  EXPECT_THAT(err.message(), HasSubstr("refused the identity key"));
  EXPECT_THAT(err.message(), HasSubstr(ContainerId()));
  EXPECT_GE(server_->auth_attempts(), 1);
  EXPECT_EQ(server_->channels_opened(), 0);
}

TEST_F(TetherLinkTest, StreamsStdoutAndStderrAndIsAcked) {
  StartServer();
  tether_.Add("s1");
  tether_.Write("s1", 1, "hello world\n");
  tether_.Write("s1", 2, "oops\n");
  StartLink();
  ASSERT_TRUE(Until([&] { return ServerHasAll("s1"); }));
  EXPECT_TRUE(link_->connected());
  EXPECT_EQ(tether_.connected_events, std::vector<bool>{true});
  tether::attach::Hello hello = server_->last_hello();
  EXPECT_EQ(hello.version(), kProtocolVersion);
  EXPECT_EQ(hello.container_id(), ContainerId());
  ASSERT_EQ(hello.sessions_size(), 1);
  EXPECT_EQ(hello.sessions(0).stdout_end(), 12u);

  // More output while connected.
  tether_.Write("s1", 1, "second line\n");
  link_->OutputAvailable("s1");
  ASSERT_TRUE(Until([&] { return ServerHasAll("s1"); }));
  ASSERT_TRUE(Until([&] { return link_->AllDelivered(); }));
  EXPECT_EQ(tether_.sessions["s1"].acked[0], 24u);
  EXPECT_EQ(tether_.sessions["s1"].acked[1], 5u);
}

TEST_F(TetherLinkTest, AllDeliveredWaitsForTheEndpoint) {
  StartServer(nullptr, /*acks=*/false);
  tether_.Add("s1");
  tether_.Write("s1", 1, "unacknowledged");
  StartLink();
  ASSERT_TRUE(Until([&] { return ServerHasAll("s1"); }));
  // Welcome said 0 and no Ack came: the output may still be lost.
  EXPECT_FALSE(link_->AllDelivered());
}

TEST_F(TetherLinkTest, AnExitWithoutOutputWaitsForItsAck) {
  // `true`: no output. The bytes are trivially all acknowledged; the end
  // is not, until the endpoint says so.
  StartServer();
  tether_.Add("s1");
  StartLink();
  ASSERT_TRUE(Until([&] { return link_->connected(); }));
  link_->SessionExited(tether_.Exit("s1", 0));
  EXPECT_FALSE(link_->AllDelivered());
  ASSERT_TRUE(Until([&] { return link_->AllDelivered(); }));
  ASSERT_EQ(server_->exits().size(), 1u);
  EXPECT_EQ(server_->exits()[0].msg.exit_code(), 0);
}

TEST_F(TetherLinkTest, AnExitIsNotDeliveredWithoutTheEndpointsAck) {
  StartServer(nullptr, /*acks=*/false);
  tether_.Add("s1");
  StartLink();
  ASSERT_TRUE(Until([&] { return link_->connected(); }));
  link_->SessionExited(tether_.Exit("s1", 7));
  ASSERT_TRUE(Until([&] { return !server_->exits().empty(); }));
  // Sent is not recorded: an endpoint that went away right then never
  // learnt it.
  Until([] { return false; }, 300);
  EXPECT_FALSE(link_->AllDelivered());
}

TEST_F(TetherLinkTest, AnExitInTheHelloIsDeliveredByTheWelcome) {
  // The end comes before the link is up (a `true`): the Hello carries it,
  // and the endpoint answers a Hello only after recording it.
  StartServer(nullptr, /*acks=*/false);
  tether_.Add("s1");
  tether::attach::SessionExited exit = tether_.Exit("s1", 3);
  StartLink();
  link_->SessionExited(exit);
  EXPECT_FALSE(link_->AllDelivered());
  ASSERT_TRUE(Until([&] { return link_->AllDelivered(); }));
  EXPECT_TRUE(server_->last_hello().sessions(0).exited());
}

TEST_F(TetherLinkTest, AnExitInTheHelloWithOutputToSendNeedsItsOwnAck) {
  // After an endpoint restart: the session ended while it was away, and
  // its output's tail is still to send. The endpoint records the end from
  // the Hello but tells its clients only at the SessionExited that follows
  // the tail; this endpoint acknowledges bytes, never the end.
  StartServer(nullptr, /*acks=*/true, /*keep_bytes=*/true,
              /*ack_exits=*/false);
  tether_.Add("s1");
  tether_.Write("s1", 1, "the tail\n");
  tether::attach::SessionExited exit = tether_.Exit("s1", 7);
  StartLink();
  link_->SessionExited(exit);
  ASSERT_TRUE(Until([&] { return !server_->exits().empty(); }));
  ASSERT_TRUE(Until([&] { return tether_.sessions["s1"].acked[0] == 9; }));
  Until([] { return false; }, 300);
  EXPECT_FALSE(link_->AllDelivered());
}

TEST_F(TetherLinkTest, PingControlAndStdin) {
  StartServer();
  tether_.Add("s1");
  StartLink();
  ASSERT_TRUE(Until([&] { return link_->connected(); }));

  Envelope ping;
  ping.mutable_ping()->set_nonce(42);
  server_->SendControl(ping);
  ASSERT_TRUE(Until([&] { return !server_->pongs().empty(); }));
  EXPECT_EQ(server_->pongs(), std::vector<uint64_t>{42});

  Envelope signal;
  signal.mutable_signal()->set_session_id("s1");
  signal.mutable_signal()->set_signo(15);
  server_->SendControl(signal);
  ASSERT_TRUE(Until([&] { return !tether_.controls.empty(); }));
  ASSERT_TRUE(tether_.controls[0].has_signal());
  EXPECT_EQ(tether_.controls[0].signal().signo(), 15);

  // The stream channel exists once Welcome arrived; wait for it to open.
  ASSERT_TRUE(Until([&] { return server_->channels_opened() >= 2; }));
  server_->SendStdin("s1", "typed input\n");
  ASSERT_TRUE(Until(
      [&] { return tether_.sessions["s1"].stdin_data == "typed input\n"; }));
  EXPECT_FALSE(tether_.sessions["s1"].stdin_closed);
  server_->SendStdinEof("s1");
  ASSERT_TRUE(Until([&] { return tether_.sessions["s1"].stdin_closed; }));
}

TEST_F(TetherLinkTest, SessionExitedFollowsAllOutputThenEof) {
  StartServer();
  tether_.Add("s1", 8 << 20);
  StartLink();
  ASSERT_TRUE(Until([&] { return link_->connected(); }));
  // Enough output that it cannot all be written at once.
  tether_.Write("s1", 1, std::string(3 << 20, 'o'));
  tether_.Write("s1", 2, std::string(1 << 20, 'e'));
  link_->OutputAvailable("s1");
  link_->SessionExited(tether_.Exit("s1", 3));
  ASSERT_TRUE(Until(
      [&] { return !server_->exits().empty() && server_->stream_eof("s1"); }));
  TestSshServer::ExitRecord exit = server_->exits()[0];
  EXPECT_EQ(exit.msg.exit_code(), 3);
  // When SessionExited arrived, the server had every byte already.
  EXPECT_EQ(exit.stdout_at, 3u << 20);
  EXPECT_EQ(exit.stderr_at, 1u << 20);
  EXPECT_TRUE(ServerHasAll("s1"));
  ASSERT_TRUE(Until([&] { return link_->AllDelivered(); }));
}

TEST_F(TetherLinkTest, RingOverflowIsReportedAsGap) {
  StartServer();
  tether_.Add("s1", 1024);
  std::string all;
  for (int i = 0; i < 4096; ++i) all.push_back(static_cast<char>('a' + i % 26));
  tether_.Write("s1", 1, all);
  StartLink();
  ASSERT_TRUE(Until([&] { return server_->Stream("s1", 1).end == 4096; }))
      << "server has " << server_->Stream("s1", 1).end << " bytes, "
      << server_->Stream("s1", 1).gaps.size() << " gaps";
  TestSshServer::StreamLog log = server_->Stream("s1", 1);
  ASSERT_EQ(log.gaps.size(), 1u);
  EXPECT_EQ(log.gaps[0], std::make_pair(uint64_t{0}, uint64_t{3072}));
  EXPECT_EQ(log.bytes, all.substr(3072));
}

TEST_F(TetherLinkTest, NewLinkResumesFromWelcomeOffsets) {
  StartServer();
  tether_.Add("s1");
  tether_.Write("s1", 1, "first part|");
  StartLink();
  ASSERT_TRUE(Until([&] { return ServerHasAll("s1"); }));
  link_->Close();
  link_.reset();

  // A new link (as after a tether restart of the link) must not resend.
  tether_.Write("s1", 1, "second part");
  StartLink();
  ASSERT_TRUE(Until([&] { return ServerHasAll("s1"); }));
  EXPECT_EQ(server_->Stream("s1", 1).bytes, "first part|second part");
  EXPECT_TRUE(server_->Stream("s1", 1).gaps.empty());
  EXPECT_EQ(server_->hellos(), 2);
}

TEST_F(TetherLinkTest, ReconnectsAfterDropWithoutLossOrDuplication) {
  StartServer();
  tether_.Add("s1", 64 << 20);
  StartLink();
  ASSERT_TRUE(Until([&] { return link_->connected(); }));
  std::string block(64 << 10, '\0');
  for (int i = 0; i < 256; ++i) {  // 16 MiB of distinct blocks.
    for (size_t j = 0; j < block.size(); j += 8) {
      block[j] = static_cast<char>(i);
      block[j + 1] = static_cast<char>(j >> 8);
    }
    tether_.Write("s1", 1, block);
  }
  link_->OutputAvailable("s1");
  ASSERT_TRUE(Until([&] { return server_->Stream("s1", 1).end > (1 << 20); }));
  server_->DropConnection();
  ASSERT_TRUE(Until([&] { return link_->connect_count() >= 2; }));
  EXPECT_EQ(tether_.connected_events, (std::vector<bool>{true, false, true}));
  ASSERT_TRUE(Until([&] { return ServerHasAll("s1"); }, 30000));
  TestSshServer::StreamLog log = server_->Stream("s1", 1);
  EXPECT_TRUE(log.gaps.empty());
  EXPECT_EQ(log.end, 16u << 20);
}

TEST_F(TetherLinkTest, SilentEndpointIsDroppedByKeepalive) {
  StartServer();
  LinkOptions options = FastOptions();
  options.ssh.idle_limit_ms = 2500;
  StartLink("", nullptr, options);
  ASSERT_TRUE(Until([&] { return link_->connected(); }));
  // Idle but alive: keepalive answers keep the link up past the limit.
  ASSERT_FALSE(Until([&] { return !link_->connected(); }, 3500));
  server_->Freeze(4000);
  ASSERT_TRUE(Until([&] { return !link_->connected(); }));
  EXPECT_THAT(link_->last_error().message(), HasSubstr("keepalive"));
  // Once the endpoint answers again, the link comes back.
  ASSERT_TRUE(Until([&] { return link_->connect_count() >= 2; }, 15000));
}

TEST_F(TetherLinkTest, MessagesWhileAwayFollowTheNextHello) {
  StartServer();
  tether_.Add("s1");
  StartLink();
  // Not connected yet (dialing is asynchronous): these wait for Hello.
  ASSERT_FALSE(link_->connected());
  tether::attach::ExecFailed failed;
  failed.set_session_id("x1");
  failed.set_exit_code(127);
  failed.set_message("exec: \"x\": executable file not found in $PATH");
  link_->ExecFailed(failed);
  link_->SendState("{\"a\":1}");
  link_->SendState("{\"a\":2}");  // Only the latest state is kept.
  ASSERT_TRUE(Until([&] { return server_->other_control().size() >= 2; }));
  std::vector<Envelope> got = server_->other_control();
  ASSERT_EQ(got.size(), 2u);
  ASSERT_TRUE(got[0].has_exec_failed());
  EXPECT_EQ(got[0].exec_failed().exit_code(), 127);
  ASSERT_TRUE(got[1].has_state());
  EXPECT_EQ(got[1].state().json(), "{\"a\":2}");

  // Once connected they go out at once.
  ASSERT_TRUE(Until([&] { return link_->connected(); }));
  tether::attach::SessionStarted started;
  started.set_session_id("s2");
  started.set_pid(99);
  tether_.Add("s2");
  link_->SessionStarted(started);
  ASSERT_TRUE(Until([&] { return server_->other_control().size() >= 3; }));
  EXPECT_EQ(server_->other_control()[2].session_started().pid(), 99);
}

TEST_F(TetherLinkTest, UnknownMessagesAreIgnoredBadFramesEndTheConnection) {
  StartServer();
  StartLink();
  ASSERT_TRUE(Until([&] { return link_->connected(); }));
  // A newer endpoint's message: field 100 (varint 1), no known oneof case.
  server_->SendRawControl(std::string("\0\0\0\3\xa0\x06\x01", 7));
  Envelope ping;
  ping.mutable_ping()->set_nonce(7);
  server_->SendControl(ping);
  ASSERT_TRUE(Until([&] { return !server_->pongs().empty(); }));
  EXPECT_EQ(link_->connect_count(), 1u);
  // A length out of range cannot be resynchronised: drop and redial.
  server_->SendRawControl(std::string("\xff\xff\xff\xff", 4));
  ASSERT_TRUE(Until([&] { return link_->connect_count() >= 2; }));
  EXPECT_THAT(link_->last_error().message(), HasSubstr("frame length"));
  EXPECT_EQ(link_->last_error().code(), base::Status::Code::kInvalidArgument);
}

TEST_F(TetherLinkTest, DelegateMayCloseTheLinkFromItsCallback) {
  StartServer();
  tether_.Add("s1");
  tether_.on_control = [&](const Envelope& msg) {
    if (msg.has_stop()) link_->Close();
  };
  StartLink();
  ASSERT_TRUE(Until([&] { return link_->connected(); }));
  Envelope stop;
  stop.mutable_stop()->set_signo(15);
  server_->SendControl(stop);
  ASSERT_TRUE(Until([&] { return !link_->connected(); }));
  // Closed for good: no redial, and TearDown finds every handle closed.
  tether_.Write("s1", 1, "after close");
  link_->OutputAvailable("s1");
  EXPECT_FALSE(Until([&] { return link_->connected(); }, 300));
  EXPECT_EQ(tether_.connected_events, std::vector<bool>{true});
}

// Not a pass/fail test (DESIGN §9): run it by hand with
// --gtest_also_run_disabled_tests to see the link's bulk throughput
// against libssh on this machine.
TEST_F(TetherLinkTest, DISABLED_Throughput) {
  StartServer(nullptr, true, /*keep_bytes=*/false);
  tether_.Add("s1", 64 << 20);
  StartLink();
  ASSERT_TRUE(Until([&] { return link_->connected(); }));
  const uint64_t total = uint64_t{1} << 30;
  const std::string block(8 << 20, 'x');
  uint64_t written = 0;
  auto start = std::chrono::steady_clock::now();
  // Keep the ring topped up, never overwriting unacknowledged bytes.
  ASSERT_TRUE(Until(
      [&] {
        while (written < total &&
               written + block.size() - tether_.sessions["s1"].acked[0] <=
                   (64u << 20)) {
          tether_.sessions["s1"].rings[0]->Append(block.data(), block.size());
          written += block.size();
          link_->OutputAvailable("s1");
        }
        return server_->Stream("s1", 1).end == total;
      },
      120000));
  double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  std::printf("tether -> endpoint: %.0f MiB in %.2f s = %.1f MiB/s\n",
              total / 1048576.0, secs, total / 1048576.0 / secs);
  EXPECT_TRUE(server_->Stream("s1", 1).gaps.empty());
}

}  // namespace
}  // namespace testing
}  // namespace attach
