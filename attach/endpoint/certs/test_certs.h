// Test helpers for endpoint_certs: temporary directories, files, the
// openssl CLI, and quick CAs and leaves made with the issuer.
#ifndef TETHER_ATTACH_ENDPOINT_CERTS_TEST_CERTS_H_
#define TETHER_ATTACH_ENDPOINT_CERTS_TEST_CERTS_H_

#include <sys/types.h>

#include <ctime>
#include <string>

#include "attach/endpoint/certs/issuer.h"
#include "attach/endpoint/certs/openssl_ptr.h"

namespace attach {
namespace endpoint {
namespace certs {
namespace testing {

// A fresh directory under $TMPDIR, removed with everything in it.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// "" when the file cannot be read.
std::string ReadText(const std::string& path);
void WriteText(const std::string& path, const std::string& text,
               mode_t mode = 0644);
// Permission bits, or -1 when it does not exist (lstat: links not followed).
int FileMode(const std::string& path);

// Runs `command` under sh with stderr joined to stdout.
struct CommandResult {
  int exit_code = -1;
  std::string output;
};
CommandResult RunCommand(const std::string& command);

// A key and its certificate, made directly with the issuer.
struct TestPair {
  X509Ptr cert;
  EvpPkeyPtr key;
  std::string cert_pem;
  std::string key_pem;
};
// A CA valid from now - 1 day for `days` days (negative: already expired).
TestPair MakeCa(const std::string& name, int days = 365);
// A leaf of `profile` signed by `ca`, valid from `not_before` to
// `not_after`; kServer leaves name 127.0.0.1 and localhost by default.
TestPair MakeLeaf(CertProfile profile, const TestPair& ca,
                  time_t not_before = std::time(nullptr) - 3600,
                  time_t not_after = std::time(nullptr) + 86400 * 100,
                  const SanSet* names = nullptr);

}  // namespace testing
}  // namespace certs
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CERTS_TEST_CERTS_H_
