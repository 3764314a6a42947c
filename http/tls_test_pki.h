// Test support: a throw-away CA, server and client certificate made with
// the OpenSSL C API (ECDSA P-256, SHA-256, SANs for 127.0.0.1 and
// localhost, the extensions Go's and docker's checks want), the server
// and client SSL_CTX built on them, and a blocking TLS client.
#ifndef TETHER_HTTP_TLS_TEST_PKI_H_
#define TETHER_HTTP_TLS_TEST_PKI_H_

#include <openssl/ssl.h>

#include <memory>
#include <string>

#include "http/test_client.h"

namespace http {

struct SslCtxFree {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, SslCtxFree>;

class TestPki {
 public:
  TestPki();  // Generates everything; aborts the test on failure.
  ~TestPki();

  // A server context with the server certificate; with `verify_clients`
  // it requires a client certificate signed by the CA.
  std::shared_ptr<SSL_CTX> ServerContext(bool verify_clients) const;
  // A client context that trusts the CA; with `with_cert` it presents the
  // client certificate (subject "CN=test-client,O=Tether tests").
  SslCtxPtr NewClientContext(bool with_cert) const;

 private:
  EVP_PKEY* ca_key_ = nullptr;
  X509* ca_ = nullptr;
  EVP_PKEY* server_key_ = nullptr;
  X509* server_ = nullptr;
  EVP_PKEY* client_key_ = nullptr;
  X509* client_ = nullptr;
};

// A TestClient over TLS on a blocking socket. `ctx` is borrowed.
class TlsTestClient : public TestClient {
 public:
  TlsTestClient(uint16_t port, SSL_CTX* ctx);
  ~TlsTestClient() override;
  bool handshake_ok() const { return handshake_ok_; }
  bool Send(const std::string& bytes) override;
  // Go's tls.Conn.CloseWrite: a close_notify alert, TCP stays open.
  void CloseWrite();

 protected:
  bool Fill() override;

 private:
  SSL* ssl_ = nullptr;
  bool handshake_ok_ = false;
};

}  // namespace http

#endif  // TETHER_HTTP_TLS_TEST_PKI_H_
