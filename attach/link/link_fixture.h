// The fixture of the TetherLink tests: a real loop, keys from ssh-keygen,
// the libssh test server on 127.0.0.1 and a FakeTether over real rings.
#ifndef TETHER_ATTACH_LINK_LINK_FIXTURE_H_
#define TETHER_ATTACH_LINK_LINK_FIXTURE_H_

#include <gtest/gtest.h>
#include <uv.h>

#include <memory>
#include <string>

#include "attach/link/test_ssh_server.h"
#include "attach/link/test_support.h"
#include "attach/link/test_tether.h"
#include "attach/link/tether_link.h"
#include "guestinfo/config.h"

namespace attach {
namespace testing {

class LinkFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(uv_loop_init(&loop_), 0);
    host_key_ = MakeKey(dir_.path(), "host");
    identity_ = MakeKey(dir_.path(), "identity");
  }

  void TearDown() override {
    if (link_) link_->Close();
    link_.reset();
    server_.reset();
    EXPECT_TRUE(DrainAndClose(&loop_)) << "a handle was left open";
  }

  // Starts the server; `authorized` defaults to the tether's identity.
  void StartServer(const TestKey* authorized = nullptr, bool acks = true,
                   bool keep_bytes = true, bool ack_exits = true) {
    TestSshServer::Options o;
    o.keep_bytes = keep_bytes;
    o.ack_exits = ack_exits;
    o.host_key_path = host_key_.private_path;
    o.authorized_key_path = (authorized ? *authorized : identity_).public_path;
    o.user = ContainerId();
    o.send_acks = acks;
    server_ = std::make_unique<TestSshServer>(o);
    server_->Start();
    ASSERT_GT(server_->port(), 0);
  }

  // Fast retries and checks, so failures and reconnects take milliseconds.
  static LinkOptions FastOptions() {
    LinkOptions o;
    o.backoff = BackoffParams{20, 200, 0.2};
    o.tick_ms = 50;
    o.connect_timeout_ms = 5000;
    o.ssh.keepalive_interval_s = 1;
    o.ssh.idle_limit_ms = 5000;
    return o;
  }

  // Starts a link to `address` (default: the server over tcp).
  void StartLink(std::string address = "",
                 const std::string* host_fingerprint = nullptr,
                 LinkOptions options = FastOptions()) {
    endpoint_.address = address.empty()
                            ? "tcp:127.0.0.1:" + std::to_string(server_->port())
                            : address;
    endpoint_.host_key_sha256 =
        host_fingerprint ? *host_fingerprint : host_key_.fingerprint;
    endpoint_.identity_key = identity_.private_key;
    link_ = std::make_unique<TetherLink>(&loop_, endpoint_, ContainerId(),
                                         &tether_, options);
    base::Status s = link_->Start();
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  bool Until(const std::function<bool()>& done, int timeout_ms = 10000) {
    return RunUntil(&loop_, done, timeout_ms);
  }

  // Waits until the server persisted exactly what the tether wrote.
  bool ServerHasAll(const std::string& id) {
    return server_->Stream(id, 1).bytes == tether_.Written(id, 1) &&
           server_->Stream(id, 2).bytes == tether_.Written(id, 2);
  }

  uv_loop_t loop_;
  TempDir dir_;
  TestKey host_key_;
  TestKey identity_;
  guestinfo::EndpointConfig endpoint_;
  FakeTether tether_;
  std::unique_ptr<TestSshServer> server_;
  std::unique_ptr<TetherLink> link_;
};

}  // namespace testing
}  // namespace attach

#endif  // TETHER_ATTACH_LINK_LINK_FIXTURE_H_
