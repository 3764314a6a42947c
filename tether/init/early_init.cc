#include "tether/init/early_init.h"

#include <sys/resource.h>

#include "tether/init/config_mounts.h"
#include "tether/init/early_init_files.h"

namespace tether {

std::string ChooseHostname(const guestinfo::Config& config) {
  if (!config.hostname.empty()) return config.hostname;
  if (!config.name.empty()) return config.name;
  if (!config.id.empty()) return config.id.substr(0, 12);
  return "localhost";
}

InitReport ConfigureSystem(base::Os& os, const guestinfo::Config& config) {
  InitReport report;
  std::string hostname = ChooseHostname(config);
  report.Add(
      os.SetHostname(hostname).Annotate("set hostname \"" + hostname + "\""),
      false);
  report.Merge(WriteEtcFiles(os, hostname, config.networks));
  report.Add(os.SetLinkUp("lo").Annotate("bring up lo"), false);
  if (config.limits.nofile) {
    uint64_t n = *config.limits.nofile;
    report.Add(os.SetRlimit(RLIMIT_NOFILE, n, n)
                   .Annotate("set RLIMIT_NOFILE to " + std::to_string(n)),
               false);
  }
  report.Merge(MountConfigured(os, config.mounts));
  return report;
}

}  // namespace tether
