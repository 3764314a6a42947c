// API requests that outlive their handler call (start, stop, wait,
// attach, exec, logs): each is an Op owned by the OpSet until it says it
// is done, so a client that goes away, a container that ends and
// attachd's shutdown all end it the same way. Ops are destroyed on a later
// loop turn, never inside their own callbacks.
//
// Loop thread only.
#ifndef TETHER_ATTACH_ENDPOINT_API_OP_SET_H_
#define TETHER_ATTACH_ENDPOINT_API_OP_SET_H_

#include <uv.h>

#include <map>
#include <memory>

#include "attach/endpoint/containers/deferred_delete.h"

namespace attach {
namespace endpoint {
namespace api {

class OpSet;

class Op {
 public:
  virtual ~Op() = default;
  // attachd is stopping: end now (close the client's connection).
  virtual void Cancel() = 0;

 protected:
  // The op is over; it is destroyed on a later turn. Idempotent.
  void Done();

 private:
  friend class OpSet;
  OpSet* set_ = nullptr;
};

class OpSet {
 public:
  explicit OpSet(uv_loop_t* loop) : graveyard_(loop) {}
  ~OpSet() { CancelAll(); }
  OpSet(const OpSet&) = delete;
  OpSet& operator=(const OpSet&) = delete;

  // Takes `op`; returns it for the caller to start.
  template <typename T>
  T* Add(std::unique_ptr<T> op) {
    T* raw = op.get();
    raw->set_ = this;
    ops_[raw] = std::move(op);
    return raw;
  }
  void CancelAll();
  size_t size() const { return ops_.size(); }

 private:
  friend class Op;
  void Retire(Op* op) { graveyard_.Retire(&ops_, op); }

  std::map<Op*, std::unique_ptr<Op>> ops_;
  DeferredDelete graveyard_;
};

}  // namespace api
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_API_OP_SET_H_
