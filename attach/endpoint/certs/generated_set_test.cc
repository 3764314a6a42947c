// PrepareTls without custom files: the generated set under DIR/certs.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <map>

#include "attach/endpoint/certs/cert_inspect.h"
#include "attach/endpoint/certs/pem.h"
#include "attach/endpoint/certs/test_certs.h"
#include "attach/endpoint/certs/tls_material.h"

namespace attach {
namespace endpoint {
namespace certs {
namespace {

using testing::CommandResult;
using testing::FileMode;
using testing::ReadText;
using testing::RunCommand;
using testing::TempDir;
using testing::WriteText;

const char* const kFiles[] = {
    "ca.pem",        "ca-key.pem",      "server-cert.pem", "server-key.pem",
    "client/ca.pem", "client/cert.pem", "client/key.pem",  "client/env"};

class GeneratedSet : public ::testing::Test {
 protected:
  GeneratedSet() {
    options_.api_address = "127.0.0.1:2376";
    options_.hostname = "testhost";
  }

  TlsMaterial Prepare() {
    base::Result<TlsMaterial> m = PrepareTls(dir_.path(), options_);
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    return m.ok() ? std::move(m).value() : TlsMaterial();
  }
  std::string CertsDir() const { return dir_.path() + "/certs"; }
  std::string Path(const std::string& name) const {
    return dir_.path() + "/certs/" + name;
  }
  std::map<std::string, std::string> Snapshot() const {
    std::map<std::string, std::string> files;
    for (const char* name : kFiles) files[name] = ReadText(Path(name));
    return files;
  }
  X509Ptr Cert(const std::string& name) const {
    auto certs = ParseCertificates(ReadText(Path(name)));
    EXPECT_TRUE(certs.ok()) << name;
    return certs.ok() ? std::move(certs->front()) : nullptr;
  }
  std::string OpensslVerify(const std::string& purpose,
                            const std::string& cert) const {
    return RunCommand("openssl verify -CAfile " + Path("ca.pem") +
                      " -purpose " + purpose + " " + Path(cert))
        .output;
  }

