#include "http/tls_transport.h"

#include <openssl/err.h>
#include <openssl/x509.h>

#include <algorithm>

#include "base/log.h"

namespace http {
namespace {

// Go's answer to plain HTTP on a TLS port (net/http server.go).
constexpr char kPlainHttpAnswer[] =
    "HTTP/1.0 400 Bad Request\r\n\r\n"
    "Client sent an HTTP request to an HTTPS server.\n";

constexpr size_t kPlainBuffer = 64 * 1024;

// Plaintext per SSL_write, and so ciphertext per socket write: four full
// records, and small enough (with their overhead) that malloc serves the
// buffer from its heap rather than with a fresh mmap each time.
constexpr size_t kWriteBatch = 64 * 1024;
constexpr size_t kBatchBuffer = kWriteBatch + 4 * 64;

// The write side: a sink BIO that appends each record OpenSSL writes to
// the transport's output string, so records are copied once on their way
// to the socket (a BIO_s_mem would hold them in its own buffer first).
int SinkWrite(BIO* b, const char* data, int len) noexcept {
  static_cast<std::string*>(BIO_get_data(b))
      ->append(data, static_cast<size_t>(len));
  return len;
}

long SinkCtrl(BIO*, int cmd, long, void*) noexcept {
  return cmd == BIO_CTRL_FLUSH ? 1 : 0;
}

int SinkCreate(BIO* b) noexcept {
  BIO_set_init(b, 1);
  return 1;
}

const BIO_METHOD* SinkMethod() {
  static BIO_METHOD* method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK,
                                 "http tls sink");
    BIO_meth_set_write(m, &SinkWrite);
    BIO_meth_set_ctrl(m, &SinkCtrl);
    BIO_meth_set_create(m, &SinkCreate);
    return m;
  }();
  return method;
}

// The reason for the last OpenSSL failure, and an empty error queue (the
// queue is per thread; a stale entry would be blamed on the next call).
std::string SslReason(const char* fallback) {
  unsigned long e = ERR_peek_last_error();
  std::string out = fallback;
  if (e != 0) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof(buf));
    const char* reason = ERR_reason_error_string(e);
    out = reason != nullptr ? reason : buf;
  }
  ERR_clear_error();
  return out;
}

std::string SubjectOf(X509* cert) {
  BIO* mem = BIO_new(BIO_s_mem());
  if (mem == nullptr) return std::string();
  X509_NAME_print_ex(mem, X509_get_subject_name(cert), 0, XN_FLAG_RFC2253);
  char* data = nullptr;
  long len = BIO_get_mem_data(mem, &data);
  std::string out(data, len > 0 ? static_cast<size_t>(len) : 0);
  BIO_free(mem);
  return out;
}

}  // namespace

std::shared_ptr<TlsTransport> TlsTransport::Make(
    uv_loop_t* loop, std::shared_ptr<SSL_CTX> ctx,
    std::shared_ptr<Transport> inner, TlsOptions options,
    TlsFailureHook on_failure) {
  std::shared_ptr<TlsTransport> t(new TlsTransport(
      std::move(ctx), std::move(inner), options, std::move(on_failure)));
  if (uv_timer_init(loop, t->timer_.get()) == 0) {
    t->timer_.MarkInitialized();
    t->timer_->data = t.get();
  }
  if (uv_idle_init(loop, t->idle_.get()) == 0) {
    t->idle_.MarkInitialized();
    t->idle_->data = t.get();
  }
  return t;
}

TlsTransport::TlsTransport(std::shared_ptr<SSL_CTX> ctx,
                           std::shared_ptr<Transport> inner, TlsOptions options,
                           TlsFailureHook on_failure)
    : ctx_(std::move(ctx)),
      inner_(std::move(inner)),
      options_(options),
      on_failure_(std::move(on_failure)),
      peer_(inner_->peer()) {
  ssl_.reset(SSL_new(ctx_.get()));
  rbio_ = BIO_new(BIO_s_mem());
  wbio_ = BIO_new(SinkMethod());
  out_.reserve(kBatchBuffer);
  if (ssl_ && rbio_ && wbio_) {
    // An empty read BIO means "no data yet", not EOF.
    BIO_set_mem_eof_return(rbio_, -1);
    BIO_set_data(wbio_, &out_);
    SSL_set_bio(ssl_.get(), rbio_, wbio_);
    SSL_set_accept_state(ssl_.get());
  } else {
    BIO_free(rbio_);
    BIO_free(wbio_);
    rbio_ = wbio_ = nullptr;
    ssl_.reset();
  }
}

