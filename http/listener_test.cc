// The listener on a real loop: when the process runs out of descriptors
// it pauses instead of spinning, and serves the waiting client after.
#include "http/listener.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <vector>

#include "base/uv_handle.h"

namespace http {
namespace {

TEST(Listener, PausesWhenOutOfDescriptorsInsteadOfSpinning) {
  uv_loop_t loop;
  ASSERT_EQ(uv_loop_init(&loop), 0);
  std::vector<int> accepted;
  {
    Listener listener(&loop, 100, [&](int fd) { accepted.push_back(fd); });
    ASSERT_TRUE(listener.Listen(*ParseListenAddress("127.0.0.1:0"), 16).ok());
    // The client's socket exists before the table fills; connect() needs
    // no new descriptor, the server's accept() does.
    int client = ::socket(AF_INET, SOCK_STREAM, 0);
    // A small table fills fast; the old limit is back before the end.
    rlimit old{};
    ::getrlimit(RLIMIT_NOFILE, &old);
    rlimit small = old;
    small.rlim_cur = 256;
    ::setrlimit(RLIMIT_NOFILE, &small);
    std::vector<int> hog;
    for (;;) {
      int fd = ::dup(0);
      if (fd < 0) break;
      hog.push_back(fd);
    }
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(listener.port());
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(client, reinterpret_cast<sockaddr*>(&a), sizeof(a)), 0);
    // Count loop turns for 300 ms: a spinning listener makes thousands.
    uint64_t turns = 0;
    base::UvHandle<uv_check_t> check;
    uv_check_init(&loop, check.get());
    check.MarkInitialized();
    check->data = &turns;
    uv_check_start(check.get(), [](uv_check_t* c) noexcept {
      ++*static_cast<uint64_t*>(c->data);
    });
    uint64_t until = uv_now(&loop) + 300;
    while (uv_now(&loop) < until) uv_run(&loop, UV_RUN_ONCE);
    EXPECT_GE(listener.pauses(), 1u);
    EXPECT_LT(turns, 50u);
    EXPECT_TRUE(accepted.empty());
    // Descriptors come back: the waiting client is accepted.
    for (int fd : hog) ::close(fd);
    ::setrlimit(RLIMIT_NOFILE, &old);
    until = uv_now(&loop) + 2000;
    while (accepted.empty() && uv_now(&loop) < until) {
      uv_run(&loop, UV_RUN_ONCE);
    }
    EXPECT_EQ(accepted.size(), 1u);
    for (int fd : accepted) ::close(fd);
    ::close(client);
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  EXPECT_EQ(uv_loop_close(&loop), 0);
}

}  // namespace
}  // namespace http
