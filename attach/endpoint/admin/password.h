// The admin portal's password: where it comes from, and how a login is
// checked against it.
//
// It is generated on first start into DIR/certs/admin-password (0600, 24
// random letters and digits, about 143 bits), where the operator reads it,
// or read from the file --admin-password-file names. attachd keeps only a
// salted scrypt hash of it in memory; the text is wiped once hashed.
// Checking a guess costs one scrypt (N=2^14, r=8, p=1: ~16 MiB and tens of
// milliseconds), so it runs on libuv's thread pool, never on the loop.
#ifndef TETHER_ATTACH_ENDPOINT_ADMIN_PASSWORD_H_
#define TETHER_ATTACH_ENDPOINT_ADMIN_PASSWORD_H_

#include <uv.h>

#include <functional>
#include <memory>
#include <string>

#include "base/result.h"

namespace attach {
namespace endpoint {
namespace admin {

constexpr char kPasswordFile[] = "admin-password";  // In DIR/certs.
constexpr size_t kMinPasswordLength = 8;

struct PasswordSource {
  std::string password;  // Secret: the caller hashes and wipes it.
  std::string origin;    // The file it came from, for the log.
  bool generated = false;
};

// The password from `option_file` when set (its first line; a file that
// others may read is refused, as ssh refuses such keys), else from
// DIR/certs/admin-password, generated when absent. kInvalidArgument for a
// password shorter than kMinPasswordLength; kNotFound, kPermissionDenied
// or kIoError for the files; each names the file.
base::Result<PasswordSource> LoadOrCreatePassword(
    const std::string& state_dir, const std::string& option_file);

// A salted scrypt hash of the password. Immutable once made: Matches may
// run on any thread.
class PasswordVerifier {
 public:
  // Hashes `password` with a fresh random salt and wipes the argument.
  // kInternal when OpenSSL fails.
  static base::Result<std::shared_ptr<const PasswordVerifier>> Create(
      std::string* password);

  // Whether `guess` is the password: scrypt with the same salt, compared in
  // constant time. Blocks for one scrypt.
  bool Matches(const std::string& guess) const;

 private:
  PasswordVerifier() = default;
  std::string salt_;
  std::string hash_;
};

// Runs verifier->Matches(guess) on libuv's thread pool and calls `done`
// with the answer on the loop thread. The guess is wiped after use.
void MatchAsync(uv_loop_t* loop,
                std::shared_ptr<const PasswordVerifier> verifier,
                std::string guess, std::function<void(bool)> done);

}  // namespace admin
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_ADMIN_PASSWORD_H_
