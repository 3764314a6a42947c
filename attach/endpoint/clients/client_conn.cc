#include "attach/endpoint/clients/client_conn.h"

#include "base/log.h"

namespace attach {
namespace endpoint {
namespace {

namespace pb = ::tether::attach;

constexpr size_t kReadBuffer = 64 * 1024;

}  // namespace

// A write in flight. It finds its connection through the pipe's data,
// which is cleared on close, so cancelled writes never touch a dead one.
struct ClientConn::WriteReq {
  uv_write_t req;
  std::shared_ptr<const std::string> frame;
};

ClientConn::ClientConn(uv_loop_t* loop, size_t max_queue, FirstRequest first,
                       Closed closed)
    : loop_(loop),
      max_queue_(max_queue),
      first_(std::move(first)),
      closed_cb_(std::move(closed)) {}

ClientConn::~ClientConn() {
  if (pipe_.initialized()) pipe_->data = nullptr;
  handler_.reset();  // Unregisters from sessions while they still exist.
}

base::Status ClientConn::Accept(uv_stream_t* server) {
  // IPC: a tty attach/exec passes its terminal with the first request.
  int rc = uv_pipe_init(loop_, pipe_.get(), 1);
  if (rc != 0) return base::UvError("uv_pipe_init", rc);
  pipe_.MarkInitialized();
  pipe_->data = this;
  rc = uv_accept(server, reinterpret_cast<uv_stream_t*>(pipe_.get()));
  if (rc != 0) return base::UvError("accept a client", rc);
  return base::Status::Ok();
}

int ClientConn::fd() const {
  uv_os_fd_t fd = -1;
  if (closed_ || !pipe_.initialized() ||
      uv_fileno(reinterpret_cast<const uv_handle_t*>(pipe_.get()), &fd) != 0) {
    return -1;
  }
  return fd;
}

void ClientConn::SetHandler(std::unique_ptr<Handler> handler) {
  handler_ = std::move(handler);
}

bool ClientConn::Send(const pb::Response& resp) {
  if (closed_ || finishing_) return false;
  size_t size = resp.ByteSizeLong();
  if (size > kMaxFrameBytes) {
    // Whatever it holds, a reply must not bring attachd down (review F1):
    // the client gets an error it can show instead.
    LOG_ERROR(
        "a reply of %zu bytes does not fit in a frame; sent an error "
        "instead",
        size);
    pb::Response error;
    error.set_error(resp.has_error()
                        ? resp.error().substr(0, 4096) + "..."
                        : "attachd: the reply (" + std::to_string(size) +
                              " bytes) is larger than a frame (" +
                              std::to_string(kMaxFrameBytes) + " bytes)");
    return SendFrame(std::make_shared<const std::string>(EncodeFrame(error)));
  }
  return SendFrame(std::make_shared<const std::string>(EncodeFrame(resp)));
}

bool ClientConn::SendFrame(std::shared_ptr<const std::string> frame) {
  if (closed_ || finishing_) return false;
  if (!HasRoom(frame->size())) {
    Drop("client does not read its output (" + std::to_string(queued()) +
         " bytes queued)");
    return false;
  }
  if (terminal_ && terminal_->queued() > 0) {
    // After output still on its way to the terminal.
    queued_ += frame->size();
    held_.push_back(std::move(frame));
    return true;
  }
  return WriteFrame(std::move(frame));
}

bool ClientConn::WriteFrame(std::shared_ptr<const std::string> frame) {
  auto* w = new WriteReq();
  w->frame = std::move(frame);
  uv_buf_t buf = uv_buf_init(const_cast<char*>(w->frame->data()),
                             static_cast<unsigned int>(w->frame->size()));
  int rc = uv_write(&w->req, reinterpret_cast<uv_stream_t*>(pipe_.get()), &buf,
                    1, &ClientConn::OnWritten);
  if (rc != 0) {
    delete w;
    Gone(std::string("write: ") + uv_strerror(rc));
    return false;
  }
  if (queued() == 0) last_progress_ms_ = uv_now(loop_);
  queued_ += buf.len;
  return true;
}

base::Status ClientConn::AdoptTerminal() {
  ClientTerminal::Callbacks cb;
  cb.input = [this](std::string_view data) { OnTerminalInput(data); };
  // A terminal that hangs up is a user gone, not the end of their input:
  // the container's stdin stays open for the next one.
  cb.input_end = [this] { Gone("its terminal hung up"); };
  cb.written = [this] { OnTerminalWritten(); };
  cb.failed = [this](const std::string& why) { Gone(why); };
  TETHER_ASSIGN_OR_RETURN(terminal_,
                          ClientTerminal::Adopt(pipe_.get(), std::move(cb)));
  if (!paused_) terminal_->StartReading();
  return base::Status::Ok();
}

bool ClientConn::SendToTerminal(std::string_view data) {
  if (closed_ || finishing_ || !terminal_) return false;
  if (!HasRoom(data.size())) {
    Drop("client does not read its output (" + std::to_string(queued()) +
         " bytes queued)");
    return false;
  }
  const bool was_idle = queued() == 0;
  if (!terminal_->Write(data)) return false;  // Gone() was called.
  if (was_idle && terminal_->queued() > 0) last_progress_ms_ = uv_now(loop_);
  return true;
}

void ClientConn::OnTerminalWritten() {
  if (closed_) return;
  if (terminal_->queued() == 0 && !held_.empty()) {
    std::vector<std::shared_ptr<const std::string>> held;
    held.swap(held_);
    for (auto& frame : held) {
      queued_ -= frame->size();
      if (!WriteFrame(std::move(frame))) return;
    }
  }
  Progressed();
}

void ClientConn::OnTerminalInput(std::string_view data) {
  if (closed_ || finishing_ || !handler_) return;
  pb::Request req;
  req.mutable_stdin()->set_data(data.data(), data.size());
  handler_->OnRequest(req);
}

void ClientConn::FailWith(const std::string& message) {
  pb::Response resp;
  resp.set_error(message);
  Send(resp);
  Finish();
}

void ClientConn::OnWritten(uv_write_t* req, int status) noexcept {
  std::unique_ptr<WriteReq> w(reinterpret_cast<WriteReq*>(req));
  ClientConn* self = static_cast<ClientConn*>(req->handle->data);
  if (self == nullptr || self->closed_) return;
  self->queued_ -= w->frame->size();
  if (status < 0) {
    self->last_progress_ms_ = uv_now(self->loop_);
    self->Gone(std::string("write: ") + uv_strerror(status));
    return;
  }
  self->Progressed();
}

void ClientConn::Progressed() {
  last_progress_ms_ = uv_now(loop_);
  if (finishing_ && queued() == 0) {
    Close();
    return;
  }
  if (handler_ && below_low_mark()) handler_->OnDrained();
}

void ClientConn::PauseReading() {
  paused_ = true;
  if (terminal_) terminal_->StopReading();
  if (reading_) {
    uv_read_stop(reinterpret_cast<uv_stream_t*>(pipe_.get()));
    reading_ = false;
  }
}

void ClientConn::ResumeReading() {
  paused_ = false;
  if (closed_) return;
  if (terminal_) terminal_->StartReading();
  if (reading_ || eof_) return;
  int rc = uv_read_start(reinterpret_cast<uv_stream_t*>(pipe_.get()),
                         &ClientConn::OnAlloc, &ClientConn::OnRead);
  if (rc == 0) reading_ = true;
  // Requests that arrived before the pause are already buffered.
  if (got_first_) HandleFrames();
}

void ClientConn::OnAlloc(uv_handle_t* h, size_t /*hint*/,
                         uv_buf_t* buf) noexcept {
  ClientConn* self = static_cast<ClientConn*>(h->data);
  if (self == nullptr) {
    *buf = uv_buf_init(nullptr, 0);
    return;
  }
  self->read_buf_.resize(kReadBuffer);
  *buf = uv_buf_init(&self->read_buf_[0], kReadBuffer);
}

void ClientConn::OnRead(uv_stream_t* s, ssize_t n,
                        const uv_buf_t* buf) noexcept {
  ClientConn* self = static_cast<ClientConn*>(s->data);
  if (self == nullptr || self->closed_) return;
  if (n < 0) {
    // EOF: the client sent all it will; its command goes on until its
    // output is done (a vanished client shows up as a write error).
    uv_read_stop(s);
    self->reading_ = false;
    self->eof_ = true;
    if (n != UV_EOF) {
      self->Gone(std::string("read: ") + uv_strerror(n));
    } else if (self->terminal_) {
      // tetherctl died without a word: its terminal is the shell's again,
      // and nothing more may be read from it or written to it.
      self->Gone("closed the connection");
    }
    return;
  }
  self->reader_.Append(buf->base, static_cast<size_t>(n));
  self->HandleFrames();
}

void ClientConn::HandleFrames() {
  // A handler may resume reading from inside OnRequest; the outer loop
  // then simply goes on, keeping requests in order.
  if (in_frames_) return;
  in_frames_ = true;
  HandleFramesLoop();
  in_frames_ = false;
}

void ClientConn::HandleFramesLoop() {
  while (!closed_ && !finishing_) {
    base::Result<std::optional<std::string>> frame = reader_.Next();
    if (!frame.ok()) {
      FailWith(frame.status().ToString());
      return;
    }
    if (!frame->has_value()) return;
    pb::Request req;
    base::Status s = ParseFrame(**frame, &req, "request");
    if (!s.ok()) {
      FailWith(s.ToString());
      return;
    }
    if (!got_first_) {
      got_first_ = true;
      first_(this, req);
    } else if (handler_) {
      handler_->OnRequest(req);
    } else {
      FailWith("unexpected request after the command");
      return;
    }
    if (paused_) return;  // The rest waits in reader_ until resumed.
  }
}

void ClientConn::Finish() {
  if (closed_ || finishing_) return;
  finishing_ = true;
  // Keys typed from now on are for whatever runs on the terminal next.
  if (terminal_) terminal_->StopReading();
  if (queued() == 0) Close();
}

void ClientConn::Drop(const std::string& why) {
  if (closed_) return;
  LOG_WARN("client dropped: %s", why.c_str());
  Close();
}

void ClientConn::Gone(const std::string& why) {
  if (closed_) return;
  LOG_INFO("client gone: %s", why.c_str());
  Close();
}

void ClientConn::Close() {
  if (closed_) return;
  closed_ = true;
  if (terminal_) terminal_->Close();
  if (pipe_.initialized()) pipe_->data = nullptr;
  pipe_.Close();
  closed_cb_(this);
}

}  // namespace endpoint
}  // namespace attach
