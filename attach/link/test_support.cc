#include "attach/link/test_support.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace attach {
namespace testing {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string RunCommand(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return out;
  char buf[512];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  ::pclose(p);
  return out;
}

}  // namespace

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base ? base : "/tmp") + "/attach_link.XXXXXX";
  char* made = ::mkdtemp(&tmpl[0]);
  if (made == nullptr) ADD_FAILURE() << "mkdtemp failed";
  path_ = tmpl;
}

TempDir::~TempDir() {
  if (!path_.empty()) RunCommand("rm -rf '" + path_ + "'");
}

TestKey MakeKey(const std::string& dir, const std::string& name) {
  TestKey key;
  key.private_path = dir + "/" + name;
  key.public_path = key.private_path + ".pub";
  RunCommand("ssh-keygen -q -t ed25519 -N '' -C test -f '" + key.private_path +
             "' </dev/null 2>&1");
  key.private_key = ReadFile(key.private_path);
  // "256 SHA256:<b64> test (ED25519)"
  std::istringstream line(
      RunCommand("ssh-keygen -lf '" + key.public_path + "'"));
  std::string bits;
  line >> bits >> key.fingerprint;
  EXPECT_EQ(key.fingerprint.rfind("SHA256:", 0), 0u) << "ssh-keygen failed";
  return key;
}

bool RunUntil(uv_loop_t* loop, const std::function<bool()>& done,
              int timeout_ms) {
  struct State {
    const std::function<bool()>* done;
    uint64_t deadline;
  } state{&done, uv_now(loop) + static_cast<uint64_t>(timeout_ms)};
  uv_timer_t timer;
  uv_timer_init(loop, &timer);
  timer.data = &state;
  uv_timer_start(
      &timer,
      [](uv_timer_t* t) {
        auto* s = static_cast<State*>(t->data);
        if ((*s->done)() || uv_now(t->loop) >= s->deadline) uv_stop(t->loop);
      },
      2, 2);
  if (!done()) uv_run(loop, UV_RUN_DEFAULT);
  uv_close(reinterpret_cast<uv_handle_t*>(&timer), nullptr);
  uv_run(loop, UV_RUN_NOWAIT);  // Lets the close finish before `timer` dies.
  return done();
}

bool DrainAndClose(uv_loop_t* loop) {
  for (int i = 0; i < 100 && uv_run(loop, UV_RUN_NOWAIT) != 0; ++i) {
  }
  return uv_loop_close(loop) == 0;
}

std::string ContainerId() {
  return "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
}

int ConnectLoopback(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_port = htons(static_cast<uint16_t>(port));
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&sin), sizeof(sin)) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace testing
}  // namespace attach
