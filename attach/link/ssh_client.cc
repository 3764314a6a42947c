#include "attach/link/ssh_client.h"

#include <errno.h>
#include <sodium.h>
#include <sys/socket.h>

#include <cstring>
#include <utility>

#include "attach/link/transport.h"
#include "base/log.h"

namespace attach {
namespace {

// libssh2_init is process-wide and not thread-safe; every session of this
// process is made on the loop thread, after this ran once. It runs
// sodium_init for its crypto back-end but cannot report that failing; the
// second call only says how the first went.
bool InitLibssh2() {
  static const bool ok = libssh2_init(0) == 0 && sodium_init() >= 0;
  return ok;
}

// "SHA256:abc=" and "SHA256:abc" name the same key.
std::string StripPadding(std::string s) {
  while (!s.empty() && s.back() == '=') s.pop_back();
  return s;
}

// The algorithms the tether offers: all the vendored libssh2's libsodium
// back-end carries (third_party/libssh2/src/libsodium.h), each spoken by
// libssh 0.10 (attachd) and OpenSSH. AES-256-GCM is one libsodium call per
// packet, but libsodium has it only with AES-NI and PCLMUL;
// chacha20-poly1305 (libssh2's construction on libsodium's ChaCha20 and
// Poly1305: third_party/libssh2/README.tether.md) runs anywhere. The MACs are
// negotiated but unused: both ciphers authenticate the packets themselves,
// and libssh2 1.11.1 still agrees on a MAC next to chacha20-poly1305.
constexpr const char* kMacs = "hmac-sha2-256,hmac-sha2-512";
constexpr const char* kKex = "curve25519-sha256,curve25519-sha256@libssh.org";
constexpr const char* kHostKeys = "ssh-ed25519";

base::Status SetAlgorithms(LIBSSH2_SESSION* session) {
  const char* ciphers = LinkCiphers();
  const struct {
    int type;
    const char* list;
  } prefs[] = {
      {LIBSSH2_METHOD_KEX, kKex},         {LIBSSH2_METHOD_HOSTKEY, kHostKeys},
      {LIBSSH2_METHOD_CRYPT_CS, ciphers}, {LIBSSH2_METHOD_CRYPT_SC, ciphers},
      {LIBSSH2_METHOD_MAC_CS, kMacs},     {LIBSSH2_METHOD_MAC_SC, kMacs},
  };
  for (const auto& p : prefs) {
    if (libssh2_session_method_pref(session, p.type, p.list) != 0) {
      return base::Status::Internal(
          std::string("ssh: libssh2 supports none of ") + p.list);
    }
  }
  return base::Status::Ok();
}

}  // namespace

const char* LinkCiphers() {
  // sodium_init probed the CPU.
  if (InitLibssh2() && crypto_aead_aes256gcm_is_available()) {
    return "aes256-gcm@openssh.com,chacha20-poly1305@openssh.com";
  }
  return "chacha20-poly1305@openssh.com";
}

std::string FormatSha256Fingerprint(const unsigned char* hash, size_t len) {
  const int variant = sodium_base64_VARIANT_ORIGINAL_NO_PADDING;
  std::string b64(sodium_base64_ENCODED_LEN(len, variant), '\0');
  sodium_bin2base64(&b64[0], b64.size(), hash, len, variant);
  b64.resize(std::strlen(b64.c_str()));
  return "SHA256:" + b64;
}

void SshClient::SessionFree::operator()(LIBSSH2_SESSION* s) const noexcept {
  // After Abort() no call can wait for the network, so this cannot return
  // EAGAIN; if it ever did, leaking the session beats spinning on it.
  (void)libssh2_session_free(s);
}

SshClient::SshClient(uv_loop_t* loop, int fd, bool is_socket,
                     std::string initial, SshIdentity identity,
                     SshTimings timings, Delegate* delegate)
    : loop_(loop),
      fd_(fd),
      is_socket_(is_socket),
      identity_(std::move(identity)),
      timings_(timings),
      delegate_(delegate),
      in_(std::move(initial)) {}

SshClient::~SshClient() {
  *alive_ = false;
  TETHER_CHECK(channels_ == 0);
  Abort();
  session_.reset();
}

base::Status SshClient::Start() {
  if (!InitLibssh2()) return base::Status::Internal("libssh2_init failed");
  session_.reset(libssh2_session_init_ex(nullptr, nullptr, nullptr, this));
  if (!session_) return base::Status::Internal("ssh: cannot allocate session");
  // Non-blocking: every libssh2 call returns EAGAIN instead of waiting, and
  // this client calls again when the poll says the fd moved.
  libssh2_session_set_blocking(session_.get(), 0);
  // Our callbacks instead of recv/send: see the header for why.
  libssh2_session_callback_set2(
      session_.get(), LIBSSH2_CALLBACK_RECV,
      reinterpret_cast<libssh2_cb_generic*>(&SshClient::Recv));
  libssh2_session_callback_set2(
      session_.get(), LIBSSH2_CALLBACK_SEND,
      reinterpret_cast<libssh2_cb_generic*>(&SshClient::Send));
  TETHER_RETURN_IF_ERROR(SetAlgorithms(session_.get()));
  int rc = uv_poll_init(loop_, poll_.get(), fd_);
  if (rc != 0) return base::UvError("ssh: uv_poll_init", rc);
  poll_.MarkInitialized();
  poll_->data = this;
  last_rx_ms_ = uv_now(loop_);
  UpdatePoll();
  // The client speaks first (docs/protocol.md §2): the handshake's first
  // step sends our banner without waiting for the endpoint's.
  std::shared_ptr<bool> alive = alive_;
  base::Status st = Advance();
  if (!*alive || !st.ok()) return st;
  return FlushBacklog();
}

std::string SshClient::LastError(const std::string& context) const {
  char* msg = nullptr;
  int len = 0;
  int code = 0;
  if (session_)
    code = libssh2_session_last_error(session_.get(), &msg, &len, 0);
  std::string out = context + ": ";
  out += msg != nullptr && len > 0 ? std::string(msg, static_cast<size_t>(len))
                                   : std::string("unknown libssh2 error");
  // The code tells apart what the messages blur ("transport read" is both
  // a bad MAC and an impossible packet length).
  return out + " (libssh2 error " + std::to_string(code) + ")";
}

base::Status SshClient::Tick() {
  if (aborted_) {
    return stream_error_.ok() ? base::Status::Unavailable("ssh: aborted")
                              : stream_error_;
  }
  uint64_t silent = uv_now(loop_) - last_rx_ms_;
  if (silent > timings_.idle_limit_ms) {
    return base::Status::Unavailable(
        "keepalive: no data from the endpoint for " + std::to_string(silent) +
        " ms");
  }
  if (phase_ != Phase::kReady) return base::Status::Ok();
  // want_reply is set (Advance): a live endpoint answers every keepalive,
  // so silence longer than three intervals means the link is dead.
  int next = 0;
  int rc = libssh2_keepalive_send(session_.get(), &next);
  if (rc != 0 && rc != LIBSSH2_ERROR_EAGAIN) {
    return base::Status::Unavailable(LastError("ssh keepalive"));
  }
  return base::Status::Ok();
}

void SshClient::UpdatePoll() {
  if (aborted_ || !poll_.initialized()) return;
  // Always readable: libssh2 only reads inside its own calls, and window
  // adjustments for blocked writers arrive as input.
  int events = UV_READABLE | (send_backlog() > 0 ? UV_WRITABLE : 0);
  if (events == poll_events_) return;
  int rc = uv_poll_start(poll_.get(), events, &SshClient::OnPoll);
  if (rc != 0) {
    // Not Fail(): this runs inside libssh2 calls, where the delegate must
    // not be told (it might free the session under libssh2). Tick()
    // reports it within a second.
    stream_error_ = base::UvError("ssh: uv_poll_start", rc);
    Abort();
    return;
  }
  poll_events_ = events;
}

void SshClient::Abort() {
  aborted_ = true;
  poll_.Close();
  // libssh2 (1.10, 1.11.1) frees its curve25519 key pair only on its own
  // error path: a session freed while it waits for the endpoint's ECDH reply
  // leaks it. With the callbacks failing now, one more handshake call takes
  // that path.
  if (handshake_pending_) {
    handshake_pending_ = false;
    (void)libssh2_session_handshake(session_.get(), fd_);
  }
}

void SshClient::Fail(base::Status status) {
  Abort();
  delegate_->OnSshError(std::move(status));  // May destroy *this.
}

void SshClient::OnPoll(uv_poll_t* handle, int status, int events) noexcept {
  static_cast<SshClient*>(handle->data)->HandlePoll(status, events);
}

void SshClient::HandlePoll(int status, int events) {
  std::shared_ptr<bool> alive = alive_;
  if (status < 0) return Fail(PollError(status));
  if (events & UV_READABLE) fd_drained_ = false;
  // Room in the kernel first, so what libssh2 writes next can go straight
  // out rather than behind the backlog.
  if (events & UV_WRITABLE) {
    base::Status s = FlushBacklog();
    if (!s.ok()) return Fail(std::move(s));
  }
  if (phase_ != Phase::kReady) {
    base::Status s = Advance();
    if (!*alive) return;
    if (s.ok()) s = FlushBacklog();  // What this step sent, in one write.
    if (!s.ok()) return Fail(std::move(s));
  }
  if (phase_ == Phase::kReady) {
    delegate_->OnSshActivity();
    if (!*alive) return;
  }
  UpdatePoll();
}

base::Status SshClient::Advance() {
  switch (phase_) {
    case Phase::kHandshake: {
      int rc = libssh2_session_handshake(session_.get(), fd_);
      handshake_pending_ = rc == LIBSSH2_ERROR_EAGAIN;
      if (rc == LIBSSH2_ERROR_EAGAIN) return base::Status::Ok();
      if (rc != 0) {
        if (!stream_error_.ok()) return stream_error_;
        return base::Status::Unavailable(LastError("ssh handshake"));
      }
      TETHER_RETURN_IF_ERROR(CheckHostKey());
      libssh2_keepalive_config(
          session_.get(), 1,
          static_cast<unsigned>(timings_.keepalive_interval_s));
      phase_ = Phase::kAuth;
      [[fallthrough]];
    }
    case Phase::kAuth: {
      // No public key given: libssh2 derives it from the private key. The
      // identity key has no passphrase (it lives in the config).
      int rc = libssh2_userauth_publickey_frommemory(
          session_.get(), identity_.user.data(), identity_.user.size(), nullptr,
          0, identity_.private_key.data(), identity_.private_key.size(), "");
      if (rc == LIBSSH2_ERROR_EAGAIN) return base::Status::Ok();
      if (rc == LIBSSH2_ERROR_AUTHENTICATION_FAILED ||
          rc == LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED) {
        return base::Status::PermissionDenied(
            "ssh: the endpoint refused the identity key for user " +
            identity_.user);
      }
      if (rc == LIBSSH2_ERROR_FILE ||
          rc == LIBSSH2_ERROR_METHOD_NOT_SUPPORTED) {
        // libssh2's message names the parsing step, never key material.
        return base::Status::InvalidArgument(LastError("ssh: identity key"));
      }
      if (rc != 0) {
        if (!stream_error_.ok()) return stream_error_;
        return base::Status::Unavailable(LastError("ssh auth"));
      }
      phase_ = Phase::kReady;
      delegate_->OnSshReady();  // May destroy *this; the caller checks.
      return base::Status::Ok();
    }
    case Phase::kReady:
      break;
  }
  return base::Status::Ok();
}

base::Status SshClient::CheckHostKey() {
  const char* hash =
      libssh2_hostkey_hash(session_.get(), LIBSSH2_HOSTKEY_HASH_SHA256);
  if (hash == nullptr) {
    return base::Status::Internal("ssh: libssh2 gave no SHA-256 host key hash");
  }
  std::string got =
      FormatSha256Fingerprint(reinterpret_cast<const unsigned char*>(hash), 32);
  std::string want = StripPadding(identity_.host_key_sha256);
  if (got != want) {
    return base::Status::PermissionDenied(
        "ssh: host key mismatch: the endpoint presented " + got +
        ", the config expects " + want);
  }
  return base::Status::Ok();
}

base::Status SshClient::PollError(int status) const {
  // libuv says UV_EBADF for any POLLERR; the socket knows the real reason.
  int err = 0;
  socklen_t len = sizeof(err);
  if (is_socket_ && ::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len) == 0 &&
      err != 0) {
    return base::Status::Io("ssh: connection", err);
  }
  if (!is_socket_) {
    return base::Status::Unavailable("the serial port's host side hung up");
  }
  return base::UvError("ssh: poll", status);
}

