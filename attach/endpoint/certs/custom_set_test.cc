// PrepareTls with --tlscacert/--tlscert/--tlskey: every bad file is an
// error at start that names the flag, the file and the problem.
#include <gtest/gtest.h>

#include "attach/endpoint/certs/test_certs.h"
#include "attach/endpoint/certs/tls_material.h"

namespace attach {
namespace endpoint {
namespace certs {
namespace {

using testing::MakeCa;
using testing::MakeLeaf;
using testing::RunCommand;
using testing::TempDir;
using testing::TestPair;
using testing::WriteText;

class CustomSet : public ::testing::Test {
 protected:
  CustomSet() : ca_(MakeCa("custom CA")) {
    TestPair server = MakeLeaf(CertProfile::kServer, ca_);
    options_.api_address = "127.0.0.1:2376";
    options_.ca_file = Write("ca.pem", ca_.cert_pem);
    options_.cert_file = Write("server.pem", server.cert_pem);
    options_.key_file = Write("server-key.pem", server.key_pem, 0600);
  }

  std::string Write(const std::string& name, const std::string& text,
                    mode_t mode = 0644) {
    std::string path = files_.path() + "/" + name;
    WriteText(path, text, mode);
    return path;
  }
  // Installs `pair` as --tlscert/--tlskey.
  void UseServer(const TestPair& pair) {
    Write("server.pem", pair.cert_pem);
    Write("server-key.pem", pair.key_pem, 0600);
  }
  // The error message of PrepareTls, which must fail.
  std::string Error() {
    auto r = PrepareTls(state_.path(), options_);
    EXPECT_FALSE(r.ok());
    return r.ok() ? "" : r.status().message();
  }
  TlsMaterial Prepare() {
    auto r = PrepareTls(state_.path(), options_);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(r).value() : TlsMaterial();
  }

