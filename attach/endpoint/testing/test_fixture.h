// A running attachd (Daemon) on a real loop in a temporary state
// directory, with helpers to register containers and make test tethers
// for them. Shared by the SSH, client-socket and fan-out tests.
#ifndef TETHER_ATTACH_ENDPOINT_TESTING_TEST_FIXTURE_H_
#define TETHER_ATTACH_ENDPOINT_TESTING_TEST_FIXTURE_H_

#include <gtest/gtest.h>
#include <uv.h>

#include <memory>
#include <string>
#include <vector>

#include "attach/endpoint/daemon.h"
#include "attach/endpoint/testing/test_client.h"
#include "attach/endpoint/testing/test_tether.h"
#include "attach/endpoint/testing/test_util.h"
#include "attach/endpoint/tethers/hmac_cache.h"
#include "control.pb.h"

namespace attach {
namespace endpoint {
namespace testing {

class AttachdTest : public ::testing::Test {
 protected:
  void SetUp() override {
    IgnoreSigpipe();
    EnableHmacCache();  // As attachd runs.
    uv_loop_init(&loop_);
    StartDaemon();
  }
  void TearDown() override {
    daemon_.reset();
    for (int i = 0; i < 10; ++i) uv_run(&loop_, UV_RUN_NOWAIT);
    EXPECT_EQ(uv_loop_close(&loop_), 0);
  }

  void StartDaemon() {
    DaemonOptions o;
    o.state_dir = dir_.path() + "/state";
    o.listen = "127.0.0.1:0";
    o.timings = timings_;
    o.client_queue = client_queue_;
    o.client_stall_ms = client_stall_ms_;
    o.vm = vm_options_;
    o.api = api_options_;
    o.client_uids = client_uids_;
    base::Result<std::unique_ptr<Daemon>> d = Daemon::Start(&loop_, o);
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    daemon_ = std::move(*d);
  }
  void RestartDaemon() {
    daemon_.reset();
    for (int i = 0; i < 10; ++i) uv_run(&loop_, UV_RUN_NOWAIT);
    StartDaemon();
  }

  Container* NewContainer(const std::string& name, bool tty = false) {
    ContainerRecord r;
    r.name = name;
    r.tty = tty;
    r.open_stdin = true;
    r.args = {"/bin/cat"};
    r.endpoint = "tcp:127.0.0.1:" + std::to_string(daemon_->port());
    base::Result<Container*> c = daemon_->registry().Create(r);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? *c : nullptr;
  }
  TetherOptions TetherFor(const Container* c) {
    TetherOptions o;
    o.port = daemon_->port();
    o.user = c->id();
    o.identity_key = *daemon_->registry().IdentityKey(*c);
    o.host_key_sha256 = daemon_->fingerprint();
    return o;
  }
  static ::tether::attach::Hello HelloFor(const Container* c, bool running,
                                          uint64_t out = 0, uint64_t err = 0) {
    ::tether::attach::Hello h;
    h.set_version(1);
    h.set_container_id(c->id());
    ::tether::attach::SessionInfo* s = h.add_sessions();
    s->set_id("main");
    s->set_primary(true);
    s->set_running(running);
    s->set_pid(running ? 42 : 0);
    s->set_stdout_end(out);
    s->set_stderr_end(err);
    s->add_args("/bin/cat");
    return h;
  }
  // A tether connected, past Hello, with its "main" stream open.
  std::unique_ptr<TestTether> ConnectTether(const Container* c,
                                            bool running = true) {
    auto t = std::make_unique<TestTether>(TetherFor(c));
    base::Status s = WhileLooping(&loop_, [&] {
      TETHER_RETURN_IF_ERROR(t->Connect());
      base::Result<::tether::attach::Welcome> w =
          t->Hello(HelloFor(c, running));
      if (!w.ok()) return w.TakeStatus();
      return t->OpenStream("main");
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return t;
  }
  std::string Sock() const { return daemon_->socket_path(); }
  // Everything a tether's `session` gets on stdin, up to its EOF.
  std::string StdinUntilEof(TestTether* t, const std::string& session) {
    return WhileLooping(&loop_, [&] {
      std::string all;
      for (;;) {
        base::Result<std::string> s = t->ReadStdin(session);
        if (!s.ok() || s->empty()) return all;
        all += *s;
      }
    });
  }
  // Runs one client command to its end.
  std::vector<::tether::attach::Response> Run(
      const ::tether::attach::Request& req) {
    std::string sock = Sock();
    return WhileLooping(&loop_, [&] { return RunCommand(sock, req); });
  }

  LinkTimings timings_;
  size_t client_queue_ = kDefaultClientQueue;
  uint64_t client_stall_ms_ = kDefaultClientStallMs;
  VmOptions vm_options_;
  api::ApiOptions api_options_;     // Off unless a test sets listen.
  std::vector<uid_t> client_uids_;  // attachd --client-uid.
  TempDir dir_;
  uv_loop_t loop_;
  std::unique_ptr<Daemon> daemon_;
};

}  // namespace testing
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_TESTING_TEST_FIXTURE_H_
