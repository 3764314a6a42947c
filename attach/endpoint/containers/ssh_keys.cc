#include "attach/endpoint/containers/ssh_keys.h"

#include <cstdlib>
#include <sstream>

#include "attach/endpoint/containers/state_files.h"

namespace attach {
namespace endpoint {
namespace {

// Takes ownership of a string libssh allocated with malloc.
std::string TakeCString(char* s) {
  std::string out = s != nullptr ? s : "";
  std::free(s);
  return out;
}

constexpr char kBegin[] = "-----BEGIN OPENSSH PRIVATE KEY-----";
constexpr char kEnd[] = "-----END OPENSSH PRIVATE KEY-----";

// Re-wraps the base64 body of an OpenSSH private key at 70 columns.
std::string Rewrap(const std::string& pem) {
  std::istringstream in(pem);
  std::string line, body;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line == kBegin || line == kEnd) continue;
    body += line;
  }
  std::string out = std::string(kBegin) + "\n";
  for (size_t i = 0; i < body.size(); i += 70) {
    out += body.substr(i, 70) + "\n";
  }
  return out + kEnd + "\n";
}

}  // namespace

base::Result<SshKey> GenerateEd25519() {
  ssh_key key = nullptr;
  if (ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &key) != SSH_OK) {
    return base::Status::Internal("generate an ed25519 key");
  }
  return SshKey(key);
}

base::Result<std::string> PrivateKeyText(const SshKey& key) {
  char* b64 = nullptr;
  if (ssh_pki_export_privkey_base64(key.get(), nullptr, nullptr, nullptr,
                                    &b64) != SSH_OK) {
    return base::Status::Internal("export a private key");
  }
  return Rewrap(TakeCString(b64));
}

base::Result<std::string> PublicKeyLine(const SshKey& key,
                                        const std::string& comment) {
  char* b64 = nullptr;
  if (ssh_pki_export_pubkey_base64(key.get(), &b64) != SSH_OK) {
    return base::Status::Internal("export a public key");
  }
  std::string line = std::string(ssh_key_type_to_char(ssh_key_type(key.get())));
  line += " " + TakeCString(b64);
  if (!comment.empty()) line += " " + comment;
  return line + "\n";
}

base::Result<SshKey> ParsePrivateKey(const std::string& text) {
  ssh_key key = nullptr;
  if (ssh_pki_import_privkey_base64(text.c_str(), nullptr, nullptr, nullptr,
                                    &key) != SSH_OK) {
    return base::Status::InvalidArgument("not a readable private key");
  }
  return SshKey(key);
}

base::Result<SshKey> ParsePublicKeyLine(const std::string& line) {
  std::istringstream in(line);
  std::string type, b64;
  in >> type >> b64;
  enum ssh_keytypes_e t = ssh_key_type_from_name(type.c_str());
  ssh_key key = nullptr;
  if (t == SSH_KEYTYPE_UNKNOWN ||
      ssh_pki_import_pubkey_base64(b64.c_str(), t, &key) != SSH_OK) {
    return base::Status::InvalidArgument("not a readable public key");
  }
  return SshKey(key);
}

base::Result<std::string> Fingerprint(const SshKey& key) {
  unsigned char* hash = nullptr;
  size_t len = 0;
  if (ssh_get_publickey_hash(key.get(), SSH_PUBLICKEY_HASH_SHA256, &hash,
                             &len) != 0) {
    return base::Status::Internal("hash a public key");
  }
  std::string fp = TakeCString(
      ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, len));
  ssh_clean_pubkey_hash(&hash);
  if (fp.empty()) return base::Status::Internal("format a fingerprint");
  return fp;
}

bool SamePublicKey(const SshKey& a, ssh_key b) {
  return a && b != nullptr && ssh_key_cmp(a.get(), b, SSH_KEY_CMP_PUBLIC) == 0;
}

base::Result<SshKey> LoadOrCreateKey(const std::string& path,
                                     const std::string& comment) {
  base::Result<std::string> text = ReadFile(path, 64 * 1024);
  if (text.ok()) {
    base::Result<SshKey> key = ParsePrivateKey(*text);
    if (!key.ok()) return key.TakeStatus().Annotate(path);
    return key;
  }
  if (text.status().code() != base::Status::Code::kNotFound) {
    return text.TakeStatus();
  }
  TETHER_ASSIGN_OR_RETURN(SshKey key, GenerateEd25519());
  TETHER_ASSIGN_OR_RETURN(std::string priv, PrivateKeyText(key));
  TETHER_ASSIGN_OR_RETURN(std::string pub, PublicKeyLine(key, comment));
  // The public half first: a crash between the two leaves no private key,
  // so the next start generates a fresh pair rather than a mismatch.
  TETHER_RETURN_IF_ERROR(WriteFileAtomic(path + ".pub", pub, 0644));
  TETHER_RETURN_IF_ERROR(WriteFileAtomic(path, priv, 0600));
  return key;
}

}  // namespace endpoint
}  // namespace attach
