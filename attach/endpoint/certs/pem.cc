#include "attach/endpoint/certs/pem.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <climits>

#include "attach/endpoint/certs/openssl_error.h"

namespace attach {
namespace endpoint {
namespace certs {
namespace {

// A read-only BIO over `text`; the string must outlive it.
BioPtr MemoryReader(const std::string& text) {
  if (text.size() > INT_MAX) return nullptr;
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

std::string Drain(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  return len > 0 ? std::string(data, static_cast<size_t>(len)) : std::string();
}

// Refuses to prompt: OpenSSL would otherwise read a passphrase from the
// terminal, which a daemon must never do.
int NoPassphrase(char*, int, int, void*) { return -1; }

bool LooksEncrypted(const std::string& text) {
  return text.find("ENCRYPTED") != std::string::npos;
}

}  // namespace

base::Result<std::vector<X509Ptr>> ParseCertificates(const std::string& text) {
  BioPtr in = MemoryReader(text);
  if (!in) return base::Status::InvalidArgument("too large");
  std::vector<X509Ptr> certs;
  for (;;) {
    X509Ptr cert(PEM_read_bio_X509(in.get(), nullptr, NoPassphrase, nullptr));
    if (!cert) break;
    certs.push_back(std::move(cert));
  }
  // The loop ends on "no more PEM blocks" (expected) or on a block that
  // is not a certificate or does not parse (an error).
  unsigned long err = ERR_peek_last_error();
  if (ERR_GET_LIB(err) == ERR_LIB_PEM &&
      ERR_GET_REASON(err) == PEM_R_NO_START_LINE) {
    ClearOpenSslErrors();
  } else if (err != 0) {
    return OpenSslError("not a PEM certificate",
                        base::Status::Code::kInvalidArgument);
  }
  if (certs.empty()) {
    return base::Status::InvalidArgument(
        "no PEM certificate (\"-----BEGIN CERTIFICATE-----\") found");
  }
  return certs;
}

base::Result<EvpPkeyPtr> ParsePrivateKey(const std::string& text) {
  if (LooksEncrypted(text)) {
    return base::Status::InvalidArgument(
        "the private key is encrypted; attachd needs it without a "
        "passphrase");
  }
  BioPtr in = MemoryReader(text);
  if (!in) return base::Status::InvalidArgument("too large");
  EvpPkeyPtr key(
      PEM_read_bio_PrivateKey(in.get(), nullptr, NoPassphrase, nullptr));
  if (!key) {
    return OpenSslError("no PEM private key found",
                        base::Status::Code::kInvalidArgument);
  }
  return key;
}

base::Result<std::string> CertificatePem(X509* cert) {
  BioPtr out(BIO_new(BIO_s_mem()));
  if (!out || PEM_write_bio_X509(out.get(), cert) != 1) {
    return OpenSslError("encode a certificate");
  }
  return Drain(out.get());
}

base::Result<std::string> PrivateKeyPem(EVP_PKEY* key) {
  BioPtr out(BIO_new(BIO_s_mem()));
  if (!out || PEM_write_bio_PKCS8PrivateKey(out.get(), key, nullptr, nullptr, 0,
                                            nullptr, nullptr) != 1) {
    return OpenSslError("encode a private key");
  }
  return Drain(out.get());
}

}  // namespace certs
}  // namespace endpoint
}  // namespace attach
