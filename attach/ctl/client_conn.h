// ClientConn: one tetherctl command's connection to attachd.
//
// attachd listens on <state-dir>/attachd.sock and speaks attach/client.proto
// with attach/frame.h framing, one command per connection: the client sends
// a Request, then (attach/exec only) StdinData, StdinClose and
// ResizeRequest; the server answers Responses and closes the connection when
// the command is done (docs/protocol.md §6).
//
// Blocking use (every command but the interactive pump): Connect, Send,
// then Receive until a terminal Response or end of stream. The pump instead
// puts the socket in non-blocking mode and drives ReadSome/NextBuffered and
// TrySend from its own loop. Not thread-safe; one owner at a time.
#ifndef TETHER_ATTACH_CTL_CLIENT_CONN_H_
#define TETHER_ATTACH_CTL_CLIENT_CONN_H_

#include <cstddef>
#include <optional>
#include <string>

#include "attach/frame.h"
#include "base/result.h"
#include "base/unique_fd.h"
#include "client.pb.h"

namespace attach {
namespace ctl {

// "<state_dir>/attachd.sock".
std::string SocketPath(const std::string& state_dir);

class ClientConn {
 public:
  // Connects to attachd's UNIX socket. Errors carry the text tetherctl
  // prints as is:
  //   kUnavailable "Cannot connect to attachd at <path>: is attachd running?"
  //     when nothing listens there (no socket file, refused, not a socket);
  //   kPermissionDenied "permission denied while trying to connect to attachd
  //     at <path>" (the socket is 0600, owned by attachd's user);
  //   kInvalidArgument when the path does not fit in sockaddr_un.
  static base::Result<ClientConn> Connect(const std::string& path);

  ClientConn(ClientConn&&) = default;
  ClientConn& operator=(ClientConn&&) = default;

  int fd() const { return fd_.get(); }

  // Blocking: writes the whole frame for `req`. kIoError when attachd went
  // away (EPIPE is returned, never raised as SIGPIPE).
  base::Status Send(const tether::attach::Request& req);

  // Blocking, and only as the first thing sent: Send(req) with `fd` passed
  // along (SCM_RIGHTS), as a terminal handoff does (docs/protocol.md §6).
  // attachd gets its own copy; the caller still owns `fd`.
  base::Status SendWithFd(const tether::attach::Request& req, int fd);

  // Blocking: the next Response, or nullopt when attachd closed the
  // connection cleanly between frames. kInvalidArgument for a bad frame or
  // message, kIoError for a read error or a connection cut mid-frame.
  base::Result<std::optional<tether::attach::Response>> Receive();

  // ---- non-blocking use (the interactive pump) ----

  // Puts the socket in O_NONBLOCK mode; then use the calls below.
  base::Status SetNonBlocking();
  // One read(2) into the frame buffer: the number of bytes read, 0 at end
  // of stream; kUnavailable when nothing is ready (EAGAIN).
  base::Result<size_t> ReadSome();
  // The next complete Response already buffered, nullopt if none is.
  base::Result<std::optional<tether::attach::Response>> NextBuffered();
  // Queues `req` and writes as much of the queue as the socket takes now.
  base::Status QueueAndFlush(const tether::attach::Request& req);
  // Writes more of the queue; call when the socket is writable.
  base::Status Flush();
  // Bytes queued but not yet written.
  size_t pending() const { return out_.size() - out_pos_; }

 private:
  explicit ClientConn(base::UniqueFd fd) : fd_(std::move(fd)) {}

  base::UniqueFd fd_;
  FrameReader reader_;
  std::string out_;  // Frames not yet written, from out_pos_.
  size_t out_pos_ = 0;
};

}  // namespace ctl
}  // namespace attach

#endif  // TETHER_ATTACH_CTL_CLIENT_CONN_H_
