#include "tether/users/passwd.h"

#include <optional>

namespace tether {

PasswdFile ParsePasswd(std::string_view content) {
  constexpr size_t kFields = 7;
  PasswdFile file;
  auto parse = [&file](const std::vector<std::string_view>& f) {
    if (f.size() != kFields || f[0].empty()) return false;
    std::optional<uint32_t> uid = ParseId(f[2]);
    std::optional<uint32_t> gid = ParseId(f[3]);
    if (!uid || !gid) return false;
    // f[1] is the password field: never kept, even in memory.
    file.entries.push_back(PasswdEntry{std::string(f[0]), *uid, *gid,
                                       std::string(f[4]), std::string(f[5]),
                                       std::string(f[6])});
    return true;
  };
  ForEachRecord(content, kFields, parse, &file.stats);
  return file;
}

}  // namespace tether
