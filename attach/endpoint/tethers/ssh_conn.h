// One libssh server session on attachd's libuv loop.
//
// libssh runs on an external loop like this: the session is non-blocking
// and sits alone in its own ssh_event; a uv_poll_t watches its socket and
// each wake-up calls ssh_event_dopoll(event, 0) a few times (each call
// reads at most 4 KiB), then watches for writability only while
// ssh_get_poll_flags says output is pending. Everything libssh does
// happens inside those calls, through the callbacks below.
//
// Policy: publickey authentication only (the Delegate decides which key a
// user may use); "session" channels only, after authentication, each named
// by one subsystem request. Writes never exceed the peer's window, so
// libssh's unbounded output buffer stays bounded by the windows. Ciphers
// are libssh's defaults unless ATTACHD_SSH_CIPHERS (a comma list, for
// benchmarks) narrows them.
//
// Loop thread only. Close() from inside a callback takes effect when the
// current libssh call returns.
#ifndef TETHER_ATTACH_ENDPOINT_TETHERS_SSH_CONN_H_
#define TETHER_ATTACH_ENDPOINT_TETHERS_SSH_CONN_H_

#include <libssh/callbacks.h>
#include <libssh/libssh.h>
#include <libssh/server.h>
#include <uv.h>

#include <list>
#include <memory>
#include <string>

#include "base/result.h"
#include "base/unique_fd.h"
#include "base/uv_handle.h"

namespace attach {
namespace endpoint {

class SshConn;

// One channel. Owned by its SshConn; valid until the Delegate's
// OnChannelClosed for it returns, or the connection closes.
class SshChannel {
 public:
  // Sends up to `len` bytes, as many as the peer's window allows now;
  // returns how many (0 when the window is shut or the channel closed).
  size_t Write(const char* data, size_t len);
  // The peer's window now.
  uint32_t window() const;
  void SendEof();
  // Starts closing the channel from our side.
  void Close();

  const std::string& subsystem() const { return subsystem_; }
  void* user = nullptr;  // For the Delegate.

 private:
  friend class SshConn;
  SshChannel(SshConn* conn, ssh_channel ch);

  static int OnData(ssh_session, ssh_channel, void* data, uint32_t len,
                    int is_stderr, void* userdata) noexcept;
  static void OnEof(ssh_session, ssh_channel, void* userdata) noexcept;
  static void OnClose(ssh_session, ssh_channel, void* userdata) noexcept;
  static int OnSubsystem(ssh_session, ssh_channel, const char* name,
                         void* userdata) noexcept;

  SshConn* conn_;
  ssh_channel ch_;
  ssh_channel_callbacks_struct cb_;
  std::string subsystem_;
  bool remote_closed_ = false;
  bool eof_sent_ = false;
};

// What a uv_poll error on a socket means. libuv reports POLLERR as
// UV_EBADF whatever the socket's error is: a connection reset said "Bad
// file descriptor". The socket's SO_ERROR ("Connection reset by peer")
// when it has one, else the libuv error.
base::Status SocketPollError(int fd, int uv_status);

class SshConn {
 public:
  class Delegate {
   public:
    virtual ~Delegate() = default;
    // Whether `user` may log in with `key` (checked before the signature
    // is verified, and again after).
    virtual bool AuthorizeKey(const std::string& user, ssh_key key) = 0;
    // The login succeeded (once, inside a libssh call).
    virtual void OnAuthenticated() {}
    // A channel asks for subsystem `name`; false refuses it.
    virtual bool OnSubsystem(SshChannel* ch, const std::string& name) = 0;
    // Bytes arrived on a channel (stderr: extended data). All are taken.
    virtual void OnChannelData(SshChannel* ch, const char* data, size_t len,
                               bool is_stderr) = 0;
    virtual void OnChannelEof(SshChannel* ch) = 0;
    // The peer closed the channel; `ch` is freed after this returns.
    virtual void OnChannelClosed(SshChannel* ch) = 0;
    // After each batch of libssh processing: windows may have opened, so
    // queued output can move.
    virtual void OnAfterPump() = 0;
    // The connection is over (once). Do not destroy the SshConn inside.
    virtual void OnConnClosed(const base::Status& why) = 0;
  };

