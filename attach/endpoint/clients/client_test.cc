// The client socket: every command of client.proto against a running
// attachd, with a test tether playing the container where one is needed.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <csignal>

#include "attach/endpoint/containers/state_files.h"
#include "attach/endpoint/testing/test_fixture.h"
#include "guestinfo/config_codec.h"

namespace attach {
namespace endpoint {
namespace {

namespace pb = ::tether::attach;
using testing::AttachdTest;
using testing::OutputOf;
using testing::RunUntil;
using testing::TestClient;
using testing::TestTether;
using testing::WhileLooping;

pb::Request CreateReq(const std::string& name) {
  pb::Request req;
  pb::CreateRequest* c = req.mutable_create();
  c->set_name(name);
  c->add_args("/bin/sh");
  c->add_args("-c");
  c->add_args("echo hi");
  c->add_env("PATH=/bin");
  return req;
}

pb::Request Ref(const std::string& ref, pb::ContainerRef* (pb::Request::*f)()) {
  pb::Request req;
  (req.*f)()->set_ref(ref);
  return req;
}

TEST_F(AttachdTest, WritesTheAddressItListensOn) {
  // The fixture listens on port 0: the file names the port it got.
  EXPECT_EQ(*ReadFile(dir_.path() + "/state/attachd.listen"),
            "127.0.0.1:" + std::to_string(daemon_->port()) + "\n");
}

TEST_F(AttachdTest, SocketIsPrivate) {
  struct stat st;
  ASSERT_EQ(::stat(Sock().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat((dir_.path() + "/state").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
}

TEST_F(AttachdTest, CreateConfigListInspectRemove) {
  std::vector<pb::Response> r = Run(CreateReq("web"));
  ASSERT_EQ(r.size(), 1u);
  ASSERT_TRUE(r[0].has_created_id()) << r[0].DebugString();
  std::string id = r[0].created_id();
  EXPECT_EQ(Run(CreateReq("web"))[0].error().find("is already in use") !=
                std::string::npos,
            true);

  r = Run(Ref("web", &pb::Request::mutable_config));
  ASSERT_EQ(r.size(), 1u);
  base::Result<guestinfo::Config> cfg =
      guestinfo::DecodeConfig(r[0].config_json());
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  EXPECT_EQ(cfg->id, id);
  EXPECT_EQ(cfg->endpoint->host_key_sha256, daemon_->fingerprint());
  EXPECT_EQ(cfg->endpoint->address,
            "tcp:127.0.0.1:" + std::to_string(daemon_->port()));

  pb::Request list;
  list.mutable_list()->set_all(false);
  r = Run(list);
  ASSERT_EQ(r.size(), 1u);  // Only `done`: nothing is running.
  EXPECT_TRUE(r[0].done());
  list.mutable_list()->set_all(true);
  r = Run(list);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].status().id(), id);
  EXPECT_EQ(r[0].status().state(), "created");
  EXPECT_EQ(r[0].status().name(), "web");

  r = Run(Ref(id.substr(0, 6), &pb::Request::mutable_inspect));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].status().id(), id);
  EXPECT_EQ(r[0].status().args_size(), 3);

  r = Run(Ref("nope", &pb::Request::mutable_inspect));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].error(), "No such container: nope");

  pb::Request rm;
  rm.mutable_remove()->mutable_container()->set_ref("web");
  r = Run(rm);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(r[0].done());
  EXPECT_EQ(daemon_->registry().All().size(), 0u);
}

TEST_F(AttachdTest, KillSignalsTheTetherAndWaitReturnsTheExitCode) {
  Container* c = NewContainer("web");
  std::unique_ptr<TestTether> t = ConnectTether(c);
  pb::Request kill;
  kill.mutable_kill()->mutable_container()->set_ref("web");
  kill.mutable_kill()->set_signo(SIGTERM);
  std::vector<pb::Response> r = Run(kill);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(r[0].done()) << r[0].DebugString();
  base::Result<pb::Envelope> sig = WhileLooping(&loop_, [&] {
    return t->ReadUntil([](const pb::Envelope& e) { return e.has_signal(); });
  });
  ASSERT_TRUE(sig.ok()) << sig.status().ToString();
  EXPECT_EQ(sig->signal().signo(), SIGTERM);
  EXPECT_EQ(sig->signal().session_id(), "main");

  // wait blocks until the tether reports the exit.
  TestClient waiter;
  pb::Request wait;
  wait.mutable_wait()->mutable_container()->set_ref("web");
  ASSERT_TRUE(waiter.Connect(Sock()).ok());
  ASSERT_TRUE(waiter.Send(wait).ok());
  RunUntil(
      &loop_, [] { return false; }, 50);
  pb::Envelope exited;
  exited.mutable_session_exited()->set_session_id("main");
  exited.mutable_session_exited()->set_exit_code(143);
  exited.mutable_session_exited()->set_signal(SIGTERM);
  ASSERT_TRUE(
      WhileLooping(&loop_, [&] { return t->SendControl(exited); }).ok());
  r = WhileLooping(&loop_, [&] { return waiter.RecvAll(); });
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].exit_code(), 143);
  EXPECT_EQ(c->state(), "exited");
  // Waiting on an exited container answers at once; killing it fails.
  r = Run(wait);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].exit_code(), 143);
  r = Run(kill);
  EXPECT_NE(r[0].error().find("is not running"), std::string::npos);
}