  TempDir files_;
  TempDir state_;
  TestPair ca_;
  TlsOptions options_;
};

// Messages start with the flag and the file; `tail` says the problem.
#define EXPECT_ERROR(flag, path, tail)                                    \
  do {                                                                    \
    std::string msg = Error();                                            \
    EXPECT_EQ(msg.rfind(std::string(flag) + " " + (path), 0), 0u) << msg; \
    EXPECT_NE(msg.find(tail), std::string::npos) << msg;                  \
  } while (0)

TEST_F(CustomSet, GoodFilesAreUsedAndNothingIsGenerated) {
  TlsMaterial m = Prepare();
  EXPECT_FALSE(m.generated);
  EXPECT_EQ(m.ca_file, options_.ca_file);
  EXPECT_EQ(m.cert_file, options_.cert_file);
  EXPECT_EQ(m.key_file, options_.key_file);
  EXPECT_TRUE(m.client_dir.empty());
  EXPECT_TRUE(m.warnings.empty()) << m.warnings.front();
  ASSERT_TRUE(m.credentials);
  EXPECT_EQ(m.credentials->client_cas.size(), 1u);
  EXPECT_EQ(testing::FileMode(state_.path() + "/certs"), -1);
  EXPECT_NE(m.ConnectHint().find("--tlscacert " + options_.ca_file),
            std::string::npos);
}

TEST_F(CustomSet, ServerModeNeedsNoCa) {
  options_.mode = TlsMode::kServer;
  options_.ca_file.clear();
  TlsMaterial m = Prepare();
  EXPECT_TRUE(m.credentials->client_cas.empty());
  EXPECT_NE(m.ConnectHint().find("docker --tls --tlscacert"),
            std::string::npos);
}

TEST_F(CustomSet, IncompleteSets) {
  std::string key = options_.key_file;
  options_.key_file.clear();
  EXPECT_EQ(Error().rfind("--tlscert is given without --tlskey", 0), 0u);
  options_.key_file = key;
  options_.cert_file.clear();
  EXPECT_EQ(Error().rfind("--tlskey is given without --tlscert", 0), 0u);
  options_.key_file.clear();
  EXPECT_EQ(Error().rfind("--tlscacert is given without --tlscert", 0), 0u);
}

TEST_F(CustomSet, VerifyModeWithoutCa) {
  options_.ca_file.clear();
  EXPECT_EQ(Error().rfind("--api-tls verify needs --tlscacert", 0), 0u);
}

TEST_F(CustomSet, OffModeRefusesFiles) {
  options_.mode = TlsMode::kOff;
  EXPECT_NE(Error().find("not off"), std::string::npos);
}

TEST_F(CustomSet, MissingOrUnreadableFile) {
  options_.cert_file = files_.path() + "/nope.pem";
  auto r = PrepareTls(state_.path(), options_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), base::Status::Code::kNotFound);
  EXPECT_ERROR("--tlscert", options_.cert_file, "No such file or directory");
  options_.cert_file = files_.path();
  EXPECT_ERROR("--tlscert", options_.cert_file, "not a regular file");
}

TEST_F(CustomSet, NotPem) {
  Write("server.pem", "not a certificate\n");
  EXPECT_ERROR("--tlscert", options_.cert_file, "no PEM certificate");
  UseServer(MakeLeaf(CertProfile::kServer, ca_));
  Write("ca.pem", "");
  EXPECT_ERROR("--tlscacert", options_.ca_file, "no PEM certificate");
  Write("ca.pem", ca_.cert_pem);
  Write("server-key.pem", ca_.cert_pem, 0600);  // A certificate, no key.
  EXPECT_ERROR("--tlskey", options_.key_file, "no PEM private key");
}

TEST_F(CustomSet, TruncatedCertificate) {
  std::string pem = ca_.cert_pem;
  Write("ca.pem",
        pem.substr(0, pem.size() / 2) + "\n-----END CERTIFICATE-----\n");
  EXPECT_ERROR("--tlscacert", options_.ca_file, "not a PEM certificate");
}

TEST_F(CustomSet, EncryptedKey) {
  std::string plain =
      Write("plain.pem", MakeLeaf(CertProfile::kServer, ca_).key_pem);
  auto r = RunCommand("openssl pkey -in " + plain +
                      " -aes256 -passout pass:x -out " + options_.key_file);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_ERROR("--tlskey", options_.key_file, "without a passphrase");
}

TEST_F(CustomSet, KeyDoesNotMatch) {
  Write("server-key.pem", MakeLeaf(CertProfile::kServer, ca_).key_pem, 0600);
  EXPECT_ERROR(
      "--tlskey", options_.key_file,
      "does not match the certificate in --tlscert " + options_.cert_file);
}

TEST_F(CustomSet, NotSignedByTheCa) {
  UseServer(MakeLeaf(CertProfile::kServer, MakeCa("another CA")));
  EXPECT_ERROR("--tlscert", options_.cert_file,
               "not signed by the CA in --tlscacert " + options_.ca_file +
                   ": unable to get local issuer certificate");
}

TEST_F(CustomSet, ExpiredOrNotYetValid) {
  time_t now = std::time(nullptr);
  UseServer(MakeLeaf(CertProfile::kServer, ca_, now - 10 * 86400, now - 86400));
  EXPECT_ERROR("--tlscert", options_.cert_file, "expired on 20");
  UseServer(MakeLeaf(CertProfile::kServer, ca_, now + 86400, now + 10 * 86400));
  EXPECT_ERROR("--tlscert", options_.cert_file, "not valid before 20");
  UseServer(MakeLeaf(CertProfile::kServer, ca_));
  Write("ca.pem", MakeCa("old CA", -1).cert_pem);
  EXPECT_ERROR("--tlscacert", options_.ca_file, "expired on");
}

TEST_F(CustomSet, CaFileThatIsNoCa) {
  TestPair leaf = MakeLeaf(CertProfile::kServer, ca_);
  Write("ca.pem", leaf.cert_pem);
  EXPECT_ERROR("--tlscacert", options_.ca_file, "is not a CA");
  // In a bundle, the culprit is named.
  Write("ca.pem", ca_.cert_pem + leaf.cert_pem);
  EXPECT_ERROR("--tlscacert", options_.ca_file,
               "certificate 2 (CN=server,O=Tether attachd) is not a CA");
}

TEST_F(CustomSet, ClientCertificateAsServerCertificate) {
  UseServer(MakeLeaf(CertProfile::kClient, ca_));
  EXPECT_ERROR("--tlscert", options_.cert_file, "lacks serverAuth");
}

TEST_F(CustomSet, WarnsAboutWhatClientsWillRefuse) {
  SanSet names;
  ASSERT_TRUE(names.Add("elsewhere.example").ok());
  time_t now = std::time(nullptr);
  UseServer(
      MakeLeaf(CertProfile::kServer, ca_, now - 60, now + 5 * 86400, &names));
  Write("server-key.pem", testing::ReadText(options_.key_file), 0644);
  options_.extra_names = {"elsewhere.example", "docker.example"};
  TlsMaterial m = Prepare();
  std::string all;
  for (const std::string& w : m.warnings) all += w + "\n";
  EXPECT_EQ(m.warnings.size(), 4u) << all;
  EXPECT_NE(all.find("does not name 127.0.0.1"), std::string::npos);
  EXPECT_NE(all.find("does not name docker.example"), std::string::npos);
  EXPECT_NE(all.find("expires on"), std::string::npos);
  EXPECT_NE(all.find("chmod 600"), std::string::npos);
}

TEST_F(CustomSet, NoSubjectAltNameIsAWarning) {
  options_.mode = TlsMode::kServer;
  options_.ca_file.clear();
  auto r = RunCommand(
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
      "-subj /CN=127.0.0.1 -days 90 -keyout " +
      options_.key_file + " -out " + options_.cert_file);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  TlsMaterial m = Prepare();
  ASSERT_EQ(m.warnings.size(), 1u);
  EXPECT_NE(m.warnings[0].find("no subjectAltName"), std::string::npos);
}

// A chain file (leaf, then intermediate) under a root, as public and
// corporate CAs issue them; made with the openssl CLI.
TEST_F(CustomSet, ChainWithIntermediate) {
  const std::string d = files_.path() + "/";
  const std::string ec = " -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes";
  const std::string script =
      "set -e; cd " + d + "\n" + "openssl req -x509" + ec +
      " -subj /CN=root -days 30 -keyout root.key"
      " -out root.pem -addext basicConstraints=critical,CA:TRUE"
      " -addext keyUsage=critical,keyCertSign\n" +
      "openssl req" + ec +
      " -subj /CN=inter -keyout inter.key -out inter.csr\n"
      "printf 'basicConstraints=critical,CA:TRUE\\nkeyUsage=critical,"
      "keyCertSign\\n' > inter.ext\n"
      "openssl x509 -req -in inter.csr -CA root.pem -CAkey root.key"
      " -CAcreateserial -days 30 -extfile inter.ext -out inter.pem\n"
      "openssl req" +
      ec +
      " -subj /CN=leaf -keyout leaf.key -out leaf.csr\n"
      "printf 'subjectAltName=IP:127.0.0.1\\nextendedKeyUsage=serverAuth\\n'"
      " > leaf.ext\n"
      "openssl x509 -req -in leaf.csr -CA inter.pem -CAkey inter.key"
      " -CAcreateserial -days 30 -extfile leaf.ext -out leaf.pem\n"
      "cat leaf.pem inter.pem > chain.pem\n";
  auto r = RunCommand("sh " + Write("make.sh", script));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  options_.ca_file = d + "root.pem";
  options_.cert_file = d + "chain.pem";
  options_.key_file = d + "leaf.key";
  TlsMaterial m = Prepare();
  EXPECT_EQ(m.credentials->chain.size(), 1u);
  // Without the intermediate the leaf does not reach the root.
  options_.cert_file = d + "leaf.pem";
  EXPECT_ERROR("--tlscert", options_.cert_file, "not signed by the CA");
}

}  // namespace
}  // namespace certs
}  // namespace endpoint
}  // namespace attach
