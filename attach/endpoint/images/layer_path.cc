#include "attach/endpoint/images/layer_path.h"

namespace attach {
namespace endpoint {
namespace {

// Splits on '/' and applies "." and ".." to `out`; false when ".." climbs
// above the start.
bool Walk(std::string_view path, std::vector<std::string>* out) {
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    std::string_view part = path.substr(i, j - i);
    i = j + 1;
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (out->empty()) return false;
      out->pop_back();
      continue;
    }
    out->emplace_back(part);
  }
  return true;
}

}  // namespace

base::Result<std::vector<std::string>> CleanLayerPath(std::string_view path) {
  if (path.empty()) return base::Status::InvalidArgument("empty path");
  if (path.size() > kMaxPathBytes) {
    return base::Status::InvalidArgument("path longer than 4095 bytes");
  }
  if (path.find('\0') != std::string_view::npos) {
    return base::Status::InvalidArgument("path holds a NUL byte");
  }
  std::vector<std::string> parts;
  if (!Walk(path, &parts)) {
    return base::Status::InvalidArgument("path escapes the image root");
  }
  for (const std::string& p : parts) {
    if (p.size() > kMaxNameBytes) {
      return base::Status::InvalidArgument("name longer than 255 bytes");
    }
  }
  return parts;
}

std::string JoinPath(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out += '/';
    out += p;
  }
  return out;
}

bool SymlinkStaysInside(const std::vector<std::string>& parts,
                        std::string_view target) {
  if (!target.empty() && target[0] == '/') return true;
  std::vector<std::string> dir(parts.begin(),
                               parts.empty() ? parts.end() : parts.end() - 1);
  return Walk(target, &dir);
}

}  // namespace endpoint
}  // namespace attach
