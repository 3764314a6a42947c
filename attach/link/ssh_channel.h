// SshChannel: one "session" channel of an SshClient, named by a subsystem
// request (docs/protocol.md §4), with bounded output queues.
//
// libssh2 (1.10, 1.11.1) rules this class keeps so callers need not:
// - Only one channel may be opening at a time per session (its open state
//   lives in the session): callers Advance() one channel until it is open
//   before starting the next.
// - A write that returned EAGAIN must be repeated with the same bytes on
//   the same stream before any other write on the channel; the queue
//   keeps the bytes in place and the stream pinned until it went through.
// - A write sends at most one ~32 KB packet; Flush() loops.
// Loop thread only. Must be destroyed before its SshClient.
#ifndef TETHER_ATTACH_LINK_SSH_CHANNEL_H_
#define TETHER_ATTACH_LINK_SSH_CHANNEL_H_

#include <libssh2.h>

#include <deque>
#include <memory>
#include <string>

#include "base/result.h"

namespace attach {

class SshClient;

// Stream ids on a channel: stdout as data, stderr as extended data 1.
constexpr int kChannelData = 0;
constexpr int kChannelStderr = 1;

class SshChannel {
 public:
  // `client` must be ready() and outlive the channel. Nothing is sent
  // before the first Advance().
  SshChannel(SshClient* client, std::string subsystem);
  // Frees the libssh2 channel without waiting for the endpoint: after
  // SshClient::Abort() at once; on a live session it is finished when the
  // session is freed at the latest.
  ~SshChannel();
  SshChannel(const SshChannel&) = delete;
  SshChannel& operator=(const SshChannel&) = delete;

  // Opens the channel and requests the subsystem. Returns true once done,
  // false while waiting for the endpoint. Errors (kUnavailable): "ssh
  // channel tether-control: <libssh2 message>", e.g. the subsystem denied.
  base::Result<bool> Advance();
  bool open() const { return state_ == State::kOpen; }
  const std::string& subsystem() const { return subsystem_; }

  // Appends `data` to a stream's queue (kChannelData or kChannelStderr).
  // Callers bound what they queue by checking queued() first.
  void Queue(int stream, std::string data);
  size_t queued() const { return queue_[0].bytes + queue_[1].bytes; }
  size_t queued(int stream) const { return queue_[stream].bytes; }

  // Writes queued bytes until the endpoint's window, the client's send
  // backlog limit or the queue runs out. kUnavailable on a channel error.
  base::Status Flush(size_t max_backlog);

  // Sends channel EOF once the queues are empty. Returns true when sent
  // (or sent before), false while it must be retried.
  base::Result<bool> SendEof();
  bool eof_sent() const { return eof_sent_; }

  // Reads what the endpoint sent on stream 0: bytes read, 0 when nothing
  // is there now. remote_eof() then tells whether the endpoint sent EOF.
  base::Result<size_t> Read(char* buf, size_t len);
  bool remote_eof() const;

  // Closes politely: true once the endpoint acknowledged the close (the
  // channel can then be destroyed without leaving state in libssh2).
  base::Result<bool> Close();

 private:
  enum class State { kOpening, kSubsystem, kOpen, kClosed };
  struct ChannelFree {
    void operator()(LIBSSH2_CHANNEL* c) const noexcept;
  };
  struct StreamQueue {
    std::deque<std::string> chunks;  // front() is being written.
    size_t front_pos = 0;
    size_t bytes = 0;
  };

  base::Status Error(const char* what) const;
  bool WriteOne(int stream, bool* blocked, base::Status* error);

  SshClient* client_;
  std::string subsystem_;
  std::unique_ptr<LIBSSH2_CHANNEL, ChannelFree> channel_;
  State state_ = State::kOpening;
  StreamQueue queue_[2];
  int pinned_ = -1;  // Stream whose last write said EAGAIN.
  int next_ = 0;     // Round-robin between stdout and stderr.
  bool eof_sent_ = false;
};

}  // namespace attach

#endif  // TETHER_ATTACH_LINK_SSH_CHANNEL_H_
