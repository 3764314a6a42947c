#include "http/test_harness.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "base/uv_handle.h"

namespace http {
namespace {

struct Deferred {
  uv_timer_t timer;
  std::function<void()> fn;
};

}  // namespace

void Defer(uv_loop_t* loop, uint64_t ms, std::function<void()> fn) {
  auto* d = new Deferred();
  d->fn = std::move(fn);
  uv_timer_init(loop, &d->timer);
  d->timer.data = d;
  uv_timer_start(
      &d->timer,
      [](uv_timer_t* t) noexcept {
        auto* d = static_cast<Deferred*>(t->data);
        d->fn();
        uv_close(reinterpret_cast<uv_handle_t*>(t), [](uv_handle_t* h) {
          delete static_cast<Deferred*>(h->data);
        });
      },
      ms, 0);
}

struct LoopCall::State {
  uv_async_t async;
  std::mutex mu;
  std::condition_variable cv;
  std::function<void()> fn;
  bool done = false;
};

LoopCall::LoopCall(uv_loop_t* loop) : state_(new State()) {
  uv_async_init(loop, &state_->async, [](uv_async_t* a) noexcept {
    auto* s = static_cast<State*>(a->data);
    std::function<void()> fn;
    {
      std::lock_guard<std::mutex> lock(s->mu);
      fn = std::move(s->fn);
      s->fn = nullptr;
    }
    if (fn) fn();
    std::lock_guard<std::mutex> lock(s->mu);
    s->done = true;
    s->cv.notify_all();
  });
  state_->async.data = state_;
}

LoopCall::~LoopCall() {
  uv_close(reinterpret_cast<uv_handle_t*>(&state_->async),
           [](uv_handle_t* h) { delete static_cast<State*>(h->data); });
}

void LoopCall::Run(std::function<void()> fn) {
  std::unique_lock<std::mutex> lock(state_->mu);
  state_->fn = std::move(fn);
  state_->done = false;
  uv_async_send(&state_->async);
  state_->cv.wait(lock, [this] { return state_->done; });
}

void RunWithClientThread(uv_loop_t* loop, uint16_t port,
                         std::function<void()> stop,
                         const std::function<void(uint16_t)>& client) {
  base::UvHandle<uv_async_t> done;
  uv_async_init(loop, done.get(), [](uv_async_t* a) noexcept {
    (*static_cast<std::function<void()>*>(a->data))();
    uv_close(reinterpret_cast<uv_handle_t*>(a), nullptr);
  });
  done->data = &stop;
  uv_async_t* raw = done.get();
  std::thread t([&] {
    client(port);
    uv_async_send(raw);
  });
  uv_run(loop, UV_RUN_DEFAULT);
  t.join();
}

Harness::Harness() { EXPECT_EQ(uv_loop_init(&loop_), 0); }

Harness::~Harness() {
  uv_run(&loop_, UV_RUN_DEFAULT);
  EXPECT_EQ(uv_loop_close(&loop_), 0);
}

void Harness::Run(Handler handler, const std::function<void(uint16_t)>& client,
                  const std::string& address,
                  const std::function<void(Server&)>& during) {
  ServerOptions opts = options;
  auto user_log = opts.access_log;
  opts.access_log = [this, user_log](const AccessRecord& r) {
    access.push_back(r);
    if (user_log) user_log(r);
  };
  {
    Server server(&loop_, std::move(handler), opts);
    base::Status s = server.Listen(address);
    ASSERT_TRUE(s.ok()) << s.ToString();
    ASSERT_NE(server.port(), 0);
    if (during) during(server);
    RunWithClientThread(
        &loop_, server.port(), [&server] { server.Close(); }, client);
  }
  uv_run(&loop_, UV_RUN_DEFAULT);
}

}  // namespace http
