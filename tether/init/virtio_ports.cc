#include "tether/init/virtio_ports.h"

#include <cerrno>
#include <set>

namespace tether {
namespace {

constexpr char kSysPorts[] = "/sys/class/virtio-ports";
constexpr int kPollMs = 10;

bool SafeName(const std::string& name) {
  if (name.empty() || name.size() > 255 || name == "." || name == "..") {
    return false;
  }
  for (char c : name) {
    if (c == '/' || static_cast<unsigned char>(c) < 0x20) return false;
  }
  return true;
}

// Links the ports announced so far; returns the names linked.
std::set<std::string> LinkAnnounced(base::Os& os, InitReport& report,
                                    std::set<std::string>& reported) {
  std::set<std::string> linked;
  base::Result<std::vector<std::string>> ports = os.ListDir(kSysPorts);
  if (!ports.ok()) return linked;  // No virtio_console: nothing to link.
  for (const std::string& port : *ports) {
    base::Result<std::string> name =
        os.ReadFile(std::string(kSysPorts) + "/" + port + "/name", 512);
    if (!name.ok()) continue;
    std::string n = *name;
    while (!n.empty() && (n.back() == '\n' || n.back() == '\0')) n.pop_back();
    if (n.empty()) continue;  // An unnamed port: nothing to link.
    if (!SafeName(n)) {
      if (reported.insert(port).second) {
        report.Add(base::Status::InvalidArgument(
                       "virtio port " + port + " has an unusable name"),
                   false);
      }
      continue;
    }
    base::Status s = os.MakeDir(kVirtioPortsDir, 0755);
    if (s.ok()) s = os.Symlink("../" + port, std::string(kVirtioPortsDir) + "/" + n);
    if (s.ok()) {
      linked.insert(n);
    } else if (reported.insert(port).second) {
      report.Add(std::move(s), false);
    }
  }
  return linked;
}

}  // namespace

InitReport LinkVirtioPorts(base::Os& os, const std::string& wait_for,
                           int64_t timeout_ms) {
  InitReport report;
  std::set<std::string> reported;
  const std::string prefix = std::string(kVirtioPortsDir) + "/";
  std::string want;
  if (wait_for.compare(0, prefix.size(), prefix) == 0) {
    want = wait_for.substr(prefix.size());
  }
  const int64_t deadline = os.NowMs() + timeout_ms;
  for (;;) {
    std::set<std::string> linked = LinkAnnounced(os, report, reported);
    if (want.empty() || linked.count(want)) return report;
    if (os.NowMs() >= deadline) break;
    os.SleepMs(kPollMs);
  }
  report.Add(base::Status::NotFound("virtio port \"" + want +
                                    "\" did not appear within " +
                                    std::to_string(timeout_ms) + " ms"),
             false);
  return report;
}

}  // namespace tether
