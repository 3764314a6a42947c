// OutputPump: reads one pipe or pty master on the loop and hands each chunk
// to a callback until EOF.
//
// A pty master reports EIO once the last slave fd is closed; that is the
// pty's EOF and is treated as such. The pump owns the fd (libuv closes it).
#ifndef TETHER_TETHER_OUTPUT_PUMP_H_
#define TETHER_TETHER_OUTPUT_PUMP_H_

#include <uv.h>

#include <functional>
#include <memory>
#include <string>

#include "base/result.h"
#include "base/status.h"
#include "base/unique_fd.h"
#include "base/uv_handle.h"

namespace tether {

class OutputPump {
 public:
  using DataFn = std::function<void(const char* data, size_t len)>;
  // Called once, after the last DataFn, on EOF or a read error.
  using EofFn = std::function<void()>;

  // Takes the fd; starts reading at once. A terminal is read through
  // uv_tty_t (which reopens it, so the caller's terminal is not left
  // non-blocking); anything else through uv_pipe_t. Returns an error when
  // libuv cannot stream the fd (e.g. a regular file).
  static base::Result<std::unique_ptr<OutputPump>> Start(uv_loop_t* loop,
                                                         base::UniqueFd fd,
                                                         DataFn on_data,
                                                         EofFn on_eof);
  ~OutputPump() = default;

  bool open() const { return open_; }
  // Stops reading (the reader is behind: the writer blocks on a full
  // pipe instead of output being lost) and starts again. Idempotent.
  void Pause();
  void Resume();
  bool paused() const { return paused_; }
  // The stream, for writing into a pty master (stdin of a tty session).
  uv_stream_t* stream() const {
    return tty_.get() ? reinterpret_cast<uv_stream_t*>(tty_.get())
                      : reinterpret_cast<uv_stream_t*>(pipe_.get());
  }

 private:
  OutputPump() = default;
  static void OnAlloc(uv_handle_t* h, size_t size, uv_buf_t* buf) noexcept;
  static void OnRead(uv_stream_t* s, ssize_t n, const uv_buf_t* buf) noexcept;
  void Finish();

  base::Status Open(uv_loop_t* loop, int fd);

  base::UvHandle<uv_pipe_t> pipe_;  // Exactly one of pipe_ and tty_ is set.
  base::UvHandle<uv_tty_t> tty_;
  DataFn on_data_;
  EofFn on_eof_;
  bool open_ = false;
  bool paused_ = false;
  char buf_[65536];
};

}  // namespace tether

#endif  // TETHER_TETHER_OUTPUT_PUMP_H_