TlsTransport::~TlsTransport() { Close(); }

void TlsTransport::Start(Transport::Delegate* delegate) {
  delegate_ = delegate;
  inner_->Start(this);
  if (!ssl_) return Refuse("cannot create a TLS session");
  if (timer_.initialized()) {
    uv_timer_start(timer_.get(), &TlsTransport::OnTimeout,
                   options_.handshake_timeout_ms, 0);
  }
}

void TlsTransport::Write(std::string data) {
  if (closed_ || shutting_down_ || data.empty()) return;
  if (!handshake_done_) {
    early_bytes_ += data.size();
    early_.push_back(std::move(data));
    return;
  }
  if (gathered_.empty() && data.size() >= kWriteBatch) return Encrypt(data);
  gathered_ += data;
  if (gathered_.size() >= kWriteBatch || !idle_.initialized()) {
    return EncryptGathered();
  }
  uv_idle_start(idle_.get(), &TlsTransport::OnIdle);
}

void TlsTransport::OnIdle(uv_idle_t* h) noexcept {
  static_cast<TlsTransport*>(h->data)->EncryptGathered();
}

void TlsTransport::EncryptGathered() {
  if (idle_.initialized()) uv_idle_stop(idle_.get());
  if (gathered_.empty() || closed_) return;
  std::string data;
  data.swap(gathered_);
  Encrypt(data);
}

void TlsTransport::Encrypt(const std::string& data) {
  for (size_t off = 0; off < data.size(); off += kWriteBatch) {
    size_t n = std::min(kWriteBatch, data.size() - off);
    ERR_clear_error();
    // The sink always takes everything, so SSL_write never comes short.
    if (SSL_write(ssl_.get(), data.data() + off, static_cast<int>(n)) <= 0) {
      return Fail(base::Status::Internal("TLS write: " +
                                         SslReason("SSL_write failed")));
    }
    Flush();
  }
}

void TlsTransport::Flush() {
  if (out_.empty() || closed_) return;
  std::string batch;
  batch.swap(out_);
  out_.reserve(kBatchBuffer);
  inner_->Write(std::move(batch));
}

size_t TlsTransport::queued() const {
  return closed_ ? 0 : inner_->queued() + early_bytes_ + gathered_.size();
}

void TlsTransport::PauseReading() {
  paused_ = true;
  if (!closed_) inner_->PauseReading();
}

void TlsTransport::ResumeReading() {
  paused_ = false;
  if (closed_) return;
  inner_->ResumeReading();
  Pump();  // Records already in the BIO.
}

void TlsTransport::Shutdown() {
  if (closed_ || shutting_down_) return;
  shutting_down_ = true;
  uv_timer_stop(timer_.get());
  if (handshake_done_) {
    EncryptGathered();
    ERR_clear_error();
    SSL_shutdown(ssl_.get());  // Queues close_notify.
    ERR_clear_error();
    Flush();
  }
  inner_->Shutdown();
}

void TlsTransport::Close() {
  if (closed_) return;
  closed_ = true;
  delegate_ = nullptr;
  timer_.Close();
  idle_.Close();
  gathered_.clear();
  inner_->Close();
}

void TlsTransport::OnTransportData(const char* data, size_t len) {
  std::shared_ptr<TlsTransport> self = shared_from_this();
  if (!sniffed_) {
    sniffed_ = true;
    if (static_cast<unsigned char>(data[0]) != 0x16) {
      return Refuse("client sent an HTTP request to an HTTPS server",
                    kPlainHttpAnswer);
    }
  }
  if (!fail_reason_.empty() || closed_) return;
  BIO_write(rbio_, data, static_cast<int>(len));
  Pump();
}

void TlsTransport::OnTransportEof() {
  std::shared_ptr<TlsTransport> self = shared_from_this();
  tcp_eof_ = true;
  if (!handshake_done_) {
    return Refuse("client closed the connection during the handshake");
  }
  Pump();
}

void TlsTransport::OnTransportWritten() {
  if (delegate_ != nullptr) delegate_->OnTransportWritten();
}

void TlsTransport::OnTransportClosed(const base::Status& why) {
  std::shared_ptr<TlsTransport> self = shared_from_this();
  if (closed_) return;
  if (!handshake_done_ && fail_reason_.empty()) {
    fail_reason_ =
        why.ok() ? "connection closed during the handshake" : why.ToString();
    if (on_failure_) on_failure_(peer_.address, fail_reason_);
  }
  Transport::Delegate* d = delegate_;
  closed_ = true;
  delegate_ = nullptr;
  timer_.Close();
  idle_.Close();
  gathered_.clear();
  base::Status status =
      fail_reason_.empty()
          ? why
          : base::Status::PermissionDenied("TLS handshake: " + fail_reason_);
  if (d != nullptr) d->OnTransportClosed(status);
}

