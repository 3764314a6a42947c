// Exchange: one request and its answer, as a handler (options.h) sees it.
//
// The handler gets a shared_ptr once the request's headers are in and may
// keep it as long as it likes: when the connection is gone, the calls
// below do nothing and open() is false. All calls on the loop thread.
//
// The request body is read only when the handler asks, in one of two
// modes (at most one, before or while answering):
//   ReadBody(limit, done)   buffered: done(OK) with request().body whole;
//                           413 (and done(error)) beyond `limit`.
//   StreamBody(sink)        pieces as they arrive, chunked encoding
//                           removed, with PauseBody/ResumeBody.
// A body the handler never reads is drained after the answer (up to
// 256 KiB, else the connection closes after it).
//
// The answer, exactly one of:
//   Respond(response)       complete, with Content-Length.
//   StartStream(head)       status and headers at once, body later
//                           (ResponseStream).
//   Hijack(head)            the head as given, then a raw byte stream on
//                           the same connection (HijackedStream).
// Later calls of these are ignored.
#ifndef TETHER_HTTP_EXCHANGE_H_
#define TETHER_HTTP_EXCHANGE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "http/message.h"
#include "http/transport.h"

namespace http {

class Connection;
class HijackedStream;
class ResponseStream;

struct BodySink {
  // A piece of the body; `piece` is valid during the call.
  std::function<void(std::string_view piece)> on_data;
  // The body ended: OK when complete, else why (malformed chunk, client
  // gone, body_idle_ms without data). Called once; no on_data after it.
  std::function<void(const base::Status& status)> on_end;
};

class Exchange : public std::enable_shared_from_this<Exchange> {
 public:
  Exchange(std::weak_ptr<Connection> conn, Request request, Peer peer);
  Exchange(const Exchange&) = delete;
  Exchange& operator=(const Exchange&) = delete;

  const Request& request() const { return request_; }
  Request& request() { return request_; }
  const Peer& peer() const { return peer_; }
  // False once the exchange finished or its connection is gone.
  bool open() const;

  // Buffered body into request().body. `done` gets OK, or the error the
  // server already answered (413 over `limit`, 408 after
  // Timeouts::body_ms, 400 for a malformed body); the handler must not
  // answer after an error. With no body, done(OK) is called at once.
  void ReadBody(size_t limit, std::function<void(const base::Status&)> done);
  // Streamed body; see BodySink. With no body, on_end(OK) comes at once.
  void StreamBody(BodySink sink);
  // Back-pressure for StreamBody: no on_data while paused (the server
  // stops reading the socket).
  void PauseBody();
  void ResumeBody();

  void Respond(Response response);
  // `length`: the body's exact size, or nullopt for chunked encoding
  // (HTTP/1.1) or a body that ends with the connection (HTTP/1.0). The
  // head is sent at once.
  std::shared_ptr<ResponseStream> StartStream(
      ResponseHead head, std::optional<uint64_t> length = std::nullopt);
  // Sends `head` verbatim (e.g. 101 UPGRADED with Connection: Upgrade)
  // and hands the connection over. Bytes the client sent after the
  // request (and its body) are the stream's first input.
  std::shared_ptr<HijackedStream> Hijack(ResponseHead head);

  // Called once if the connection is lost before the exchange finished:
  // a reset or write error, a timeout, the server closing, or the client's
  // EOF while a streamed answer is going out (HTTP clients do not
  // half-close while reading, so that means it left, as in Go's server).
  void OnClose(std::function<void(const base::Status&)> on_close);

 private:
  friend class Connection;
  friend class ResponseStream;

  enum class Body { kUnread, kBuffer, kStream, kDiscard, kDone };
  enum class Answer { kNone, kStreaming, kEnded, kHijacked };

  std::weak_ptr<Connection> conn_;
  Request request_;
  Peer peer_;
  uint64_t start_ns_ = 0;

  Body body_ = Body::kUnread;
  bool body_paused_ = false;
  size_t body_limit_ = 0;
  uint64_t body_seen_ = 0;
  std::function<void(const base::Status&)> body_done_;
  BodySink sink_;

  Answer answer_ = Answer::kNone;
  int status_ = 0;
  Framing framing_ = Framing::kLength;
  uint64_t length_ = 0;      // kLength: the declared body size.
  uint64_t bytes_sent_ = 0;  // Body bytes written.
  bool keep_alive_ = true;
  bool finished_ = false;
  bool lost_ = false;  // The connection died before the exchange ended.
  std::function<void(const base::Status&)> on_close_;
  size_t low_mark_ = 0;
  bool above_mark_ = false;
  std::function<void()> on_drain_;
};

}  // namespace http

#endif  // TETHER_HTTP_EXCHANGE_H_
