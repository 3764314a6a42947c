// The tether side of attachd against a real libssh2 client on loopback:
// preamble, host key, login, Hello/Welcome, stream persistence, acks,
// gaps, exits, replacement of a stale connection and keepalive.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <thread>

#include "attach/endpoint/containers/log_reader.h"
#include "attach/endpoint/containers/ssh_keys.h"
#include "attach/endpoint/testing/test_fixture.h"

namespace attach {
namespace endpoint {
namespace {

namespace pb = ::tether::attach;
using testing::AttachdTest;
using testing::RunUntil;
using testing::TestTether;
using testing::TetherOptions;
using testing::WhileLooping;

// The bytes of each stream in a session's log.
std::pair<std::string, std::string> LogContents(Container* c,
                                                const std::string& id) {
  std::pair<std::string, std::string> out;
  Session* s = *c->GetSession(id);
  LogCursor cursor(&s->log(), LogPos());
  LogChunk chunk;
  while (*cursor.Next(s->log().size(), &chunk)) {
    if (chunk.header.type != RecordType::kData) continue;
    (chunk.header.stream == kStderr ? out.second : out.first) += chunk.data;
  }
  return out;
}

TEST_F(AttachdTest, RightKeyLogsInAndHelloGetsWelcome) {
  Container* c = NewContainer("web");
  TestTether t(TetherFor(c));
  base::Status s = WhileLooping(&loop_, [&] { return t.Connect(); });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(t.seen_fingerprint(), daemon_->fingerprint());
  base::Result<pb::Welcome> w =
      WhileLooping(&loop_, [&] { return t.Hello(HelloFor(c, true)); });
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_EQ(w->version(), 1u);
  ASSERT_EQ(w->offsets_size(), 1);
  EXPECT_EQ(w->offsets(0).session_id(), "main");
  EXPECT_EQ(w->offsets(0).stdout(), 0u);
  EXPECT_TRUE(RunUntil(&loop_, [&] { return c->link() != nullptr; }));
  EXPECT_EQ(c->state(), "running");
}

TEST_F(AttachdTest, OtherKeysAndUsersAreRefused) {
  Container* a = NewContainer("a");
  Container* b = NewContainer("b");
  TetherOptions wrong_key = TetherFor(a);
  wrong_key.identity_key = TetherFor(b).identity_key;
  TetherOptions unknown_user = TetherFor(a);
  unknown_user.user = std::string(64, 'f');
  TetherOptions stranger = TetherFor(a);
  stranger.identity_key = *PrivateKeyText(*GenerateEd25519());
  for (const TetherOptions& o : {wrong_key, unknown_user, stranger}) {
    TestTether t(o);
    base::Status s = WhileLooping(&loop_, [&] { return t.Connect(); });
    EXPECT_FALSE(s.ok());
    EXPECT_NE(s.message().find("login"), std::string::npos) << s.ToString();
  }
  EXPECT_EQ(a->link(), nullptr);
}

TEST_F(AttachdTest, PreambleSurvivesGarbageAndASplitBanner) {
  Container* c = NewContainer("web");
  TetherOptions o = TetherFor(c);
  o.garbage_first = true;
  o.split_banner = true;
  TestTether t(o);
  base::Status s = WhileLooping(&loop_, [&] { return t.Connect(); });
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST_F(AttachdTest, StreamBytesArePersistedAckedAndResumedAfterRestart) {
  Container* c = NewContainer("web");
  std::unique_ptr<TestTether> t = ConnectTether(c);
  base::Status s = WhileLooping(&loop_, [&] {
    TETHER_RETURN_IF_ERROR(t->Write("main", "hello\n"));
    TETHER_RETURN_IF_ERROR(t->Write("main", "err\n", true));
    return t->WaitAck("main", 6, 4);
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(LogContents(c, "main"),
            std::make_pair(std::string("hello\n"), std::string("err\n")));
  t.reset();
  std::string id = c->id();
  RestartDaemon();
  c = daemon_->registry().FindById(id);
  ASSERT_NE(c, nullptr);
  TestTether again(TetherFor(c));
  base::Result<pb::Welcome> w = WhileLooping(&loop_, [&] {
    base::Status st = again.Connect();
    if (!st.ok()) return base::Result<pb::Welcome>(st);
    return again.Hello(HelloFor(c, true, 6, 4));
  });
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  ASSERT_EQ(w->offsets_size(), 1);
  EXPECT_EQ(w->offsets(0).stdout(), 6u);
  EXPECT_EQ(w->offsets(0).stderr(), 4u);
}

TEST_F(AttachdTest, GapsAreRecordedAndAcked) {
  Container* c = NewContainer("web");
  std::unique_ptr<TestTether> t = ConnectTether(c);
  base::Status s = WhileLooping(&loop_, [&] {
    pb::Envelope gap;
    gap.mutable_output_gap()->set_session_id("main");
    gap.mutable_output_gap()->set_stream(pb::STREAM_STDOUT);
    gap.mutable_output_gap()->set_begin(0);
    gap.mutable_output_gap()->set_end(100);
    TETHER_RETURN_IF_ERROR(t->SendControl(gap));
    TETHER_RETURN_IF_ERROR(t->Write("main", "x"));
    return t->WaitAck("main", 101, 0);
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  Session* session = *c->GetSession("main");
  EXPECT_EQ(session->log().ends().out, 101u);
}

TEST_F(AttachdTest, RestartedTetherStartsANewRunInTheLog) {
  Container* c = NewContainer("web");
  std::unique_ptr<TestTether> t = ConnectTether(c);
  ASSERT_TRUE(WhileLooping(&loop_, [&] {
    return t->Write("main", "old run\n").ok() && t->WaitAck("main", 8, 0).ok();
  }));
  t.reset();
  // A new VM: its tether has produced 3 bytes, fewer than the log holds.
  TestTether fresh(TetherFor(c));
  base::Result<pb::Welcome> w = WhileLooping(&loop_, [&] {
    base::Status st = fresh.Connect();
    if (!st.ok()) return base::Result<pb::Welcome>(st);
    return fresh.Hello(HelloFor(c, true, 3, 0));
  });
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_EQ(w->offsets(0).stdout(), 0u);
}

TEST_F(AttachdTest, NewConnectionReplacesTheOld) {
  Container* c = NewContainer("web");
  std::unique_ptr<TestTether> first = ConnectTether(c);
  std::unique_ptr<TestTether> second = ConnectTether(c);
  // The first one's control channel ends.
  base::Status s = WhileLooping(&loop_, [&] {
    return first->ReadUntil([](const pb::Envelope&) { return false; }).status();
  });
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(RunUntil(&loop_, [&] { return daemon_->link_count() == 1; }));
  EXPECT_NE(c->link(), nullptr);
}

TEST_F(AttachdTest, SessionExitedIsAckedEvenWithoutOutput) {
  Container* c = NewContainer("web");
  std::unique_ptr<TestTether> t = ConnectTether(c);
  // `true`: no output at all. The tether powers off only once the end is
  // acknowledged, so an Ack must come and say so.
  base::Result<pb::Envelope> ack = WhileLooping(&loop_, [&] {
    pb::Envelope exited;
    exited.mutable_session_exited()->set_session_id("main");
    exited.mutable_session_exited()->set_exit_code(0);
    base::Status st = t->SendControl(exited);
    if (!st.ok()) return base::Result<pb::Envelope>(st);
    return t->ReadUntil([](const pb::Envelope& env) {
      return env.has_ack() && env.ack().offsets_size() > 0;
    });
  });
  ASSERT_TRUE(ack.ok()) << ack.status().ToString();
  ASSERT_EQ(ack->ack().offsets_size(), 1);
  EXPECT_EQ(ack->ack().offsets(0).session_id(), "main");
  EXPECT_TRUE(ack->ack().offsets(0).exited());
  EXPECT_EQ(ack->ack().offsets(0).stdout(), 0u);
  EXPECT_EQ(c->state(), "exited");
}

TEST_F(AttachdTest, HelloWithALogThatCannotOpenDropsTheConnection) {
  Container* c = NewContainer("web");
  // A directory where the session's log belongs: opening it fails
  // (EISDIR), as an EMFILE or EIO would.
  const std::string log = c->dir() + "/logs/main.log";
  ASSERT_TRUE(EnsureDir(c->dir() + "/logs", 0700).ok());
  ASSERT_EQ(::mkdir(log.c_str(), 0700), 0);
  TestTether t(TetherFor(c));
  base::Result<pb::Welcome> w = WhileLooping(&loop_, [&] {
    base::Status st = t.Connect();
    if (!st.ok()) return base::Result<pb::Welcome>(st);
    return t.Hello(HelloFor(c, true, 6, 0));
  });
  // No Welcome without the session's offsets: the tether redials.
  EXPECT_FALSE(w.ok());
  EXPECT_TRUE(RunUntil(&loop_, [&] { return daemon_->link_count() == 0; }));
  EXPECT_EQ(c->link(), nullptr);

  ASSERT_EQ(::rmdir(log.c_str()), 0);
  TestTether again(TetherFor(c));
  base::Status s = WhileLooping(&loop_, [&] {
    TETHER_RETURN_IF_ERROR(again.Connect());
    base::Result<pb::Welcome> w2 = again.Hello(HelloFor(c, true, 6, 0));
    if (!w2.ok()) return w2.TakeStatus();
    if (w2->offsets_size() != 1 || w2->offsets(0).stdout() != 0) {
      return base::Status::Internal("bad Welcome");
    }
    TETHER_RETURN_IF_ERROR(again.OpenStream("main"));
    TETHER_RETURN_IF_ERROR(again.Write("main", "hello\n"));
    return again.WaitAck("main", 6, 0);
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(LogContents(c, "main"),
            std::make_pair(std::string("hello\n"), std::string()));
}

TEST_F(AttachdTest, StreamBeforeHelloIsRefused) {
  Container* c = NewContainer("web");
  TestTether t(TetherFor(c));
  base::Status s = WhileLooping(&loop_, [&] {
    TETHER_RETURN_IF_ERROR(t.Connect());
    return t.OpenStream("main");
  });
  EXPECT_FALSE(s.ok());
}

TEST(SocketPollError, SaysWhatTheSocketSaysNotBadFileDescriptor) {
  // A connection its peer reset (a VM that powered off with bytes of
  // attachd's unread): epoll says EPOLLERR, libuv says UV_EBADF.
  base::UniqueFd listener(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in addr = {};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(::bind(listener.get(), reinterpret_cast<sockaddr*>(&addr), len), 0);
  ASSERT_EQ(::listen(listener.get(), 1), 0);
  ASSERT_EQ(
      ::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&addr), &len),
      0);
  base::UniqueFd client(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  ASSERT_EQ(::connect(client.get(), reinterpret_cast<sockaddr*>(&addr), len),
            0);
  base::UniqueFd server(
      ::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
  ASSERT_TRUE(server);
  linger reset = {1, 0};
  ASSERT_EQ(
      ::setsockopt(client.get(), SOL_SOCKET, SO_LINGER, &reset, sizeof(reset)),
      0);
  client.Reset();
  pollfd p = {server.get(), POLLIN, 0};
  ASSERT_EQ(::poll(&p, 1, 5000), 1);
  EXPECT_EQ(SocketPollError(server.get(), UV_EBADF).ToString(),
            "ssh socket: Connection reset by peer");
  EXPECT_EQ(SocketPollError(-1, UV_EBADF).ToString(),
            "ssh socket: Bad file descriptor");
}

// Answering needs the test's tether thread to run at least every
// max_unanswered_pings * ping_ms: 500 ms here, since a loaded CI machine
// can stall a thread for longer than three 50 ms pings.
class KeepaliveTest : public AttachdTest {
 protected:
  void SetUp() override {
    timings_.ping_ms = 100;
    timings_.max_unanswered_pings = 5;
    AttachdTest::SetUp();
  }
};

TEST_F(KeepaliveTest, UnansweredPingsDropTheLink) {
  Container* c = NewContainer("web");
  std::unique_ptr<TestTether> t = ConnectTether(c);
  int pings = 0;
  base::Status s = WhileLooping(&loop_, [&] {
    for (;;) {
      base::Result<pb::Envelope> e = t->ReadControl(/*answer_pings=*/false);
      if (!e.ok()) return e.TakeStatus();
      if (e->has_ping()) ++pings;
    }
  });
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(pings, timings_.max_unanswered_pings);
  EXPECT_TRUE(RunUntil(&loop_, [&] { return c->link() == nullptr; }));
}

// The link must outlive more pings than it would have dropped after
// unanswered.
TEST_F(KeepaliveTest, AnsweredPingsKeepTheLink) {
  Container* c = NewContainer("web");
  std::unique_ptr<TestTether> t = ConnectTether(c);
  int pings = 0;
  base::Status s = WhileLooping(&loop_, [&] {
    while (pings < 12) {
      base::Result<pb::Envelope> e = t->ReadControl(false);
      if (!e.ok()) return e.TakeStatus();
      if (!e->has_ping()) continue;
      ++pings;
      pb::Envelope pong;
      pong.mutable_pong()->set_nonce(e->ping().nonce());
      TETHER_RETURN_IF_ERROR(t->SendControl(pong));
    }
    return base::Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_NE(c->link(), nullptr);
}

}  // namespace
}  // namespace endpoint
}  // namespace attach
