// Real TLS handshakes between MakeServerContext's contexts and OpenSSL
// clients, over a memory BIO pair as the HTTP part will drive them.
#include "attach/endpoint/certs/server_context.h"

#include <gtest/gtest.h>
#include <openssl/err.h>

#include "attach/endpoint/certs/pem.h"
#include "attach/endpoint/certs/test_certs.h"

namespace attach {
namespace endpoint {
namespace certs {
namespace {

using testing::MakeCa;
using testing::MakeLeaf;
using testing::TempDir;
using testing::TestPair;

struct Outcome {
  bool ok = false;
  std::string server_error;  // OpenSSL's reason when the server failed.
  std::string peer_subject;  // PeerSubject() on the server.
  std::string version;       // Negotiated protocol, e.g. "TLSv1.3".
  std::string cipher;        // Negotiated suite.
  bool client_got_ca_list = false;
  bool ticket = false;  // Whether the client received a ticket.
};

std::string ErrorReason() {
  unsigned long e = ERR_get_error();
  ERR_clear_error();
  const char* r = e != 0 ? ERR_reason_error_string(e) : nullptr;
  return r != nullptr ? r : "";
}

// Steps one side; false when it failed for good.
bool Step(SSL* ssl, bool* done, std::string* error) {
  if (*done) return true;
  int rc = SSL_do_handshake(ssl);
  if (rc == 1) {
    *done = true;
    return true;
  }
  int err = SSL_get_error(ssl, rc);
  if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) return true;
  *error = ErrorReason();
  return false;
}

Outcome Handshake(SSL_CTX* server_ctx, SSL_CTX* client_ctx) {
  Outcome out;
  SslPtr server(SSL_new(server_ctx));
  SslPtr client(SSL_new(client_ctx));
  BIO* server_bio = nullptr;
  BIO* client_bio = nullptr;
  if (!server || !client ||
      BIO_new_bio_pair(&server_bio, 0, &client_bio, 0) != 1) {
    ADD_FAILURE() << "setup";
    return out;
  }
  SSL_set_bio(server.get(), server_bio, server_bio);
  SSL_set_bio(client.get(), client_bio, client_bio);
  SSL_set_accept_state(server.get());
  SSL_set_connect_state(client.get());
  // The client checks the server's name as Go does for DOCKER_HOST.
  X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(client.get()), "127.0.0.1");
  bool server_done = false, client_done = false;
  std::string client_error;
  for (int i = 0; i < 20 && !(server_done && client_done); ++i) {
    if (!Step(client.get(), &client_done, &client_error) ||
        !Step(server.get(), &server_done, &out.server_error)) {
      break;
    }
  }
  if (!server_done || !client_done) {
    if (out.server_error.empty()) out.server_error = client_error;
    return out;
  }
  // Application data both ways; it also carries any TLS 1.3 ticket.
  char buf[16];
  if (SSL_write(server.get(), "pong", 4) != 4 ||
      SSL_read(client.get(), buf, sizeof(buf)) != 4 ||
      SSL_write(client.get(), "ping", 4) != 4 ||
      SSL_read(server.get(), buf, sizeof(buf)) != 4) {
    out.server_error = ErrorReason();
    return out;
  }
  out.ok = true;
  out.peer_subject = PeerSubject(server.get());
  out.version = SSL_get_version(server.get());
  out.cipher = SSL_get_cipher_name(server.get());
  out.client_got_ca_list =
      SSL_get_client_CA_list(client.get()) != nullptr &&
      sk_X509_NAME_num(SSL_get_client_CA_list(client.get())) > 0;
  out.ticket = SSL_SESSION_has_ticket(SSL_get0_session(client.get())) == 1;
  return out;
}

// A client that trusts `ca` and presents `cert` (when given).
SslCtxPtr ClientContext(const TestPair& ca, const TestPair* cert) {
  SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx.get()), ca.cert.get());
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
  if (cert != nullptr) {
    EXPECT_EQ(SSL_CTX_use_certificate(ctx.get(), cert->cert.get()), 1);
    EXPECT_EQ(SSL_CTX_use_PrivateKey(ctx.get(), cert->key.get()), 1);
  }
  return ctx;
}

class ServerContext : public ::testing::Test {
 protected:
  // A generated set: its CA, and the client bundle's certificate.
  void SetUp() override {
    TlsOptions options;
    options.api_address = "127.0.0.1:2376";
    options.hostname = "testhost";
    auto m = PrepareTls(state_.path(), options);
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    material_ = std::move(m).value();
    ca_ = Load(material_.ca_file, "");
    client_ = Load(material_.client_dir + "/cert.pem",
                   material_.client_dir + "/key.pem");
  }
  static TestPair Load(const std::string& cert, const std::string& key) {
    TestPair pair;
    pair.cert = std::move(ParseCertificates(testing::ReadText(cert))->front());
    if (!key.empty()) {
      pair.key = std::move(ParsePrivateKey(testing::ReadText(key))).value();
    }
    return pair;
  }
  std::shared_ptr<SSL_CTX> Server(ClientAuth auth) {
    auto ctx = MakeServerContext(material_, auth);
    EXPECT_TRUE(ctx.ok()) << ctx.status().ToString();
    return ctx.ok() ? *ctx : nullptr;
  }
  // A server for `auth` and a client that trusts the generated CA and
  // presents `cert` (or nothing).
  Outcome Connect(ClientAuth auth, const TestPair* cert) {
    auto server = Server(auth);
    SslCtxPtr client = ClientContext(ca_, cert);
    return Handshake(server.get(), client.get());
  }

