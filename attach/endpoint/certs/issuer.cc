#include "attach/endpoint/certs/issuer.h"

#include <openssl/ec.h>
#include <openssl/obj_mac.h>
#include <openssl/rand.h>

#include "attach/endpoint/certs/openssl_error.h"

namespace attach {
namespace endpoint {
namespace certs {
namespace {

constexpr char kOrganization[] = "Tether attachd";

// 128 random bits, positive and of fixed length: the top bit is cleared
// (DER integers are signed; Go rejects negative serials) and the next one
// set, so no serial is ever shorter, zero, or over RFC 5280's 20 octets.
base::Status SetRandomSerial(X509* cert) {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) {
    return OpenSslError("random serial");
  }
  bytes[0] = static_cast<unsigned char>((bytes[0] & 0x7f) | 0x40);
  BignumPtr bn(BN_bin2bn(bytes, sizeof(bytes), nullptr));
  if (!bn ||
      BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert)) == nullptr) {
    return OpenSslError("set serial");
  }
  return base::Status::Ok();
}

base::Status SetSubject(X509* cert, const std::string& common_name) {
  X509_NAME* name = X509_get_subject_name(cert);
  auto add = [name](const char* field, const std::string& value) {
    return X509_NAME_add_entry_by_txt(
               name, field, MBSTRING_UTF8,
               reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1,
               0) == 1;
  };
  if (!add("O", kOrganization) || !add("CN", common_name)) {
    return OpenSslError("subject name");
  }
  return base::Status::Ok();
}

// One extension from OpenSSL's configuration syntax. Only fixed strings
// of this file go through it: names from the user are built as objects
// (AddNames), so a "," in a --tls-san cannot smuggle in another entry.
base::Status AddConfExtension(X509* cert, X509V3_CTX* ctx, int nid,
                              const char* value) {
  X509ExtensionPtr ext(
      X509V3_EXT_conf_nid(nullptr, ctx, nid, const_cast<char*>(value)));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) {
    return OpenSslError(std::string("extension ") + OBJ_nid2sn(nid) + "=" +
                        value);
  }
  return base::Status::Ok();
}

base::Status AddName(GENERAL_NAMES* names, int type, const void* data,
                     size_t len) {
  GENERAL_NAME* gn = GENERAL_NAME_new();
  ASN1_STRING* value =
      type == GEN_IPADD ? ASN1_OCTET_STRING_new() : ASN1_IA5STRING_new();
  if (gn == nullptr || value == nullptr ||
      ASN1_STRING_set(value, data, static_cast<int>(len)) != 1) {
    GENERAL_NAME_free(gn);
    ASN1_STRING_free(value);
    return OpenSslError("subjectAltName entry");
  }
  GENERAL_NAME_set0_value(gn, type, value);
  if (sk_GENERAL_NAME_push(names, gn) == 0) {
    GENERAL_NAME_free(gn);
    return OpenSslError("subjectAltName entry");
  }
  return base::Status::Ok();
}

base::Status AddNames(X509* cert, const SanSet& set) {
  GeneralNamesPtr names(GENERAL_NAMES_new());
  if (!names) return OpenSslError("subjectAltName");
  for (const base::IpAddress& ip : set.ips()) {
    TETHER_RETURN_IF_ERROR(
        AddName(names.get(), GEN_IPADD, ip.bytes.data(), ip.size()));
  }
  for (const std::string& dns : set.dns()) {
    TETHER_RETURN_IF_ERROR(
        AddName(names.get(), GEN_DNS, dns.data(), dns.size()));
  }
  // Not critical: the subject is not empty (RFC 5280 4.2.1.6).
  if (X509_add1_ext_i2d(cert, NID_subject_alt_name, names.get(), 0,
                        X509V3_ADD_DEFAULT) != 1) {
    return OpenSslError("subjectAltName");
  }
  return base::Status::Ok();
}