ssize_t SshClient::Recv(libssh2_socket_t, void* buf, size_t len, int,
                        void** abstract) noexcept {
  return static_cast<SshClient*>(*abstract)->DoRecv(static_cast<char*>(buf),
                                                    len);
}

ssize_t SshClient::Send(libssh2_socket_t, const void* buf, size_t len, int,
                        void** abstract) noexcept {
  return static_cast<SshClient*>(*abstract)->DoSend(
      static_cast<const char*>(buf), len);
}

ssize_t SshClient::DoRecv(char* buf, size_t len) {
  if (aborted_) return -ECONNABORTED;
  if (!stream_error_.ok()) return -EPROTO;
  // Until the endpoint's version line starts, every byte (the preamble's
  // leftover first, then the fd's) goes through the banner filter; what it
  // passes lands in in_, which is served before the fd from then on.
  while (!banner_.done()) {
    std::string raw;
    if (in_pos_ < in_.size()) {
      raw = in_.substr(in_pos_);
    } else {
      char tmp[4096];
      ssize_t n = TransportRead(fd_, tmp, sizeof(tmp));
      if (n <= 0) return NoteRead(n);
      NoteRead(n);
      raw.assign(tmp, static_cast<size_t>(n));
    }
    in_.clear();
    in_pos_ = 0;
    base::Status s = banner_.Feed(raw, &in_);
    if (!s.ok()) {
      stream_error_ = std::move(s);
      return -EPROTO;
    }
  }
  if (in_pos_ < in_.size()) {
    size_t n = std::min(len, in_.size() - in_pos_);
    std::memcpy(buf, in_.data() + in_pos_, n);
    in_pos_ += n;
    if (in_pos_ == in_.size()) {
      in_.clear();
      in_pos_ = 0;
    }
    return static_cast<ssize_t>(n);
  }
  // Nothing has come since a read said EAGAIN: epoll says when something
  // does. libssh2 tries a read in every channel call, and a pump makes
  // several; each would otherwise be a read(2) that fails.
  if (fd_drained_) return -EAGAIN;
  ssize_t n = NoteRead(TransportRead(fd_, buf, len));
  fd_drained_ = n == -EAGAIN;
  return n;
}

