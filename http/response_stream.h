// ResponseStream: the body of a streamed answer (Exchange::StartStream).
//
// The head is on the wire before StartStream returns, so a client that
// waits for headers (docker's POST /containers/X/wait) sees them at once.
// Body bytes go out as they are written: in chunks when no length was
// given (HTTP/1.1), else as they are. Writes never block; queued() tells
// how much the client has not taken yet, and OnDrain calls back when that
// falls to a low mark, so a producer can stop at a high mark and resume.
//
// Holds the exchange, not the connection: after the client is gone every
// call is a no-op and open() is false (Exchange::OnClose says when). Loop
// thread only.
#ifndef TETHER_HTTP_RESPONSE_STREAM_H_
#define TETHER_HTTP_RESPONSE_STREAM_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "base/status.h"
#include "http/exchange.h"

namespace http {

class ResponseStream {
 public:
  explicit ResponseStream(std::shared_ptr<Exchange> exchange)
      : exchange_(std::move(exchange)) {}

  // Queues body bytes. Empty writes, writes after End() and bytes beyond
  // a declared length are dropped.
  void Write(std::string data);
  // Ends the body (the last chunk). A body shorter than its declared
  // length makes the connection close after it.
  void End();

  // Bytes written and not yet taken by the kernel (TLS: encrypted bytes).
  size_t queued() const;
  // Calls `on_drain` each time queued() falls to `low_mark` or below after
  // having been above it.
  void OnDrain(size_t low_mark, std::function<void()> on_drain);
  // Same as Exchange::OnClose.
  void OnClose(std::function<void(const base::Status&)> on_close) {
    exchange_->OnClose(std::move(on_close));
  }
  bool open() const { return exchange_->open(); }
  Exchange& exchange() { return *exchange_; }

 private:
  std::shared_ptr<Exchange> exchange_;
};

}  // namespace http

#endif  // TETHER_HTTP_RESPONSE_STREAM_H_