TEST_F(AttachdTest, RemoveRefusesARunningContainerUnlessForced) {
  Container* c = NewContainer("web");
  std::unique_ptr<TestTether> t = ConnectTether(c);
  pb::Request rm;
  rm.mutable_remove()->mutable_container()->set_ref("web");
  std::vector<pb::Response> r = Run(rm);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NE(r[0].error().find("You cannot remove a running container"),
            std::string::npos);
  rm.mutable_remove()->set_force(true);
  r = Run(rm);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(r[0].done());
  EXPECT_TRUE(RunUntil(&loop_, [&] { return daemon_->link_count() == 0; }));
}

TEST_F(AttachdTest, AttachStreamsLiveOutputStdinAndTheExitCode) {
  Container* c = NewContainer("web");
  std::unique_ptr<TestTether> t = ConnectTether(c);
  TestClient client;
  ASSERT_TRUE(client.Connect(Sock()).ok());
  pb::Request attach;
  attach.mutable_attach()->mutable_container()->set_ref("web");
  attach.mutable_attach()->set_stdin(true);
  attach.mutable_attach()->set_rows(40);
  attach.mutable_attach()->set_cols(120);
  ASSERT_TRUE(client.Send(attach).ok());
  // The tether hears Attach and the size.
  bool attached = false;
  base::Result<pb::Envelope> resize = WhileLooping(&loop_, [&] {
    return t->ReadUntil([&](const pb::Envelope& e) {
      attached = attached || e.has_attach();
      return attached && e.has_resize();
    });
  });
  ASSERT_TRUE(resize.ok()) << resize.status().ToString();
  EXPECT_EQ(resize->resize().rows(), 40u);
  // Stdin reaches the stream channel; StdinClose becomes EOF.
  pb::Request in;
  in.mutable_stdin()->set_data("typed\n");
  pb::Request close;
  close.mutable_stdin_close();
  ASSERT_TRUE(client.Send(in).ok());
  ASSERT_TRUE(client.Send(close).ok());
  std::string got = StdinUntilEof(t.get(), "main");
  EXPECT_EQ(got, "typed\n");
  // Output written now reaches the client, then the exit code ends it.
  pb::Envelope exited;
  exited.mutable_session_exited()->set_session_id("main");
  exited.mutable_session_exited()->set_exit_code(3);
  ASSERT_TRUE(WhileLooping(&loop_, [&] {
    return t->Write("main", "out\n").ok() &&
           t->Write("main", "err\n", true).ok() && t->SendControl(exited).ok();
  }));
  std::vector<pb::Response> r =
      WhileLooping(&loop_, [&] { return client.RecvAll(); });
  ASSERT_GE(r.size(), 3u);
  EXPECT_EQ(OutputOf(r), "out\nerr\n");
  EXPECT_EQ(r[0].output().stream(), pb::STREAM_STDOUT);
  EXPECT_EQ(r[1].output().stream(), pb::STREAM_STDERR);
  EXPECT_GT(r[0].output().time_ns(), 0);
  EXPECT_EQ(r.back().exit_code(), 3);
}

TEST_F(AttachdTest, ExecStartsASessionAndReportsExecFailure) {
  Container* c = NewContainer("web");
  std::unique_ptr<TestTether> t = ConnectTether(c);
  TestClient client;
  ASSERT_TRUE(client.Connect(Sock()).ok());
  pb::Request exec;
  exec.mutable_exec()->mutable_container()->set_ref("web");
  exec.mutable_exec()->add_args("nosuch");
  ASSERT_TRUE(client.Send(exec).ok());
  base::Result<pb::Envelope> e = WhileLooping(&loop_, [&] {
    return t->ReadUntil([](const pb::Envelope& m) { return m.has_exec(); });
  });
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->exec().path(), "nosuch");
  EXPECT_EQ(e->exec().session_id().size(), 64u);
  pb::Envelope failed;
  failed.mutable_exec_failed()->set_session_id(e->exec().session_id());
  failed.mutable_exec_failed()->set_exit_code(127);
  failed.mutable_exec_failed()->set_message(
      "exec: \"nosuch\": executable file not found in $PATH");
  ASSERT_TRUE(
      WhileLooping(&loop_, [&] { return t->SendControl(failed); }).ok());
  std::vector<pb::Response> r =
      WhileLooping(&loop_, [&] { return client.RecvAll(); });
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].exec_id(), e->exec().session_id());
  EXPECT_NE(r[1].error().find("executable file not found"), std::string::npos);
  EXPECT_EQ(r[2].exit_code(), 127);
}

