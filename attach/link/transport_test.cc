#include "attach/link/transport.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <linux/vm_sockets.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include <optional>

#include "attach/link/test_support.h"

namespace attach {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class DialerTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(uv_loop_init(&loop_), 0); }
  void TearDown() override { EXPECT_TRUE(testing::DrainAndClose(&loop_)); }

  // Dials `text`; the outcome whether it came from Start() or later.
  base::Result<base::UniqueFd> Dial(const std::string& text) {
    base::Result<Address> address = ParseEndpointAddress(text);
    if (!address.ok()) return address.TakeStatus();
    std::optional<base::Result<base::UniqueFd>> out;
    {
      Dialer dialer(&loop_, *address);
      base::Status s = dialer.Start(
          [&](base::Result<base::UniqueFd> r) { out.emplace(std::move(r)); });
      if (!s.ok()) return s;
      testing::RunUntil(
          &loop_, [&] { return out.has_value(); }, 5000);
    }
    if (!out) return base::Status::Internal("dial did not finish");
    return std::move(*out);
  }

  // A listening socket on 127.0.0.1 and its port.
  int Listen(base::UniqueFd* fd) {
    fd->Reset(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(sin);
    EXPECT_EQ(::bind(fd->get(), reinterpret_cast<sockaddr*>(&sin), len), 0);
    EXPECT_EQ(::listen(fd->get(), 1), 0);
    ::getsockname(fd->get(), reinterpret_cast<sockaddr*>(&sin), &len);
    return ntohs(sin.sin_port);
  }

  uv_loop_t loop_;
};

TEST_F(DialerTest, ConnectsTcp) {
  base::UniqueFd listener;
  int port = Listen(&listener);
  base::Result<base::UniqueFd> fd =
      Dial("tcp:127.0.0.1:" + std::to_string(port));
  ASSERT_TRUE(fd.ok()) << fd.status().ToString();
  EXPECT_TRUE(fd->valid());
  EXPECT_NE(::fcntl(fd->get(), F_GETFL) & O_NONBLOCK, 0);
}

TEST_F(DialerTest, RefusedNamesTheAddress) {
  base::UniqueFd listener;
  int port = Listen(&listener);
  listener.Reset();
  std::string text = "tcp:127.0.0.1:" + std::to_string(port);
  base::Result<base::UniqueFd> fd = Dial(text);
  ASSERT_FALSE(fd.ok());
  EXPECT_EQ(fd.status().message(), text + ": Connection refused");
  EXPECT_EQ(fd.status().error_number(), ECONNREFUSED);
}

TEST_F(DialerTest, VsockWithoutAPeerFailsCleanly) {
  // Our own CID keeps the attempt inside this machine: a kernel without
  // vsock says EAFNOSUPPORT, one without a loopback transport ENODEV, one
  // with it ECONNREFUSED or ECONNRESET. Each must be a clean error.
  uint32_t cid = 2;
  int dev = ::open("/dev/vsock", O_RDONLY | O_CLOEXEC);
  if (dev >= 0) {
    unsigned int local = 0;
    if (::ioctl(dev, IOCTL_VM_SOCKETS_GET_LOCAL_CID, &local) == 0) cid = local;
    ::close(dev);
  }
  std::string text = "vsock:" + std::to_string(cid) + ":2377";
  base::Result<base::UniqueFd> fd = Dial(text);
  ASSERT_FALSE(fd.ok());
  EXPECT_THAT(fd.status().message(), StartsWith(text + ": "));
  EXPECT_NE(fd.status().error_number(), 0) << fd.status().ToString();
  std::printf("vsock dial: %s\n", fd.status().ToString().c_str());
}

TEST(Serial, OpensATtyRawAndSeesTheHostSide) {
  int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  ASSERT_GE(master, 0);
  ASSERT_EQ(::grantpt(master), 0);
  ASSERT_EQ(::unlockpt(master), 0);
  std::string path = ::ptsname(master);
  base::Result<base::UniqueFd> fd = OpenSerial(path);
  ASSERT_TRUE(fd.ok()) << fd.status().ToString();
  termios tio{};
  ASSERT_EQ(::tcgetattr(fd->get(), &tio), 0);
  EXPECT_EQ(tio.c_lflag & (ECHO | ICANON | ISIG), 0u);
  EXPECT_EQ(tio.c_oflag & OPOST, 0u);
  EXPECT_TRUE(SerialHostConnected(fd->get()));
  // Bytes pass unchanged both ways (no CR/LF translation, no echo).
  ASSERT_EQ(TransportWrite(fd->get(), false, "a\nb\r", 4), 4);
  char buf[16];
  ASSERT_EQ(::read(master, buf, sizeof(buf)), 4);
  EXPECT_EQ(std::string(buf, 4), "a\nb\r");
  EXPECT_EQ(TransportRead(fd->get(), buf, sizeof(buf)), -EAGAIN);
  // The host side going away is a hang-up, as with QEMU's chardev.
  ::close(master);
  EXPECT_FALSE(SerialHostConnected(fd->get()));
}

TEST(Serial, MissingDeviceNamesThePath) {
  base::Result<base::UniqueFd> fd = OpenSerial("/nonexistent/port");
  ASSERT_FALSE(fd.ok());
  EXPECT_THAT(fd.status().message(), HasSubstr("/nonexistent/port"));
  EXPECT_EQ(fd.status().code(), base::Status::Code::kNotFound);
}

TEST(TransportIo, ReportsEndOfStreamAndErrorsAsNegativeErrno) {
  int sv[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
  char c;
  EXPECT_EQ(TransportRead(sv[0], &c, 1), -EAGAIN);
  ::close(sv[1]);
  EXPECT_EQ(TransportRead(sv[0], &c, 1), 0);
  // A vanished reader is EPIPE, not SIGPIPE, on a socket.
  EXPECT_EQ(TransportWrite(sv[0], true, "x", 1), -EPIPE);
  ::close(sv[0]);
}

}  // namespace
}  // namespace attach
