// TlsTransport: the server side of TLS over another Transport (the TCP
// connection), with in-memory BIOs: ciphertext read from the socket is
// written into a memory BIO that OpenSSL reads, and the records OpenSSL
// writes land in a buffer that goes to the socket. Nothing blocks and
// OpenSSL never sees a file descriptor. Library http_tls (libssl):
// attachd and tests only.
//
// The SSL_CTX is the caller's (certificates, client verification, TLS
// versions); each connection shares it. With SSL_VERIFY_PEER the verified
// client certificate's subject is Peer::client_subject (RFC 2253).
//
// Handshake: bounded by TlsOptions::handshake_timeout_ms. A client whose
// first byte is not a TLS handshake record (0x16) is speaking plain HTTP:
// it gets Go's answer ("HTTP/1.0 400 Bad Request ... Client sent an HTTP
// request to an HTTPS server.") and the connection closes. Every failed
// handshake is reported to the TlsFailureHook with the peer and a reason.
//
// Reading: plaintext is delivered as it decrypts. A close_notify alert
// (SSL_ERROR_ZERO_RETURN) is OnTransportEof, even though TCP stays open:
// Go's tls.Conn.CloseWrite sends only that, and writing goes on after it.
// Writing: plaintext is encrypted at once into records of up to 16 KiB,
// 64 KiB at a time, and each 64 KiB of records goes to the socket in one
// write. Shutdown() sends close_notify, then closes
// TCP the orderly way.
//
// Loop thread only.
#ifndef TETHER_HTTP_TLS_TRANSPORT_H_
#define TETHER_HTTP_TLS_TRANSPORT_H_

#include <openssl/ssl.h>
#include <uv.h>

#include <memory>
#include <string>
#include <vector>

#include "base/uv_handle.h"
#include "http/transport.h"

namespace http {

struct TlsOptions {
  uint64_t handshake_timeout_ms = 10000;
};

class TlsTransport : public Transport,
                     public Transport::Delegate,
                     public std::enable_shared_from_this<TlsTransport> {
 public:
  static std::shared_ptr<TlsTransport> Make(uv_loop_t* loop,
                                            std::shared_ptr<SSL_CTX> ctx,
                                            std::shared_ptr<Transport> inner,
                                            TlsOptions options,
                                            TlsFailureHook on_failure);
  ~TlsTransport() override;

  void Start(Transport::Delegate* delegate) override;
  void SetDelegate(Transport::Delegate* delegate) override {
    delegate_ = delegate;
  }
  void Write(std::string data) override;
  size_t queued() const override;
  void PauseReading() override;
  void ResumeReading() override;
  void Shutdown() override;
  void Close() override;
  void EnableKeepAlive(unsigned delay_s) override {
    inner_->EnableKeepAlive(delay_s);
  }
  const Peer& peer() const override { return peer_; }

 private:
  struct SslFree {
    void operator()(SSL* s) const { SSL_free(s); }
  };
  TlsTransport(std::shared_ptr<SSL_CTX> ctx, std::shared_ptr<Transport> inner,
               TlsOptions options, TlsFailureHook on_failure);

  // The TCP side's events.
  void OnTransportData(const char* data, size_t len) override;
  void OnTransportEof() override;
  void OnTransportWritten() override;
  void OnTransportClosed(const base::Status& why) override;
  static void OnTimeout(uv_timer_t* t) noexcept;
  static void OnIdle(uv_idle_t* h) noexcept;

  // Advances the handshake, then decrypts while the delegate wants data.
  void Pump();
  void Handshake();
  void ReadPlain();
  void Encrypt(const std::string& data);
  // Encrypts what Write gathered in this loop turn.
  void EncryptGathered();
  // Moves the records OpenSSL wrote into the TCP side's queue.
  void Flush();
  // Reports a failed handshake and closes the orderly way (the alert
  // OpenSSL queued still goes out).
  void Refuse(const std::string& reason, const std::string& answer = "");
  void Fail(const base::Status& why);

  std::shared_ptr<SSL_CTX> ctx_;
  std::shared_ptr<Transport> inner_;
  TlsOptions options_;
  TlsFailureHook on_failure_;
  std::unique_ptr<SSL, SslFree> ssl_;
  BIO* rbio_ = nullptr;  // Owned by ssl_: a memory BIO, socket bytes in.
  BIO* wbio_ = nullptr;  // Owned by ssl_: appends records to out_.
  std::string out_;      // Records not yet handed to the socket.
  base::UvHandle<uv_timer_t> timer_;
  // Writes of one loop turn are gathered and encrypted together, before
  // the loop next waits: full records and one socket write, where a
  // stream of small writes (a session's output, piece by piece) would make
  // a record and a system call each.
  std::string gathered_;
  base::UvHandle<uv_idle_t> idle_;
  Transport::Delegate* delegate_ = nullptr;
  Peer peer_;
  std::vector<std::string> early_;  // Written before the handshake ended.
  size_t early_bytes_ = 0;
  std::string fail_reason_;  // Set once the handshake failed.
  bool sniffed_ = false;
  bool handshake_done_ = false;
  bool paused_ = false;
  bool tcp_eof_ = false;
  bool eof_ = false;  // close_notify or TCP EOF delivered.
  bool in_pump_ = false;
  bool pump_again_ = false;
  bool shutting_down_ = false;
  bool closed_ = false;
};

// A ServerOptions::wrap_transport that serves TLS with `ctx`.
TransportWrapper TlsWrapper(uv_loop_t* loop, std::shared_ptr<SSL_CTX> ctx,
                            TlsOptions options = TlsOptions());

}  // namespace http

#endif  // TETHER_HTTP_TLS_TRANSPORT_H_