TEST_F(AttachdTest, LogsTailTimestampsAndFollow) {
  Container* c = NewContainer("web");
  std::unique_ptr<TestTether> t = ConnectTether(c);
  ASSERT_TRUE(WhileLooping(&loop_, [&] {
    return t->Write("main", "one\ntwo\n").ok() &&
           t->Write("main", "three\n", true).ok() &&
           t->WaitAck("main", 8, 6).ok();
  }));
  pb::Request logs;
  logs.mutable_logs()->mutable_container()->set_ref("web");
  logs.mutable_logs()->set_tail(-1);
  std::vector<pb::Response> r = Run(logs);
  EXPECT_EQ(OutputOf(r), "one\ntwo\nthree\n");
  EXPECT_TRUE(r.back().done());

  logs.mutable_logs()->set_tail(2);
  logs.mutable_logs()->set_timestamps(true);
  r = Run(logs);
  ASSERT_EQ(r.size(), 3u) << r[0].error();  // Two lines, then done.
  EXPECT_EQ(r[0].output().data(), "two\n");
  EXPECT_EQ(r[1].output().data(), "three\n");
  EXPECT_EQ(r[1].output().stream(), pb::STREAM_STDERR);

  // Follow: the past, then what comes, until the session exits.
  TestClient follower;
  logs.mutable_logs()->set_tail(1);
  logs.mutable_logs()->set_timestamps(false);
  logs.mutable_logs()->set_follow(true);
  ASSERT_TRUE(follower.Connect(Sock()).ok());
  ASSERT_TRUE(follower.Send(logs).ok());
  base::Result<pb::Response> first =
      WhileLooping(&loop_, [&] { return follower.Recv(); });
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->output().data(), "three\n");
  pb::Envelope exited;
  exited.mutable_session_exited()->set_session_id("main");
  ASSERT_TRUE(WhileLooping(&loop_, [&] {
    return t->Write("main", "four\n").ok() && t->SendControl(exited).ok();
  }));
  r = WhileLooping(&loop_, [&] { return follower.RecvAll(); });
  EXPECT_EQ(OutputOf(r), "four\n");
  ASSERT_FALSE(r.empty());
  EXPECT_TRUE(r.back().done());
}

TEST_F(AttachdTest, WaitEndsWhenAHelloReportsTheExit) {
  Container* c = NewContainer("web");
  TestClient waiter;
  pb::Request wait;
  wait.mutable_wait()->mutable_container()->set_ref("web");
  ASSERT_TRUE(waiter.Connect(Sock()).ok());
  ASSERT_TRUE(waiter.Send(wait).ok());
  RunUntil(
      &loop_, [] { return false; }, 50);
  // The session ended while the tether was away; all its output is here.
  pb::Hello hello = HelloFor(c, false);
  hello.mutable_sessions(0)->set_exited(true);
  hello.mutable_sessions(0)->set_exit_code(7);
  TestTether t(TetherFor(c));
  base::Status s = WhileLooping(&loop_, [&] {
    TETHER_RETURN_IF_ERROR(t.Connect());
    return t.Hello(hello).status();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  std::vector<pb::Response> r =
      WhileLooping(&loop_, [&] { return waiter.RecvAll(); });
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].exit_code(), 7);
}

TEST_F(AttachdTest, StatusSurvivesARestart) {
  Container* c = NewContainer("web");
  std::unique_ptr<TestTether> t = ConnectTether(c);
  pb::Envelope exited;
  exited.mutable_session_exited()->set_session_id("main");
  exited.mutable_session_exited()->set_exit_code(9);
  ASSERT_TRUE(
      WhileLooping(&loop_, [&] { return t->SendControl(exited); }).ok());
  ASSERT_TRUE(RunUntil(&loop_, [&] { return c->state() == "exited"; }));
  t.reset();
  RestartDaemon();
  pb::Request inspect;
  inspect.mutable_inspect()->set_ref("web");
  std::vector<pb::Response> r = Run(inspect);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].status().state(), "exited");
  EXPECT_EQ(r[0].status().exit_code(), 9);
  EXPECT_FALSE(r[0].status().connected());
}

}  // namespace
}  // namespace endpoint
}  // namespace attach
