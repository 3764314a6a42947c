#include "attach/endpoint/admin/health.h"

#include <sys/statvfs.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <map>

namespace attach {
namespace endpoint {
namespace admin {
namespace {

using nlohmann::json;

int Rank(const std::string& status) {
  if (status == "failing") return 2;
  if (status == "degraded") return 1;
  return 0;
}

json Check(const std::string& name, const std::string& status,
           const std::string& detail) {
  return json{{"name", name}, {"status", status}, {"detail", detail}};
}

std::string Size(uint64_t bytes) {
  char buf[32];
  if (bytes >= (uint64_t{1} << 30)) {
    std::snprintf(buf, sizeof(buf), "%.1f GiB", bytes / 1073741824.0);
  } else {
    std::snprintf(buf, sizeof(buf), "%.1f MiB", bytes / 1048576.0);
  }
  return buf;
}

json StateDirCheck(const std::string& dir) {
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    return Check("state_dir", "failing", dir + " is not writable");
  }
  struct statvfs st;
  if (::statvfs(dir.c_str(), &st) != 0) {
    return Check("state_dir", "failing", "statvfs " + dir + " failed");
  }
  uint64_t free_bytes = uint64_t{st.f_bavail} * st.f_frsize;
  uint64_t total = uint64_t{st.f_blocks} * st.f_frsize;
  const char* status = FreeSpaceStatus(free_bytes, total);
  char pct[16];
  std::snprintf(pct, sizeof(pct), "%.0f%%",
                total == 0 ? 0.0 : 100.0 * free_bytes / total);
  json c =
      Check("state_dir", status,
            dir + " writable, " + Size(free_bytes) + " free (" + pct + ")");
  c["free_bytes"] = free_bytes;
  c["total_bytes"] = total;
  return c;
}

json ImageCheck(const VmImage& image) {
  std::string missing;
  for (const std::string* f : {&image.kernel, &image.initrd}) {
    if (f->empty() || ::access(f->c_str(), R_OK) != 0) {
      missing += (missing.empty() ? "" : ", ") + *f;
    }
  }
  if (!missing.empty()) {
    return Check("vm_image", "degraded",
                 "not readable: " + missing + " (make initramfs)");
  }
  return Check("vm_image", "ok", image.kernel + ", " + image.initrd);
}

json QemuCheck(const VmImage& image) {
  std::string path = FindProgram(image.qemu);
  if (path.empty()) {
    return Check("qemu", "degraded", image.qemu + " not found");
  }
  return Check("qemu", "ok", path);
}

}  // namespace

const char* FreeSpaceStatus(uint64_t free_bytes, uint64_t total_bytes) {
  if (free_bytes < kFailingFreeBytes) return "failing";
  if (free_bytes < kDegradedFreeBytes ||
      static_cast<double>(free_bytes) <
          kDegradedFreeRatio * static_cast<double>(total_bytes)) {
    return "degraded";
  }
  return "ok";
}

std::string FindProgram(const std::string& prog) {
  if (prog.empty()) return "";
  if (prog.find('/') != std::string::npos) {
    return ::access(prog.c_str(), X_OK) == 0 ? prog : "";
  }
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string dir = dirs.substr(start, end - start);
    std::string candidate = (dir.empty() ? "." : dir) + "/" + prog;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return "";
}

json CheckHealth(const HealthInputs& in) {
  json checks = json::array();
  checks.push_back(StateDirCheck(in.state_dir));
  checks.push_back(QemuCheck(in.image));
  checks.push_back(ImageCheck(in.image));
  for (const ListenerState& l : in.listeners) {
    checks.push_back(Check("listener:" + l.name, l.up ? "ok" : "failing",
                           l.address + (l.up ? "" : " is not listening")));
  }
  std::map<std::string, int> states = {
      {"created", 0}, {"running", 0}, {"exited", 0}};
  int connected = 0;
  int running_without = 0;
  int total = 0;
  if (in.registry != nullptr) {
    for (const Container* c : in.registry->All()) {
      std::string state = c->state();
      ++states[state];
      ++total;
      if (c->link() != nullptr) {
        ++connected;
      } else if (state == "running") {
        ++running_without;
      }
    }
  }
  checks.push_back(
      Check("tethers", "ok",
            std::to_string(connected) + " connected; " +
                std::to_string(running_without) +
                " running container(s) without one (booting, or gone quiet)"));
  int worst = 0;
  for (const json& c : checks) {
    worst = std::max(worst, Rank(c["status"].get<std::string>()));
  }
  static const char* kNames[] = {"ok", "degraded", "failing"};
  json containers(states);
  containers["total"] = total;
  return json{{"status", kNames[worst]},
              {"checks", std::move(checks)},
              {"containers", std::move(containers)},
              {"tethers",
               {{"connected", connected},
                {"running_without_tether", running_without}}}};
}

}  // namespace admin
}  // namespace endpoint
}  // namespace attach
