// Connection: one client connection speaking HTTP/1.x, from its first
// byte until it closes or is hijacked. Internal to the server; handlers
// see only Exchange, ResponseStream and HijackedStream.
//
// Requests are served strictly one at a time. While one is with its
// handler nothing further is parsed, and input is read only up to 64 KiB
// (enough to notice a client that resets or leaves); the next request is
// parsed once the previous answer has been written out to the kernel.
// So a client that pipelines and never reads costs one answer and 64 KiB.
//
// Timers (one per connection): the header deadline from a request's first
// byte, the idle timeout between requests, the buffered-body deadline and
// the streamed-body inactivity timeout (options.h Timeouts). Nothing times
// a handler that is working, nor a streamed answer.
//
// Lifetime: shared; the owner's table holds it, every entry point holds
// a reference while it runs, and exchanges hold weak ones. Loop thread.
#ifndef TETHER_HTTP_CONNECTION_H_
#define TETHER_HTTP_CONNECTION_H_

#include <uv.h>

#include <memory>
#include <optional>
#include <string>

#include "base/uv_handle.h"
#include "http/exchange.h"
#include "http/link.h"
#include "http/options.h"
#include "http/request_reader.h"
#include "http/transport.h"

namespace http {

class Connection : public Link,
                   public Transport::Delegate,
                   public std::enable_shared_from_this<Connection> {
 public:
  // An unread body longer than this is not drained after the answer: the
  // connection closes instead.
  static constexpr uint64_t kMaxDiscard = 256 * 1024;

  // `options` and `owner` must outlive the connection.
  Connection(uv_loop_t* loop, const ServerOptions& options,
             const Handler& handler, LinkOwner* owner,
             std::shared_ptr<Transport> transport);
  ~Connection() override;

  // Starts reading. `reject_status` non-zero answers that status (503:
  // too many connections) and closes.
  void Start(int reject_status = 0);
  void Abort() override;

  // Exchange's calls; see exchange.h and response_stream.h.
  void ReadBody(Exchange* ex, size_t limit,
                std::function<void(const base::Status&)> done);
  void StreamBody(Exchange* ex, BodySink sink);
  void SetBodyPaused(Exchange* ex, bool paused);
  void Respond(Exchange* ex, Response response);
  void StartStream(Exchange* ex, const ResponseHead& head,
                   std::optional<uint64_t> length);
  void WriteBody(Exchange* ex, std::string data);
  void EndBody(Exchange* ex);
  std::shared_ptr<HijackedStream> Hijack(Exchange* ex,
                                         const ResponseHead& head);
  size_t queued() const;
  bool closed() const { return closed_; }

 private:
  enum class Phase { kNone, kIdle, kHead, kBody, kBodyIdle };

  void OnTransportData(const char* data, size_t len) override;
  void OnTransportEof() override;
  void OnTransportWritten() override;
  void OnTransportClosed(const base::Status& why) override;
  static void OnTimer(uv_timer_t* t) noexcept;

  // Parses and dispatches what is buffered, as far as the current state
  // allows. Re-entrant calls only mark that more may be possible.
  void Process();
  bool Step();
  void Dispatch(Request request);
  void OnBodyPiece(std::string_view piece);
  void OnBodyEnd();
  // The body cannot be completed: tells the handler, answers 4xx if
  // nothing was answered, and closes.
  void FailBody(int status, const std::string& reason);
  // Answers an error of the server's own and closes after it.
  void SendError(int status, const std::string& reason);
  // The handler answered: a body it has not read (or no longer wants) is
  // drained if small, else the connection closes after the answer.
  void DropBody(Exchange* ex);
  void Send100Continue(Exchange* ex);
  void Send(std::string bytes);
  void CheckDrain(Exchange* ex);
  // Finishes the exchange once answered, body read and all written out.
  void MaybeFinish();
  void Log(Exchange* ex);
  void UpdateReading();
  void UpdateTimer();
  // The orderly close (flush, FIN, linger) or the immediate one.
  void ShutdownSoon();
  void CloseNow(const base::Status& why);
  bool has_input() const { return in_pos_ < in_.size(); }

  uv_loop_t* loop_;
  const ServerOptions& options_;
  const Handler& handler_;
  LinkOwner* owner_;
  std::shared_ptr<Transport> transport_;
  base::UvHandle<uv_timer_t> timer_;
  RequestReader reader_;
  std::string in_;  // Received; parsed up to in_pos_.
  size_t in_pos_ = 0;
  std::shared_ptr<Exchange> exchange_;  // The request being served.
  Phase phase_ = Phase::kNone;
  uint64_t deadline_ = 0;  // uv_now() time the current phase ends.
  bool eof_ = false;       // The client sent EOF.
  bool closing_ = false;   // No further requests: close after this one.
  bool shutting_down_ = false;
  bool closed_ = false;
  bool reading_ = true;
  bool in_process_ = false;
  bool again_ = false;
  // A request without a body reaches the handler once it is complete, so
  // that a hijack sees exactly the bytes after it.
  bool deferred_dispatch_ = false;
};

}  // namespace http

#endif  // TETHER_HTTP_CONNECTION_H_
