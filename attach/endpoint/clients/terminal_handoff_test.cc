// A client that hands attachd its terminal (docs/protocol.md §6): output
// goes onto the terminal as raw bytes, keys come from it (detach keys
// matched by attachd), and what ends the session comes on the socket only
// after the last byte is on the terminal.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <termios.h>
#include <unistd.h>

#include "attach/endpoint/testing/test_fixture.h"
#include "base/fd_io.h"

namespace attach {
namespace endpoint {
namespace {

namespace pb = ::tether::attach;
using testing::AttachdTest;
using testing::TestClient;
using testing::TestTether;
using testing::WhileLooping;

// A pseudo-terminal whose slave side is raw, so bytes pass unchanged.
struct Pty {
  Pty() {
    int m = -1, s = -1;
    if (::openpty(&m, &s, nullptr, nullptr, nullptr) != 0) std::abort();
    master.Reset(m);
    slave.Reset(s);
    struct termios t;
    ::tcgetattr(s, &t);
    ::cfmakeraw(&t);
    ::tcsetattr(s, TCSANOW, &t);
  }
  base::UniqueFd master;
  base::UniqueFd slave;
};

// Reads the terminal until `n` bytes came (or 10 s passed).
std::string ReadTerminal(int master, size_t n) {
  std::string got;
  for (int i = 0; i < 1000 && got.size() < n; ++i) {
    struct pollfd p = {master, POLLIN, 0};
    if (::poll(&p, 1, 10) <= 0) continue;
    char buf[65536];
    ssize_t r = ::read(master, buf, std::min(sizeof(buf), n - got.size()));
    if (r > 0) got.append(buf, static_cast<size_t>(r));
  }
  return got;
}

pb::Request HandoffAttach() {
  pb::Request req;
  pb::AttachRequest* a = req.mutable_attach();
  a->mutable_container()->set_ref("web");
  a->set_stdin(true);
  a->mutable_handoff()->set_terminal(true);
  a->mutable_handoff()->set_detach_keys("\x10\x11");
  return req;
}

class HandoffTest : public AttachdTest {
 protected:
  // A tty container with its tether, and a client attached to it through
  // `pty_`, once the tether has heard the Attach.
  void AttachThroughPty() {
    Container* c = NewContainer("web", true);
    tether_ = ConnectTether(c);
    ASSERT_TRUE(client_.Connect(Sock()).ok());
    ASSERT_TRUE(client_.SendWithFd(HandoffAttach(), pty_.slave.get()).ok());
    pty_.slave.Reset();  // attachd holds its own copy.
    base::Result<pb::Envelope> e = WhileLooping(&loop_, [&] {
      return tether_->ReadUntil(
          [](const pb::Envelope& m) { return m.has_attach(); });
    });
    ASSERT_TRUE(e.ok()) << e.status().ToString();
  }

