// The exactness promise of session logs, end to end: the attachd binary is
// SIGKILLed again and again while a tether streams both stdout and stderr;
// the tether resumes from each Welcome; in the end the log holds exactly
// the bytes it produced: nothing lost, nothing twice.
//
// Also here, as it needs the binary too: attachd started with fds 0..2
// closed, as a supervisor may start it, serves and stops cleanly.
//
// ATTACHD names the binary (set by CMake).
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <random>
#include <thread>

#include "attach/endpoint/containers/log_reader.h"
#include "attach/endpoint/containers/session_log.h"
#include "attach/endpoint/testing/test_client.h"
#include "attach/endpoint/testing/test_tether.h"
#include "attach/endpoint/testing/test_util.h"
#include "base/unique_fd.h"
#include "guestinfo/config_codec.h"

namespace attach {
namespace endpoint {
namespace {

namespace pb = ::tether::attach;
using testing::TempDir;
using testing::TestClient;
using testing::TestTether;
using testing::TetherOptions;

// A port free now, for attachd to listen on across its restarts. Below
// the kernel's ephemeral range (32768-60999 by default): there, any other
// test's outgoing connection could take it while attachd is down.
uint16_t FreePort() {
  std::random_device seed;
  std::mt19937 rng(seed());
  for (int attempt = 0; attempt < 100; ++attempt) {
    uint16_t port = static_cast<uint16_t>(12000 + rng() % 20000);
    base::UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in a = {};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0) {
      return port;
    }
  }
  return 0;
}

std::string Pattern(size_t n, uint32_t seed) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) {
    seed = seed * 1664525 + 1013904223;
    s[i] = (seed >> 28) == 0 ? '\n' : static_cast<char>('a' + (seed >> 27));
  }
  return s;
}

