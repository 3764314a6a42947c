#include "http/tls_test_pki.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>

namespace http {
namespace {

EVP_PKEY* NewKey() { return EVP_EC_gen("P-256"); }

void AddExt(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  ASSERT_NE(ext, nullptr) << value;
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

// An unsigned certificate for `key` named `cn`, issued by `issuer` (or
// itself when null), valid from a day ago (clock skew) for a year.
X509* NewCert(EVP_PKEY* key, const char* cn, X509* issuer, long serial) {
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), serial);
  X509_gmtime_adj(X509_getm_notBefore(cert), -86400);
  X509_gmtime_adj(X509_getm_notAfter(cert), 365L * 86400);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(
      name, "O", MBSTRING_ASC,
      reinterpret_cast<const unsigned char*>("Tether tests"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(cn), -1, -1,
                             0);
  X509_set_issuer_name(
      cert, issuer != nullptr ? X509_get_subject_name(issuer) : name);
  return cert;
}

}  // namespace

TestPki::TestPki() {
  ca_key_ = NewKey();
  server_key_ = NewKey();
  client_key_ = NewKey();
  EXPECT_TRUE(ca_key_ && server_key_ && client_key_);

  ca_ = NewCert(ca_key_, "Tether test CA", nullptr, 1);
  AddExt(ca_, ca_, NID_basic_constraints, "critical,CA:TRUE");
  AddExt(ca_, ca_, NID_key_usage, "critical,keyCertSign,cRLSign");
  AddExt(ca_, ca_, NID_subject_key_identifier, "hash");
  X509_sign(ca_, ca_key_, EVP_sha256());

  server_ = NewCert(server_key_, "localhost", ca_, 2);
  AddExt(server_, ca_, NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost");
  AddExt(server_, ca_, NID_ext_key_usage, "serverAuth");
  AddExt(server_, ca_, NID_key_usage, "critical,digitalSignature");
  X509_sign(server_, ca_key_, EVP_sha256());

  client_ = NewCert(client_key_, "test-client", ca_, 3);
  AddExt(client_, ca_, NID_ext_key_usage, "clientAuth");
  AddExt(client_, ca_, NID_key_usage, "critical,digitalSignature");
  X509_sign(client_, ca_key_, EVP_sha256());
}

TestPki::~TestPki() {
  X509_free(ca_);
  X509_free(server_);
  X509_free(client_);
  EVP_PKEY_free(ca_key_);
  EVP_PKEY_free(server_key_);
  EVP_PKEY_free(client_key_);
}

std::shared_ptr<SSL_CTX> TestPki::ServerContext(bool verify_clients) const {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_use_certificate(ctx, server_);
  SSL_CTX_use_PrivateKey(ctx, server_key_);
  if (verify_clients) {
    X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx), ca_);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                       nullptr);
  }
  return std::shared_ptr<SSL_CTX>(ctx, SSL_CTX_free);
}

SslCtxPtr TestPki::NewClientContext(bool with_cert) const {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx), ca_);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  if (with_cert) {
    SSL_CTX_use_certificate(ctx, client_);
    SSL_CTX_use_PrivateKey(ctx, client_key_);
  }
  return SslCtxPtr(ctx);
}

TlsTestClient::TlsTestClient(uint16_t port, SSL_CTX* ctx) : TestClient(port) {
  if (fd_ < 0) return;
  ssl_ = SSL_new(ctx);
  SSL_set_fd(ssl_, fd_);
  X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), "127.0.0.1");
  handshake_ok_ = SSL_connect(ssl_) == 1;
}

TlsTestClient::~TlsTestClient() { SSL_free(ssl_); }

bool TlsTestClient::Send(const std::string& bytes) {
  if (!handshake_ok_) return false;
  return SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size())) ==
         static_cast<int>(bytes.size());
}

bool TlsTestClient::Fill() {
  if (!handshake_ok_) return false;
  char tmp[65536];
  int n = SSL_read(ssl_, tmp, sizeof(tmp));
  if (n <= 0) return false;
  buf_.append(tmp, static_cast<size_t>(n));
  return true;
}

void TlsTestClient::CloseWrite() { SSL_shutdown(ssl_); }

}  // namespace http
