// The container's /etc/hostname, /etc/hosts and /etc/resolv.conf.
//
// Render* are pure (tested byte for byte); WriteEtcFiles puts their output
// in place through base::Os, as docker does for every container.
#ifndef TETHER_TETHER_INIT_EARLY_INIT_FILES_H_
#define TETHER_TETHER_INIT_EARLY_INIT_FILES_H_

#include <string>
#include <vector>

#include "base/os.h"
#include "guestinfo/config.h"
#include "tether/init/init_report.h"

namespace tether {

// "<hostname>\n".
std::string RenderHostname(const std::string& hostname);

// The loopback entries, then "<address>\t<hostname>", where an empty
// `address` (no network) stands for 127.0.1.1, Debian's convention for a
// host without a fixed address:
//   127.0.0.1\tlocalhost
//   ::1\tlocalhost ip6-localhost ip6-loopback
//   192.0.2.5\tweb
std::string RenderHosts(const std::string& hostname,
                        const std::string& address);

// One "nameserver <address>\n" line per entry, in order. (glibc uses only
// the first three; the rest are kept for tools that read more.)
std::string RenderResolvConf(const std::vector<std::string>& nameservers);

// The first address of the first network that has one, without its
// "/prefix"; "" when no network has an address.
std::string FirstAddress(const std::vector<guestinfo::NetworkConfig>& nets);

// Every network's dns entries in order, duplicates removed.
std::vector<std::string> Nameservers(
    const std::vector<guestinfo::NetworkConfig>& nets);

// Creates /etc when missing and writes /etc/hostname and /etc/hosts (0644)
// for `hostname` and `nets`. /etc/resolv.conf is written only when `nets`
// configure dns: otherwise the image's own file, if any, is left alone.
// Every failure is a warning annotated "write <path>" (or "write /etc
// files" when /etc cannot be made, and then nothing is written): the
// container runs without these files.
InitReport WriteEtcFiles(base::Os& os, const std::string& hostname,
                         const std::vector<guestinfo::NetworkConfig>& nets);

}  // namespace tether

#endif  // TETHER_TETHER_INIT_EARLY_INIT_FILES_H_
