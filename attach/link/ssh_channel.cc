#include "attach/link/ssh_channel.h"

#include <utility>

#include "attach/link/ssh_client.h"

namespace attach {

void SshChannel::ChannelFree::operator()(LIBSSH2_CHANNEL* c) const noexcept {
  // EAGAIN here means libssh2 still waits for the endpoint's close; the
  // channel then stays on the session's list and libssh2_session_free
  // finishes it. Either way this object is done with it.
  (void)libssh2_channel_free(c);
}

SshChannel::SshChannel(SshClient* client, std::string subsystem)
    : client_(client), subsystem_(std::move(subsystem)) {
  client_->AddChannel();
}

SshChannel::~SshChannel() {
  channel_.reset();
  client_->RemoveChannel();
}

base::Status SshChannel::Error(const char* what) const {
  std::string context = "ssh channel " + subsystem_ + ": " + what;
  if (!client_->stream_error().ok()) {
    return base::Status(client_->stream_error()).Annotate(context);
  }
  return base::Status::Unavailable(client_->LastError(context));
}

base::Result<bool> SshChannel::Advance() {
  if (state_ == State::kOpening) {
    LIBSSH2_CHANNEL* ch = libssh2_channel_open_session(client_->session());
    if (ch == nullptr) {
      if (libssh2_session_last_errno(client_->session()) ==
          LIBSSH2_ERROR_EAGAIN) {
        return false;
      }
      return Error("open");
    }
    channel_.reset(ch);
    // The endpoint has no business sending extended data to the tether;
    // ignored data is dropped on arrival instead of piling up in libssh2.
    // Setting the mode is immediate; the flush it may start has nothing
    // to flush on a channel this new, so its EAGAIN is irrelevant.
    (void)libssh2_channel_handle_extended_data2(
        ch, LIBSSH2_CHANNEL_EXTENDED_DATA_IGNORE);
    state_ = State::kSubsystem;
  }
  if (state_ == State::kSubsystem) {
    int rc = libssh2_channel_subsystem(channel_.get(), subsystem_.c_str());
    if (rc == LIBSSH2_ERROR_EAGAIN) return false;
    if (rc != 0) return Error("subsystem request");
    state_ = State::kOpen;
  }
  return state_ == State::kOpen;
}

void SshChannel::Queue(int stream, std::string data) {
  if (data.empty()) return;
  StreamQueue& q = queue_[stream];
  q.bytes += data.size();
  // A new string at the back never moves the front one, whose bytes a
  // pinned write must repeat exactly.
  q.chunks.push_back(std::move(data));
}

base::Status SshChannel::Flush(size_t max_backlog) {
  if (state_ != State::kOpen) return base::Status::Ok();
  while (queued() > 0) {
    if (client_->send_backlog() >= max_backlog) return base::Status::Ok();
    int stream = pinned_;
    if (stream < 0) stream = queue_[next_].bytes > 0 ? next_ : 1 - next_;
    StreamQueue& q = queue_[stream];
    const std::string& chunk = q.chunks.front();
    ssize_t n = libssh2_channel_write_ex(channel_.get(), stream,
                                         chunk.data() + q.front_pos,
                                         chunk.size() - q.front_pos);
    if (n == LIBSSH2_ERROR_EAGAIN) {
      pinned_ = stream;
      return base::Status::Ok();
    }
    if (n < 0) return Error("write");
    // 0: the endpoint's window is full; no packet was started.
    if (n == 0) return base::Status::Ok();
    pinned_ = -1;
    next_ = 1 - stream;
    q.front_pos += static_cast<size_t>(n);
    q.bytes -= static_cast<size_t>(n);
    if (q.front_pos == chunk.size()) {
      q.chunks.pop_front();
      q.front_pos = 0;
    }
  }
  return base::Status::Ok();
}

base::Result<bool> SshChannel::SendEof() {
  if (eof_sent_) return true;
  if (state_ != State::kOpen || queued() > 0) return false;
  int rc = libssh2_channel_send_eof(channel_.get());
  if (rc == LIBSSH2_ERROR_EAGAIN) return false;
  if (rc != 0) return Error("send eof");
  eof_sent_ = true;
  return true;
}

base::Result<size_t> SshChannel::Read(char* buf, size_t len) {
  if (state_ != State::kOpen) return size_t{0};
  ssize_t n = libssh2_channel_read_ex(channel_.get(), 0, buf, len);
  if (n == LIBSSH2_ERROR_EAGAIN) return size_t{0};
  if (n < 0) return Error("read");
  return static_cast<size_t>(n);
}

bool SshChannel::remote_eof() const {
  return state_ == State::kOpen && libssh2_channel_eof(channel_.get()) == 1;
}

base::Result<bool> SshChannel::Close() {
  if (state_ == State::kClosed) return true;
  if (!channel_) {
    state_ = State::kClosed;
    return true;
  }
  int rc = libssh2_channel_close(channel_.get());
  if (rc == LIBSSH2_ERROR_EAGAIN) return false;
  // Closed (or failed to: then libssh2 gave up on it); the free below
  // sends nothing more either way.
  state_ = State::kClosed;
  channel_.reset();
  return true;
}

}  // namespace attach
