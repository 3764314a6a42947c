#include "attach/endpoint/certs/server_context.h"

#include "attach/endpoint/certs/cert_inspect.h"
#include "attach/endpoint/certs/openssl_error.h"

namespace attach {
namespace endpoint {
namespace certs {
namespace {

// TLS 1.2 suites: forward secrecy and AEAD only. The docker CLI's Go
// client offers exactly the ECDHE AES-GCM ones (go-connections
// tlsconfig); ChaCha20 serves other clients on CPUs without AES-NI.
constexpr char kTls12Ciphers[] =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
// TLS 1.3 suites in the server's order (SSL_OP_CIPHER_SERVER_PREFERENCE):
// AES-128-GCM first, as Go's client itself prefers on AES-NI CPUs;
// OpenSSL's default order puts AES-256-GCM first, which costs both ends
// more per byte of a long attach for no protection this link needs.
constexpr char kTls13Suites[] =
    "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:"
    "TLS_CHACHA20_POLY1305_SHA256";
constexpr char kGroups[] = "X25519:P-256:P-384";
// Names this context's sessions: OpenSSL resumes no session with a client
// certificate without one. Moot while resumption is off, but safe.
constexpr unsigned char kSessionIdContext[] = "attachd";
// Leaf, intermediates, root: a custom PKI rarely needs more.
constexpr int kVerifyDepth = 4;

base::Status SetProtocol(SSL_CTX* ctx) {
  if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) != 1 ||
      SSL_CTX_set_ciphersuites(ctx, kTls13Suites) != 1 ||
      SSL_CTX_set1_groups_list(ctx, kGroups) != 1) {
    return OpenSslError("TLS parameters");
  }
  SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE |
                               SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION |
                               SSL_OP_NO_TICKET);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  if (SSL_CTX_set_num_tickets(ctx, 0) != 1 ||
      SSL_CTX_set_session_id_context(ctx, kSessionIdContext,
                                     sizeof(kSessionIdContext) - 1) != 1) {
    return OpenSslError("TLS session settings");
  }
  return base::Status::Ok();
}

base::Status SetIdentity(SSL_CTX* ctx, const Credentials& creds) {
  if (SSL_CTX_use_certificate(ctx, creds.cert.get()) != 1) {
    return OpenSslError("server certificate");
  }
  for (const X509Ptr& cert : creds.chain) {
    if (SSL_CTX_add1_chain_cert(ctx, cert.get()) != 1) {
      return OpenSslError("certificate chain");
    }
  }
  if (SSL_CTX_use_PrivateKey(ctx, creds.key.get()) != 1 ||
      SSL_CTX_check_private_key(ctx) != 1) {
    return OpenSslError("server private key");
  }
  return base::Status::Ok();
}

base::Status SetClientVerification(SSL_CTX* ctx, const Credentials& creds,
                                   ClientAuth client_auth) {
  if (client_auth == ClientAuth::kNone) {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
    return base::Status::Ok();
  }
  if (creds.client_cas.empty()) {
    return base::Status::InvalidArgument(
        "client certificates need a CA to check them against (--tlscacert)");
  }
  // SSL_CTX_new's store is empty: only the CAs added here are trusted.
  X509_STORE* store = SSL_CTX_get_cert_store(ctx);
  X509NameStackPtr names(sk_X509_NAME_new_null());
  if (!names) return OpenSslError("client CA list");
  for (const X509Ptr& ca : creds.client_cas) {
    X509_NAME* name = X509_NAME_dup(X509_get_subject_name(ca.get()));
    if (X509_STORE_add_cert(store, ca.get()) != 1 || name == nullptr ||
        sk_X509_NAME_push(names.get(), name) == 0) {
      X509_NAME_free(name);
      return OpenSslError("client CA");
    }
  }
  SSL_CTX_set_client_CA_list(ctx, names.release());
  int mode = SSL_VERIFY_PEER;
  if (client_auth == ClientAuth::kRequired) {
    mode |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
  }
  // No callback: OpenSSL's own chain check, for the "ssl_client" purpose
  // (so a certificate must allow clientAuth), decides.
  SSL_CTX_set_verify(ctx, mode, nullptr);
  SSL_CTX_set_verify_depth(ctx, kVerifyDepth);
  return base::Status::Ok();
}

}  // namespace

ClientAuth ClientAuthFor(TlsMode mode) {
  return mode == TlsMode::kVerify ? ClientAuth::kRequired : ClientAuth::kNone;
}

base::Result<std::shared_ptr<SSL_CTX>> MakeServerContext(
    const TlsMaterial& material, ClientAuth client_auth) {
  if (!material.credentials || material.mode == TlsMode::kOff) {
    return base::Status::InvalidArgument(
        "no TLS material (--api-tls off, or PrepareTls was not called)");
  }
  SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()));
  if (!ctx) return OpenSslError("new TLS context");
  TETHER_RETURN_IF_ERROR(SetProtocol(ctx.get()));
  TETHER_RETURN_IF_ERROR(SetIdentity(ctx.get(), *material.credentials));
  TETHER_RETURN_IF_ERROR(
      SetClientVerification(ctx.get(), *material.credentials, client_auth));
  return std::shared_ptr<SSL_CTX>(ctx.release(), SSL_CTX_free);
}

std::string PeerSubject(const SSL* ssl) {
  X509* peer = SSL_get0_peer_certificate(ssl);
  if (peer == nullptr || SSL_get_verify_result(ssl) != X509_V_OK) return "";
  return NameLine(X509_get_subject_name(peer));
}

}  // namespace certs
}  // namespace endpoint
}  // namespace attach
