// During the SSH set-up, what libssh2 sends in one step leaves in one
// write (ssh_client.cc, DoSend). On a container VM's virtio-serial port
// the second of two quick writes reached the endpoint ~40 ms late under
// TCG; the client's KEXINIT and its ECDH init were two such writes, a
// third of the VM's SSH set-up. The port here is one end of a
// SOCK_SEQPACKET pair, which keeps each write a record of its own; a
// relay thread, the hypervisor, copies records to the test server.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "attach/link/link_fixture.h"
#include "attach/link/ssh_client.h"
#include "base/unique_fd.h"

namespace attach {
namespace testing {
namespace {

// Copies the client's records to a TCP connection to `port`, and what comes
// back the other way, keeping each client record.
class RecordRelay {
 public:
  RecordRelay(int client_end, int port)
      : client_(client_end), tcp_(ConnectLoopback(port)) {
    EXPECT_TRUE(tcp_) << "cannot connect to the test server";
    EchoSyncLine();
    thread_ = std::thread([this] { Run(); });
  }
  ~RecordRelay() {
    stop_ = true;
    thread_.join();
  }
  std::vector<std::string> records() const {
    std::lock_guard<std::mutex> lock(mu_);
    return records_;
  }

 private:
  void Run() {
    char buf[65536];
    while (!stop_) {
      pollfd p[2] = {{client_, POLLIN, 0}, {tcp_.get(), POLLIN, 0}};
      if (::poll(p, 2, 10) <= 0) continue;
      if (p[0].revents & POLLIN) {
        ssize_t n = ::recv(client_, buf, sizeof(buf), 0);
        if (n <= 0) return;
        {
          std::lock_guard<std::mutex> lock(mu_);
          records_.emplace_back(buf, static_cast<size_t>(n));
        }
        if (!WriteAll(tcp_.get(), buf, static_cast<size_t>(n))) return;
      }
      if (p[1].revents & POLLIN) {
        ssize_t n = ::read(tcp_.get(), buf, sizeof(buf));
        if (n <= 0) return;
        if (!WriteAll(client_, buf, static_cast<size_t>(n))) return;
      }
    }
  }
  // The tether's half of the sync preamble (docs/protocol.md): the
  // server's TETHER-SYNC line, echoed.
  void EchoSyncLine() {
    std::string line;
    char c;
    while (line.empty() || line.back() != '\n') {
      pollfd p{tcp_.get(), POLLIN, 0};
      ASSERT_EQ(::poll(&p, 1, 10000), 1) << "no TETHER-SYNC line";
      ASSERT_EQ(::recv(tcp_.get(), &c, 1, 0), 1);
      line.push_back(c);
    }
    ASSERT_EQ(line.rfind("TETHER-SYNC ", 0), 0u) << line;
    ASSERT_TRUE(WriteAll(tcp_.get(), line.data(), line.size()));
  }
  static bool WriteAll(int fd, const char* p, size_t n) {
    while (n > 0) {
      ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
      if (w <= 0) return false;
      p += w;
      n -= static_cast<size_t>(w);
    }
    return true;
  }

  int client_;
  base::UniqueFd tcp_;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  std::vector<std::string> records_;
  std::thread thread_;
};

class Ready : public SshClient::Delegate {
 public:
  void OnSshReady() override { ready = true; }
  void OnSshActivity() override {}
  void OnSshError(base::Status status) override { error = status.ToString(); }
  bool ready = false;
  std::string error;
};

class SshSetupWritesTest : public LinkFixture {};

TEST_F(SshSetupWritesTest, KexInitAndEcdhInitLeaveInOneWrite) {
  StartServer();
  int pair[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair), 0);
  base::UniqueFd port(pair[0]), host(pair[1]);
  ASSERT_EQ(::fcntl(port.get(), F_SETFL, O_NONBLOCK), 0);
  RecordRelay relay(host.get(), server_->port());
  Ready delegate;
  {
    SshClient client(
        &loop_, port.get(), /*is_socket=*/true, "",
        {ContainerId(), identity_.private_key, host_key_.fingerprint},
        SshTimings(), &delegate);
    base::Status s = client.Start();
    ASSERT_TRUE(s.ok()) << s.ToString();
    ASSERT_TRUE(Until([&] {
      return delegate.ready || !delegate.error.empty();
    })) << "no SSH session";
    ASSERT_TRUE(delegate.ready) << delegate.error;
  }
  std::vector<std::string> records = relay.records();
  ASSERT_GE(records.size(), 2u);
  EXPECT_EQ(records[0].rfind("SSH-2.0-", 0), 0u) << records[0];
  // The record after the banner: the KEXINIT packet (its length field,
  // then that many bytes, message 20) and the ECDH init after it.
  const std::string& kex = records[1];
  ASSERT_GE(kex.size(), 6u);
  uint32_t first = (static_cast<uint32_t>(static_cast<uint8_t>(kex[0])) << 24) |
                   (static_cast<uint32_t>(static_cast<uint8_t>(kex[1])) << 16) |
                   (static_cast<uint32_t>(static_cast<uint8_t>(kex[2])) << 8) |
                   static_cast<uint32_t>(static_cast<uint8_t>(kex[3]));
  EXPECT_EQ(static_cast<uint8_t>(kex[5]), 20) << "not a KEXINIT";
  EXPECT_GT(kex.size(), first + 4u)
      << "the KEXINIT left alone; the ECDH init followed in a write of its "
         "own ("
      << records.size() << " writes until the session was up)";
}

}  // namespace
}  // namespace testing
}  // namespace attach
