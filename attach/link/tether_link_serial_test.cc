// TetherLink over the serial transport: the tether opens a pty slave as
// its "virtio-serial port"; a pump thread plays the hypervisor, copying
// between the pty master and a TCP connection to the test server, as
// QEMU's `-chardev socket` does between the port and attachd.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "attach/link/link_fixture.h"

namespace attach {
namespace testing {
namespace {

using ::testing::HasSubstr;

// The hypervisor's side of the serial port.
class PtyPump {
 public:
  explicit PtyPump(int port) : port_(port) {
    master_ = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    EXPECT_GE(master_, 0);
    ::grantpt(master_);
    ::unlockpt(master_);
    slave_path_ = ::ptsname(master_);
    thread_ = std::thread([this] { Run(); });
  }
  ~PtyPump() {
    stop_ = true;
    thread_.join();
    if (master_ >= 0) ::close(master_);
  }
  const std::string& slave_path() const { return slave_path_; }
  // The endpoint restarted: a new TCP connection, same serial port.
  void Reconnect() { reconnect_ = true; }
  // The hypervisor lost the port's host side for good.
  void HangUp() { hangup_ = true; }

 private:
  void Run() {
    int tcp = ConnectLoopback(port_);
    char buf[65536];
    while (!stop_) {
      if (hangup_ && master_ >= 0) {
        ::close(master_);
        master_ = -1;
      }
      if (reconnect_.exchange(false)) {
        ::close(tcp);
        tcp = ConnectLoopback(port_);
      }
      if (master_ < 0 || tcp < 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        continue;
      }
      pollfd p[2] = {{master_, POLLIN, 0}, {tcp, POLLIN, 0}};
      if (::poll(p, 2, 10) <= 0) continue;
      if (p[0].revents & POLLIN) {
        ssize_t n = ::read(master_, buf, sizeof(buf));
        if (n > 0) WriteAll(tcp, buf, static_cast<size_t>(n));
      }
      if (p[1].revents & (POLLIN | POLLHUP)) {
        ssize_t n = ::read(tcp, buf, sizeof(buf));
        if (n > 0) {
          WriteAll(master_, buf, static_cast<size_t>(n));
        } else {
          ::close(tcp);
          tcp = -1;  // The endpoint went away; wait for Reconnect().
        }
      }
    }
    if (tcp >= 0) ::close(tcp);
  }
  static void WriteAll(int fd, const char* p, size_t n) {
    while (n > 0) {
      ssize_t w = ::write(fd, p, n);
      if (w <= 0) return;
      p += w;
      n -= static_cast<size_t>(w);
    }
  }

  int port_;
  int master_ = -1;
  std::string slave_path_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> reconnect_{false};
  std::atomic<bool> hangup_{false};
  std::thread thread_;
};

class TetherLinkSerialTest : public LinkFixture {};

TEST_F(TetherLinkSerialTest, StreamsAndResyncsAfterTheEndpointRestarts) {
  StartServer();
  PtyPump pump(server_->port());
  tether_.Add("s1");
  tether_.Write("s1", 1, "over the serial line\n");
  tether_.Write("s1", 2, std::string(200000, 'e'));
  StartLink("serial:" + pump.slave_path());
  ASSERT_TRUE(Until([&] { return ServerHasAll("s1"); }));
  EXPECT_EQ(link_->connect_count(), 1u);

  // The old SSH stream is cut mid-way and a new endpoint connection starts
  // with sync lines on the same byte stream: the tether must notice,
  // resynchronise and resume from the new Welcome.
  pump.Reconnect();
  tether_.Write("s1", 1, "after the restart\n");
  link_->OutputAvailable("s1");
  ASSERT_TRUE(Until([&] { return link_->connect_count() >= 2; }));
  ASSERT_TRUE(Until([&] { return ServerHasAll("s1"); }));
  EXPECT_TRUE(server_->Stream("s1", 1).gaps.empty());
  link_->Close();
}

TEST_F(TetherLinkSerialTest, HangUpTakesTheLinkDownAndItWaits) {
  StartServer();
  PtyPump pump(server_->port());
  tether_.Add("s1");
  StartLink("serial:" + pump.slave_path());
  ASSERT_TRUE(Until([&] { return link_->connected(); }));
  pump.HangUp();
  ASSERT_TRUE(Until([&] { return !link_->connected(); }));
  // It keeps the device open and waits for the host side, quietly.
  ASSERT_TRUE(Until([&] {
    return link_->last_error().message().find("not connected") !=
           std::string::npos;
  }));
  EXPECT_THAT(link_->last_error().message(), HasSubstr(pump.slave_path()));
  EXPECT_FALSE(link_->connected());
  link_->Close();
}

}  // namespace
}  // namespace testing
}  // namespace attach
