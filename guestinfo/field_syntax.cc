#include "guestinfo/field_syntax.h"

#include <algorithm>
#include <cstdint>

#include "guestinfo/base64.h"
#include "guestinfo/json_fields.h"

namespace guestinfo {

using base::Result;
using base::Status;

namespace {

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9');
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsNameChar(char c) {
  return IsAlnum(c) || c == '_' || c == '.' || c == '-';
}

// One side of a user spec: a user/group name or a numeric id.
bool IsUserPart(std::string_view part) {
  if (part.empty()) return false;
  if (std::all_of(part.begin(), part.end(), IsDigit)) {
    // (uid_t)-1 means "unchanged" to setresuid, so it is no id.
    if (part.size() > 10) return false;
    uint64_t n = 0;
    for (char c : part) n = n * 10 + static_cast<uint64_t>(c - '0');
    return n <= 4294967294u;
  }
  if (part.size() > 32 || part.front() == '-') return false;
  if (part.back() == '$') part.remove_suffix(1);  // Samba machine accounts.
  return !part.empty() && std::all_of(part.begin(), part.end(), IsNameChar);
}

}  // namespace

std::string_view TrimSpace(std::string_view s) {
  auto space = [](char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
  };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

Status CheckContainerId(std::string_view id) {
  bool ok = id.size() == 64 && std::all_of(id.begin(), id.end(), [](char c) {
              return IsDigit(c) || (c >= 'a' && c <= 'f');
            });
  if (ok) return Status::Ok();
  return Status::InvalidArgument("expected 64 lower-case hex digits, got " +
                                 Quote(id));
}

Status CheckName(std::string_view name) {
  bool ok = !name.empty() && name.size() <= 128 && IsAlnum(name.front()) &&
            std::all_of(name.begin(), name.end(), IsNameChar);
  if (ok) return Status::Ok();
  return Status::InvalidArgument(
      Quote(name) +
      " is not a valid name ([A-Za-z0-9][A-Za-z0-9_.-]*, at most 128 bytes)");
}

Status CheckHostname(std::string_view hostname) {
  auto bad = [&](const std::string& why) {
    return Status::InvalidArgument("invalid hostname " + Quote(hostname) +
                                   ": " + why);
  };
  if (hostname.empty()) return bad("empty");
  if (hostname.size() > 253) return bad("longer than 253 bytes");
  size_t start = 0;
  while (start <= hostname.size()) {
    size_t dot = hostname.find('.', start);
    if (dot == std::string_view::npos) dot = hostname.size();
    std::string_view label = hostname.substr(start, dot - start);
    if (label.empty()) return bad("empty label");
    if (label.size() > 63) return bad("label longer than 63 bytes");
    for (char c : label) {
      if (!IsAlnum(c) && c != '-') {
        return bad("labels may only contain A-Z, a-z, 0-9 and '-'");
      }
    }
    if (label.front() == '-' || label.back() == '-') {
      return bad("a label starts or ends with '-'");
    }
    start = dot + 1;
  }
  return Status::Ok();
}

Status CheckSessionId(std::string_view id) {
  bool ok = !id.empty() && id.size() <= 64 &&
            std::all_of(id.begin(), id.end(), IsNameChar);
  if (ok) return Status::Ok();
  return Status::InvalidArgument(
      Quote(id) + " is not a valid id ([A-Za-z0-9_.-]+, at most 64 bytes)");
}

Status CheckUserSpec(std::string_view user) {
  if (user.empty()) return Status::Ok();
  size_t colon = user.find(':');
  bool ok = colon == std::string_view::npos
                ? IsUserPart(user)
                : IsUserPart(user.substr(0, colon)) &&
                      IsUserPart(user.substr(colon + 1));
  if (ok) return Status::Ok();
  return Status::InvalidArgument(
      "expected NAME, UID, NAME:GROUP or UID:GID, got " + Quote(user));
}

Result<std::string> EnvName(std::string_view entry) {
  size_t eq = entry.find('=');
  if (eq == std::string_view::npos) {
    return Status::InvalidArgument("expected KEY=VALUE (no '=' found)");
  }
  if (eq == 0) return Status::InvalidArgument("empty variable name");
  return std::string(entry.substr(0, eq));
}

Status CheckAbsolutePath(std::string_view path) {
  if (!path.empty() && path.front() == '/') return Status::Ok();
  return Status::InvalidArgument(Quote(path) + " is not an absolute path");
}

Status CheckContainedPath(std::string_view path) {
  TETHER_RETURN_IF_ERROR(CheckAbsolutePath(path));
  size_t start = 1;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view part = path.substr(start, slash - start);
    if (part == "." || part == "..") {
      return Status::InvalidArgument(Quote(path) +
                                     " has a \".\" or \"..\" component");
    }
    start = slash + 1;
  }
  return Status::Ok();
}

Status CheckHostKeyFingerprint(std::string_view fingerprint) {
  constexpr std::string_view kPrefix = "SHA256:";
  std::string_view b64 =
      fingerprint.substr(std::min(fingerprint.size(), kPrefix.size()));
  bool ok = fingerprint.rfind(kPrefix, 0) == 0 && b64.size() == 43 &&
            std::all_of(b64.begin(), b64.end(), IsBase64Char);
  if (ok) return Status::Ok();
  return Status::InvalidArgument(
      "expected \"SHA256:\" and 43 base64 characters as `ssh-keygen -l` "
      "prints, got " +
      Quote(fingerprint));
}

Status CheckIdentityKey(std::string_view key) {
  constexpr std::string_view kBegin = "-----BEGIN OPENSSH PRIVATE KEY-----";
  constexpr std::string_view kEnd = "-----END OPENSSH PRIVATE KEY-----";
  // The binary format's magic (PROTOCOL.key in OpenSSH).
  constexpr std::string_view kMagic{"openssh-key-v1\0", 15};
  key = TrimSpace(key);
  if (key.rfind(kBegin, 0) != 0) {
    return Status::InvalidArgument("not an OpenSSH private key (expected a \"" +
                                   std::string(kBegin) + "\" block)");
  }
  if (key.size() < kBegin.size() + kEnd.size() ||
      key.substr(key.size() - kEnd.size()) != kEnd) {
    return Status::InvalidArgument("OpenSSH private key has no \"" +
                                   std::string(kEnd) + "\" line");
  }
  std::string_view body =
      key.substr(kBegin.size(), key.size() - kBegin.size() - kEnd.size());
  Result<std::string> blob = Base64Decode(body);
  if (!blob.ok() || blob->rfind(kMagic, 0) != 0) {
    // Deliberately says nothing about the body's content.
    return Status::InvalidArgument(
        "OpenSSH private key body is not an openssh-key-v1 blob");
  }
  return Status::Ok();
}

Status CheckRootfsSource(std::string_view source) {
  if (source == "initramfs") return Status::Ok();
  if (source.rfind("/dev/", 0) == 0 && source.size() > 5 &&
      CheckContainedPath(source).ok()) {
    return Status::Ok();
  }
  if (source.rfind("label:", 0) == 0) {
    std::string_view label = source.substr(6);
    bool ok = !label.empty() && label.size() <= 255 &&
              std::all_of(label.begin(), label.end(), [](char c) {
                return c > 0x20 && c < 0x7f && c != '/';
              });
    if (ok) return Status::Ok();
  }
  return Status::InvalidArgument(
      "expected \"initramfs\", a /dev/ path or \"label:NAME\", got " +
      Quote(source));
}

Status CheckFsType(std::string_view fstype) {
  bool ok =
      !fstype.empty() && fstype.size() <= 32 &&
      std::all_of(fstype.begin(), fstype.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || IsDigit(c) || c == '_' || c == '.';
      });
  if (ok) return Status::Ok();
  return Status::InvalidArgument(Quote(fstype) +
                                 " is not a filesystem type ([a-z0-9_.]+)");
}

Status CheckMountOption(std::string_view option) {
  if (option.empty()) return Status::InvalidArgument("empty option");
  if (option.find(',') != std::string_view::npos) {
    return Status::InvalidArgument(
        Quote(option) + " contains ',' (give each option as its own entry)");
  }
  return Status::Ok();
}

}  // namespace guestinfo
