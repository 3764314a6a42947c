// Fan-out: every attached client gets the live output; one that does not
// read is dropped at its queue bound without holding up the tether, the
// log or the other clients.
#include <gtest/gtest.h>

#include <future>

#include "attach/endpoint/testing/test_fixture.h"

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

class FanoutTest : public AttachdTest {
 protected:
  void SetUp() override {
    client_stall_ms_ = 500;
    AttachdTest::SetUp();
  }
};

std::string Pattern(size_t n) {
  std::string s(n, '\0');
  uint32_t x = 12345;
  for (size_t i = 0; i < n; ++i) {
    x = x * 1103515245 + 12345;
    s[i] = static_cast<char>(x >> 24);
  }
  return s;
}

TEST_F(FanoutTest, SlowClientIsDroppedWithoutSlowingAnother) {
  Container* c = NewContainer("web");
  std::unique_ptr<TestTether> t = ConnectTether(c);
  pb::Request attach;
  attach.mutable_attach()->mutable_container()->set_ref("web");
  TestClient slow, fast;
  slow.ShrinkReceiveBuffer();
  ASSERT_TRUE(slow.Connect(Sock()).ok());
  ASSERT_TRUE(fast.Connect(Sock()).ok());
  ASSERT_TRUE(slow.Send(attach).ok());
  ASSERT_TRUE(fast.Send(attach).ok());
  Session* session = *c->GetSession("main");
  ASSERT_TRUE(RunUntil(&loop_, [&] { return session->observer_count() == 2; }));

  // Far past the slow client's bound (kDefaultClientQueue).
  const std::string data = Pattern(32 << 20);
  auto fast_reader =
      std::async(std::launch::async, [&] { return fast.RecvAll(); });
  // The slow client reads nothing while the tether writes everything.
  base::Status s = WhileLooping(&loop_, [&] {
    for (size_t at = 0; at < data.size(); at += 65536) {
      TETHER_RETURN_IF_ERROR(t->Write("main", data.substr(at, 65536)));
    }
    pb::Envelope exited;
    exited.mutable_session_exited()->set_session_id("main");
    exited.mutable_session_exited()->set_exit_code(0);
    TETHER_RETURN_IF_ERROR(t->SendControl(exited));
    return t->WaitAck("main", data.size(), 0);
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  std::vector<pb::Response> got =
      WhileLooping(&loop_, [&] { return fast_reader.get(); });
  EXPECT_TRUE(OutputOf(got) == data) << OutputOf(got).size();
  ASSERT_FALSE(got.empty());
  EXPECT_TRUE(got.back().has_exit_code());
  EXPECT_EQ(session->log().ends().out, data.size());

  // The slow one is dropped once it has made no progress for a while: a
  // prefix of the output and no exit code.
  EXPECT_TRUE(RunUntil(&loop_, [&] { return daemon_->client_count() == 0; }));
  std::vector<pb::Response> cut = slow.RecvAll();
  std::string prefix = OutputOf(cut);
  EXPECT_LT(prefix.size(), data.size());
  EXPECT_EQ(data.compare(0, prefix.size(), prefix), 0);
  for (const pb::Response& r : cut) EXPECT_FALSE(r.has_exit_code());
}

TEST_F(FanoutTest, EveryAttachedClientGetsTheOutput) {
  Container* c = NewContainer("web");
  std::unique_ptr<TestTether> t = ConnectTether(c);
  pb::Request attach;
  attach.mutable_attach()->mutable_container()->set_ref("web");
  std::vector<std::unique_ptr<TestClient>> clients;
  for (int i = 0; i < 8; ++i) {
    clients.push_back(std::make_unique<TestClient>());
    ASSERT_TRUE(clients.back()->Connect(Sock()).ok());
    ASSERT_TRUE(clients.back()->Send(attach).ok());
  }
  Session* session = *c->GetSession("main");
  ASSERT_TRUE(RunUntil(&loop_, [&] { return session->observer_count() == 8; }));
  pb::Envelope exited;
  exited.mutable_session_exited()->set_session_id("main");
  ASSERT_TRUE(WhileLooping(&loop_, [&] {
    return t->Write("main", "to everyone\n").ok() &&
           t->SendControl(exited).ok();
  }));
  for (auto& client : clients) {
    std::vector<pb::Response> r =
        WhileLooping(&loop_, [&] { return client->RecvAll(); });
    EXPECT_EQ(OutputOf(r), "to everyone\n");
  }
}

}  // namespace
}  // namespace endpoint
}  // namespace attach
