#include "tether/suspend_signal.h"

#include <signal.h>

#include <cstdlib>
#include <optional>
#include <string>

namespace tether {
namespace {

// /proc/PID/status is a few KiB; the masks are near its end.
constexpr size_t kMaxStatusBytes = 16 * 1024;

// The hex mask after "<field>:\t" in a status file, or nullopt.
std::optional<unsigned long long> MaskOf(const std::string& status,
                                         const std::string& field) {
  size_t at = status.find("\n" + field + ":");
  if (at == std::string::npos) return std::nullopt;
  const char* p = status.c_str() + at + field.size() + 2;
  char* end = nullptr;
  unsigned long long mask = std::strtoull(p, &end, 16);
  if (end == p) return std::nullopt;
  return mask;
}

}  // namespace

bool IsSuspendSignal(int signo) {
  return signo == SIGTSTP || signo == SIGTTIN || signo == SIGTTOU;
}

int SuspendSignalFor(base::Os& os, pid_t pid, int signo) {
  base::Result<std::string> status =
      os.ReadFile("/proc/" + std::to_string(pid) + "/status", kMaxStatusBytes);
  if (!status.ok()) return SIGSTOP;
  const unsigned long long bit = 1ULL << (signo - 1);
  for (const char* field : {"SigCgt", "SigIgn"}) {
    std::optional<unsigned long long> mask = MaskOf(*status, field);
    if (mask && (*mask & bit)) return signo;
  }
  return SIGSTOP;
}

}  // namespace tether
