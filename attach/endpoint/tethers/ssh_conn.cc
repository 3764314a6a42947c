#include "attach/endpoint/tethers/ssh_conn.h"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>

#include "attach/endpoint/tethers/hmac_owner.h"
#include "base/log.h"

namespace attach {
namespace endpoint {
namespace {

// libssh reads at most 4 KiB per ssh_event_dopoll; bounding the calls per
// wake-up keeps one busy tether from starving thousands of others.
constexpr int kMaxPollsPerWake = 64;
constexpr int kMaxAuthFailures = 6;
constexpr size_t kMaxChannels = 1024;
constexpr size_t kMaxWrite = 1 << 20;

}  // namespace

base::Status SocketPollError(int fd, int uv_status) {
  int err = 0;
  socklen_t len = sizeof(err);
  if (uv_status == UV_EBADF && fd >= 0 &&
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err != 0) {
    return base::Status::FromErrno(base::Status::Code::kUnavailable,
                                   "ssh socket", err);
  }
  return base::UvError("ssh socket", uv_status);
}

// ---- SshChannel ----

SshChannel::SshChannel(SshConn* conn, ssh_channel ch) : conn_(conn), ch_(ch) {
  cb_ = {};
  cb_.userdata = this;
  cb_.channel_data_function = &SshChannel::OnData;
  cb_.channel_eof_function = &SshChannel::OnEof;
  cb_.channel_close_function = &SshChannel::OnClose;
  cb_.channel_subsystem_request_function = &SshChannel::OnSubsystem;
  ssh_callbacks_init(&cb_);
  ssh_set_channel_callbacks(ch_, &cb_);
}

size_t SshChannel::Write(const char* data, size_t len) {
  if (remote_closed_ || eof_sent_ || conn_->closed_) return 0;
  // Within the window libssh sends at once (or buffers for POLLOUT);
  // beyond it a non-blocking write would queue without bound.
  size_t n = std::min<size_t>({len, ssh_channel_window_size(ch_), kMaxWrite});
  if (n == 0) return 0;
  HmacOwnerScope owner(conn_->hmac_owner());
  int rc = ssh_channel_write(ch_, data, static_cast<uint32_t>(n));
  if (rc < 0) {
    conn_->Close(base::Status::Unavailable(std::string("ssh write: ") +
                                           ssh_get_error(conn_->session_)));
    return 0;
  }
  if (conn_->AfterCall()) return 0;  // `this` may be gone.
  conn_->UpdatePoll();
  return static_cast<size_t>(rc);
}

uint32_t SshChannel::window() const {
  if (remote_closed_ || conn_->closed_) return 0;
  return ssh_channel_window_size(ch_);
}

void SshChannel::SendEof() {
  if (eof_sent_ || remote_closed_ || conn_->closed_) return;
  eof_sent_ = true;
  HmacOwnerScope owner(conn_->hmac_owner());
  ssh_channel_send_eof(ch_);
  if (conn_->AfterCall()) return;
  conn_->UpdatePoll();
}

void SshChannel::Close() {
  if (remote_closed_ || conn_->closed_) return;
  HmacOwnerScope owner(conn_->hmac_owner());
  ssh_channel_close(ch_);
  if (conn_->AfterCall()) return;
  conn_->UpdatePoll();
}

int SshChannel::OnData(ssh_session, ssh_channel, void* data, uint32_t len,
                       int is_stderr, void* userdata) noexcept {
  SshChannel* self = static_cast<SshChannel*>(userdata);
  (void)self->conn_->SocketLost();
  if (self->conn_->close_pending_) return static_cast<int>(len);
  self->conn_->delegate_->OnChannelData(self, static_cast<const char*>(data),
                                        len, is_stderr != 0);
  return static_cast<int>(len);
}

void SshChannel::OnEof(ssh_session, ssh_channel, void* userdata) noexcept {
  SshChannel* self = static_cast<SshChannel*>(userdata);
  (void)self->conn_->SocketLost();
  if (!self->conn_->close_pending_) self->conn_->delegate_->OnChannelEof(self);
}

void SshChannel::OnClose(ssh_session, ssh_channel, void* userdata) noexcept {
  SshChannel* self = static_cast<SshChannel*>(userdata);
  (void)self->conn_->SocketLost();
  if (self->remote_closed_) return;
  self->remote_closed_ = true;  // Freed after the pump (FreeClosedChannels).
  if (!self->conn_->close_pending_) {
    self->conn_->delegate_->OnChannelClosed(self);
  }
}

int SshChannel::OnSubsystem(ssh_session, ssh_channel, const char* name,
                            void* userdata) noexcept {
  SshChannel* self = static_cast<SshChannel*>(userdata);
  (void)self->conn_->SocketLost();
  // A channel is named once; a second request would rename it under the
  // Delegate's feet.
  if (!self->subsystem_.empty() || self->conn_->close_pending_) return 1;
  if (!self->conn_->delegate_->OnSubsystem(self, name)) return 1;
  self->subsystem_ = name;
  return 0;
}

// ---- SshConn ----

base::Result<std::unique_ptr<SshConn>> SshConn::Start(
    ssh_bind bind, base::UniqueFd fd, base::UvHandle<uv_poll_t> poll,
    Delegate* delegate) {
  std::unique_ptr<SshConn> c(new SshConn(delegate));
  // Owned from the start, so any failure below closes the watcher (c's
  // Teardown) before the socket it watches (`fd`, or libssh's ssh_free).
  c->poll_ = std::move(poll);
  c->poll_->data = c.get();
  uv_idle_init(c->poll_->loop, c->flush_idle_.get());
  c->flush_idle_.MarkInitialized();
  c->flush_idle_->data = c.get();
  c->session_ = ssh_new();
  if (c->session_ == nullptr) return base::Status::Internal("ssh_new failed");
  if (ssh_bind_accept_fd(bind, c->session_, fd.get()) != SSH_OK) {
    // The session may have taken the fd before failing; then it closes it.
    if (ssh_get_fd(c->session_) == fd.get()) (void)fd.Release();
    return base::Status::Internal(std::string("ssh accept: ") +
                                  ssh_get_error(bind));
  }
  // One descriptor, libssh's, also the one poll_ watches (SocketLost).
  c->fd_ = fd.Release();
  ssh_set_blocking(c->session_, 0);
  ssh_set_auth_methods(c->session_, SSH_AUTH_METHOD_PUBLICKEY);
  // Lets a benchmark pin the cipher the tether gets (the client's order
  // decides among those both sides offer).
  if (const char* ciphers = std::getenv("ATTACHD_SSH_CIPHERS")) {
    if (ssh_options_set(c->session_, SSH_OPTIONS_CIPHERS_C_S, ciphers) < 0 ||
        ssh_options_set(c->session_, SSH_OPTIONS_CIPHERS_S_C, ciphers) < 0) {
      return base::Status::InvalidArgument(
          std::string("ATTACHD_SSH_CIPHERS: ") + ssh_get_error(c->session_));
    }
  }
  c->server_cb_ = {};
  c->server_cb_.userdata = c.get();
  c->server_cb_.auth_pubkey_function = &SshConn::OnAuthPubkey;
  c->server_cb_.channel_open_request_session_function = &SshConn::OnChannelOpen;
  ssh_callbacks_init(&c->server_cb_);
  ssh_set_server_callbacks(c->session_, &c->server_cb_);
  // Non-blocking: sends our banner, installs the key exchange state
  // machine and returns; the rest happens in later dopolls.
  if (ssh_handle_key_exchange(c->session_) == SSH_ERROR || c->SocketLost()) {
    return base::Status::Unavailable(std::string("ssh key exchange: ") +
                                     ssh_get_error(c->session_));
  }
  c->event_ = ssh_event_new();
  if (c->event_ == nullptr ||
      ssh_event_add_session(c->event_, c->session_) != SSH_OK) {
    return base::Status::Internal("ssh_event_add_session failed");
  }
  c->UpdatePoll();
  return c;
}

SshConn::~SshConn() {
  if (!closed_) {
    delegate_ = nullptr;  // Destruction is not an event to report.
    Teardown();
  }
}

std::string SshConn::algorithms() const {
  if (session_ == nullptr) return "";
  const char* cipher = ssh_get_cipher_in(session_);
  const char* mac = ssh_get_hmac_in(session_);
  return std::string(cipher ? cipher : "?") + " " + (mac ? mac : "?");
}

void SshConn::Close(base::Status why) {
  if (closed_ || close_pending_) return;
  close_pending_ = true;
  close_status_ = std::move(why);
  if (pumping_ == 0) Teardown();
}

void SshConn::SetReadPaused(bool paused) {
  if (read_paused_ == paused) return;
  read_paused_ = paused;
  UpdatePoll();
  // libssh may hold input it read before the rest.
  if (!paused && !closed_ && !close_pending_) {
    uv_idle_start(flush_idle_.get(), &SshConn::OnFlushIdle);
  }
}

void SshConn::UpdatePoll() {
  if (closed_ || close_pending_ || !poll_.initialized() || fd_ < 0) return;
  int want = read_paused_ ? 0 : UV_READABLE;
  if (ssh_get_poll_flags(session_) & SSH_WRITE_PENDING) {
    if (in_flush_) {
      want |= UV_WRITABLE;  // Still full after the flush: wait for room.
    } else {
      uv_idle_start(flush_idle_.get(), &SshConn::OnFlushIdle);
    }
  }
  if (want == poll_events_) return;
  poll_events_ = want;
  if (want == 0) {
    uv_poll_stop(poll_.get());
  } else {
    uv_poll_start(poll_.get(), want, &SshConn::OnPoll);
  }
}

void SshConn::OnPoll(uv_poll_t* h, int status, int /*events*/) noexcept {
  SshConn* self = static_cast<SshConn*>(h->data);
  if (status < 0) {
    self->Close(SocketPollError(self->fd_, status));
    return;
  }
  self->Pump();
}

void SshConn::OnFlushIdle(uv_idle_t* h) noexcept {
  SshConn* self = static_cast<SshConn*>(h->data);
  uv_idle_stop(h);
  // A torn-down connection is only deleted on a later turn.
  self->in_flush_ = true;
  self->Pump();
  self->in_flush_ = false;
}

void SshConn::Pump() {
  if (closed_ || close_pending_) return;
  HmacOwnerScope owner(hmac_owner());
  ++pumping_;
  for (int i = 0; i < kMaxPollsPerWake && !close_pending_; ++i) {
    int rc = ssh_event_dopoll(event_, 0);
    if (rc == SSH_ERROR || SocketLost()) {
      Close(base::Status::Unavailable(std::string("ssh: ") +
                                      ssh_get_error(session_)));
    } else if (rc == SSH_AGAIN) {
      break;
    }
  }
  if (!close_pending_ &&
      (ssh_get_status(session_) & (SSH_CLOSED | SSH_CLOSED_ERROR)) != 0) {
    Close(base::Status::Unavailable("ssh: connection closed"));
  }
  if (!close_pending_ && delegate_ != nullptr) delegate_->OnAfterPump();
  --pumping_;
  if (close_pending_) {
    Teardown();
    return;
  }
  FreeClosedChannels();
  if (SocketLost()) {
    Close(base::Status::Unavailable(std::string("ssh: ") +
                                    ssh_get_error(session_)));
    return;
  }
  UpdatePoll();
}

bool SshConn::SocketLost() {
  if (fd_ >= 0 && session_ != nullptr && ssh_get_fd(session_) != fd_) {
    // The number may be reused from now on: the watcher lets go of it now.
    fd_ = -1;
    poll_events_ = 0;
    if (poll_.initialized()) uv_poll_stop(poll_.get());
  }
  return fd_ < 0;
}

bool SshConn::AfterCall() {
  if (closed_) return true;
  if (!SocketLost()) return false;
  // Torn down now unless a Pump is under way; either way the caller is
  // done.
  Close(base::Status::Unavailable(std::string("ssh: ") +
                                  ssh_get_error(session_)));
  return true;
}

void SshConn::FreeClosedChannels() {
  for (auto it = channels_.begin(); it != channels_.end();) {
    if ((*it)->remote_closed_) {
      // Answers the peer's CLOSE (if not done) and frees the channel.
      ssh_channel_free((*it)->ch_);
      it = channels_.erase(it);
    } else {
      ++it;
    }
  }
}

void SshConn::Teardown() {
  if (closed_) return;
  closed_ = true;
  // The watcher goes before the socket: epoll must not outlive the fd.
  poll_.Close();
  flush_idle_.Close();
  channels_.clear();  // ssh_free frees the libssh channels.
  if (event_ != nullptr) {
    ssh_event_remove_session(event_, session_);
    ssh_event_free(event_);
    event_ = nullptr;
  }
  if (session_ != nullptr) {
    {
      HmacOwnerScope owner(hmac_owner());
      ssh_disconnect(session_);
    }
    ssh_free(session_);  // Closes libssh's descriptor of the socket.
    session_ = nullptr;
  }
  ReleaseHmacKeys(this);
  fd_ = -1;
  if (delegate_ != nullptr) delegate_->OnConnClosed(close_status_);
}

int SshConn::OnAuthPubkey(ssh_session, const char* user, ssh_key key,
                          char signature_state, void* userdata) noexcept {
  SshConn* self = static_cast<SshConn*>(userdata);
  (void)self->SocketLost();
  std::string name = user != nullptr ? user : "";
  bool ok = !self->close_pending_ && self->delegate_->AuthorizeKey(name, key);
  if (ok && signature_state == SSH_PUBLICKEY_STATE_NONE) {
    return SSH_AUTH_SUCCESS;  // "This key would do": the client signs next.
  }
  if (ok && signature_state == SSH_PUBLICKEY_STATE_VALID) {
    self->authenticated_ = true;
    self->user_ = name;
    self->delegate_->OnAuthenticated();
    return SSH_AUTH_SUCCESS;
  }
  if (++self->auth_failures_ >= kMaxAuthFailures) {
    self->Close(base::Status::PermissionDenied("too many failed logins"));
  }
  return SSH_AUTH_DENIED;
}

ssh_channel SshConn::OnChannelOpen(ssh_session session,
                                   void* userdata) noexcept {
  SshConn* self = static_cast<SshConn*>(userdata);
  (void)self->SocketLost();
  if (!self->authenticated_ || self->close_pending_ ||
      self->channels_.size() >= kMaxChannels) {
    return nullptr;
  }
  ssh_channel ch = ssh_channel_new(session);
  if (ch == nullptr) return nullptr;
  self->channels_.push_back(
      std::unique_ptr<SshChannel>(new SshChannel(self, ch)));
  return ch;
}

}  // namespace endpoint
}  // namespace attach
