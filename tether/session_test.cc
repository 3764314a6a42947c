// Session against the real kernel and a real loop: stdio wiring, rings,
// ptys. The test reaps its own children (it plays the Reaper).
#include "tether/session.h"

#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "tests/fakes/loop_runner.h"

namespace tether {
namespace {

class RecordingSink : public OutputSink {
 public:
  void OnOutput(Session&, Stream stream, const char* data,
                size_t len) override {
    (stream == Stream::kStdout ? out : err).append(data, len);
  }
  std::string out, err;
};

class SessionTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(uv_loop_init(&loop_), 0); }
  void TearDown() override {
    session_.reset();
    EXPECT_EQ(fakes::DrainAndClose(&loop_), 0);
  }
  Session& Make(std::vector<std::string> args, bool tty = false,
                bool open_stdin = false) {
    guestinfo::SessionConfig c;
    c.id = "s";
    c.primary = true;
    c.path = args[0];
    c.args = std::move(args);
    c.env = {"PATH=/usr/bin:/bin", "GREETING=hi there"};
    c.workdir = "/";
    c.tty = tty;
    c.open_stdin = open_stdin;
    session_ = std::make_unique<Session>(&loop_, base::RealOs(), c, 1 << 16,
                                         &sink_);
    return *session_;
  }
  // Waits for the output to close and the process to exit.
  void Finish(Session& s) {
    ASSERT_TRUE(fakes::RunUntil(&loop_, [&] { return !s.output_open(); }));
    int status = 0;
    ASSERT_EQ(::waitpid(s.pid(), &status, 0), s.pid());
    s.OnExit(status, 0);
  }

  uv_loop_t loop_;
  RecordingSink sink_;
  std::unique_ptr<Session> session_;
};

TEST_F(SessionTest, SeparatesStdoutAndStderrAndFillsRings) {
  Session& s = Make({"sh", "-c", "echo \"$GREETING\"; echo oops >&2; exit 3"});
  ASSERT_TRUE(s.Start({}).ok());
  Finish(s);
  EXPECT_EQ(sink_.out, "hi there\n");
  EXPECT_EQ(sink_.err, "oops\n");
  EXPECT_EQ(s.ring(Stream::kStdout).Read(0, 100).data, "hi there\n");
  EXPECT_EQ(s.ring(Stream::kStderr).Read(0, 100).data, "oops\n");
  EXPECT_EQ(s.exit_code(), 3);
}

TEST_F(SessionTest, AddsHomeAndKeepsTheRestOfTheEnvironment) {
  Session& s = Make({"sh", "-c", "echo \"$HOME|$PATH|$TERM\""});
  ASSERT_TRUE(s.Start({}).ok());
  Finish(s);
  EXPECT_EQ(sink_.out, "/root|/usr/bin:/bin|\n");
}

TEST_F(SessionTest, TtySessionRunsOnAPtyOfTheGivenSize) {
  Session& s = Make({"sh", "-c", "tty; stty size; echo $TERM"}, true);
  Session::StartOptions o;
  o.window = {33, 111};
  ASSERT_TRUE(s.Start(o).ok());
  Finish(s);
  EXPECT_NE(sink_.out.find("/dev/pts/"), std::string::npos) << sink_.out;
  EXPECT_NE(sink_.out.find("33 111"), std::string::npos) << sink_.out;
  EXPECT_NE(sink_.out.find("xterm"), std::string::npos) << sink_.out;
  EXPECT_EQ(sink_.err, "");
}

TEST_F(SessionTest, StdinPipeDeliversDataThenEof) {
  Session& s = Make({"sh", "-c", "cat; echo done"}, false, true);
  ASSERT_TRUE(s.Start({}).ok());
  s.WriteStdin("abc\n", 4);
  s.CloseStdin();
  Finish(s);
  EXPECT_EQ(sink_.out, "abc\ndone\n");
}

TEST_F(SessionTest, ClosedStdinWhenNotOpen) {
  Session& s = Make({"sh", "-c", "cat; echo rc=$?"});
  ASSERT_TRUE(s.Start({}).ok());
  Finish(s);
  EXPECT_EQ(sink_.out, "rc=0\n");  // /dev/null: immediate EOF.
}

TEST_F(SessionTest, ResizeReachesTheTtyProcess) {
  Session& s = Make({"sh", "-c", "trap 'stty size; exit 0' WINCH; "
                                 "echo ready; while :; do sleep 0.05; done"},
                    true);
  ASSERT_TRUE(s.Start({}).ok());
  ASSERT_TRUE(fakes::RunUntil(&loop_, [&] {
    return sink_.out.find("ready") != std::string::npos;
  }));
  ASSERT_TRUE(s.Resize({50, 132}).ok());
  Finish(s);
  EXPECT_NE(sink_.out.find("50 132"), std::string::npos) << sink_.out;
}

TEST_F(SessionTest, MissingExecutableFailsAtOnce) {
  Session& s = Make({"/nonexistent/bin"});
  base::Status st = s.Start({});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(), "exec \"/nonexistent/bin\": No such file or directory");
  while (::waitpid(-1, nullptr, WNOHANG) > 0) {
  }
}

}  // namespace
}  // namespace tether
