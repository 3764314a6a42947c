#include "attach/endpoint/images/reference.h"

#include <cctype>

namespace attach {
namespace endpoint {
namespace {

constexpr char kInvalid[] = "invalid reference format";
constexpr size_t kMaxReference = 255;

bool IsHex(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isxdigit(static_cast<unsigned char>(c)) ||
        std::isupper(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

// One path component: lower-case alphanumerics separated by '.', '_',
// "__" or runs of '-' (distribution/reference's grammar, simplified to
// "no separator at either end, none doubled except '_' and '-'").
bool ValidComponent(std::string_view c) {
  if (c.empty() || !std::isalnum(static_cast<unsigned char>(c.front())) ||
      !std::isalnum(static_cast<unsigned char>(c.back()))) {
    return false;
  }
  for (size_t i = 0; i < c.size(); ++i) {
    unsigned char ch = static_cast<unsigned char>(c[i]);
    if (std::isalnum(ch)) continue;
    if (ch != '.' && ch != '_' && ch != '-') return false;
    if (ch == '.' && c[i + 1] == '.') return false;
  }
  return true;
}

bool ValidTag(std::string_view t) {
  if (t.empty() || t.size() > 128 || t[0] == '.' || t[0] == '-') return false;
  for (char c : t) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' &&
        c != '-') {
      return false;
    }
  }
  return true;
}

// A first component that names a registry: it has a '.' or a ':', or is
// "localhost" (docker's rule).
bool IsDomain(std::string_view c) {
  return c.find_first_of(".:") != std::string_view::npos || c == "localhost";
}

}  // namespace

base::Result<std::string> NormalizeReference(std::string_view ref) {
  if (ref.empty() || ref.size() > kMaxReference) {
    return base::Status::InvalidArgument(kInvalid);
  }
  std::string digest;
  size_t at = ref.find('@');
  if (at != std::string_view::npos) {
    digest = std::string(ref.substr(at));
    std::string_view d = ref.substr(at + 1);
    if (d.substr(0, 7) != "sha256:" || d.size() != 7 + 64 ||
        !IsHex(d.substr(7))) {
      return base::Status::InvalidArgument(kInvalid);
    }
    ref = ref.substr(0, at);
  }
  // The tag follows the last ':' after the last '/' (a registry's port
  // comes before a '/').
  std::string_view name = ref, tag;
  size_t slash = ref.rfind('/');
  size_t colon = ref.rfind(':');
  if (colon != std::string_view::npos &&
      (slash == std::string_view::npos || colon > slash)) {
    name = ref.substr(0, colon);
    tag = ref.substr(colon + 1);
    if (!ValidTag(tag)) return base::Status::InvalidArgument(kInvalid);
  }
  std::string domain;
  std::string_view path = name;
  size_t first = name.find('/');
  if (first != std::string_view::npos && IsDomain(name.substr(0, first))) {
    domain = std::string(name.substr(0, first));
    path = name.substr(first + 1);
  }
  if (path.empty()) return base::Status::InvalidArgument(kInvalid);
  for (char c : path) {
    if (std::isupper(static_cast<unsigned char>(c))) {
      return base::Status::InvalidArgument(
          std::string(kInvalid) + ": repository name must be lowercase");
    }
  }
  for (size_t b = 0; b <= path.size();) {
    size_t e = path.find('/', b);
    if (e == std::string_view::npos) e = path.size();
    if (!ValidComponent(path.substr(b, e - b))) {
      return base::Status::InvalidArgument(kInvalid);
    }
    b = e + 1;
  }
  // The familiar form drops docker.io and its library/ namespace.
  std::string out;
  if (domain.empty() || domain == "docker.io" || domain == "index.docker.io") {
    out = std::string(path);
    if (out.rfind("library/", 0) == 0 &&
        out.find('/', 8) == std::string::npos) {
      out = out.substr(8);
    }
  } else {
    out = domain + "/" + std::string(path);
  }
  if (!digest.empty()) return out + digest;
  return out + ":" + std::string(tag.empty() ? "latest" : tag);
}

bool LooksLikeImageId(std::string_view ref) {
  if (ref.substr(0, 7) == "sha256:") ref = ref.substr(7);
  return !ref.empty() && ref.size() <= 64 && IsHex(ref);
}

}  // namespace endpoint
}  // namespace attach
