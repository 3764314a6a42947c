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

bool StartsWith(const std::string& s, std::string_view prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

InitReport ModuleLoader::Load(const std::string& set) {
  InitReport report;
  const std::string order_path = dir_ + "/" + set + ".order";
  base::Result<std::string> order = os_.ReadFile(order_path, kMaxOrderBytes);
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
    // Sets share dependencies (virtio_ring, say); one load is enough.
    if (!loaded_.insert(std::string(line)).second) continue;
    report.Add(os_.LoadModule(dir_ + "/" + std::string(line)), false);
  }
  return report;
}

std::vector<std::string> ModuleSetsFor(const guestinfo::Config& config) {
  bool console = false;
  if (config.endpoint) {
    // A hypervisor serial port (/dev/ttyS1) needs no module.
    const std::string& a = config.endpoint->address;
    console = StartsWith(a, "serial:/dev/virtio-ports/") ||
              StartsWith(a, "serial:/dev/vport");
  }
  const bool net = !config.networks.empty();
  const bool disk = config.rootfs.source != "initramfs";
  std::vector<std::string> sets;
  if (console || net || disk) sets.push_back("virtio");
  if (console) sets.push_back("console");
  if (net) sets.push_back("net");
  if (disk) sets.push_back("disk");
  return sets;
}

}  // namespace tether