  TempDir state_;
  TlsMaterial material_;
  TestPair ca_;
  TestPair client_;
};

TEST_F(ServerContext, VerifyModeAcceptsTheGeneratedClient) {
  Outcome o = Connect(ClientAuthFor(TlsMode::kVerify), &client_);
  ASSERT_TRUE(o.ok) << o.server_error;
  EXPECT_EQ(o.version, "TLSv1.3");
  // The server's order wins: the cheapest AEAD, whatever the client's.
  EXPECT_EQ(o.cipher, "TLS_AES_128_GCM_SHA256");
  EXPECT_EQ(o.peer_subject, "CN=client,O=Tether attachd");
  EXPECT_TRUE(o.client_got_ca_list);
  EXPECT_FALSE(o.ticket);
}

TEST_F(ServerContext, VerifyModeRefusesAClientWithoutCertificate) {
  Outcome o = Connect(ClientAuth::kRequired, nullptr);
  EXPECT_FALSE(o.ok);
  EXPECT_EQ(o.server_error, "peer did not return a certificate");
}

TEST_F(ServerContext, VerifyModeRefusesACertificateFromAnotherCa) {
  TestPair other_ca = MakeCa("other CA");
  TestPair stranger = MakeLeaf(CertProfile::kClient, other_ca);
  Outcome o = Connect(ClientAuth::kRequired, &stranger);
  EXPECT_FALSE(o.ok);
  EXPECT_EQ(o.server_error, "certificate verify failed");
}

TEST_F(ServerContext, VerifyModeRefusesACertificateNotForClients) {
  // The server's own certificate is signed by the right CA but allows
  // serverAuth only.
  TestPair server_pair = Load(material_.cert_file, material_.key_file);
  Outcome o = Connect(ClientAuth::kRequired, &server_pair);
  EXPECT_FALSE(o.ok);
  EXPECT_EQ(o.server_error, "certificate verify failed");
}

TEST_F(ServerContext, ServerModeAcceptsAClientWithoutCertificate) {
  Outcome o = Connect(ClientAuthFor(TlsMode::kServer), nullptr);
  ASSERT_TRUE(o.ok) << o.server_error;
  EXPECT_EQ(o.peer_subject, "");
  EXPECT_FALSE(o.client_got_ca_list);
}

TEST_F(ServerContext, OptionalClientAuthForTheAdminPortal) {
  auto server = Server(ClientAuth::kOptional);
  SslCtxPtr anonymous = ClientContext(ca_, nullptr);
  Outcome o = Handshake(server.get(), anonymous.get());
  ASSERT_TRUE(o.ok) << o.server_error;
  EXPECT_EQ(o.peer_subject, "");

  SslCtxPtr known = ClientContext(ca_, &client_);
  o = Handshake(server.get(), known.get());
  ASSERT_TRUE(o.ok) << o.server_error;
  EXPECT_EQ(o.peer_subject, "CN=client,O=Tether attachd");

  TestPair stranger = MakeLeaf(CertProfile::kClient, MakeCa("other"));
  SslCtxPtr bad = ClientContext(ca_, &stranger);
  EXPECT_FALSE(Handshake(server.get(), bad.get()).ok);
}

TEST_F(ServerContext, Tls12OnlyWithEcdheAead) {
  auto server = Server(ClientAuth::kRequired);
  SslCtxPtr client = ClientContext(ca_, &client_);
  SSL_CTX_set_max_proto_version(client.get(), TLS1_2_VERSION);
  // What Go's docker client offers in TLS 1.2.
  ASSERT_EQ(
      SSL_CTX_set_cipher_list(client.get(), "ECDHE-ECDSA-AES128-GCM-SHA256"),
      1);
  Outcome o = Handshake(server.get(), client.get());
  ASSERT_TRUE(o.ok) << o.server_error;
  EXPECT_EQ(o.version, "TLSv1.2");
  EXPECT_FALSE(o.ticket);

  // Static RSA / CBC suites and old protocols are refused.
  ASSERT_EQ(SSL_CTX_set_cipher_list(client.get(), "ECDHE-ECDSA-AES128-SHA"), 1);
  EXPECT_FALSE(Handshake(server.get(), client.get()).ok);
  SslCtxPtr old = ClientContext(ca_, &client_);
  SSL_CTX_set_security_level(old.get(), 0);
  SSL_CTX_set_min_proto_version(old.get(), TLS1_VERSION);
  SSL_CTX_set_max_proto_version(old.get(), TLS1_1_VERSION);
  EXPECT_FALSE(Handshake(server.get(), old.get()).ok);
}

TEST_F(ServerContext, Errors) {
  TlsMaterial off;
  EXPECT_FALSE(MakeServerContext(off, ClientAuth::kNone).ok());
  // Server mode with the user's certificate and no CA cannot check
  // client certificates.
  TlsOptions options;
  options.mode = TlsMode::kServer;
  options.api_address = "127.0.0.1:2376";
  options.cert_file = material_.cert_file;
  options.key_file = material_.key_file;
  auto custom = PrepareTls(state_.path(), options);
  ASSERT_TRUE(custom.ok()) << custom.status().ToString();
  EXPECT_TRUE(MakeServerContext(*custom, ClientAuth::kNone).ok());
  auto r = MakeServerContext(*custom, ClientAuth::kOptional);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), base::Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace certs
}  // namespace endpoint
}  // namespace attach
