// One tetherctl connection on attachd.sock (docs/protocol.md §6): framed
// client.proto Requests in, Responses out.
//
// The output queue is bounded: a client whose queued output would exceed
// the bound is dropped (with a log line) instead of buffering more, so a
// stuck client costs at most the bound and never slows the tether, the
// log or other clients. Output frames are shared between clients
// (OutputEvent::Frame), so the bound counts bytes that are not copied.
//
// A tty attach/exec may hand over its terminal with the first request
// (AdoptTerminal): session output then goes there as raw bytes, keystrokes
// read there reach the handler as StdinData requests (a hang-up or the
// socket's end drops the client; the container's stdin stays open), and
// responses on the socket wait until the terminal has taken every byte of
// output queued before them, so the client never sees the exit code ahead
// of the output. The queue bound and the stall check count both.
//
// Loop thread only. After close, Send* are no-ops; the owner is told
// through the closed callback and destroys the connection on a later turn.
#ifndef TETHER_ATTACH_ENDPOINT_CLIENTS_CLIENT_CONN_H_
#define TETHER_ATTACH_ENDPOINT_CLIENTS_CLIENT_CONN_H_

#include <uv.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "attach/endpoint/clients/client_terminal.h"
#include "attach/frame.h"
#include "base/result.h"
#include "base/uv_handle.h"
#include "client.pb.h"

namespace attach {
namespace endpoint {

class ClientConn {
 public:
  // What a long-running command (attach, exec, logs, wait) implements.
  class Handler {
   public:
    virtual ~Handler() = default;
    // Requests after the first one: stdin, stdin_close, resize.
    virtual void OnRequest(const ::tether::attach::Request& req) = 0;
    // Queued output fell below the low mark.
    virtual void OnDrained() {}
  };
  // The first Request of the connection chooses the command.
  using FirstRequest =
      std::function<void(ClientConn*, const ::tether::attach::Request&)>;
  using Closed = std::function<void(ClientConn*)>;

  ClientConn(uv_loop_t* loop, size_t max_queue, FirstRequest first,
             Closed closed);
  ~ClientConn();
  ClientConn(const ClientConn&) = delete;
  ClientConn& operator=(const ClientConn&) = delete;

  // Accepts the next connection of `server`; reading starts with Start.
  base::Status Accept(uv_stream_t* server);
  void Start() { ResumeReading(); }
  // The socket's descriptor (for its peer's credentials); -1 when closed.
  int fd() const;

  // The command's handler; owned, destroyed with the connection.
  void SetHandler(std::unique_ptr<Handler> handler);

  // Queues a response. False when the connection is closed or finishing,
  // or when the queue bound would be exceeded: the client is then dropped.
  // A response too large for a frame is replaced by an error response.
  bool Send(const ::tether::attach::Response& resp);
  bool SendFrame(std::shared_ptr<const std::string> frame);
  // A final error for the user, then Finish().
  void FailWith(const std::string& message);

  // Takes the terminal that came with the first request and starts reading
  // keystrokes from it. Errors as ClientTerminal::Adopt.
  base::Status AdoptTerminal();
  bool has_terminal() const { return terminal_ != nullptr; }
  // Session output onto the adopted terminal; false (and the client is
  // dropped) when it would exceed the bound.
  bool SendToTerminal(std::string_view data);

  size_t queued() const {
    return queued_ + (terminal_ ? terminal_->queued() : 0);
  }
  bool below_low_mark() const { return queued() < max_queue_ / 4; }
  // Whether `bytes` more fit under the bound.
  bool HasRoom(size_t bytes) const { return queued() + bytes <= max_queue_; }
  // Output is queued and none of it was written for `stall_ms`: the client
  // does not read.
  bool Stalled(uint64_t now_ms, uint64_t stall_ms) const {
    return queued() > 0 && now_ms - last_progress_ms_ >= stall_ms;
  }

  // Stops/resumes reading requests (stdin backpressure).
  void PauseReading();
  void ResumeReading();

  // Closes once everything queued has been written.
  void Finish();
  // Closes now; `why` is logged as a warning.
  void Drop(const std::string& why);
  bool closed() const { return closed_; }

 private:
  struct WriteReq;
  static void OnAlloc(uv_handle_t* h, size_t hint, uv_buf_t* buf) noexcept;
  static void OnRead(uv_stream_t* s, ssize_t n, const uv_buf_t* buf) noexcept;
  static void OnWritten(uv_write_t* req, int status) noexcept;
  bool WriteFrame(std::shared_ptr<const std::string> frame);
  // Some queued output went out: closes a finishing connection once all
  // has, or tells the handler when the queue fell below the low mark.
  void Progressed();
  void OnTerminalWritten();
  void OnTerminalInput(std::string_view data);
  void HandleFrames();
  void HandleFramesLoop();
  void Gone(const std::string& why);  // The client left: logged at info.
  void Close();

  uv_loop_t* loop_;
  size_t max_queue_;
  FirstRequest first_;
  Closed closed_cb_;
  base::UvHandle<uv_pipe_t> pipe_;
  std::unique_ptr<Handler> handler_;
  std::unique_ptr<ClientTerminal> terminal_;
  // Socket frames waiting for the terminal to drain; counted in queued_.
  std::vector<std::shared_ptr<const std::string>> held_;
  FrameReader reader_;
  std::string read_buf_;
  bool got_first_ = false;
  bool reading_ = false;
  bool paused_ = false;
  bool eof_ = false;
  bool in_frames_ = false;
  bool finishing_ = false;
  bool closed_ = false;
  size_t queued_ = 0;
  uint64_t last_progress_ms_ = 0;  // uv_now() of the last write done.
};

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CLIENTS_CLIENT_CONN_H_
