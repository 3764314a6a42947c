#include "attach/endpoint/admin/password.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "attach/endpoint/certs/secure_dir.h"

namespace attach {
namespace endpoint {
namespace admin {
namespace {

constexpr uint64_t kScryptN = 1 << 14;
constexpr uint64_t kScryptR = 8;
constexpr uint64_t kScryptP = 1;
constexpr uint64_t kScryptMaxMem = 32 << 20;
constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;
constexpr size_t kGeneratedLength = 24;

base::Result<std::string> Scrypt(const std::string& password,
                                 const std::string& salt) {
  std::string out(kHashBytes, '\0');
  if (EVP_PBE_scrypt(password.data(), password.size(),
                     reinterpret_cast<const unsigned char*>(salt.data()),
                     salt.size(), kScryptN, kScryptR, kScryptP, kScryptMaxMem,
                     reinterpret_cast<unsigned char*>(&out[0]),
                     out.size()) != 1) {
    return base::Status::Internal("scrypt failed");
  }
  return out;
}

void Wipe(std::string* s) {
  if (!s->empty()) OPENSSL_cleanse(&(*s)[0], s->size());
  s->clear();
}

// Letters and digits only: easy to copy from a terminal, nothing a shell
// or a form would mangle. Rejection sampling keeps the choice uniform.
base::Result<std::string> GeneratePassword() {
  static const char kChars[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  constexpr unsigned kCount = sizeof(kChars) - 1;  // 62
  std::string out;
  while (out.size() < kGeneratedLength) {
    unsigned char b[32];
    if (RAND_bytes(b, sizeof(b)) != 1) {
      return base::Status::Internal("no randomness");
    }
    for (unsigned char c : b) {
      if (c < 248 && out.size() < kGeneratedLength) {
        out += kChars[c % kCount];
      }
    }
    OPENSSL_cleanse(b, sizeof(b));
  }
  return out;
}

std::string FirstLine(std::string text) {
  size_t nl = text.find_first_of("\r\n");
  std::string line = text.substr(0, nl);
  Wipe(&text);
  return line;
}

base::Status CheckLength(const PasswordSource& src) {
  if (src.password.size() >= kMinPasswordLength) return base::Status::Ok();
  return base::Status::InvalidArgument(
      src.origin + ": the admin password must have at least " +
      std::to_string(kMinPasswordLength) + " characters");
}

}  // namespace

base::Result<PasswordSource> LoadOrCreatePassword(
    const std::string& state_dir, const std::string& option_file) {
  PasswordSource src;
  if (!option_file.empty()) {
    src.origin = option_file;
    base::Result<certs::UserFile> f = certs::ReadUserFile(option_file);
    if (!f.ok()) return f.TakeStatus().Annotate("--admin-password-file");
    if ((f->mode & 077) != 0) {
      Wipe(&f->text);
      return base::Status::PermissionDenied(
          "--admin-password-file " + option_file +
          ": others may read it; chmod 600 it, and consider the password "
          "leaked");
    }
    src.password = FirstLine(std::move(f->text));
    TETHER_RETURN_IF_ERROR(CheckLength(src));
    return src;
  }
  TETHER_ASSIGN_OR_RETURN(certs::SecureDir dir,
                          certs::SecureDir::Open(state_dir, "certs"));
  src.origin = dir.PathOf(kPasswordFile);
  base::Result<std::string> text = dir.Read(kPasswordFile, /*secret=*/true);
  if (text.ok()) {
    src.password = FirstLine(std::move(*text));
    TETHER_RETURN_IF_ERROR(CheckLength(src));
    return src;
  }
  if (text.status().code() != base::Status::Code::kNotFound) {
    return text.TakeStatus();
  }
  TETHER_ASSIGN_OR_RETURN(src.password, GeneratePassword());
  TETHER_RETURN_IF_ERROR(dir.Write(kPasswordFile, src.password + "\n", 0600));
  src.generated = true;
  return src;
}

base::Result<std::shared_ptr<const PasswordVerifier>> PasswordVerifier::Create(
    std::string* password) {
  std::shared_ptr<PasswordVerifier> v(new PasswordVerifier());
  v->salt_.resize(kSaltBytes);
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&v->salt_[0]), kSaltBytes) !=
      1) {
    Wipe(password);
    return base::Status::Internal("no randomness");
  }
  base::Result<std::string> hash = Scrypt(*password, v->salt_);
  Wipe(password);
  if (!hash.ok()) return hash.TakeStatus();
  v->hash_ = std::move(*hash);
  return std::shared_ptr<const PasswordVerifier>(std::move(v));
}

bool PasswordVerifier::Matches(const std::string& guess) const {
  base::Result<std::string> hash = Scrypt(guess, salt_);
  return hash.ok() && hash->size() == hash_.size() &&
         CRYPTO_memcmp(hash->data(), hash_.data(), hash_.size()) == 0;
}

namespace {

struct MatchWork {
  uv_work_t req;
  std::shared_ptr<const PasswordVerifier> verifier;
  std::string guess;
  bool matches = false;
  std::function<void(bool)> done;
};

void DoMatch(uv_work_t* req) noexcept {
  MatchWork* w = static_cast<MatchWork*>(req->data);
  w->matches = w->verifier->Matches(w->guess);
  Wipe(&w->guess);
}

void AfterMatch(uv_work_t* req, int status) noexcept {
  std::unique_ptr<MatchWork> w(static_cast<MatchWork*>(req->data));
  // UV_ECANCELED: the loop is going away; a login that never ran fails.
  w->done(status == 0 && w->matches);
}

}  // namespace

void MatchAsync(uv_loop_t* loop,
                std::shared_ptr<const PasswordVerifier> verifier,
                std::string guess, std::function<void(bool)> done) {
  auto w = std::make_unique<MatchWork>();
  w->req.data = w.get();
  w->verifier = std::move(verifier);
  w->guess = std::move(guess);
  w->done = std::move(done);
  if (uv_queue_work(loop, &w->req, &DoMatch, &AfterMatch) != 0) {
    Wipe(&w->guess);
    w->done(false);
    return;
  }
  w.release();  // AfterMatch owns it.
}

}  // namespace admin
}  // namespace endpoint
}  // namespace attach
