#include "tether/path_lookup.h"

namespace tether {

const char kDefaultPath[] =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

const std::string* FindEnv(const std::vector<std::string>& env,
                           const std::string& key) {
  // The first definition wins, as getenv returns it on a duplicated
  // environ (glibc, musl and Go alike).
  for (const std::string& e : env) {
    if (e.size() > key.size() && e.compare(0, key.size(), key) == 0 &&
        e[key.size()] == '=') {
      return &e;
    }
  }
  return nullptr;
}

base::Result<std::string> LookPath(base::Os& os, const std::string& file,
                                   const std::vector<std::string>& env) {
  if (file.empty()) return base::Status::InvalidArgument("exec: empty path");
  if (file.find('/') != std::string::npos) return file;
  std::string path = kDefaultPath;
  if (const std::string* e = FindEnv(env, "PATH")) path = e->substr(5);
  bool saw_non_executable = false;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    // An empty element means the current directory (POSIX).
    std::string dir = path.substr(start, end - start);
    std::string candidate = (dir.empty() ? "." : dir) + "/" + file;
    base::Result<base::FileInfo> info = os.Stat(candidate);
    if (info.ok() && info->is_regular) {
      if (info->mode & 0111) return candidate;
      saw_non_executable = true;
    }
    start = end + 1;
  }
  if (saw_non_executable) {
    return base::Status::PermissionDenied("exec: \"" + file +
                                          "\": permission denied");
  }
  return base::Status::NotFound("exec: \"" + file +
                                "\": executable file not found in $PATH");
}

}  // namespace tether
