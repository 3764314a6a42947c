// Test scaffolding for attachd: temporary state directories, and running
// a blocking peer (a test tether or client) on a thread while attachd's
// loop runs on the test's thread, as attachd would see real peers.
#ifndef TETHER_ATTACH_ENDPOINT_TESTING_TEST_UTIL_H_
#define TETHER_ATTACH_ENDPOINT_TESTING_TEST_UTIL_H_

#include <signal.h>
#include <stdlib.h>
#include <uv.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <future>
#include <string>

#include "attach/endpoint/containers/state_files.h"
#include "base/uv_handle.h"

namespace attach {
namespace endpoint {
namespace testing {

// A fresh directory under $TMPDIR, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    const char* base = getenv("TMPDIR");
    std::string tmpl = std::string(base ? base : "/tmp") + "/attachd.XXXXXX";
    char* p = mkdtemp(&tmpl[0]);
    path_ = p ? p : "";
  }
  ~TempDir() { (void)RemoveTree(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Runs the loop until `done()` or `timeout_ms`; returns done().
inline bool RunUntil(uv_loop_t* loop, const std::function<bool()>& done,
                     int timeout_ms = 10000) {
  // A ticking timer bounds each uv_run(ONCE) so done() is rechecked.
  base::UvHandle<uv_timer_t> tick;
  uv_timer_init(loop, tick.get());
  tick.MarkInitialized();
  uv_timer_start(
      tick.get(), [](uv_timer_t*) noexcept {}, 1, 1);
  auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    uv_run(loop, UV_RUN_ONCE);
  }
  tick.Close();
  uv_run(loop, UV_RUN_NOWAIT);
  return done();
}

// Runs `work` on a thread while the loop runs here; returns its result.
template <typename F>
auto WhileLooping(uv_loop_t* loop, F work, int timeout_ms = 30000)
    -> decltype(work()) {
  auto future = std::async(std::launch::async, std::move(work));
  RunUntil(
      loop,
      [&] {
        return future.wait_for(std::chrono::seconds(0)) ==
               std::future_status::ready;
      },
      timeout_ms);
  return future
      .get();  // Blocks past the timeout: the peer's own timeouts end it.
}

// Clients vanish mid-write in these tests, as they do in real life.
inline void IgnoreSigpipe() { signal(SIGPIPE, SIG_IGN); }

// What `sh -c cmd` prints on stdout (tests that let GNU tar or stat judge).
inline std::string ShellOutput(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  ::pclose(p);
  return out;
}

// A file's contents, or "" when it cannot be read.
inline std::string FileText(const std::string& path) {
  base::Result<std::string> text = ReadFile(path, size_t{1} << 30);
  return text.ok() ? *text : std::string();
}

}  // namespace testing
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_TESTING_TEST_UTIL_H_
