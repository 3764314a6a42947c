#include "tether/users/group.h"

#include <optional>

namespace tether {
namespace {

std::vector<std::string> SplitMembers(std::string_view list) {
  std::vector<std::string> members;
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view member = list.substr(0, comma);
    if (!member.empty()) members.emplace_back(member);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return members;
}

}  // namespace

GroupFile ParseGroup(std::string_view content) {
  constexpr size_t kFields = 4;
  GroupFile file;
  auto parse = [&file](const std::vector<std::string_view>& f) {
    if (f.size() != kFields || f[0].empty()) return false;
    std::optional<uint32_t> gid = ParseId(f[2]);
    if (!gid) return false;
    file.entries.push_back(
        GroupEntry{std::string(f[0]), *gid, SplitMembers(f[3])});
    return true;
  };
  ForEachRecord(content, kFields, parse, &file.stats);
  return file;
}

}  // namespace tether
