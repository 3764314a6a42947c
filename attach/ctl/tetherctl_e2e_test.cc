// The tetherctl binary against FakeAttachd: real socket, real framing,
// scripted replies. Covers what the client does with them: streams kept
// apart, stdin forwarded and closed, exit codes, docker's error texts.
#include <fcntl.h>
#include <gtest/gtest.h>

#include <csignal>
#include <cstdio>

#include "attach/ctl/fake_attachd.h"
#include "attach/ctl/test_process.h"

namespace attach {
namespace ctl {
namespace {

using tether::attach::Request;
using tether::attach::Response;
using tether::attach::STREAM_STDERR;
using tether::attach::STREAM_STDOUT;

const std::string kId =
    "4c01db0b339c0000000000000000000000000000000000000000000000000001";

Response Status(const std::string& state, bool tty = false) {
  Response r;
  auto* s = r.mutable_status();
  s->set_id(kId);
  s->set_name("web");
  s->set_created_at(1714566896);
  s->add_args("sh");
  s->set_tty(tty);
  s->set_state(state);
  return r;
}

Response Config(bool open_stdin) {
  Response r;
  r.set_config_json(
      std::string(R"({"sessions":[{"id":"main","primary":true,)") +
      R"("env":["A=1"],"open_stdin":)" + (open_stdin ? "true" : "false") +
      "}]}");
  return r;
}

// Answers inspect and config for kId; returns false for other requests.
bool AnswerLookup(FakeConn& c, const Request& req, const std::string& state,
                  bool tty = false) {
  if (req.has_inspect()) {
    c.Send(req.inspect().ref() == "nope"
               ? ErrorResponse("No such container: nope")
               : Status(state, tty));
    return true;
  }
  if (req.has_config()) {
    c.Send(Config(true));
    return true;
  }
  return false;
}

TEST(TetherctlE2E, AttachKeepsStreamsApartForwardsStdinAndExitsWithCode) {
  FakeAttachd server([](FakeConn& c) {
    std::optional<Request> req = c.Read();
    if (!req || AnswerLookup(c, *req, "running")) return;
    c.Send(OutputResponse(STREAM_STDOUT, "to stdout\n"));
    c.Send(OutputResponse(STREAM_STDERR, "to stderr\n"));
    std::string input = c.ReadStdinToClose();
    c.Send(OutputResponse(STREAM_STDOUT, "echo:" + input));
    c.Send(ExitCodeResponse(7));
  });
  ProcessResult r =
      RunTetherctl(server.state_dir(), {"attach", "web"}, "hello\nworld\n");
  EXPECT_TRUE(r.exited) << r.err;
  EXPECT_EQ(r.exit_code, 7) << r.err;
  EXPECT_EQ(r.out, "to stdout\necho:hello\nworld\n");
  EXPECT_EQ(r.err, "to stderr\n");

  std::vector<Request> reqs = server.requests();
  ASSERT_GE(reqs.size(), 4u);
  EXPECT_EQ(reqs[0].inspect().ref(), "web");
  const Request* attach = nullptr;
  bool closed = false;
  for (const Request& q : reqs) {
    if (q.has_attach()) attach = &q;
    if (q.has_stdin_close()) closed = true;
  }
  ASSERT_NE(attach, nullptr);
  EXPECT_EQ(attach->attach().container().ref(), kId);
  EXPECT_TRUE(attach->attach().stdin());
  EXPECT_EQ(attach->attach().rows(), 0u);  // No terminal here: no size.
  EXPECT_TRUE(closed);
}

TEST(TetherctlE2E, AttachNoStdinReadsNothing) {
  FakeAttachd server([](FakeConn& c) {
    std::optional<Request> req = c.Read();
    if (!req || AnswerLookup(c, *req, "running")) return;
    c.Send(ExitCodeResponse(0));
  });
  ProcessResult r = RunTetherctl(server.state_dir(),
                                 {"attach", "--no-stdin", "web"}, "ignored");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const Request& q : server.requests()) {
    EXPECT_FALSE(q.has_stdin() || q.has_stdin_close());
    if (q.has_attach()) {
      EXPECT_FALSE(q.attach().stdin());
    }
  }
}

TEST(TetherctlE2E, AttachErrorsUseDockersWording) {
  FakeAttachd server([](FakeConn& c) {
    std::optional<Request> req = c.Read();
    if (req) AnswerLookup(c, *req, "exited");
  });
  ProcessResult missing = RunTetherctl(server.state_dir(), {"attach", "nope"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.err,
            "Error response from daemon: No such container: nope\n");
  ProcessResult stopped = RunTetherctl(server.state_dir(), {"attach", "web"});
  EXPECT_EQ(stopped.exit_code, 1);
  EXPECT_EQ(stopped.err,
            "cannot attach to a stopped container, start it first\n");
  ProcessResult tty_keys = RunTetherctl(
      server.state_dir(), {"attach", "--detach-keys", "ctrl-P", "web"});
  EXPECT_EQ(tty_keys.exit_code, 1);
  EXPECT_EQ(tty_keys.err, "Invalid detach keys (ctrl-P) provided\n");
}

TEST(TetherctlE2E, AttachToTtyNeedsATerminal) {
  FakeAttachd server([](FakeConn& c) {
    std::optional<Request> req = c.Read();
    if (req) AnswerLookup(c, *req, "running", /*tty=*/true);
  });
  ProcessResult r = RunTetherctl(server.state_dir(), {"attach", "web"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "the input device is not a TTY\n");
}

TEST(TetherctlE2E, ExecOfAMissingCommandExits127WithTheMessage) {
  FakeAttachd server([](FakeConn& c) {
    std::optional<Request> req = c.Read();
    if (!req) return;
    c.Send(ErrorResponse("exec: \"nope\": executable file not found in $PATH"));
    c.Send(ExitCodeResponse(127));
  });
  ProcessResult r = RunTetherctl(
      server.state_dir(),
      {"exec", "-e", "K=V", "-u", "1000", "-w", "/tmp", "web", "nope", "-x"});
  EXPECT_EQ(r.exit_code, 127);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "exec: \"nope\": executable file not found in $PATH\n");
  std::vector<Request> reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  const auto& x = reqs[0].exec();
  EXPECT_EQ(x.container().ref(), "web");
  EXPECT_EQ(std::vector<std::string>(x.args().begin(), x.args().end()),
            (std::vector<std::string>{"nope", "-x"}));
  EXPECT_EQ(x.env(0), "K=V");
  EXPECT_EQ(x.user(), "1000");
  EXPECT_EQ(x.workdir(), "/tmp");
  EXPECT_FALSE(x.tty());
  EXPECT_FALSE(x.stdin());
}

TEST(TetherctlE2E, ExecInteractiveForwardsStdinAndReturnsTheCode) {
  FakeAttachd server([](FakeConn& c) {
    std::optional<Request> req = c.Read();
    if (!req) return;
    Response id;
    id.set_exec_id("exec-1");
    c.Send(id);
    std::string input = c.ReadStdinToClose();
    c.Send(OutputResponse(STREAM_STDERR, "got " + input));
    c.Send(ExitCodeResponse(3));
  });
  ProcessResult r =
      RunTetherctl(server.state_dir(), {"exec", "-i", "web", "cat"}, "data");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "got data");
}

TEST(TetherctlE2E, StdinFromAFileIsForwardedAndClosed) {
  // Regular files (and /dev/null) cannot be polled: the pump reads them
  // on each loop turn instead.
  FakeAttachd server([](FakeConn& c) {
    if (!c.Read()) return;
    c.Send(OutputResponse(STREAM_STDOUT, c.ReadStdinToClose()));
    c.Send(ExitCodeResponse(0));
  });
  const std::string path = server.state_dir() + "/input";
  std::string content;
  for (int i = 0; i < 20000; ++i) content += "line " + std::to_string(i) + "\n";
  FILE* f = std::fopen(path.c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fputs(content.c_str(), f);
  std::fclose(f);
  for (const std::string& in : {path, std::string("/dev/null")}) {
    base::UniqueFd fd(::open(in.c_str(), O_RDONLY | O_CLOEXEC));
    TetherctlProcess p(server.state_dir(), {"exec", "-i", "web", "cat"},
                       fd.get());
    ProcessResult r = p.Finish();
    EXPECT_EQ(r.exit_code, 0) << in << ": " << r.err;
    EXPECT_EQ(r.out, in == path ? content : "") << in;
  }
}

TEST(TetherctlE2E, ExecOnAMissingContainerIsADaemonError) {
  FakeAttachd server([](FakeConn& c) {
    if (c.Read()) c.Send(ErrorResponse("No such container: nope"));
  });
  ProcessResult r = RunTetherctl(server.state_dir(), {"exec", "nope", "true"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "Error response from daemon: No such container: nope\n");
}

TEST(TetherctlE2E, AttachdNotRunning) {
  const std::string dir = "/nonexistent/tetherctl-test";
  const std::string msg = "Cannot connect to attachd at " + dir +
                          "/attachd.sock: is attachd running?\n";
  for (std::vector<std::string> args : {std::vector<std::string>{"ps"},
                                        {"attach", "x"},
                                        {"exec", "x", "y"},
                                        {"inspect", "x"},
                                        {"logs", "x"},
                                        {"kill", "x"},
                                        {"wait", "x"}}) {
    ProcessResult r = RunTetherctl(dir, args);
    EXPECT_EQ(r.exit_code, 1) << args[0];
    EXPECT_EQ(r.err, msg) << args[0];
  }
  // docker create/run report daemon trouble with 125.
  ProcessResult c = RunTetherctl(dir, {"create", "sh"});
  EXPECT_EQ(c.exit_code, 125);
  EXPECT_EQ(c.err, msg);
}

TEST(TetherctlE2E, InspectPrintsFoundObjectsThenErrors) {
  FakeAttachd server([](FakeConn& c) {
    std::optional<Request> req = c.Read();
    if (req) AnswerLookup(c, *req, "running");
  });
  ProcessResult none = RunTetherctl(server.state_dir(), {"inspect", "nope"});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_EQ(none.out, "[]\n");
  EXPECT_EQ(none.err, "Error: No such object: nope\n");

  ProcessResult both =
      RunTetherctl(server.state_dir(), {"inspect", "web", "nope"});
  EXPECT_EQ(both.exit_code, 1);
  EXPECT_EQ(both.out.substr(0, 19), "[\n    {\n        \"Id");
  EXPECT_NE(both.out.find("\"Env\": [\n                \"A=1\"\n"),
            std::string::npos)
      << both.out;
  EXPECT_EQ(both.err, "Error: No such object: nope\n");
}

TEST(TetherctlE2E, CreateConfigKillWaitRm) {
  FakeAttachd server([](FakeConn& c) {
    std::optional<Request> req = c.Read();
    if (!req) return;
    if (req->has_create()) {
      Response r;
      r.set_created_id(kId);
      c.Send(r);
    } else if (req->has_config()) {
      c.Send(Config(false));
    } else if (req->has_wait()) {
      c.Send(req->wait().container().ref() == "nope"
                 ? ErrorResponse("No such container: nope")
                 : ExitCodeResponse(137));
    } else if (req->has_kill() || req->has_remove()) {
      const std::string& ref = req->has_kill()
                                   ? req->kill().container().ref()
                                   : req->remove().container().ref();
      c.Send(ref == "nope" ? ErrorResponse("No such container: nope")
                           : DoneResponse());
    }
  });
  const std::string& dir = server.state_dir();
  ProcessResult create = RunTetherctl(
      dir, {"create", "--name", "web", "-t", "--", "sh", "-c", "echo hi"});
  EXPECT_EQ(create.exit_code, 0) << create.err;
  EXPECT_EQ(create.out, kId + "\n");

  ProcessResult config = RunTetherctl(dir, {"config", "web"});
  EXPECT_EQ(config.exit_code, 0);
  EXPECT_EQ(config.out.substr(0, 13), "{\"sessions\":[");
  EXPECT_EQ(config.out.back(), '\n');

  ProcessResult kill =
      RunTetherctl(dir, {"kill", "-s", "sigterm", "web", "nope"});
  EXPECT_EQ(kill.exit_code, 1);
  EXPECT_EQ(kill.out, "web\n");
  EXPECT_EQ(kill.err, "Error response from daemon: No such container: nope\n");
  ProcessResult bad = RunTetherctl(dir, {"kill", "-s", "SIGFOO", "web"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_EQ(bad.err, "Invalid signal: SIGFOO\n");

  ProcessResult wait = RunTetherctl(dir, {"wait", "web", "web"});
  EXPECT_EQ(wait.exit_code, 0);
  EXPECT_EQ(wait.out, "137\n137\n");

  ProcessResult rm = RunTetherctl(dir, {"rm", "nope", "web"});
  EXPECT_EQ(rm.exit_code, 1);
  EXPECT_EQ(rm.out, "web\n");
  ProcessResult rmf = RunTetherctl(dir, {"rm", "-f", "nope"});
  EXPECT_EQ(rmf.exit_code, 0);
  EXPECT_EQ(rmf.err, "Error response from daemon: No such container: nope\n");

  int kills = 0;
  int forced = 0;
  for (const Request& q : server.requests()) {
    if (q.has_create()) {
      EXPECT_EQ(q.create().name(), "web");
      EXPECT_TRUE(q.create().tty());
      EXPECT_EQ(q.create().args_size(), 3);
    }
    if (q.has_kill()) {
      EXPECT_EQ(q.kill().signo(), SIGTERM);
      ++kills;
    }
    if (q.has_remove() && q.remove().force()) ++forced;
  }
  EXPECT_EQ(kills, 2);
  EXPECT_EQ(forced, 1);
}

TEST(TetherctlE2E, PsAndLogsWithTimestamps) {
  FakeAttachd server([](FakeConn& c) {
    std::optional<Request> req = c.Read();
    if (!req) return;
    if (req->has_list()) {
      c.Send(Status("exited"));
      c.Send(DoneResponse());
    } else if (req->has_logs()) {
      const int64_t t = 1714566896LL * 1000000000 + 500000000;
      c.Send(OutputResponse(STREAM_STDOUT, "out1\nout", t));
      c.Send(OutputResponse(STREAM_STDERR, "err1\n", t));
      c.Send(OutputResponse(STREAM_STDOUT, "2\n", t + 1000000000));
      c.Send(DoneResponse());
    }
  });
  ProcessResult ps = RunTetherctl(server.state_dir(), {"ps", "-a"});
  EXPECT_EQ(ps.exit_code, 0) << ps.err;
  // CREATED depends on today's date; the rest of the layout does not.
  EXPECT_EQ(ps.out.substr(0, 42), "CONTAINER ID   IMAGE     COMMAND   CREATED");
  EXPECT_NE(ps.out.find("\n4c01db0b339c   busybox   \"sh\"      "),
            std::string::npos)
      << ps.out;
  EXPECT_TRUE(server.requests().back().list().all());

  ProcessResult logs =
      RunTetherctl(server.state_dir(), {"logs", "-t", "-n", "5", "web"});
  EXPECT_EQ(logs.exit_code, 0) << logs.err;
  EXPECT_EQ(logs.out,
            "2024-05-01T12:34:56.500000000Z out1\n"
            "2024-05-01T12:34:56.500000000Z out2\n");
  EXPECT_EQ(logs.err, "2024-05-01T12:34:56.500000000Z err1\n");
  const Request lr = server.requests().back();
  EXPECT_EQ(lr.logs().tail(), 5);
  EXPECT_TRUE(lr.logs().timestamps());
  EXPECT_FALSE(lr.logs().follow());
}

}  // namespace
}  // namespace ctl
}  // namespace attach
