#include "attach/endpoint/certs/test_certs.h"

#include <gtest/gtest.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "attach/endpoint/certs/pem.h"

namespace attach {
namespace endpoint {
namespace certs {
namespace testing {

TempDir::TempDir() {
  const char* base = getenv("TMPDIR");
  std::string tmpl = std::string(base ? base : "/tmp") + "/certs_test.XXXXXX";
  char* p = mkdtemp(&tmpl[0]);
  if (p == nullptr) ADD_FAILURE() << "mkdtemp failed";
  path_ = p ? p : "";
}

TempDir::~TempDir() {
  std::error_code ec;
  if (!path_.empty()) std::filesystem::remove_all(path_, ec);
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteText(const std::string& path, const std::string& text, mode_t mode) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  chmod(path.c_str(), mode);
}

int FileMode(const std::string& path) {
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) return -1;
  return static_cast<int>(st.st_mode & 07777);
}

CommandResult RunCommand(const std::string& command) {
  CommandResult result;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0) {
    result.output.append(buf, n);
  }
  int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

namespace {

TestPair Finish(base::Result<X509Ptr> cert, EvpPkeyPtr key) {
  TestPair pair;
  EXPECT_TRUE(cert.ok()) << cert.status().ToString();
  if (!cert.ok()) return pair;
  pair.cert = std::move(cert).value();
  pair.key = std::move(key);
  pair.cert_pem = CertificatePem(pair.cert.get()).value();
  pair.key_pem = PrivateKeyPem(pair.key.get()).value();
  return pair;
}

}  // namespace

TestPair MakeCa(const std::string& name, int days) {
  EvpPkeyPtr key = GenerateKey().value();
  CertRequest request;
  request.profile = CertProfile::kCa;
  request.common_name = name;
  time_t now = std::time(nullptr);
  request.not_before = now - 86400 + (days < 0 ? days * 86400 : 0);
  request.not_after = now + days * 86400;
  auto cert = IssueCertificate(request, key.get(), nullptr, key.get());
  return Finish(std::move(cert), std::move(key));
}

TestPair MakeLeaf(CertProfile profile, const TestPair& ca, time_t not_before,
                  time_t not_after, const SanSet* names) {
  EvpPkeyPtr key = GenerateKey().value();
  CertRequest request;
  request.profile = profile;
  request.common_name = profile == CertProfile::kServer ? "server" : "client";
  if (names != nullptr) {
    request.names = *names;
  } else {
    (void)request.names.Add("127.0.0.1");
    (void)request.names.Add("localhost");
  }
  request.not_before = not_before;
  request.not_after = not_after;
  auto cert = IssueCertificate(request, key.get(), ca.cert.get(), ca.key.get());
  return Finish(std::move(cert), std::move(key));
}

}  // namespace testing
}  // namespace certs
}  // namespace endpoint
}  // namespace attach