  // Starts SSH on `fd` (positioned at the client's banner) with `poll`,
  // a stopped poll handle already initialized on fd. `bind` provides the
  // host key and must outlive the connection. kInternal when libssh
  // refuses the socket. A connection holds one descriptor: libssh owns
  // `fd` from here and poll_ watches the same number (see SocketLost).
  static base::Result<std::unique_ptr<SshConn>> Start(
      ssh_bind bind, base::UniqueFd fd, base::UvHandle<uv_poll_t> poll,
      Delegate* delegate);
  ~SshConn();
  SshConn(const SshConn&) = delete;
  SshConn& operator=(const SshConn&) = delete;

  bool authenticated() const { return authenticated_; }
  const std::string& user() const { return user_; }  // After auth.
  // The negotiated cipher and MAC from the client's side, e.g.
  // "aes128-gcm@openssh.com aead-gcm"; meaningful after the key exchange.
  std::string algorithms() const;
  bool closed() const { return closed_; }
  // Disconnects; the Delegate hears OnConnClosed(why) once.
  void Close(base::Status why);
  // Re-arms the socket watcher after writes made outside a pump.
  void UpdatePoll();
  // Stops (or resumes) watching the socket for input: a peer that sends
  // more than it may rests (writes still go out).
  void SetReadPaused(bool paused);

 private:
  friend class SshChannel;
  explicit SshConn(Delegate* delegate) : delegate_(delegate) {}

  static void OnPoll(uv_poll_t* h, int status, int events) noexcept;
  static void OnFlushIdle(uv_idle_t* h) noexcept;
  static int OnAuthPubkey(ssh_session, const char* user, ssh_key key,
                          char signature_state, void* userdata) noexcept;
  static ssh_channel OnChannelOpen(ssh_session, void* userdata) noexcept;
  void Pump();
  void FreeClosedChannels();
  // Whether libssh has closed its socket. libssh closes it on any error,
  // inside any call (its flush closes it on EPIPE), and poll_ watches
  // that number: the first check that finds it closed stops poll_ at
  // once, before anything could be given the number again. Called at
  // the top of every libssh callback and after every libssh call that
  // may do I/O; after a call, a lost socket closes the connection
  // (AfterCall).
  bool SocketLost();
  // After a libssh call made outside Pump: closes the connection when the
  // socket is lost. True when the caller must not touch the connection
  // or its channels any more (it may be torn down).
  bool AfterCall();
  void Teardown();
  // Whose MAC keys libssh makes from here (hmac_owner.h): this
  // connection's once logged in, nobody's before.
  const void* hmac_owner() const { return authenticated_ ? this : nullptr; }

  Delegate* delegate_;
  // The socket poll_ watches, owned by libssh (ssh_free closes it); -1
  // once libssh has closed it on its own (SocketLost).
  int fd_ = -1;
  ssh_session session_ = nullptr;
  ssh_event event_ = nullptr;
  base::UvHandle<uv_poll_t> poll_;
  int poll_events_ = 0;
  bool read_paused_ = false;
  // libssh asks for POLLOUT after every send, even one that went out
  // whole, and drops the request only in its POLLOUT callback: answered
  // through epoll, that is two epoll_ctl pairs, an epoll_wait and a loop
  // turn per packet. An idle handle pumps once instead, before the loop
  // next waits (and keeping it from waiting), when the socket almost
  // always has room; only a socket still full then gets UV_WRITABLE.
  base::UvHandle<uv_idle_t> flush_idle_;
  bool in_flush_ = false;
  ssh_server_callbacks_struct server_cb_;
  std::list<std::unique_ptr<SshChannel>> channels_;
  std::string user_;
  bool authenticated_ = false;
  int auth_failures_ = 0;
  int pumping_ = 0;
  bool close_pending_ = false;
  bool closed_ = false;
  base::Status close_status_;
};

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_TETHERS_SSH_CONN_H_
