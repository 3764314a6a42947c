// The cap on a container's log files (review F9): max_size * max_files
// bytes across all of its sessions, as docker's `local` driver caps a
// container's one log. Each session rotates its own log at max_size
// (session_log.h); this makes the sum fit, oldest first.
#include <sys/stat.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "attach/endpoint/containers/container.h"
#include "attach/endpoint/containers/state_files.h"
#include "base/log.h"

namespace attach {
namespace endpoint {
namespace {

struct LogFile {
  std::string session;  // "" for a file that is no session's segment.
  std::string path;
  uint64_t bytes = 0;
  int64_t mtime_ns = 0;
  bool current = false;  // A session's current segment (PATH itself).
};

// "<session>.log" -> current; "<session>.log.N", ".next", ".corrupt"
// -> old. Anything else in logs/ is not attachd's and is left alone.
bool Classify(const std::string& name, LogFile* f) {
  size_t at = name.find(".log");
  if (at == std::string::npos || at == 0) return false;
  std::string rest = name.substr(at + 4);
  f->session = name.substr(0, at);
  f->current = rest.empty();
  return f->current || rest[0] == '.';
}

std::vector<LogFile> ListLogs(const std::string& dir) {
  std::vector<LogFile> out;
  base::Result<std::vector<std::string>> names = ListDir(dir);
  if (!names.ok()) return out;
  for (const std::string& name : *names) {
    LogFile f;
    struct stat st;
    f.path = dir + "/" + name;
    if (!Classify(name, &f) || ::lstat(f.path.c_str(), &st) != 0 ||
        !S_ISREG(st.st_mode)) {
      continue;
    }
    f.bytes = static_cast<uint64_t>(st.st_size);
    f.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 +
                 st.st_mtim.tv_nsec;
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace

void Container::EnforceLogQuota() {
  LogOptions options = host_ != nullptr ? host_->log_options() : LogOptions();
  const uint64_t budget =
      options.max_size * static_cast<uint64_t>(options.max_files);
  std::vector<LogFile> files = ListLogs(dir_ + "/logs");
  uint64_t total = 0;
  for (const LogFile& f : files) total += f.bytes;
  if (total <= budget) return;
  std::sort(files.begin(), files.end(), [](const LogFile& a, const LogFile& b) {
    return a.mtime_ns < b.mtime_ns;
  });
  const uint64_t before = total;
  // Old segments first, oldest first: a loaded session drops its own
  // oldest (so it knows), any other file is simply removed.
  for (const LogFile& f : files) {
    if (total <= budget) break;
    if (f.current) continue;
    Session* s = FindSession(f.session);
    uint64_t freed = 0;
    if (s != nullptr) {
      freed = s->log().DropOldestSegment();
    } else if (::unlink(f.path.c_str()) == 0) {
      freed = f.bytes;
    }
    total -= std::min(total, freed);
  }
  // Then current segments of loaded sessions, the largest first: rotated
  // and dropped at once. An idle session not loaded keeps its file.
  while (total > budget) {
    Session* largest = nullptr;
    for (auto& [id, s] : sessions_) {
      if (largest == nullptr ||
          s->log().disk_bytes() > largest->log().disk_bytes()) {
        largest = s.get();
      }
    }
    if (largest == nullptr) break;
    uint64_t had = largest->log().disk_bytes();
    if (!largest->log().Rotate().ok()) break;
    uint64_t freed = largest->log().DropOldestSegment();
    if (freed == 0 || largest->log().disk_bytes() >= had) break;
    total -= std::min(total, freed);
  }
  LOG_INFO(
      "container %s: logs took %llu bytes, more than the %llu allowed; "
      "%llu now",
      id().substr(0, 12).c_str(), static_cast<unsigned long long>(before),
      static_cast<unsigned long long>(budget),
      static_cast<unsigned long long>(total));
}

}  // namespace endpoint
}  // namespace attach
