// Who may use attachd.sock (client_server.h; review F11): attachd's own
// user and root, and other users only when --client-uid names them. The
// peer is known by SO_PEERCRED, which the kernel records at connect(2):
// a child that has become another user connects, and hands the socket to
// the test, which then speaks for it.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include "attach/endpoint/testing/test_fixture.h"

namespace attach {
namespace endpoint {
namespace {

namespace pb = ::tether::attach;
using testing::AttachdTest;
using testing::TestClient;
using testing::WhileLooping;

constexpr uid_t kStranger = 65534;  // nobody

// A socket connected to `path` by a child process running as `uid`, or
// empty when that cannot be done (not root).
base::UniqueFd ConnectAs(const std::string& path, uid_t uid) {
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
    return base::UniqueFd();
  }
  base::UniqueFd mine(pair[0]), theirs(pair[1]);
  sockaddr_un addr = {};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
  pid_t pid = ::fork();
  if (pid == 0) {
    // Async-signal-safe calls only: the test runs threads.
    if (::setresgid(uid, uid, uid) != 0 || ::setresuid(uid, uid, uid) != 0) {
      ::_exit(1);
    }
    int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0 ||
        ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
      ::_exit(2);
    }
    char byte = 0;
    iovec iov = {&byte, 1};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    msghdr msg = {};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof(control);
    cmsghdr* cm = CMSG_FIRSTHDR(&msg);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(cm), &fd, sizeof(int));
    ::_exit(::sendmsg(theirs.get(), &msg, 0) == 1 ? 0 : 3);
  }
  theirs.Reset();
  if (pid < 0) return base::UniqueFd();
  char byte;
  iovec iov = {&byte, 1};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msghdr msg = {};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof(control);
  base::UniqueFd got;
  if (::recvmsg(mine.get(), &msg, MSG_CMSG_CLOEXEC) == 1) {
    cmsghdr* cm = CMSG_FIRSTHDR(&msg);
    if (cm != nullptr && cm->cmsg_type == SCM_RIGHTS) {
      int fd;
      std::memcpy(&fd, CMSG_DATA(cm), sizeof(int));
      got.Reset(fd);
    }
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return got;
}

pb::Request CreateReq(const std::string& name) {
  pb::Request req;
  pb::CreateRequest* c = req.mutable_create();
  c->set_name(name);
  c->add_args("/bin/true");
  return req;
}

class PeerCheckTest : public AttachdTest {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to become another user";
    AttachdTest::SetUp();
    // The socket is 0600 in a 0700 directory: no one else gets as far as
    // the check. Opened up here so the check itself is what answers.
    ASSERT_EQ(::chmod((dir_.path() + "/state").c_str(), 0711), 0);
    ASSERT_EQ(::chmod(dir_.path().c_str(), 0711), 0);
    ASSERT_EQ(::chmod(Sock().c_str(), 0666), 0);
  }
  // Sends `req` as `uid`; every response.
  std::vector<pb::Response> RunAs(uid_t uid, const pb::Request& req) {
    std::string sock = Sock();
    return WhileLooping(&loop_, [&] {
      std::vector<pb::Response> out;
      base::UniqueFd fd = ConnectAs(sock, uid);
      if (!fd) return out;
      timeval tv = {10, 0};
      ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
      TestClient client;
      client.Adopt(std::move(fd));
      (void)client.Send(req);  // A refused peer may be gone already.
      return client.RecvAll();
    });
  }
};

TEST_F(PeerCheckTest, AnotherUserIsRefusedWithItsUid) {
  std::vector<pb::Response> r = RunAs(kStranger, CreateReq("web"));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].error(),
            "attachd does not serve uid 65534 (attachd --client-uid)");
  EXPECT_TRUE(daemon_->registry().All().empty());  // Nothing was done.
}

TEST_F(PeerCheckTest, RootIsServed) {
  std::vector<pb::Response> r = RunAs(0, CreateReq("web"));
  ASSERT_FALSE(r.empty());
  EXPECT_TRUE(r[0].has_created_id()) << r[0].DebugString();
}

class AllowedPeerTest : public PeerCheckTest {
 protected:
  void SetUp() override {
    client_uids_ = {kStranger};
    PeerCheckTest::SetUp();
  }
};

TEST_F(AllowedPeerTest, AUserNamedByClientUidIsServed) {
  std::vector<pb::Response> r = RunAs(kStranger, CreateReq("web"));
  ASSERT_FALSE(r.empty());
  EXPECT_TRUE(r[0].has_created_id()) << r[0].DebugString();
  // Others still are not.
  r = RunAs(kStranger - 1, CreateReq("db"));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].error(),
            "attachd does not serve uid 65533 (attachd --client-uid)");
}

}  // namespace
}  // namespace endpoint
}  // namespace attach
