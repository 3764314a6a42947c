#include "tether/init/kernel_modules.h"

#include <cerrno>
#include <string_view>

namespace tether {
namespace {

constexpr size_t kMaxOrderBytes = 64 << 10;

bool ValidModuleName(std::string_view name) {
  if (name.size() < 4 || name.size() > 255) return false;
  if (name.substr(name.size() - 3) != ".ko") return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return name[0] != '.';
}

}  // namespace

InitReport LoadKernelModules(base::Os& os, const std::string& dir) {
  InitReport report;
  const std::string order_path = dir + "/load.order";
  base::Result<std::string> order = os.ReadFile(order_path, kMaxOrderBytes);
  if (!order.ok()) {
    if (order.status().error_number() != ENOENT) {
      report.Add(order.TakeStatus().Annotate("kernel modules"), false);
    }
    return report;
  }
  std::string_view rest = *order;
  int line_no = 0;
  while (!rest.empty()) {
    size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? "" : rest.substr(nl + 1);
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    if (!ValidModuleName(line)) {
      report.Add(base::Status::InvalidArgument(
                     order_path + ":" + std::to_string(line_no) +
                     ": not a module file name: \"" + std::string(line) + "\""),
                 false);
      continue;
    }
    report.Add(os.LoadModule(dir + "/" + std::string(line)), false);
  }
  return report;
}

}  // namespace tether
