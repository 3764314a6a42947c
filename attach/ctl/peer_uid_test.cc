// Review F10: tetherctl pprof learns who connected to it.
#include "attach/ctl/peer_uid.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/unique_fd.h"

namespace attach {
namespace ctl {
namespace {

TEST(PeerUid, FindsTheOwnerOfALoopbackPeer) {
  base::UniqueFd listener(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in addr = {};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(
      ::bind(listener.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)),
      0);
  ASSERT_EQ(::listen(listener.get(), 1), 0);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(
      ::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&addr), &len),
      0);
  base::UniqueFd client(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  ASSERT_EQ(
      ::connect(client.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)),
      0);
  base::UniqueFd server(
      ::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
  ASSERT_TRUE(server);
  base::Result<uid_t> uid = LocalPeerUid(server.get());
  ASSERT_TRUE(uid.ok()) << uid.status().ToString();
  EXPECT_EQ(*uid, ::geteuid());
  EXPECT_TRUE(PeerIsUserOrRoot(server.get(), ::geteuid()));
  if (::geteuid() == 0) {
    EXPECT_TRUE(PeerIsUserOrRoot(server.get(), 12345));  // Root is served.
  } else {
    EXPECT_FALSE(PeerIsUserOrRoot(server.get(), ::geteuid() + 1));
  }
}

// As root: a connection from another user is that user's, and not
// served for a third.
TEST(PeerUid, AnotherUsersConnectionIsTheirs) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to change user";
  base::UniqueFd listener(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in addr = {};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(
      ::bind(listener.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)),
      0);
  ASSERT_EQ(::listen(listener.get(), 1), 0);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(
      ::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&addr), &len),
      0);
  int done[2];
  ASSERT_EQ(::pipe2(done, O_CLOEXEC), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // Async-signal-safe calls only until _exit. Its own copy of the
    // pipe's write end goes, so the read below ends when the parent's does.
    ::close(done[1]);
    if (::setresuid(65534, 65534, 65534) != 0) ::_exit(2);
    int s = ::socket(AF_INET, SOCK_STREAM, 0);
    if (::connect(s, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
      ::_exit(3);
    }
    char c;
    (void)::read(done[0], &c, 1);  // Until the parent has looked.
    ::_exit(0);
  }
  ::close(done[0]);
  pollfd pfd = {listener.get(), POLLIN, 0};
  if (::poll(&pfd, 1, 10000) != 1) {
    ::close(done[1]);
    ::waitpid(child, nullptr, 0);
    FAIL() << "the child never connected";
  }
  base::UniqueFd server(
      ::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
  ASSERT_TRUE(server);
  // Both while the child holds its end: once it has closed, the kernel
  // owns the socket (uid 0 in /proc/net/tcp).
  base::Result<uid_t> uid = LocalPeerUid(server.get());
  bool admitted = PeerIsUserOrRoot(server.get(), 1000);
  ::close(done[1]);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(uid.ok()) << uid.status().ToString();
  EXPECT_EQ(*uid, 65534u);
  EXPECT_FALSE(admitted);
}

}  // namespace
}  // namespace ctl
}  // namespace attach