  Pty pty_;
  std::unique_ptr<TestTether> tether_;
  TestClient client_;
};

TEST_F(HandoffTest, RawOutputToTheTerminalKeysFromItAndDetach) {
  AttachThroughPty();
  ASSERT_TRUE(WhileLooping(&loop_, [&] {
                return tether_->Write("main", "out\n").ok() &&
                       tether_->Write("main", "err\n", true).ok();
              }));
  std::string seen = WhileLooping(
      &loop_, [&] { return ReadTerminal(pty_.master.get(), 8); });
  EXPECT_EQ(seen, "out\nerr\n");  // No framing, no stream tags: a terminal.

  // "ls\r" goes to the process; ctrl-p alone is held, then ctrl-q detaches.
  ASSERT_TRUE(base::WriteAll(pty_.master.get(), "ls\r\x10", 4).ok());
  std::string typed = WhileLooping(&loop_, [&] {
    base::Result<std::string> s = tether_->ReadStdin("main");
    return s.ok() ? *s : s.status().ToString();
  });
  EXPECT_EQ(typed, "ls\r");
  ASSERT_TRUE(base::WriteAll(pty_.master.get(), "\x11", 1).ok());
  std::vector<pb::Response> r =
      WhileLooping(&loop_, [&] { return client_.RecvAll(); });
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(r[0].detached());
}

TEST_F(HandoffTest, TheExitCodeWaitsForTheLastByteOnTheTerminal) {
  AttachThroughPty();
  // Far more than the terminal holds: attachd keeps the rest queued.
  std::string big;
  for (int i = 0; big.size() < (300 << 10); ++i) {
    big += "line " + std::to_string(i) + "\n";
  }
  pb::Envelope exited;
  exited.mutable_session_exited()->set_session_id("main");
  exited.mutable_session_exited()->set_exit_code(3);
  ASSERT_TRUE(WhileLooping(&loop_, [&] {
    return tether_->Write("main", big).ok() &&
           tether_->SendControl(exited).ok();
  }));
  // The terminal is full and nobody reads it: no exit code yet.
  bool early = WhileLooping(&loop_, [&] {
    struct pollfd p = {client_.fd(), POLLIN, 0};
    return ::poll(&p, 1, 300) > 0;
  });
  EXPECT_FALSE(early);
  std::string seen = WhileLooping(
      &loop_, [&] { return ReadTerminal(pty_.master.get(), big.size()); });
  EXPECT_TRUE(seen == big) << seen.size() << " of " << big.size() << " bytes";
  std::vector<pb::Response> r =
      WhileLooping(&loop_, [&] { return client_.RecvAll(); });
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].exit_code(), 3);
}

// True once nothing holds the terminal's slave side any more (the master
// reads EIO), within 10 s.
bool Released(int master) {
  for (int i = 0; i < 1000; ++i) {
    char buf[256];
    ssize_t r = ::read(master, buf, sizeof(buf));
    if (r < 0 && errno == EIO) return true;
    ::usleep(10000);
  }
  return false;
}

TEST_F(HandoffTest, AClientThatDiesGivesTheTerminalBackAtOnce) {
  AttachThroughPty();
  ASSERT_EQ(::fcntl(pty_.master.get(), F_SETFL, O_NONBLOCK), 0);
  client_.Close();  // tetherctl killed: the shell has the terminal again.
  EXPECT_TRUE(WhileLooping(&loop_, [&] { return Released(pty_.master.get()); }));
}

TEST_F(HandoffTest, AHangUpDropsTheClientAndLeavesStdinOpen) {
  AttachThroughPty();
  pty_.master.Reset();  // The terminal emulator went away.
  std::vector<pb::Response> r =
      WhileLooping(&loop_, [&] { return client_.RecvAll(); });
  EXPECT_TRUE(r.empty());  // Dropped: the connection just ends.
  // The next client still types into the same, open stdin.
  Pty again;
  TestClient next;
  ASSERT_TRUE(next.Connect(Sock()).ok());
  ASSERT_TRUE(next.SendWithFd(HandoffAttach(), again.slave.get()).ok());
  ASSERT_TRUE(base::WriteAll(again.master.get(), "still\r", 6).ok());
  std::string typed = WhileLooping(&loop_, [&] {
    base::Result<std::string> s = tether_->ReadStdin("main");
    return s.ok() ? *s : s.status().ToString();
  });
  EXPECT_EQ(typed, "still\r");
}

TEST_F(AttachdTest, AHandoffNeedsATerminal) {
  Container* c = NewContainer("web", true);
  std::unique_ptr<TestTether> t = ConnectTether(c);
  // Said, but nothing came with it.
  std::vector<pb::Response> r = Run(HandoffAttach());
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].error(),
            "terminal handoff: no file descriptor came with the request");
  // A pipe is not a terminal.
  int p[2];
  ASSERT_EQ(::pipe2(p, O_CLOEXEC), 0);
  base::UniqueFd rd(p[0]), wr(p[1]);
  TestClient client;
  ASSERT_TRUE(client.Connect(Sock()).ok());
  ASSERT_TRUE(client.SendWithFd(HandoffAttach(), wr.get()).ok());
  r = WhileLooping(&loop_, [&] { return client.RecvAll(); });
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].error(),
            "terminal handoff: the file descriptor passed is not a terminal");
}

}  // namespace
}  // namespace endpoint
}  // namespace attach
