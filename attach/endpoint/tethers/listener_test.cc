// What attachd's tether port lets a peer that never logs in cost (review
// F3): deadlines for the preamble and the login, and a cap on connections
// not logged in yet, per source address. Raw sockets from 127.0.0.2 play
// the peers; the real test tether comes from 127.0.0.1.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <chrono>
#include <string>

#include "attach/endpoint/testing/test_fixture.h"
#include "attach/sync_preamble.h"

namespace attach {
namespace endpoint {
namespace {

using testing::AttachdTest;
using testing::TestTether;
using testing::WhileLooping;
using Clock = std::chrono::steady_clock;

// A blocking socket from `source` to attachd's tether port; reads give up
// after 5 s.
base::UniqueFd Dial(const std::string& source, uint16_t port) {
  base::UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  timeval tv = {5, 0};
  ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  sockaddr_in from = {};
  from.sin_family = AF_INET;
  inet_pton(AF_INET, source.c_str(), &from.sin_addr);
  sockaddr_in to = {};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&from), sizeof(from)) != 0 ||
      ::connect(fd.get(), reinterpret_cast<sockaddr*>(&to), sizeof(to)) != 0) {
    return base::UniqueFd();
  }
  return fd;
}

// Reads until attachd closes the connection: what it sent, or an error
// when it did not close it within 5 s.
base::Result<std::string> ReadToEnd(int fd) {
  std::string all;
  char buf[4096];
  for (;;) {
    ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n == 0) return all;
    if (n < 0) {
      if (errno == ECONNRESET) return all;
      return base::Status::Io("recv (attachd did not close it)", errno);
    }
    all.append(buf, static_cast<size_t>(n));
  }
}

class ListenerTest : public AttachdTest {
 protected:
  void SetUp() override {
    timings_.preamble_deadline_ms = 300;
    timings_.login_deadline_ms = 300;
    AttachdTest::SetUp();
  }
};

TEST_F(ListenerTest, APeerThatSendsOnlySIsDroppedAtThePreambleDeadline) {
  base::UniqueFd fd = Dial("127.0.0.2", daemon_->port());
  ASSERT_TRUE(fd);
  ASSERT_EQ(::send(fd.get(), "S", 1, MSG_NOSIGNAL), 1);
  auto start = Clock::now();
  base::Result<std::string> got =
      WhileLooping(&loop_, [&] { return ReadToEnd(fd.get()); });
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->rfind("TETHER-SYNC ", 0), 0u);  // It was talked to.
  EXPECT_GE(Clock::now() - start, std::chrono::milliseconds(250));
}

TEST_F(ListenerTest, APeerThatStopsAfterItsBannerIsDroppedAtTheLoginDeadline) {
  base::UniqueFd fd = Dial("127.0.0.2", daemon_->port());
  ASSERT_TRUE(fd);
  base::Result<std::string> got = WhileLooping(&loop_, [&] {
    SyncScanner scanner;
    char buf[4096];
    for (;;) {
      ssize_t n = ::recv(fd.get(), buf, sizeof(buf), 0);
      if (n <= 0)
        return base::Result<std::string>(base::Status::Internal("eof"));
      base::Result<std::optional<SyncScanner::Found>> found =
          scanner.Feed(std::string_view(buf, static_cast<size_t>(n)));
      if (!found.ok()) return base::Result<std::string>(found.TakeStatus());
      if (found->has_value()) {
        std::string reply = (*found)->line + "SSH-2.0-stalled\r\n";
        (void)::send(fd.get(), reply.data(), reply.size(), MSG_NOSIGNAL);
        return ReadToEnd(fd.get());
      }
    }
  });
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_NE(got->find("SSH-2.0-"), std::string::npos);  // Its banner came.
}

TEST_F(ListenerTest, ConnectionsNotLoggedInAreCappedPerAddress) {
  // Deadlines far off: the tether below must log in however slow the host.
  timings_.preamble_deadline_ms = 10000;
  timings_.login_deadline_ms = 10000;
  timings_.max_unauthenticated_per_peer = 2;
  RestartDaemon();
  base::UniqueFd a = Dial("127.0.0.2", daemon_->port());
  base::UniqueFd b = Dial("127.0.0.2", daemon_->port());
  base::UniqueFd c = Dial("127.0.0.2", daemon_->port());
  ASSERT_TRUE(a && b && c);
  // The third is closed as it is accepted, before a sync line.
  base::Result<std::string> got =
      WhileLooping(&loop_, [&] { return ReadToEnd(c.get()); });
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, "");
  // Another address is not held up by them: a tether logs in.
  Container* ct = NewContainer("web");
  TestTether t(TetherFor(ct));
  base::Status s = WhileLooping(&loop_, [&] { return t.Connect(); });
  EXPECT_TRUE(s.ok()) << s.ToString();
}

}  // namespace
}  // namespace endpoint
}  // namespace attach
