// SshClient: one libssh2 session over a connected transport fd, driven by
// the libuv loop without ever blocking.
//
// The client owns the session and a uv_poll on the fd. It walks the
// handshake, checks the endpoint's host key against the configured SHA-256
// fingerprint (before authentication, so nothing of the container's is
// sent to an impostor), authenticates with the identity key, and then
// reports socket activity to its delegate, which reads and writes its
// channels (ssh_channel.h).
//
// libssh2 reads and writes through our own callbacks:
// - RECV serves the bytes the sync preamble read past its line first, and
//   drops non-"SSH-" lines before the endpoint's version (PreBannerFilter);
//   then it reads the fd with read(2), so sockets and serial devices work
//   alike. Every byte received counts as a sign of life (keepalive).
// - SEND always accepts the whole packet: what the kernel does not take at
//   once waits in an outbound backlog, flushed when the fd turns writable.
//   libssh2 (1.10, 1.11.1) keeps a partly sent packet and fails the *next*
//   different packet with LIBSSH2_ERROR_BAD_USE, and its keepalive and
//   window-adjust paths leave such packets behind on EAGAIN; never saying
//   EAGAIN avoids that whole class of failure. Writers bound the backlog
//   themselves by checking send_backlog() before queueing bulk data.
//
// Loop thread only.
#ifndef TETHER_ATTACH_LINK_SSH_CLIENT_H_
#define TETHER_ATTACH_LINK_SSH_CLIENT_H_

#include <libssh2.h>
#include <uv.h>

#include <cstdint>
#include <memory>
#include <string>

#include "attach/link/preamble.h"
#include "base/result.h"
#include "base/uv_handle.h"

namespace attach {

struct SshIdentity {
  std::string user;             // The container id.
  std::string private_key;      // OpenSSH-format ed25519 key. Secret.
  std::string host_key_sha256;  // "SHA256:<base64>" as ssh-keygen -l says.
};

struct SshTimings {
  int keepalive_interval_s = 5;    // libssh2_keepalive_config interval.
  uint64_t idle_limit_ms = 15000;  // No byte from the endpoint this long:
                                   // three keepalives missed, link dead.
};

// "SHA256:<base64 without padding>" of a raw host key hash.
std::string FormatSha256Fingerprint(const unsigned char* hash, size_t len);

// The ciphers the tether offers, in libssh2's list form, best first:
// aes256-gcm@openssh.com only where this CPU has AES-NI and PCLMUL (what
// libsodium's AES-GCM needs), then chacha20-poly1305@openssh.com. Calls
// libssh2_init (loop thread only, as everything here); the answer never
// changes in a process.
const char* LinkCiphers();

class SshClient {
 public:
  class Delegate {
   public:
    virtual ~Delegate() = default;
    // Host key verified and authenticated: channels may be opened.
    virtual void OnSshReady() = 0;
    // The fd was readable or writable after OnSshReady: read and write
    // the channels. Delegates may destroy the client inside any of these.
    virtual void OnSshActivity() = 0;
    // The session is unusable (the client is already aborted).
    virtual void OnSshError(base::Status status) = 0;
  };

  // `fd` is borrowed and must outlive the client; `initial` holds bytes
  // already read from it that belong to SSH. `identity` is copied.
  // `loop` and `delegate` must outlive the client.
  SshClient(uv_loop_t* loop, int fd, bool is_socket, std::string initial,
            SshIdentity identity, SshTimings timings, Delegate* delegate);
  // Frees the session. Every SshChannel of this client must be gone.
  ~SshClient();
  SshClient(const SshClient&) = delete;
  SshClient& operator=(const SshClient&) = delete;

  // Creates the session, offers the link's ciphers and MACs (AES-GCM
  // first; ssh_client.cc) and starts the handshake. Errors: libuv's, or
  // kInternal when libssh2 cannot allocate a session or knows none of them.
  base::Status Start();

