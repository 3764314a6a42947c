// tetherctl on a pseudo-terminal against FakeAttachd: raw mode and its
// restoration (after a detach, and after a signal), terminal sizes at
// start and on SIGWINCH, keystrokes forwarded as bytes. The fake speaks
// only the relay, so these run with the terminal handoff off; the handoff
// is tested against the real attachd (attach_roundtrip_test.sh).
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <optional>

#include "attach/ctl/fake_attachd.h"
#include "attach/ctl/test_process.h"

namespace attach {
namespace ctl {
namespace {

using tether::attach::Request;
using tether::attach::Response;

const std::string kId(64, 'c');

// Every tetherctl this test binary starts talks to FakeAttachd: relay only.
class RelayOnly : public ::testing::Environment {
 public:
  void SetUp() override { ::setenv("TETHERCTL_TERMINAL_HANDOFF", "0", 1); }
};
const auto* const kRelayOnly =
    ::testing::AddGlobalTestEnvironment(new RelayOnly);

// Waits until tetherctl has put the terminal in raw mode.
bool WaitUntilRaw(int fd) {
  for (int i = 0; i < 2000; ++i) {
    struct termios t;
    if (::tcgetattr(fd, &t) == 0 && (t.c_lflag & ICANON) == 0) return true;
    ::usleep(5000);
  }
  return false;
}

// tetherctl started on a fresh pseudo-terminal of `rows` x `cols`, once it
// has switched the terminal to raw mode (ready() says whether it did).
class RawSession {
 public:
  RawSession(const std::string& state_dir, const std::vector<std::string>& args,
             unsigned short rows, unsigned short cols) {
    int m = -1, s = -1;
    struct winsize ws = {};
    ws.ws_row = rows;
    ws.ws_col = cols;
    if (::openpty(&m, &s, nullptr, nullptr, &ws) != 0) std::abort();
    master_.Reset(m);
    slave_.Reset(s);
    ::tcgetattr(s, &before_);
    process_.emplace(state_dir, args, s, s);
    ready_ = WaitUntilRaw(s);
  }

  bool ready() const { return ready_; }
  int master() const { return master_.get(); }
  TetherctlProcess& process() { return *process_; }

  // The terminal is in the mode it had before tetherctl started.
  void ExpectRestored() const {
    struct termios after;
    ASSERT_EQ(::tcgetattr(slave_.get(), &after), 0);
    EXPECT_EQ(before_.c_iflag, after.c_iflag);
    EXPECT_EQ(before_.c_oflag, after.c_oflag);
    EXPECT_EQ(before_.c_lflag, after.c_lflag);
    EXPECT_EQ(before_.c_cflag, after.c_cflag);
  }