class Attachd {
 public:
  Attachd(std::string dir, uint16_t port)
      : dir_(std::move(dir)), port_(std::to_string(port)) {}
  ~Attachd() { Kill(SIGKILL); }
  // `closed_stdio`: with fds 0..2 closed.
  void Start(bool closed_stdio = false) {
    const char* bin = std::getenv("ATTACHD");
    pid_ = ::fork();
    if (pid_ == 0) {
      if (closed_stdio) {
        for (int fd = 0; fd < 3; ++fd) ::close(fd);
      }
      std::string listen = "127.0.0.1:" + port_;
      ::execl(bin, "attachd", "--state-dir", dir_.c_str(), "--listen",
              listen.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  // Returns the exit status.
  int Kill(int sig) {
    if (pid_ <= 0) return -1;
    ::kill(pid_, sig);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }
  bool Ready() const {
    return ::access((dir_ + "/attachd.sock").c_str(), 0) == 0;
  }
  // Waits up to 5 s for Ready().
  bool WaitReady() const {
    for (int i = 0; i < 500 && !Ready(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return Ready();
  }

 private:
  std::string dir_;
  std::string port_;
  pid_t pid_ = -1;
};

pb::Request Create() {
  pb::Request req;
  req.mutable_create()->set_name("kill");
  req.mutable_create()->add_args("/bin/yes");
  return req;
}

TEST(AttachdKill, LogIsExactAfterRepeatedSigkill) {
  ASSERT_NE(std::getenv("ATTACHD"), nullptr) << "run through ctest";
  testing::IgnoreSigpipe();
  TempDir tmp;
  std::string dir = tmp.path() + "/state";
  uint16_t port = FreePort();
  ASSERT_NE(port, 0) << "no free port below the ephemeral range";
  Attachd attachd(dir, port);
  attachd.Start();
  ASSERT_TRUE(attachd.WaitReady());
  std::vector<pb::Response> r =
      testing::RunCommand(dir + "/attachd.sock", Create());
  ASSERT_EQ(r.size(), 1u);
  std::string id = r[0].created_id();
  pb::Request config;
  config.mutable_config()->set_ref(id);
  r = testing::RunCommand(dir + "/attachd.sock", config);
  ASSERT_EQ(r.size(), 1u);
  base::Result<guestinfo::Config> cfg =
      guestinfo::DecodeConfig(r[0].config_json());
  ASSERT_TRUE(cfg.ok());

  const std::string out = Pattern(64 << 20, 1);
  const std::string err = Pattern(16 << 20, 2);
  std::atomic<bool> done{false};
  std::atomic<int> connections{0};
  int kills = 0;
  // Each kill lands while a tether is streaming: after a connection was
  // welcomed, at a random moment.
  std::thread killer([&] {
    std::mt19937 rng(42);
    int seen = 0;
    while (kills < 10 && !done) {
      if (connections == seen) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        continue;
      }
      seen = connections;
      std::this_thread::sleep_for(std::chrono::milliseconds(10 + rng() % 90));
      if (done) break;
      attachd.Kill(SIGKILL);
      ++kills;
      attachd.Start();
    }
  });

  TetherOptions o;
  o.port = port;
  o.user = id;
  o.identity_key = cfg->endpoint->identity_key;
  o.host_key_sha256 = cfg->endpoint->host_key_sha256;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
  while (!done && std::chrono::steady_clock::now() < deadline) {
    TestTether t(o);
    if (!t.Connect().ok()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    pb::Hello hello;
    hello.set_version(1);
    hello.set_container_id(id);
    pb::SessionInfo* s = hello.add_sessions();
    s->set_id("main");
    s->set_primary(true);
    s->set_running(true);
    s->set_stdout_end(out.size());
    s->set_stderr_end(err.size());
    base::Result<pb::Welcome> w = t.Hello(hello);
    if (!w.ok() || !t.OpenStream("main").ok()) continue;
    ++connections;
    uint64_t at_out = w->offsets(0).stdout();
    uint64_t at_err = w->offsets(0).stderr();
    ASSERT_LE(at_out, out.size());
    ASSERT_LE(at_err, err.size());
    // A kill after the last bytes were logged but before their Ack: the
    // Welcome is the acknowledgement (as the tether takes it), and no Ack
    // follows, since nothing new arrives.
    if (at_out == out.size() && at_err == err.size()) {
      done = true;
      break;
    }
    bool ok = true;
    while (ok && (at_out < out.size() || at_err < err.size())) {
      size_t n = std::min<size_t>(200000, out.size() - at_out);
      ok = n == 0 || t.Write("main", out.substr(at_out, n)).ok();
      at_out += ok ? n : 0;
      size_t m = std::min<size_t>(50000, err.size() - at_err);
      ok = ok && (m == 0 || t.Write("main", err.substr(at_err, m), true).ok());
      at_err += ok ? m : 0;
    }
    if (ok && t.WaitAck("main", out.size(), err.size()).ok()) done = true;
  }
  killer.join();
  ASSERT_TRUE(done.load());
  EXPECT_GE(kills, 1);
  EXPECT_EQ(connections, kills + 1);  // One more for the last, whole run.
  int status = attachd.Kill(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;

  base::Result<std::unique_ptr<SessionLog>> log =
      SessionLog::Open(dir + "/containers/" + id + "/logs/main.log");
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  std::string got_out, got_err;
  LogCursor cursor(log->get(), LogPos());
  LogChunk chunk;
  while (*cursor.Next((*log)->size(), &chunk)) {
    // A segment record starts each rotated-to file; no gap may appear.
    if (chunk.header.type == RecordType::kSegment) continue;
    ASSERT_EQ(chunk.header.type, RecordType::kData);
    (chunk.header.stream == kStderr ? got_err : got_out) += chunk.data;
  }
  EXPECT_EQ(got_out.size(), out.size());
  EXPECT_TRUE(got_out == out);
  EXPECT_EQ(got_err.size(), err.size());
  EXPECT_TRUE(got_err == err);
}

// Its first sockets would be fds 0..2: libuv aborted closing them at stop.
TEST(AttachdStart, WithStdioClosedItServesAndStopsCleanly) {
  ASSERT_NE(std::getenv("ATTACHD"), nullptr) << "run through ctest";
  TempDir tmp;
  std::string dir = tmp.path() + "/state";
  Attachd attachd(dir, 0);  // No tether comes: any port will do.
  attachd.Start(/*closed_stdio=*/true);
  ASSERT_TRUE(attachd.WaitReady());
  std::vector<pb::Response> r =
      testing::RunCommand(dir + "/attachd.sock", Create());
  ASSERT_EQ(r.size(), 1u);
  EXPECT_FALSE(r[0].created_id().empty()) << r[0].error();
  int status = attachd.Kill(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << (WIFSIGNALED(status) ? "killed by signal " : "exit status ")
      << (WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
}

}  // namespace
}  // namespace endpoint
}  // namespace attach
