// Test support: runs a Server on a real libuv loop on the test thread
// while a blocking client (test_client.h) runs on another, then closes
// everything and checks that the loop closes cleanly.
#ifndef TETHER_HTTP_TEST_HARNESS_H_
#define TETHER_HTTP_TEST_HARNESS_H_

#include <uv.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "http/server.h"

namespace http {

class Harness {
 public:
  Harness();
  ~Harness();  // Expects uv_loop_close() == 0.

  uv_loop_t* loop() { return &loop_; }
  ServerOptions options;
  // Filled by the access-log hook Run() installs; read after Run().
  std::vector<AccessRecord> access;

  // Serves `handler` on `address` while `client(port)` runs on a thread;
  // `during` (if set) runs on the loop right after Listen.
  void Run(Handler handler, const std::function<void(uint16_t)>& client,
           const std::string& address = "127.0.0.1:0",
           const std::function<void(Server&)>& during = nullptr);

 private:
  uv_loop_t loop_;
};

// Runs `loop` on this thread while `client(port)` runs on another; when
// the client returns, `stop` runs on the loop and must let it end (close
// the server). Returns once the loop has run out.
void RunWithClientThread(uv_loop_t* loop, uint16_t port,
                         std::function<void()> stop,
                         const std::function<void(uint16_t)>& client);

// Runs `fn` on `loop` after `ms` (0: next turn). Loop thread only.
void Defer(uv_loop_t* loop, uint64_t ms, std::function<void()> fn);

// Calls `fn` on the loop thread from any thread, and waits for it.
class LoopCall {
 public:
  explicit LoopCall(uv_loop_t* loop);
  ~LoopCall();
  void Run(std::function<void()> fn);

 private:
  struct State;
  State* state_;
};

}  // namespace http

#endif  // TETHER_HTTP_TEST_HARNESS_H_
