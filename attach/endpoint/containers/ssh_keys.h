// ed25519 keys for attachd: its host key and each container's identity.
//
// Keys are libssh ssh_key objects owned by SshKey. Private keys are stored
// in OpenSSH format (what libssh2 in the tether reads from its config),
// public keys as one "ssh-ed25519 AAAA... comment" line, both beside each
// other as NAME and NAME.pub. Nothing here logs key material.
#ifndef TETHER_ATTACH_ENDPOINT_CONTAINERS_SSH_KEYS_H_
#define TETHER_ATTACH_ENDPOINT_CONTAINERS_SSH_KEYS_H_

#include <libssh/libssh.h>

#include <memory>
#include <string>

#include "base/result.h"

namespace attach {
namespace endpoint {

struct SshKeyDeleter {
  void operator()(ssh_key key) const { ssh_key_free(key); }
};
using SshKey = std::unique_ptr<ssh_key_struct, SshKeyDeleter>;

base::Result<SshKey> GenerateEd25519();
// OpenSSH "-----BEGIN OPENSSH PRIVATE KEY-----" text, body wrapped at 70
// columns like ssh-keygen writes it (libssh2 1.10 reads lines of at most
// 128 bytes). Secret.
base::Result<std::string> PrivateKeyText(const SshKey& key);
// "ssh-ed25519 AAAA... comment\n".
base::Result<std::string> PublicKeyLine(const SshKey& key,
                                        const std::string& comment);
base::Result<SshKey> ParsePrivateKey(const std::string& text);
// Parses a PublicKeyLine ("TYPE BASE64 [comment]").
base::Result<SshKey> ParsePublicKeyLine(const std::string& line);
// "SHA256:<base64 without padding>" of the public key blob, as
// `ssh-keygen -lf` prints it.
base::Result<std::string> Fingerprint(const SshKey& key);
// Whether the public halves are the same key.
bool SamePublicKey(const SshKey& a, ssh_key b);

// Loads the private key at `path`, or generates an ed25519 key and writes
// `path` (0600) and `path`.pub (0644) when there is none. kIoError or
// kInvalidArgument (an unreadable key file) otherwise.
base::Result<SshKey> LoadOrCreateKey(const std::string& path,
                                     const std::string& comment);

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CONTAINERS_SSH_KEYS_H_