  TempDir dir_;
  TlsOptions options_;
};

TEST_F(GeneratedSet, FirstStartWritesTheWholeSet) {
  options_.extra_names = {"10.9.8.7", "docker.example"};
  TlsMaterial m = Prepare();
  EXPECT_TRUE(m.generated);
  EXPECT_EQ(FileMode(dir_.path() + "/certs"), 0700);
  EXPECT_EQ(FileMode(Path("client")), 0700);
  for (const char* name : kFiles) {
    bool secret = std::string(name).find("key") != std::string::npos;
    EXPECT_EQ(FileMode(Path(name)), secret ? 0600 : 0644) << name;
  }
  EXPECT_EQ(ReadText(Path("client/ca.pem")), ReadText(Path("ca.pem")));
  EXPECT_TRUE(ParsePrivateKey(ReadText(Path("ca-key.pem"))).ok());
  EXPECT_TRUE(ParsePrivateKey(ReadText(Path("client/key.pem"))).ok());

  EXPECT_EQ(m.ca_file, Path("ca.pem"));
  EXPECT_EQ(m.cert_file, Path("server-cert.pem"));
  EXPECT_EQ(m.key_file, Path("server-key.pem"));
  EXPECT_EQ(m.client_dir, Path("client"));
  EXPECT_EQ(m.env_file, Path("client/env"));
  EXPECT_EQ(m.docker_host, "tcp://127.0.0.1:2376");
  EXPECT_EQ(m.events.size(), 5u);  // CA, server, client, ca.pem, env.
  EXPECT_TRUE(m.warnings.empty());
  ASSERT_TRUE(m.credentials);
  EXPECT_EQ(m.credentials->client_cas.size(), 1u);

  X509Ptr server = Cert("server-cert.pem");
  EXPECT_EQ(SubjectAltNames(server.get()).ToString(),
            "IP:10.9.8.7, IP:127.0.0.1, IP:::1, DNS:docker.example, "
            "DNS:localhost, DNS:testhost");
  EXPECT_EQ(SubjectAltNames(server.get()), m.server_names);
  // Backdated a day for clients whose clock lags; the CA outlives it.
  time_t now = std::time(nullptr);
  EXPECT_LT(X509_cmp_time(X509_get0_notBefore(server.get()), &now), 0);
  EXPECT_FALSE(ExpiresWithin(server.get(), now, 800 * 86400));
  EXPECT_FALSE(ExpiresWithin(Cert("ca.pem").get(), now, 3000 * 86400));

  EXPECT_EQ(OpensslVerify("sslserver", "server-cert.pem"),
            Path("server-cert.pem") + ": OK\n");
  EXPECT_EQ(OpensslVerify("sslclient", "client/cert.pem"),
            Path("client/cert.pem") + ": OK\n");
  // Each is good for its own side only.
  EXPECT_NE(OpensslVerify("sslclient", "server-cert.pem").find("error"),
            std::string::npos);
  EXPECT_NE(OpensslVerify("sslserver", "client/cert.pem").find("error"),
            std::string::npos);
}

TEST_F(GeneratedSet, EnvFileAndHintForVerifyMode) {
  TlsMaterial m = Prepare();
  std::string env = ReadText(Path("client/env"));
  EXPECT_NE(env.find("export DOCKER_HOST=tcp://127.0.0.1:2376\n"),
            std::string::npos);
  EXPECT_NE(env.find("export DOCKER_TLS_VERIFY=1\n"), std::string::npos);
  EXPECT_NE(env.find("export DOCKER_CERT_PATH=" + Path("client") + "\n"),
            std::string::npos);
  EXPECT_NE(m.ConnectHint().find("docker --tlsverify -H tcp://127.0.0.1:2376"),
            std::string::npos);
  EXPECT_NE(m.ConnectHint().find("source " + Path("client/env")),
            std::string::npos);
  // The env file works as is: sourced by a shell, it exports the three.
  CommandResult r =
      RunCommand(". " + Path("client/env") + " && env | grep ^DOCKER_ | sort");
  EXPECT_EQ(r.output, "DOCKER_CERT_PATH=" + Path("client") +
                          "\nDOCKER_HOST=tcp://127.0.0.1:2376\n"
                          "DOCKER_TLS_VERIFY=1\n");
}

TEST_F(GeneratedSet, SecondStartChangesNoByte) {
  Prepare();
  auto before = Snapshot();
  TlsMaterial again = Prepare();
  EXPECT_EQ(Snapshot(), before);
  EXPECT_TRUE(again.events.empty()) << again.events.front();
}

TEST_F(GeneratedSet, NewSanReissuesOnlyTheServerCertificate) {
  Prepare();
  auto before = Snapshot();
  options_.extra_names = {"192.0.2.10"};
  TlsMaterial m = Prepare();
  auto after = Snapshot();
  for (const char* name : kFiles) {
    bool server = std::string(name).rfind("server-", 0) == 0;
    EXPECT_EQ(after[name] != before[name], server) << name;
  }
  ASSERT_EQ(m.events.size(), 1u);
  EXPECT_NE(m.events[0].find("re-issued the server certificate"),
            std::string::npos);
  EXPECT_NE(m.events[0].find("IP:192.0.2.10"), std::string::npos);
  EXPECT_TRUE(
      SubjectAltNames(Cert("server-cert.pem").get()).Matches("192.0.2.10"));
  EXPECT_EQ(OpensslVerify("sslserver", "server-cert.pem"),
            Path("server-cert.pem") + ": OK\n");
  // Same options again: nothing more to do.
  EXPECT_TRUE(Prepare().events.empty());
}

TEST_F(GeneratedSet, NewApiAddressReissuesTheServerCertificate) {
  Prepare();
  options_.api_address = "[2001:db8::7]:2376";
  TlsMaterial m = Prepare();
  EXPECT_EQ(m.docker_host, "tcp://[2001:db8::7]:2376");
  EXPECT_TRUE(
      SubjectAltNames(Cert("server-cert.pem").get()).Matches("2001:db8::7"));
  EXPECT_NE(ReadText(Path("client/env")).find("tcp://[2001:db8::7]:2376"),
            std::string::npos);
}

TEST_F(GeneratedSet, WildcardListenerIsReachedOnLoopback) {
  options_.api_address = "0.0.0.0:2376";
  TlsMaterial m = Prepare();
  EXPECT_EQ(m.docker_host, "tcp://127.0.0.1:2376");
  SanSet names = SubjectAltNames(Cert("server-cert.pem").get());
  EXPECT_FALSE(names.Matches("0.0.0.0"));
  EXPECT_TRUE(names.Matches("127.0.0.1"));
  EXPECT_TRUE(names.Matches("testhost"));
}

TEST_F(GeneratedSet, ServerNearExpiryOrFromAnotherCaIsReissued) {
  Prepare();
  auto ca_key = ParsePrivateKey(ReadText(Path("ca-key.pem")));
  ASSERT_TRUE(ca_key.ok());
  testing::TestPair ca;
  ca.cert = Cert("ca.pem");
  ca.key = std::move(ca_key).value();
  time_t now = std::time(nullptr);
  SanSet names = Prepare().server_names;
  testing::TestPair soon = testing::MakeLeaf(CertProfile::kServer, ca, now - 60,
                                             now + 10 * 86400, &names);
  WriteText(Path("server-cert.pem"), soon.cert_pem);
  WriteText(Path("server-key.pem"), soon.key_pem, 0600);
  TlsMaterial m = Prepare();
  ASSERT_EQ(m.events.size(), 1u);
  EXPECT_NE(m.events[0].find("expires on"), std::string::npos);

  testing::TestPair other = testing::MakeCa("other");
  testing::TestPair foreign =
      testing::MakeLeaf(CertProfile::kServer, other, now - 60,
                        now + 400 * 86400, &m.server_names);
  WriteText(Path("server-cert.pem"), foreign.cert_pem);
  WriteText(Path("server-key.pem"), foreign.key_pem, 0600);
  m = Prepare();
  ASSERT_EQ(m.events.size(), 1u);
  EXPECT_NE(m.events[0].find("does not verify against the CA"),
            std::string::npos);
  EXPECT_EQ(OpensslVerify("sslserver", "server-cert.pem"),
            Path("server-cert.pem") + ": OK\n");
}

TEST_F(GeneratedSet, MismatchedOrGarbledLeafIsReissued) {
  Prepare();
  WriteText(Path("client/key.pem"), ReadText(Path("server-key.pem")), 0600);
  WriteText(Path("server-cert.pem"), "garbage\n");
  TlsMaterial m = Prepare();
  ASSERT_EQ(m.events.size(), 2u);
  EXPECT_NE(m.events[0].find("no PEM certificate"), std::string::npos);
  EXPECT_NE(m.events[1].find("does not match"), std::string::npos);
  EXPECT_EQ(OpensslVerify("sslclient", "client/cert.pem"),
            Path("client/cert.pem") + ": OK\n");
}

TEST_F(GeneratedSet, ExpiringCaIsReplacedWithEverything) {
  Prepare();
  testing::TestPair old_ca = testing::MakeCa("old", 10);
  WriteText(Path("ca.pem"), old_ca.cert_pem);
  WriteText(Path("ca-key.pem"), old_ca.key_pem, 0600);
  TlsMaterial m = Prepare();
  ASSERT_FALSE(m.events.empty());
  EXPECT_NE(m.events[0].find("generated a new CA"), std::string::npos);
  EXPECT_NE(ReadText(Path("ca.pem")), old_ca.cert_pem);
  EXPECT_EQ(ReadText(Path("client/ca.pem")), ReadText(Path("ca.pem")));
  EXPECT_EQ(OpensslVerify("sslclient", "client/cert.pem"),
            Path("client/cert.pem") + ": OK\n");
}

TEST_F(GeneratedSet, MissingCaCertificateMeansANewCa) {
  // A crash after the CA key was written but before ca.pem.
  Prepare();
  ASSERT_EQ(unlink(Path("ca.pem").c_str()), 0);
  TlsMaterial m = Prepare();
  EXPECT_EQ(m.events.size(), 4u);  // CA, server, client, client/ca.pem.
  EXPECT_EQ(OpensslVerify("sslserver", "server-cert.pem"),
            Path("server-cert.pem") + ": OK\n");
}

TEST_F(GeneratedSet, DamagedCaIsAnErrorNotAReplacement) {
  Prepare();
  std::string ca = ReadText(Path("ca.pem"));
  WriteText(Path("ca-key.pem"), ReadText(Path("server-key.pem")), 0600);
  auto r = PrepareTls(dir_.path(), options_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "the CA in " + CertsDir() +
                " cannot be used (remove that directory to generate a new "
                "set; clients then need the new client bundle): " +
                Path("ca-key.pem") + " does not match " + Path("ca.pem"));
  EXPECT_EQ(ReadText(Path("ca.pem")), ca);

  unlink(Path("ca-key.pem").c_str());
  r = PrepareTls(dir_.path(), options_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("ca-key.pem"), std::string::npos);

  // A leaf certificate in the CA's place is not a CA.
  WriteText(Path("ca.pem"), ReadText(Path("server-cert.pem")));
  WriteText(Path("ca-key.pem"), ReadText(Path("server-key.pem")), 0600);
  r = PrepareTls(dir_.path(), options_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("not a CA"), std::string::npos);
}

TEST_F(GeneratedSet, RefusesASymlinkedCertsDirectory) {
  TempDir elsewhere;
  ASSERT_EQ(symlink(elsewhere.path().c_str(), CertsDir().c_str()), 0);
  auto r = PrepareTls(dir_.path(), options_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), base::Status::Code::kPermissionDenied);
  EXPECT_NE(r.status().message().find("symlink"), std::string::npos);
  EXPECT_EQ(FileMode(elsewhere.path() + "/ca.pem"), -1);
}

TEST_F(GeneratedSet, RefusesSymlinkedFiles) {
  Prepare();
  TempDir elsewhere;
  std::string target = elsewhere.path() + "/key.pem";
  WriteText(target, ReadText(Path("ca-key.pem")), 0600);
  unlink(Path("ca-key.pem").c_str());
  ASSERT_EQ(symlink(target.c_str(), Path("ca-key.pem").c_str()), 0);
  auto r = PrepareTls(dir_.path(), options_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), base::Status::Code::kPermissionDenied);
}

TEST_F(GeneratedSet, RefusesAPrivateKeyOthersCanRead) {
  Prepare();
  chmod(Path("ca-key.pem").c_str(), 0644);
  auto r = PrepareTls(dir_.path(), options_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), base::Status::Code::kPermissionDenied);
  EXPECT_NE(r.status().message().find("chmod 600"), std::string::npos);
}

TEST_F(GeneratedSet, RefusesACertsDirectoryOwnedBySomeoneElse) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to chown";
  Prepare();
  ASSERT_EQ(chown(CertsDir().c_str(), 65534, 65534), 0);
  auto r = PrepareTls(dir_.path(), options_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("owned by uid 65534"), std::string::npos);
}

