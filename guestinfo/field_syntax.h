// Syntax rules for the config's string fields that are not addresses.
//
// Pure functions: each returns OK or kInvalidArgument describing the
// problem without the field path (the decoder prefixes it). Rules that
// need the container's files (does user "nginx" exist?) are the tether's,
// not these.
#ifndef TETHER_GUESTINFO_FIELD_SYNTAX_H_
#define TETHER_GUESTINFO_FIELD_SYNTAX_H_

#include <string>
#include <string_view>

#include "base/result.h"
#include "base/status.h"

namespace guestinfo {

// `s` without leading and trailing ASCII whitespace (space, \t, \n, \r).
std::string_view TrimSpace(std::string_view s);

// 64 lower-case hex digits, like a docker container id.
base::Status CheckContainerId(std::string_view id);
// [A-Za-z0-9][A-Za-z0-9_.-]*, at most 128 bytes (docker's name rule).
base::Status CheckName(std::string_view name);
// RFC 1123: dot-separated labels of [A-Za-z0-9-], 1..63 bytes, no '-' at
// either end of a label, at most 253 bytes in all.
base::Status CheckHostname(std::string_view hostname);
// Session ids: [A-Za-z0-9_.-]+, at most 64 bytes.
base::Status CheckSessionId(std::string_view id);
// "", NAME, UID, NAME:GROUP, UID:GID (and mixes such as NAME:GID). A name
// is [A-Za-z0-9_.][A-Za-z0-9_.-]* with an optional trailing '$', at most
// 32 bytes; a number is at most 4294967294 ((uid_t)-1 is "no id").
base::Status CheckUserSpec(std::string_view user);
// The name of an environment entry "K=V". The entry itself is never put in
// an error: its value may be a secret.
base::Result<std::string> EnvName(std::string_view entry);
// Starts with '/'.
base::Status CheckAbsolutePath(std::string_view path);
// Absolute and without "." or ".." components, so that joining it to a
// root cannot leave that root.
base::Status CheckContainedPath(std::string_view path);
// "SHA256:" and 43 unpadded base64 characters, as `ssh-keygen -l` prints.
base::Status CheckHostKeyFingerprint(std::string_view fingerprint);
// An "-----BEGIN OPENSSH PRIVATE KEY-----" block with a base64 body. The
// key is never quoted in the error.
base::Status CheckIdentityKey(std::string_view key);
// "initramfs", an absolute /dev/ path, or "label:NAME".
base::Status CheckRootfsSource(std::string_view source);
// A filesystem type name: [a-z0-9_.]+, at most 32 bytes ("ext4", "9p").
base::Status CheckFsType(std::string_view fstype);
// One mount option: non-empty, no ',' (options are separate entries).
base::Status CheckMountOption(std::string_view option);

}  // namespace guestinfo

#endif  // TETHER_GUESTINFO_FIELD_SYNTAX_H_
