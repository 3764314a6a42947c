// Destroys objects on a later turn of the loop.
//
// A connection learns that it is over inside its own callbacks, with its
// own frames (and libssh's or libuv's) still on the stack; its owner hands
// it here instead of deleting it there. libuv's close callbacks own memory
// for the same reason.
#ifndef TETHER_ATTACH_ENDPOINT_CONTAINERS_DEFERRED_DELETE_H_
#define TETHER_ATTACH_ENDPOINT_CONTAINERS_DEFERRED_DELETE_H_

#include <uv.h>

#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "base/uv_handle.h"

namespace attach {
namespace endpoint {

class DeferredDelete {
 public:
  explicit DeferredDelete(uv_loop_t* loop) {
    uv_timer_init(loop, timer_.get());
    timer_.MarkInitialized();
    timer_->data = this;
  }
  // Destroys what is still pending now (the loop may be gone later).
  ~DeferredDelete() { Run(); }
  DeferredDelete(const DeferredDelete&) = delete;
  DeferredDelete& operator=(const DeferredDelete&) = delete;

  // Moves `key`'s object out of `owners` (if there) to be destroyed.
  template <typename T>
  void Retire(std::map<T*, std::unique_ptr<T>>* owners, T* key) {
    auto it = owners->find(key);
    if (it == owners->end()) return;
    Add(std::move(it->second));
    owners->erase(it);
  }

  template <typename T>
  void Add(std::unique_ptr<T> object) {
    if (!object) return;
    pending_.push_back(std::shared_ptr<void>(std::move(object)));
    uv_timer_start(timer_.get(), &DeferredDelete::OnTimer, 0, 0);
  }

 private:
  static void OnTimer(uv_timer_t* h) noexcept {
    static_cast<DeferredDelete*>(h->data)->Run();
  }
  void Run() {
    // Destructors may add more; those wait for the next turn.
    std::vector<std::shared_ptr<void>> now;
    now.swap(pending_);
    now.clear();
  }

  base::UvHandle<uv_timer_t> timer_;
  std::vector<std::shared_ptr<void>> pending_;
};

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CONTAINERS_DEFERRED_DELETE_H_
