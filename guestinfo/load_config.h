// Finding, reading and validating the config at boot.
//
// Order (DESIGN.md section 3), first config found wins:
//   1. --config FILE                  (options.config_file)
//   2. tether.source= on the kernel command line, which forces one source:
//      vmware | fwcfg | file:PATH
//   3. VMware guestinfo, if CPUID says VMware
//   4. QEMU fw_cfg
// A source that holds no config (kNotFound) passes to the next one unless
// it was forced (1 or 2); any other failure stops the search, so a broken
// config is never silently replaced by another.
#ifndef TETHER_GUESTINFO_LOAD_CONFIG_H_
#define TETHER_GUESTINFO_LOAD_CONFIG_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/os.h"
#include "base/result.h"
#include "guestinfo/config.h"
#include "guestinfo/rpci.h"
#include "guestinfo/vmware_detect.h"

namespace guestinfo {

enum class SourceKind { kAuto, kVmware, kFwCfg, kFile };

struct SourceChoice {
  SourceKind kind = SourceKind::kAuto;
  std::string path;  // kFile only: absolute.
};

// Finds `tether.source=` in a kernel command line (the last one wins, as
// for kernel parameters; double quotes group as the kernel's parser does).
// Absent: kAuto. kInvalidArgument
// `tether.source: expected vmware, fwcfg or file:PATH, got "x"`.
base::Result<SourceChoice> ParseSourceOverride(std::string_view cmdline);

// Finds `tether.drain_timeout_s=N` in a kernel command line (the last one
// wins): N decimal seconds, 0..86400. nullopt when absent;
// kInvalidArgument `tether.drain_timeout_s: expected 0..86400 seconds,
// got "x"`.
base::Result<std::optional<int>> ParseDrainTimeoutOverride(
    std::string_view cmdline);

struct LoadOptions {
  std::string config_file;             // --config FILE; empty = none.
  std::optional<std::string> cmdline;  // nullopt: <proc_root>/cmdline.
  std::string proc_root = "/proc";
  std::string sysfs_root = "/sys";
  std::optional<HypervisorId> hypervisor;  // nullopt: ReadHypervisorId().
  // The RPCI transport; null: the real backdoor. Used only when the
  // hypervisor is VMware, injected or not.
  RpciChannel* rpci = nullptr;
  // Call ConfigSource::Hide() once the config is accepted.
  bool hide = true;
};

struct LoadedConfig {
  Config config;
  SourceKind kind = SourceKind::kAuto;  // The source it came from.
  std::string origin;                   // "fw_cfg opt/tether/config".
  std::vector<std::string> warnings;    // Non-fatal, e.g. Hide() failed.
  // tether.drain_timeout_s= on the kernel command line (not read with
  // --config FILE); a bad value is a warning and leaves it unset.
  std::optional<int> cmdline_drain_timeout_s;
};

// Reads files through `os`. Errors name the source:
//   fw_cfg opt/tether/config: sessions[0].path: required
//   no config found: vmware: no guestinfo.tether.config; fw_cfg: ...
// kNotFound when no source had a config, kInvalidArgument for a bad
// config or override, the source's code otherwise.
base::Result<LoadedConfig> LoadConfig(base::Os& os, const LoadOptions& options);

}  // namespace guestinfo

#endif  // TETHER_GUESTINFO_LOAD_CONFIG_H_
