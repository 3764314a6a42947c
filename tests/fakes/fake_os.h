// FakeOs: a scripted, recording base::Os for unit tests of PID-1 logic.
//
// Files live in an in-memory map; mounts, kills, hostnames, rlimits and
// reboots are recorded; Spawn hands out pids (or scripted failures) and
// WaitAny returns exits a test queued with QueueExit(). Pipe() and OpenPty()
// are real (RealOs) because loop tests read and write them for real.
#ifndef TETHER_TESTS_FAKES_FAKE_OS_H_
#define TETHER_TESTS_FAKES_FAKE_OS_H_

#include <sys/stat.h>
#include <sys/wait.h>

#include <deque>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "base/os.h"

namespace fakes {

class FakeOs : public base::Os {
 public:
  struct MountCall {
    std::string source, target, fstype;
    unsigned long flags;
    std::string data;
  };
  struct KillCall {
    pid_t pid;
    int signo;
  };

  // --- scripting ---
  void AddFile(const std::string& path, std::string data,
               mode_t mode = S_IFREG | 0755) {
    files[path] = std::move(data);
    modes[path] = mode;
  }
  void AddDir(const std::string& path) { dirs.insert(path); }
  // The next Spawn fails with `s` instead of returning a pid.
  void FailNextSpawn(base::Status s) { spawn_failures.push_back(std::move(s)); }
  void FailMount(const std::string& target, base::Status s) {
    mount_failures[target] = std::move(s);
  }
  // A child exit that the next WaitAny() reports.
  void QueueExit(pid_t pid, int wait_status) {
    exits.push_back(base::ChildExit{pid, wait_status});
  }
  static int Exited(int code) { return (code & 0xff) << 8; }
  static int Signaled(int signo) { return signo & 0x7f; }

