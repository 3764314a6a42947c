// Where a config document comes from.
//
// A ConfigSource yields the raw JSON text, already decoded from whatever
// transport encoding its medium uses; DecodeConfig (config_codec.h) then
// validates it. LoadConfig (load_config.h) chooses among the sources.
// Implementations: file and fw_cfg below, VMware guestinfo in
// rpci_source.h.
#ifndef TETHER_GUESTINFO_SOURCE_H_
#define TETHER_GUESTINFO_SOURCE_H_

#include <memory>
#include <string>
#include <string_view>

#include "base/os.h"
#include "base/result.h"
#include "base/status.h"

namespace guestinfo {

class ConfigSource {
 public:
  virtual ~ConfigSource() = default;

  // For messages: "fw_cfg opt/tether/config", "file /etc/tether.json".
  virtual std::string Name() const = 0;

  // The config text, at most kMaxConfigBytes. kNotFound means "this source
  // holds no config" and lets LoadConfig try the next one; every other
  // error is fatal. Error messages name the source themselves.
  virtual base::Result<std::string> Read() = 0;

  // Called once, after the config was read and accepted: makes it
  // unreadable to the container where the medium allows that (the
  // guestinfo key is overwritten). Hiding fw_cfg (a tmpfs over
  // /sys/firmware) is the tether's mount-namespace work, not a source's.
  virtual base::Status Hide() { return base::Status::Ok(); }
};

// `--config FILE` or tether.source=file:PATH. Reads through `os`, which
// must outlive the source. Read(): kNotFound if the file is missing
// ("file /x: No such file or directory"), kInvalidArgument if it exceeds
// the size limit, other errno-derived codes otherwise.
std::unique_ptr<ConfigSource> NewFileSource(base::Os& os, std::string path);

// QEMU's `-fw_cfg name=opt/tether/config,file=...`, read from
// <sysfs_root>/firmware/qemu_fw_cfg/by_name/opt/tether/config/raw through
// `os` (which must outlive the source). Read(): kNotFound
// "fw_cfg: no opt/tether/config (is qemu_fw_cfg loaded?)" when absent.
std::unique_ptr<ConfigSource> NewFwCfgSource(base::Os& os,
                                             std::string sysfs_root = "/sys");

// `path` made absolute against the current directory (unchanged when it
// already is, or when the directory is unknown), as the container's
// mount namespace must name the file to hide it.
std::string AbsolutePath(const std::string& path);

// Shared by the file-backed sources: reads `path` bounded by
// kMaxConfigBytes, with errors that start with `label`.
base::Result<std::string> ReadConfigFile(base::Os& os, const std::string& path,
                                         const std::string& label);

}  // namespace guestinfo

#endif  // TETHER_GUESTINFO_SOURCE_H_