ssize_t SshClient::NoteRead(ssize_t n) {
  if (n > 0) {
    rx_bytes_ += static_cast<uint64_t>(n);
    last_rx_ms_ = uv_now(loop_);
  } else if (n == 0 && stream_error_.ok()) {
    // For a serial port this is QEMU's disconnected host side.
    stream_error_ = base::Status::Unavailable("endpoint closed the connection");
  } else if (n < 0 && n != -EAGAIN && stream_error_.ok()) {
    stream_error_ = base::Status::Io("ssh: read", static_cast<int>(-n));
  }
  return n;
}

ssize_t SshClient::DoSend(const char* buf, size_t len) {
  if (aborted_) return -ECONNABORTED;
  if (send_errno_ != 0) return -send_errno_;
  // Straight to the kernel only when nothing waits: bytes leave in order.
  // During the set-up, what libssh2 sends in one step (KEXINIT and the
  // ECDH init, NEWKEYS and the service request) is gathered and leaves in
  // one write after it: on a virtio-serial port the second of two quick
  // writes reached the endpoint ~40 ms late under TCG, a third of a
  // container VM's SSH set-up (docs/vm-image.md).
  size_t taken = 0;
  if (send_backlog() == 0 && phase_ == Phase::kReady) {
    ssize_t n = TransportWrite(fd_, is_socket_, buf, len);
    if (n < 0 && n != -EAGAIN) {
      send_errno_ = static_cast<int>(-n);
      return n;
    }
    taken = n > 0 ? static_cast<size_t>(n) : 0;
  }
  // Whatever the kernel refused is ours to send later; libssh2 is told it
  // all went, so it never holds a half-sent packet (see the header).
  if (taken < len) {
    out_.append(buf + taken, len - taken);
    UpdatePoll();
  }
  return static_cast<ssize_t>(len);
}

base::Status SshClient::FlushBacklog() {
  while (send_backlog() > 0) {
    ssize_t n =
        TransportWrite(fd_, is_socket_, out_.data() + out_pos_, send_backlog());
    if (n == -EAGAIN) return base::Status::Ok();
    if (n < 0) {
      send_errno_ = static_cast<int>(-n);
      return base::Status::Io("ssh: write", send_errno_);
    }
    out_pos_ += static_cast<size_t>(n);
    // Compact while a steady stream keeps the backlog from ever emptying.
    if (out_pos_ > 65536 && out_pos_ * 2 > out_.size()) {
      out_.erase(0, out_pos_);
      out_pos_ = 0;
    }
  }
  out_.clear();
  out_pos_ = 0;
  UpdatePoll();
  return base::Status::Ok();
}

void SshClient::Disconnect(const char* reason) {
  if (aborted_ || !session_ || phase_ != Phase::kReady) return;
  (void)libssh2_session_disconnect(session_.get(), reason);
  (void)FlushBacklog();  // Best effort: the link is going away anyway.
}

}  // namespace attach
