// The certificate profiles, read back through the OpenSSL API.
#include "attach/endpoint/certs/issuer.h"

#include <gtest/gtest.h>

#include "attach/endpoint/certs/cert_inspect.h"
#include "attach/endpoint/certs/test_certs.h"

namespace attach {
namespace endpoint {
namespace certs {
namespace {

using testing::MakeCa;
using testing::MakeLeaf;
using testing::TestPair;

bool Critical(X509* cert, int nid) {
  int pos = X509_get_ext_by_NID(cert, nid, -1);
  return pos >= 0 && X509_EXTENSION_get_critical(X509_get_ext(cert, pos)) == 1;
}

std::string KeyId(const ASN1_OCTET_STRING* id) {
  if (id == nullptr) return "";
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(id)),
                     static_cast<size_t>(ASN1_STRING_length(id)));
}

// What every generated certificate shares: v3, SHA-256 over P-256,
// a positive 128-bit serial, key identifiers.
void ExpectCommon(X509* cert, X509* issuer) {
  EXPECT_EQ(X509_get_version(cert), X509_VERSION_3);
  EXPECT_EQ(X509_get_signature_nid(cert), NID_ecdsa_with_SHA256);
  EVP_PKEY* key = X509_get0_pubkey(cert);
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(EVP_PKEY_get_base_id(key), EVP_PKEY_EC);
  EXPECT_EQ(EVP_PKEY_get_bits(key), 256);
  BignumPtr serial(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr));
  ASSERT_TRUE(serial);
  EXPECT_FALSE(BN_is_negative(serial.get()));
  EXPECT_EQ(BN_num_bits(serial.get()), 127);
  std::string ski = KeyId(X509_get0_subject_key_id(cert));
  EXPECT_EQ(ski.size(), 20u);
  EXPECT_EQ(KeyId(X509_get0_authority_key_id(cert)),
            KeyId(X509_get0_subject_key_id(issuer)));
  EXPECT_FALSE(HasWeakSignature(cert));
}

TEST(Issuer, CaProfile) {
  TestPair ca = MakeCa("test CA", 30);
  X509* cert = ca.cert.get();
  ExpectCommon(cert, cert);
  EXPECT_TRUE(IsCa(cert));
  EXPECT_TRUE(Critical(cert, NID_basic_constraints));
  EXPECT_TRUE(Critical(cert, NID_key_usage));
  EXPECT_EQ(X509_get_key_usage(cert), uint32_t{KU_KEY_CERT_SIGN | KU_CRL_SIGN});
  EXPECT_EQ(X509_get_pathlen(cert), 0);
  EXPECT_EQ(X509_get_ext_by_NID(cert, NID_ext_key_usage, -1), -1);
  EXPECT_EQ(X509_check_issued(cert, cert), X509_V_OK);
  EXPECT_EQ(NameLine(X509_get_subject_name(cert)),
            "CN=test CA,O=Tether attachd");
}

TEST(Issuer, ServerProfile) {
  TestPair ca = MakeCa("ca");
  SanSet names;
  for (const char* n : {"127.0.0.1", "::1", "localhost", "h.example"}) {
    ASSERT_TRUE(names.Add(n).ok());
  }
  time_t now = std::time(nullptr);
  TestPair server =
      MakeLeaf(CertProfile::kServer, ca, now - 86400, now + 86400, &names);
  X509* cert = server.cert.get();
  ExpectCommon(cert, ca.cert.get());
  EXPECT_FALSE(IsCa(cert));
  EXPECT_TRUE(Critical(cert, NID_basic_constraints));
  EXPECT_TRUE(Critical(cert, NID_key_usage));
  EXPECT_EQ(X509_get_key_usage(cert), uint32_t{KU_DIGITAL_SIGNATURE});
  EXPECT_EQ(X509_get_extended_key_usage(cert), uint32_t{XKU_SSL_SERVER});
  EXPECT_FALSE(Critical(cert, NID_subject_alt_name));
  EXPECT_EQ(SubjectAltNames(cert), names);
  EXPECT_EQ(X509_check_issued(ca.cert.get(), cert), X509_V_OK);
  EXPECT_EQ(X509_check_host(cert, "h.example", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(cert, "::1", 0), 1);
}

TEST(Issuer, ClientProfile) {
  TestPair ca = MakeCa("ca");
  TestPair client = MakeLeaf(CertProfile::kClient, ca);
  X509* cert = client.cert.get();
  ExpectCommon(cert, ca.cert.get());
  EXPECT_EQ(X509_get_key_usage(cert), uint32_t{KU_DIGITAL_SIGNATURE});
  EXPECT_EQ(X509_get_extended_key_usage(cert), uint32_t{XKU_SSL_CLIENT});
  EXPECT_EQ(X509_get_ext_by_NID(cert, NID_subject_alt_name, -1), -1);
  EXPECT_TRUE(AllowsUsage(cert, NID_client_auth));
  EXPECT_FALSE(AllowsUsage(cert, NID_server_auth));
}

TEST(Issuer, SerialsDiffer) {
  TestPair ca = MakeCa("ca");
  TestPair a = MakeLeaf(CertProfile::kClient, ca);
  TestPair b = MakeLeaf(CertProfile::kClient, ca);
  EXPECT_NE(ASN1_INTEGER_cmp(X509_get0_serialNumber(a.cert.get()),
                             X509_get0_serialNumber(b.cert.get())),
            0);
}

TEST(Issuer, RefusesInconsistentRequests) {
  EvpPkeyPtr key = GenerateKey().value();
  CertRequest request;
  request.profile = CertProfile::kServer;
  request.not_before = 1;
  request.not_after = 2;
  // Self-signed leaf, server without names, empty validity.
  EXPECT_FALSE(IssueCertificate(request, key.get(), nullptr, key.get()).ok());
  TestPair ca = MakeCa("ca");
  EXPECT_FALSE(
      IssueCertificate(request, key.get(), ca.cert.get(), ca.key.get()).ok());
  request.profile = CertProfile::kClient;
  request.not_after = 1;
  EXPECT_FALSE(
      IssueCertificate(request, key.get(), ca.cert.get(), ca.key.get()).ok());
}

}  // namespace
}  // namespace certs
}  // namespace endpoint
}  // namespace attach
