// UvHandle<T>: owns one heap-allocated libuv handle.
//
// libuv forbids freeing a handle before its close callback ran, so the
// destructor calls uv_close() and the close callback deletes the memory.
// The loop must therefore run (or be walked by uv_run) after a UvHandle dies
// for the memory to be freed; every loop owner runs the loop to completion
// before uv_loop_close(), as libuv's own tests do.
#ifndef TETHER_BASE_UV_HANDLE_H_
#define TETHER_BASE_UV_HANDLE_H_

#include <uv.h>

#include <string>

#include "base/status.h"

namespace base {

template <typename T>
class UvHandle {
 public:
  UvHandle() : handle_(new T()) {}
  ~UvHandle() { Close(); }
  UvHandle(UvHandle&& other) noexcept : handle_(other.handle_),
                                        initialized_(other.initialized_) {
    other.handle_ = nullptr;
    other.initialized_ = false;
  }
  UvHandle& operator=(UvHandle&& other) noexcept {
    if (this != &other) {
      Close();
      handle_ = other.handle_;
      initialized_ = other.initialized_;
      other.handle_ = nullptr;
      other.initialized_ = false;
    }
    return *this;
  }
  UvHandle(const UvHandle&) = delete;
  UvHandle& operator=(const UvHandle&) = delete;

  T* get() const { return handle_; }
  T* operator->() const { return handle_; }
  // Call after a successful uv_*_init so the destructor knows to uv_close.
  void MarkInitialized() { initialized_ = true; }
  bool initialized() const { return initialized_; }

  // Closes now (idempotent). Safe to call from the handle's own callbacks.
  void Close() {
    if (handle_ == nullptr) return;
    if (initialized_) {
      uv_handle_t* h = reinterpret_cast<uv_handle_t*>(handle_);
      if (!uv_is_closing(h)) uv_close(h, &UvHandle::OnClosed);
    } else {
      delete handle_;
    }
    handle_ = nullptr;
    initialized_ = false;
  }

 private:
  static void OnClosed(uv_handle_t* h) noexcept {
    delete reinterpret_cast<T*>(h);
  }
  T* handle_;
  bool initialized_ = false;
};

// A Status for a failed libuv call: "context: uv_strerror(status)".
inline Status UvError(const std::string& context, int status) {
  return Status::FromErrno(Status::Code::kIoError, context, -status);
}

}  // namespace base

#endif  // TETHER_BASE_UV_HANDLE_H_