 private:
  base::UniqueFd master_;
  base::UniqueFd slave_;
  struct termios before_ = {};
  std::optional<TetherctlProcess> process_;
  bool ready_ = false;
};

// Reads what tetherctl wrote to the terminal until `want` shows up.
bool ReadUntil(int master, const std::string& want) {
  std::string got;
  for (int i = 0; i < 200 && got.find(want) == std::string::npos; ++i) {
    struct pollfd p = {master, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    char buf[256];
    ssize_t n = ::read(master, buf, sizeof(buf));
    if (n > 0) got.append(buf, static_cast<size_t>(n));
  }
  return got.find(want) != std::string::npos;
}

void WriteAll(int fd, const std::string& s) {
  ASSERT_EQ(::write(fd, s.data(), s.size()), static_cast<ssize_t>(s.size()));
}

// inspect/config for a running tty container with an open stdin; for
// attach, a prompt, then read until the client leaves.
void TtyContainer(FakeConn& c) {
  std::optional<Request> req = c.Read();
  if (!req) return;
  Response r;
  if (req->has_inspect()) {
    auto* s = r.mutable_status();
    s->set_id(kId);
    s->set_tty(true);
    s->set_state("running");
    c.Send(r);
  } else if (req->has_config()) {
    r.set_config_json(R"({"sessions":[{"id":"main","open_stdin":true}]})");
    c.Send(r);
  } else if (req->has_attach()) {
    Response prompt;
    prompt.mutable_output()->set_data("prompt$ ");
    c.Send(prompt);
    while (c.Read()) {
    }
  }
}

TEST(TetherctlTty, AttachGoesRawSendsSizesDetachesAndRestores) {
  FakeAttachd server(TtyContainer);
  RawSession session(server.state_dir(), {"attach", "web"}, 30, 100);
  ASSERT_TRUE(session.ready());
  EXPECT_TRUE(ReadUntil(session.master(), "prompt$ "));
  WriteAll(session.master(), std::string("ls\r\x10\x11", 5));
  ProcessResult r = session.process().Finish();
  EXPECT_TRUE(r.exited);
  EXPECT_EQ(r.exit_code, 1);  // docker: term.EscapeError, exit 1.
  EXPECT_EQ(r.err, "read escape sequence\n");
  session.ExpectRestored();

  std::string input;
  std::vector<std::pair<unsigned, unsigned>> sizes;
  for (const Request& q : server.requests()) {
    if (q.has_attach()) {
      EXPECT_TRUE(q.attach().stdin());
      sizes.emplace_back(q.attach().rows(), q.attach().cols());
    }
    if (q.has_resize())
      sizes.emplace_back(q.resize().rows(), q.resize().cols());
    if (q.has_stdin()) input += q.stdin().data();
    EXPECT_FALSE(q.has_stdin_close());  // Detaching leaves stdin open.
  }
  // One larger first, then the real size: the running shell redraws.
  EXPECT_EQ(sizes,
            (std::vector<std::pair<unsigned, unsigned>>{{31, 101}, {30, 100}}));
  EXPECT_EQ(input, "ls\r");
}

TEST(TetherctlTty, SignalRestoresTheTerminalThenKills) {
  FakeAttachd server(TtyContainer);
  RawSession session(server.state_dir(), {"attach", "web"}, 24, 80);
  ASSERT_TRUE(session.ready());
  ASSERT_EQ(::kill(session.process().pid(), SIGTERM), 0);
  ProcessResult r = session.process().Finish();
  EXPECT_FALSE(r.exited);
  EXPECT_EQ(r.signo, SIGTERM);
  session.ExpectRestored();
}

TEST(TetherctlTty, ExecForwardsKeysAndResizesOnSigwinch) {
  FakeAttachd server([](FakeConn& c) {
    std::optional<Request> req = c.Read();
    if (!req || !req->has_exec()) return;
    bool saw_ctrl_c = false;
    bool saw_resize = false;
    while (!(saw_ctrl_c && saw_resize)) {
      std::optional<Request> in = c.Read();
      if (!in) return;
      if (in->has_stdin() && in->stdin().data() == "\x03") saw_ctrl_c = true;
      if (in->has_resize() && in->resize().rows() == 40 &&
          in->resize().cols() == 120) {
        saw_resize = true;
      }
    }
    c.Send(ExitCodeResponse(130));
  });
  RawSession session(server.state_dir(), {"exec", "-it", "web", "sh"}, 30, 100);
  ASSERT_TRUE(session.ready());
  struct winsize ws = {};
  ws.ws_row = 40;
  ws.ws_col = 120;
  ASSERT_EQ(::ioctl(session.master(), TIOCSWINSZ, &ws), 0);
  // tetherctl is not in the pty's session, so the kernel's SIGWINCH does
  // not reach it: deliver it the way a terminal would.
  ASSERT_EQ(::kill(session.process().pid(), SIGWINCH), 0);
  WriteAll(session.master(), "\x03");  // Raw mode: ^C is a byte, not SIGINT.
  ProcessResult r = session.process().Finish();
  EXPECT_TRUE(r.exited) << r.err;
  EXPECT_EQ(r.exit_code, 130) << r.err;

  const Request first = server.requests().front();
  ASSERT_TRUE(first.has_exec());
  EXPECT_TRUE(first.exec().tty());
  EXPECT_TRUE(first.exec().stdin());
  EXPECT_EQ(first.exec().rows(), 30u);
  EXPECT_EQ(first.exec().cols(), 100u);
}

}  // namespace
}  // namespace ctl
}  // namespace attach
