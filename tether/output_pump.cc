#include "tether/output_pump.h"

#include <unistd.h>

#include "base/log.h"

namespace tether {

base::Result<std::unique_ptr<OutputPump>> OutputPump::Start(
    uv_loop_t* loop, base::UniqueFd fd, DataFn on_data, EofFn on_eof) {
  // Default-initialised: the 64 KiB buffer is not zeroed (nor made
  // resident) before the first read.
  std::unique_ptr<OutputPump> pump(new OutputPump);
  TETHER_RETURN_IF_ERROR(pump->Open(loop, fd.get()));
  fd.Release();  // libuv closes it with the handle.
  int rc = uv_read_start(pump->stream(), &OutputPump::OnAlloc,
                     &OutputPump::OnRead);
  if (rc != 0) return base::UvError("uv_read_start", rc);
  pump->on_data_ = std::move(on_data);
  pump->on_eof_ = std::move(on_eof);
  pump->open_ = true;
  return pump;
}

base::Status OutputPump::Open(uv_loop_t* loop, int fd) {
  uv_handle_type type = uv_guess_handle(fd);
  // epoll refuses regular files and most character devices (/dev/null),
  // and libuv aborts when the kernel refuses: only hand it streams.
  if (type != UV_TTY && type != UV_NAMED_PIPE && type != UV_TCP) {
    return base::Status::InvalidArgument("not a pipe, socket or terminal");
  }
  if (type == UV_TTY) {
    pipe_.Close();
    int rc = uv_tty_init(loop, tty_.get(), fd, 1);
    if (rc != 0) return base::UvError("uv_tty_init", rc);
    tty_.MarkInitialized();
    tty_->data = this;
    return base::Status::Ok();
  }
  tty_.Close();
  int rc = uv_pipe_init(loop, pipe_.get(), 0);
  if (rc != 0) return base::UvError("uv_pipe_init", rc);
  pipe_.MarkInitialized();
  pipe_->data = this;
  rc = uv_pipe_open(pipe_.get(), fd);
  if (rc != 0) return base::UvError("uv_pipe_open", rc);
  return base::Status::Ok();
}

void OutputPump::OnAlloc(uv_handle_t* h, size_t, uv_buf_t* buf) noexcept {
  OutputPump* self = static_cast<OutputPump*>(h->data);
  *buf = uv_buf_init(self->buf_, sizeof(self->buf_));
}

void OutputPump::OnRead(uv_stream_t* s, ssize_t n,
                        const uv_buf_t* buf) noexcept {
  OutputPump* self = static_cast<OutputPump*>(s->data);
  if (n > 0) {
    self->on_data_(buf->base, static_cast<size_t>(n));
    return;
  }
  if (n == 0) return;  // EAGAIN.
  if (n != UV_EOF && n != UV_EIO) {
    LOG_WARN("output read: %s", uv_strerror(static_cast<int>(n)));
  }
  self->Finish();
}

void OutputPump::Pause() {
  if (!open_ || paused_) return;
  uv_read_stop(stream());
  paused_ = true;
}

void OutputPump::Resume() {
  if (!open_ || !paused_) return;
  int rc = uv_read_start(stream(), &OutputPump::OnAlloc, &OutputPump::OnRead);
  if (rc != 0) {
    LOG_WARN("output read: %s", uv_strerror(rc));
    Finish();
    return;
  }
  paused_ = false;
}

void OutputPump::Finish() {
  if (!open_) return;
  open_ = false;
  uv_read_stop(stream());
  // The handle (and fd) lives until the owner destroys the pump, which may
  // happen inside on_eof_.
  EofFn done = std::move(on_eof_);
  if (done) done();  // May destroy this pump; touch nothing after.
}

}  // namespace tether