  // Call about once a second: sends keepalives when due and fails with
  // kUnavailable "keepalive: no data from the endpoint for N ms" when the
  // endpoint has been silent for idle_limit_ms (in any phase). After an
  // internal failure that could not be reported at once (see UpdatePoll)
  // it returns that failure.
  base::Status Tick();

  // Fails fast from now on: callbacks report a dead socket, so libssh2
  // never waits on the network while channels and the session are freed.
  void Abort();
  // Sends SSH_MSG_DISCONNECT if the session is up, without waiting.
  void Disconnect(const char* reason);

  bool ready() const { return phase_ == Phase::kReady; }
  LIBSSH2_SESSION* session() const { return session_.get(); }
  // Bytes libssh2 accepted that the kernel has not taken yet.
  size_t send_backlog() const { return out_.size() - out_pos_; }
  // Bytes received so far; a change means libssh2 may have queued packets
  // for channels that were already read in this round.
  uint64_t rx_bytes() const { return rx_bytes_; }
  // "context: <libssh2's last error message>".
  std::string LastError(const std::string& context) const;
  // Why the byte stream failed (end of stream, read error), if it did:
  // more telling than libssh2's "socket error" for a failed call.
  const base::Status& stream_error() const { return stream_error_; }

  // Channel bookkeeping for the destructor's check (ssh_channel.cc).
  void AddChannel() { ++channels_; }
  void RemoveChannel() { --channels_; }

 private:
  enum class Phase { kHandshake, kAuth, kReady };
  struct SessionFree {
    void operator()(LIBSSH2_SESSION* s) const noexcept;
  };

  static ssize_t Recv(libssh2_socket_t fd, void* buf, size_t len, int flags,
                      void** abstract) noexcept;
  static ssize_t Send(libssh2_socket_t fd, const void* buf, size_t len,
                      int flags, void** abstract) noexcept;
  static void OnPoll(uv_poll_t* handle, int status, int events) noexcept;

  ssize_t DoRecv(char* buf, size_t len);
  ssize_t DoSend(const char* buf, size_t len);
  ssize_t NoteRead(ssize_t n);  // Books a read's outcome; returns n.
  void HandlePoll(int status, int events);
  base::Status Advance();
  base::Status CheckHostKey();
  base::Status FlushBacklog();
  void Fail(base::Status status);
  // Watches the fd for reading always and for writing while the backlog
  // holds bytes. Runs inside libssh2 calls (from DoSend), so it never
  // reports to the delegate itself.
  void UpdatePoll();
  base::Status PollError(int status) const;

  uv_loop_t* loop_;
  int fd_;
  bool is_socket_;
  SshIdentity identity_;
  SshTimings timings_;
  Delegate* delegate_;
  std::unique_ptr<LIBSSH2_SESSION, SessionFree> session_;
  base::UvHandle<uv_poll_t> poll_;
  int poll_events_ = 0;
  Phase phase_ = Phase::kHandshake;
  bool aborted_ = false;
  bool handshake_pending_ = false;  // The last handshake call said EAGAIN.
  int channels_ = 0;

  // Inbound: the preamble's leftover and the banner filter.
  std::string in_;
  size_t in_pos_ = 0;
  PreBannerFilter banner_;
  uint64_t rx_bytes_ = 0;
  // The last read of fd_ said EAGAIN and epoll has not said readable since.
  bool fd_drained_ = false;
  uint64_t last_rx_ms_ = 0;
  // Why the byte stream failed (end of stream, read error, no version
  // line); libssh2's own message for these says only "socket error".
  base::Status stream_error_;

  // Outbound backlog (see the file comment). Compacted when drained.
  std::string out_;
  size_t out_pos_ = 0;
  int send_errno_ = 0;  // A hard write error, reported on the next send.

  // Cleared by the destructor, so a callback that destroyed the client
  // (through the delegate) knows to touch nothing more.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace attach

#endif  // TETHER_ATTACH_LINK_SSH_CLIENT_H_
