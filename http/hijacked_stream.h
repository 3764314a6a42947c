// HijackedStream: the raw byte stream a connection becomes after
// Exchange::Hijack (docker attach and exec start).
//
// Input: nothing is delivered before Start(). The first on_data carries
// the bytes the client sent right after its request (http-parser stops at
// the end of an Upgrade request, body included), then whatever arrives.
// on_read_eof is the half-close: the client's TCP FIN, or its TLS
// close_notify with TCP still open (Go's tls.Conn.CloseWrite). Both mean
// "the client's stdin ended"; writing goes on afterwards.
//
// Output: Write() never blocks; queued() and OnDrain give back-pressure.
// Close() flushes what is queued, sends the TLS close_notify and the FIN,
// then closes the socket. on_close reports a stream that died on its own
// (reset, write error, the server closing), never one the handler closed.
//
// No timeout applies; TCP keepalive finds peers that vanished. The server
// counts the stream among its connections until it closes, and logs it
// then (AccessRecord::hijacked). Shared ownership with the server; every
// call is harmless after close. Loop thread only.
#ifndef TETHER_HTTP_HIJACKED_STREAM_H_
#define TETHER_HTTP_HIJACKED_STREAM_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "http/link.h"
#include "http/options.h"
#include "http/transport.h"

namespace http {

class HijackedStream : public Link,
                       public Transport::Delegate,
                       public std::enable_shared_from_this<HijackedStream> {
 public:
  struct Callbacks {
    std::function<void(std::string_view data)> on_data;
    std::function<void()> on_read_eof;
    std::function<void(const base::Status& why)> on_close;
  };

  // Internal (Connection::Hijack): takes over `transport` with the input
  // the connection read but did not parse (`preread`) and whether the
  // client already sent EOF. A null `transport` makes a dead stream.
  HijackedStream(std::shared_ptr<Transport> transport, std::string preread,
                 bool eof, LinkOwner* owner, AccessRecord record,
                 uint64_t start_ns,
                 std::function<void(const AccessRecord&)> access_log);
  ~HijackedStream() override;

  // Installs the callbacks and starts delivering input; may call them
  // before it returns. On a dead stream, on_close comes at once.
  void Start(Callbacks callbacks);
  void Write(std::string data);
  size_t queued() const;
  void OnDrain(size_t low_mark, std::function<void()> on_drain);
  void PauseReading();
  void ResumeReading();
  void Close();
  bool open() const { return transport_ != nullptr; }
  const Peer& peer() const { return record_.peer; }

 private:
  void OnTransportData(const char* data, size_t len) override;
  void OnTransportEof() override;
  void OnTransportWritten() override;
  void OnTransportClosed(const base::Status& why) override;
  void Abort() override;
  void Deliver();
  // Logs, forgets the callbacks and leaves the owner; `why` non-OK tells
  // the handler through on_close.
  void Finish(const base::Status& why, bool tell);

  std::shared_ptr<Transport> transport_;
  LinkOwner* owner_;
  AccessRecord record_;
  uint64_t start_ns_;
  std::function<void(const AccessRecord&)> access_log_;
  Callbacks cb_;
  std::string pending_;  // Input not yet delivered.
  bool started_ = false;
  bool paused_ = false;
  bool eof_ = false;  // The client's EOF arrived.
  bool eof_delivered_ = false;
  bool delivering_ = false;
  size_t low_mark_ = 0;
  bool above_mark_ = false;
  std::function<void()> on_drain_;
};

}  // namespace http

#endif  // TETHER_HTTP_HIJACKED_STREAM_H_