void TlsTransport::OnTimeout(uv_timer_t* t) noexcept {
  std::shared_ptr<TlsTransport> self =
      static_cast<TlsTransport*>(t->data)->shared_from_this();
  if (!self->handshake_done_) self->Refuse("handshake timed out");
}

void TlsTransport::Pump() {
  if (in_pump_) {
    pump_again_ = true;
    return;
  }
  std::shared_ptr<TlsTransport> self = shared_from_this();
  in_pump_ = true;
  do {
    pump_again_ = false;
    if (!handshake_done_) Handshake();
    if (handshake_done_) ReadPlain();
  } while (pump_again_ && !closed_ && fail_reason_.empty());
  in_pump_ = false;
}

void TlsTransport::Handshake() {
  if (closed_ || shutting_down_ || !fail_reason_.empty()) return;
  ERR_clear_error();
  int rc = SSL_do_handshake(ssl_.get());
  if (rc != 1) {
    int err = SSL_get_error(ssl_.get(), rc);
    if (err == SSL_ERROR_WANT_READ) return Flush();
    return Refuse(SslReason("handshake failed"));
  }
  handshake_done_ = true;
  uv_timer_stop(timer_.get());
  X509* cert = SSL_get0_peer_certificate(ssl_.get());
  if (cert != nullptr && SSL_get_verify_result(ssl_.get()) == X509_V_OK) {
    peer_.client_subject = SubjectOf(cert);
  }
  // What the handler wrote meanwhile (a 503 for a refused connection).
  std::vector<std::string> early = std::move(early_);
  early_.clear();
  early_bytes_ = 0;
  for (const std::string& data : early) {
    ERR_clear_error();
    SSL_write(ssl_.get(), data.data(), static_cast<int>(data.size()));
  }
  ERR_clear_error();
  Flush();  // The handshake's last flight and any early writes.
}

void TlsTransport::ReadPlain() {
  char buf[kPlainBuffer];
  while (!closed_ && !paused_ && !eof_ && !shutting_down_) {
    ERR_clear_error();
    int n = SSL_read(ssl_.get(), buf, sizeof(buf));
    if (n > 0) {
      if (delegate_ != nullptr) {
        delegate_->OnTransportData(buf, static_cast<size_t>(n));
      }
      continue;
    }
    int err = SSL_get_error(ssl_.get(), n);
    if (err == SSL_ERROR_WANT_READ) {
      Flush();  // Post-handshake messages (tickets, key updates).
      if (!tcp_eof_) return;
      // TCP ended without close_notify: the same for our purposes.
    } else if (err != SSL_ERROR_ZERO_RETURN) {
      return Fail(base::Status::InvalidArgument("TLS read: " +
                                                SslReason("bad record")));
    }
    eof_ = true;  // close_notify: the client will send no more.
    ERR_clear_error();
    if (delegate_ != nullptr) delegate_->OnTransportEof();
    return;
  }
}

void TlsTransport::Refuse(const std::string& reason,
                          const std::string& answer) {
  if (closed_ || !fail_reason_.empty()) return;
  fail_reason_ = reason;
  LOG_DEBUG("http: TLS handshake with %s failed: %s", peer_.address.c_str(),
            reason.c_str());
  if (on_failure_) on_failure_(peer_.address, reason);
  uv_timer_stop(timer_.get());
  if (ssl_) Flush();  // The alert, if OpenSSL wrote one.
  if (!answer.empty()) inner_->Write(answer);
  inner_->Shutdown();  // OnTransportClosed follows.
}

void TlsTransport::Fail(const base::Status& why) {
  if (closed_) return;
  Transport::Delegate* d = delegate_;
  Close();
  if (d != nullptr) d->OnTransportClosed(why);
}

TransportWrapper TlsWrapper(uv_loop_t* loop, std::shared_ptr<SSL_CTX> ctx,
                            TlsOptions options) {
  return [loop, ctx, options](std::shared_ptr<Transport> tcp,
                              const TlsFailureHook& on_failure) {
    return std::static_pointer_cast<Transport>(
        TlsTransport::Make(loop, ctx, std::move(tcp), options, on_failure));
  };
}

}  // namespace http