TEST_F(GeneratedSet, TightensAnOpenedUpDirectory) {
  Prepare();
  chmod(CertsDir().c_str(), 0755);
  Prepare();
  EXPECT_EQ(FileMode(dir_.path() + "/certs"), 0700);
}

TEST_F(GeneratedSet, ServerModeSharesTheSetAndChangesTheEnvFile) {
  Prepare();
  auto before = Snapshot();
  options_.mode = TlsMode::kServer;
  TlsMaterial m = Prepare();
  auto after = Snapshot();
  for (const char* name : kFiles) {
    EXPECT_EQ(after[name] != before[name], std::string(name) == "client/env")
        << name;
  }
  std::string env = after["client/env"];
  EXPECT_EQ(env.find("DOCKER_TLS_VERIFY="), std::string::npos);
  EXPECT_NE(env.find("export DOCKER_TLS=1\n"), std::string::npos);
  EXPECT_NE(m.ConnectHint().find("docker --tls -H"), std::string::npos);
}

TEST_F(GeneratedSet, OffModeTouchesNothing) {
  options_.mode = TlsMode::kOff;
  TlsMaterial m = Prepare();
  EXPECT_FALSE(m.credentials);
  EXPECT_EQ(FileMode(CertsDir()), -1);
  EXPECT_EQ(m.ConnectHint().find("tls"), std::string::npos);
}

TEST_F(GeneratedSet, BadOptionsAreErrors) {
  options_.extra_names = {"bad name"};
  auto r = PrepareTls(dir_.path(), options_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().rfind("--tls-san: ", 0), 0u);
  options_.extra_names.clear();
  options_.api_address = "nowhere";
  r = PrepareTls(dir_.path(), options_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().rfind("--api: ", 0), 0u);
  options_.api_address = "127.0.0.1:2376";
  r = PrepareTls(dir_.path() + "/missing", options_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), base::Status::Code::kNotFound);
}

TEST_F(GeneratedSet, HostNameThatIsNoDnsNameIsLeftOutWithAWarning) {
  options_.hostname = "my host";
  TlsMaterial m = Prepare();
  ASSERT_EQ(m.warnings.size(), 1u);
  EXPECT_NE(m.warnings[0].find("--tls-san"), std::string::npos);
  EXPECT_FALSE(m.server_names.Matches("my"));
}

}  // namespace
}  // namespace certs
}  // namespace endpoint
}  // namespace attach