base::Status AddProfileExtensions(X509* cert, X509V3_CTX* ctx,
                                  const CertRequest& request,
                                  EVP_PKEY* subject_key) {
  const bool rsa = EVP_PKEY_get_base_id(subject_key) == EVP_PKEY_RSA;
  switch (request.profile) {
    case CertProfile::kCa:
      TETHER_RETURN_IF_ERROR(AddConfExtension(cert, ctx, NID_basic_constraints,
                                              "critical,CA:TRUE,pathlen:0"));
      return AddConfExtension(cert, ctx, NID_key_usage,
                              "critical,keyCertSign,cRLSign");
    case CertProfile::kServer:
      TETHER_RETURN_IF_ERROR(AddConfExtension(cert, ctx, NID_basic_constraints,
                                              "critical,CA:FALSE"));
      // An RSA key exchange encrypts to the key; ECDSA only signs.
      TETHER_RETURN_IF_ERROR(
          AddConfExtension(cert, ctx, NID_key_usage,
                           rsa ? "critical,digitalSignature,keyEncipherment"
                               : "critical,digitalSignature"));
      TETHER_RETURN_IF_ERROR(
          AddConfExtension(cert, ctx, NID_ext_key_usage, "serverAuth"));
      return AddNames(cert, request.names);
    case CertProfile::kClient:
      TETHER_RETURN_IF_ERROR(AddConfExtension(cert, ctx, NID_basic_constraints,
                                              "critical,CA:FALSE"));
      TETHER_RETURN_IF_ERROR(AddConfExtension(cert, ctx, NID_key_usage,
                                              "critical,digitalSignature"));
      return AddConfExtension(cert, ctx, NID_ext_key_usage, "clientAuth");
  }
  return base::Status::Internal("unknown certificate profile");
}

base::Status CheckRequest(const CertRequest& request, X509* issuer,
                          EVP_PKEY* subject_key, EVP_PKEY* issuer_key) {
  if (issuer == nullptr &&
      (request.profile != CertProfile::kCa || subject_key != issuer_key)) {
    return base::Status::InvalidArgument(
        "only a CA certificate may be self-signed");
  }
  if (request.profile == CertProfile::kServer && request.names.empty()) {
    return base::Status::InvalidArgument(
        "a server certificate needs subjectAltNames");
  }
  if (request.not_after <= request.not_before) {
    return base::Status::InvalidArgument("NotAfter is not after NotBefore");
  }
  return base::Status::Ok();
}

}  // namespace

base::Result<EvpPkeyPtr> GenerateKey() {
  EvpPkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) return OpenSslError("generate a P-256 key");
  return key;
}

base::Result<X509Ptr> IssueCertificate(const CertRequest& request,
                                       EVP_PKEY* subject_key, X509* issuer,
                                       EVP_PKEY* issuer_key) {
  TETHER_RETURN_IF_ERROR(
      CheckRequest(request, issuer, subject_key, issuer_key));
  X509Ptr cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1 ||
      X509_set_pubkey(cert.get(), subject_key) != 1 ||
      ASN1_TIME_set(X509_getm_notBefore(cert.get()), request.not_before) ==
          nullptr ||
      ASN1_TIME_set(X509_getm_notAfter(cert.get()), request.not_after) ==
          nullptr) {
    return OpenSslError("new certificate");
  }
  TETHER_RETURN_IF_ERROR(SetRandomSerial(cert.get()));
  TETHER_RETURN_IF_ERROR(SetSubject(cert.get(), request.common_name));
  X509* signer = issuer != nullptr ? issuer : cert.get();
  if (X509_set_issuer_name(cert.get(), X509_get_subject_name(signer)) != 1) {
    return OpenSslError("issuer name");
  }

  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, signer, cert.get(), nullptr, nullptr, 0);
  X509V3_set_ctx_nodb(&ctx);
  if (X509V3_set_issuer_pkey(&ctx, issuer_key) != 1) {
    return OpenSslError("issuer key");
  }
  TETHER_RETURN_IF_ERROR(
      AddProfileExtensions(cert.get(), &ctx, request, subject_key));
  // The subject key identifier first: a self-signed CA's authority key
  // identifier is derived from it.
  TETHER_RETURN_IF_ERROR(
      AddConfExtension(cert.get(), &ctx, NID_subject_key_identifier, "hash"));
  TETHER_RETURN_IF_ERROR(AddConfExtension(
      cert.get(), &ctx, NID_authority_key_identifier, "keyid:always"));

  if (X509_sign(cert.get(), issuer_key, EVP_sha256()) <= 0) {
    return OpenSslError("sign the certificate");
  }
  return cert;
}

}  // namespace certs
}  // namespace endpoint
}  // namespace attach