  // --- base::Os ---
  base::Result<pid_t> Spawn(const base::SpawnSpec& spec) override {
    spawned.push_back(spec);
    if (!spawn_failures.empty()) {
      base::Status s = std::move(spawn_failures.front());
      spawn_failures.pop_front();
      return s;
    }
    return next_pid++;
  }
  base::Result<std::optional<base::ChildExit>> WaitAny() override {
    if (exits.empty()) return std::optional<base::ChildExit>();
    base::ChildExit e = exits.front();
    exits.pop_front();
    return std::optional<base::ChildExit>(e);
  }
  base::Status Kill(pid_t pid, int signo) override {
    kills.push_back({pid, signo});
    return base::Status::Ok();
  }
  pid_t GetPid() override { return pid; }
  base::Status SetChildSubreaper() override {
    subreaper = true;
    return base::Status::Ok();
  }
  base::Status SetDumpable(bool d) override {
    dumpable = d;
    return base::Status::Ok();
  }
  base::Result<std::string> ReadFile(const std::string& path,
                                     size_t max_bytes) override {
    auto it = files.find(path);
    if (it == files.end()) return base::Status::Io("open " + path, ENOENT);
    if (it->second.size() > max_bytes) {
      return base::Status::InvalidArgument(path + ": larger than " +
                                           std::to_string(max_bytes) +
                                           " bytes");
    }
    return it->second;
  }
  base::Status WriteFile(const std::string& path, const std::string& data,
                         mode_t mode) override {
    files[path] = data;
    modes[path] = S_IFREG | mode;
    return base::Status::Ok();
  }
  base::Result<base::FileInfo> Stat(const std::string& path) override {
    base::FileInfo info;
    if (dirs.count(path)) {
      info.is_dir = true;
      info.mode = S_IFDIR | 0755;
      return info;
    }
    auto it = modes.find(path);
    if (it == modes.end()) return base::Status::Io("stat " + path, ENOENT);
    info.mode = it->second;
    info.is_regular = S_ISREG(it->second);
    return info;
  }
  base::Status MakeDir(const std::string& path, mode_t) override {
    dirs.insert(path);
    return base::Status::Ok();
  }
  base::Status Mount(const std::string& source, const std::string& target,
                     const std::string& fstype, unsigned long flags,
                     const std::string& data) override {
    mounts.push_back({source, target, fstype, flags, data});
    auto it = mount_failures.find(target);
    if (it != mount_failures.end()) return it->second;
    return base::Status::Ok();
  }
  base::Result<base::PipePair> Pipe() override { return base::RealOs().Pipe(); }
  base::Result<base::PtyPair> OpenPty() override {
    return base::RealOs().OpenPty();
  }
  base::Result<std::string> ReadAt(const std::string& path, uint64_t offset,
                                   size_t len) override {
    auto it = files.find(path);
    if (it == files.end()) return base::Status::Io("open " + path, ENOENT);
    if (offset >= it->second.size()) return std::string();
    return it->second.substr(offset, len);
  }
  base::Result<std::vector<std::string>> ListDir(
      const std::string& path) override {
    std::set<std::string> names;
    const std::string prefix = path + "/";
    auto add = [&](const std::string& p) {
      if (p.compare(0, prefix.size(), prefix) != 0) return;
      std::string rest = p.substr(prefix.size());
      names.insert(rest.substr(0, rest.find('/')));
    };
    for (const auto& f : files) add(f.first);
    for (const auto& d : dirs) add(d);
    for (const auto& l : symlinks) add(l.first);
    if (names.empty() && !dirs.count(path)) {
      return base::Status::Io("open directory " + path, ENOENT);
    }
    return std::vector<std::string>(names.begin(), names.end());
  }
  base::Status Symlink(const std::string& target,
                       const std::string& link) override {
    symlinks[link] = target;
    return base::Status::Ok();
  }
  base::Status RedirectStdio(const std::string& path) override {
    stdio = path;
    return base::Status::Ok();
  }
  base::Status SwitchRoot(const std::string& new_root) override {
    root = new_root;
    return base::Status::Ok();
  }
  base::Status LoadModule(const std::string& path) override {
    modules.push_back(path);
    auto it = module_failures.find(path);
    if (it != module_failures.end()) return it->second;
    return base::Status::Ok();
  }
  base::Status CreditEntropy(const std::string& seed) override {
    entropy.push_back(seed);
    return entropy_failure;
  }
  base::Status SetLinkMtuUp(const std::string& ifname, int mtu) override {
    net_calls.push_back("up " + ifname + " mtu " + std::to_string(mtu));
    return base::Status::Ok();
  }
  base::Status AddAddress(const std::string& ifname,
                          const base::IpPrefix& prefix) override {
    net_calls.push_back("addr " + ifname + " " + prefix.ToString());
    return base::Status::Ok();
  }
  base::Status AddDefaultRoute(const std::string& ifname,
                               const base::IpAddress& gateway) override {
    net_calls.push_back("route " + ifname + " via " + gateway.ToString());
    return base::Status::Ok();
  }
  base::Status SetHostname(const std::string& name) override {
    hostname = name;
    return base::Status::Ok();
  }
  base::Status SetLinkUp(const std::string& ifname) override {
    links_up.push_back(ifname);
    return base::Status::Ok();
  }
  base::Status SetRlimit(int resource, uint64_t soft, uint64_t hard) override {
    rlimits[resource] = {soft, hard};
    return base::Status::Ok();
  }
  void Sync() override { ++syncs; }
  base::Status Reboot(int cmd) override {
    reboots.push_back(cmd);
    return base::Status::Ok();
  }
  int64_t NowMs() override { return now_ms; }
  void SleepMs(int ms) override {
    now_ms += ms;
    if (on_sleep) on_sleep(*this);
  }
  int64_t WallSeconds() override { return wall_seconds; }

  // --- state, public so tests read and set it directly ---
  std::map<std::string, std::string> files;
  std::map<std::string, mode_t> modes;
  std::set<std::string> dirs;
  std::vector<base::SpawnSpec> spawned;
  std::deque<base::Status> spawn_failures;
  std::deque<base::ChildExit> exits;
  std::vector<KillCall> kills;
  std::vector<MountCall> mounts;
  std::map<std::string, base::Status> mount_failures;
  std::vector<std::string> links_up;
  std::map<std::string, std::string> symlinks;  // link -> target
  std::string stdio;                            // RedirectStdio's path.
  std::string root;                             // SwitchRoot's new root.
  std::vector<std::string> modules;             // LoadModule paths, in order.
  std::map<std::string, base::Status> module_failures;
  std::vector<std::string> entropy;             // CreditEntropy seeds.
  base::Status entropy_failure;                 // What CreditEntropy returns.
  std::vector<std::string> net_calls;           // "up eth0 mtu 1400", ...
  std::map<int, std::pair<uint64_t, uint64_t>> rlimits;
  std::vector<int> reboots;
  std::string hostname;
  pid_t pid = 1;
  pid_t next_pid = 100;
  bool subreaper = false;
  bool dumpable = true;  // SetDumpable's last value.
  int syncs = 0;
  int64_t now_ms = 0;
  // Runs after each SleepMs: a test makes a device appear "later".
  std::function<void(FakeOs&)> on_sleep;
  int64_t wall_seconds = 1700000000;
};

}  // namespace fakes

#endif  // TETHER_TESTS_FAKES_FAKE_OS_H_
